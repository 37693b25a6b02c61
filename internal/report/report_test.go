package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

func TestCopiesAndDrills(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	rpo := 3600.0
	verified := journal.Entry{Set: "s1", Target: "sdsc", Result: journal.ResultVerified, SyncSeconds: 20, OverheadSeconds: 3}
	failedRun := journal.Entry{Set: "t1", Target: "tacc", Result: journal.ResultFailed, SyncSeconds: 10, OverheadSeconds: 5}
	st := drrun.Status{Updated: now, VerifiedCopies: 1, RPOSeconds: &rpo, Targets: []drrun.TargetStatus{
		{Name: "sdsc", LastVerified: &verified, RPOSeconds: &rpo, LastRun: &verified,
			LastDrill: &drill.Record{Time: now, Passed: true, RTOSeconds: 120}, LastPassedDrill: &drill.Record{Time: now, Passed: true}},
		{Name: "tacc", LastRun: &failedRun},
	}}
	sets := []backupset.Summary{{Target: "sdsc", Tier: retention.Daily}, {Target: "sdsc", Tier: retention.Weekly}, {Target: "sdsc", Tier: retention.Daily}}
	r := Build(st, []journal.Entry{verified, failedRun}, sets, nil)
	if r.Copies != 2 || r.CopiesMet {
		t.Errorf("copies %d met %v: one verified site and the primary make 2 of the 3 required", r.Copies, r.CopiesMet)
	}
	if r.Runs.Verified != 1 || r.Runs.Failed != 1 || r.Runs.MeanSyncSeconds != 15 || r.Sets["sdsc"]["daily"] != 2 {
		t.Errorf("runs %+v, sets %v", r.Runs, r.Sets)
	}
	var out bytes.Buffer
	Render(&out, r)
	for _, want := range []string{"copies: 2", "3 required: NOT met", "sdsc", "2m0s", "tacc"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}

	st.VerifiedCopies = 2
	if r := Build(st, nil, nil, errors.New("primary unreachable")); !r.CopiesMet || r.SetsProblem == "" {
		t.Errorf("two verified sites and the primary meet the requirement; an unreadable primary is said: %+v", r)
	}
}
