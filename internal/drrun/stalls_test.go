package drrun

import (
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

func TestStallsReachJournalStatusAndMetrics(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	m := &backupset.Meta{ID: "a", Target: "sdsc", Replication: &backupset.Replication{Stalls: 2}}
	if en := journalEntry(m, now); en.Stalls != 2 {
		t.Fatalf("journal entry stalls %d, want the set's 2", en.Stalls)
	}
	s := &schedule.Schedule{Cron: "0 2 * * *", TimeZone: "UTC", Rotation: schedule.RotationAlternate,
		Targets: []schedule.Target{{Name: "sdsc", SecondaryHost: "198.51.100.21", SecondaryVolume: "global-dr"},
			{Name: "tacc", SecondaryHost: "198.51.100.31", SecondaryVolume: "global-dr"}}}
	entries := []journal.Entry{
		{Time: now.Add(-48 * time.Hour), Target: "sdsc", Result: journal.ResultVerified, Stalls: 2},
		{Time: now.Add(-24 * time.Hour), Target: "sdsc", Result: journal.ResultVerified, Stalls: 1},
		{Time: now.Add(-time.Hour), Target: "tacc", Result: journal.ResultVerified},
	}
	st := BuildStatus(s, entries, now)
	if st.Targets[0].Stalls != 3 || st.Targets[1].Stalls != 0 {
		t.Errorf("stalls sdsc %d tacc %d, want 3 and 0", st.Targets[0].Stalls, st.Targets[1].Stalls)
	}
	metrics := string(RenderMetrics(st))
	for _, want := range []string{`glusterdr_checkpoint_stalls{target="sdsc"} 3`, `glusterdr_checkpoint_stalls{target="tacc"} 0`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q:\n%s", want, metrics)
		}
	}
}
