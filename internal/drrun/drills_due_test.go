package drrun

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
)

// TestNightlyRunDrillsDuePoints: each site's newest point is drilled by the
// first night that finds its last passed drill older than drill_every; a
// drill that fails fails the run, and status and the metrics say so.
func TestNightlyRunDrillsDuePoints(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.eng.Schedule.DrillEvery = 7 * 24 * time.Hour
	first := time.Now().Add(-20 * 24 * time.Hour)
	night := func(n int) (*Report, error) {
		h.eng.Now = func() time.Time { return first.Add(time.Duration(n) * 24 * time.Hour) }
		return h.eng.Run(ctx, RunOptions{})
	}
	drilled := func(rep *Report) string {
		var sites []string
		for _, d := range rep.Drills {
			sites = append(sites, d.Site+":"+strings.Join(d.Chain, "+"))
		}
		return strings.Join(sites, ",")
	}
	rep, err := night(0) // sdsc gets its first point: drilled at once
	if err != nil {
		t.Fatalf("night 0: %v\n%s", err, h.logs)
	}
	sdscSet := rep.Sets[0].Set.ID
	if got := drilled(rep); got != "sdsc:"+sdscSet || !rep.Drills[0].Passed || rep.Drills[0].Sample == nil || rep.Drills[0].Sample.Files != 5 {
		t.Fatalf("night 0 drilled %q: %+v", got, rep.Drills)
	}
	rep, err = night(1) // tacc's first point; sdsc was drilled a day ago
	if err != nil || !strings.HasPrefix(drilled(rep), "tacc:") || len(rep.Drills) != 1 {
		t.Fatalf("night 1 drilled %q (%v)", drilled(rep), err)
	}
	for n := 2; n < 7; n++ {
		if rep, err := night(n); err != nil || len(rep.Drills) != 0 {
			t.Fatalf("night %d drilled %q (%v)", n, drilled(rep), err)
		}
	}

	// Damage sdsc's newest point: its next drill, a week after the last,
	// must fail the night.
	listing, _ := h.eng.Store().List(ctx)
	newest := backupset.Newest(listing.Sets, func(m *backupset.Meta) bool { return m.Target == "sdsc" })
	write(t, filepath.Join(newest.RestorePoint.Location, "backup", newest.ID, backupset.ManifestFile), "{}")
	rep, err = night(7)
	if err == nil || rep.FailedStep != StepDrill || !strings.Contains(err.Error(), "restore drill failed at sdsc") {
		t.Fatalf("night 7: failed step %q, %v", rep.FailedStep, err)
	}
	st, err := LoadStatus(ctx, h.eng.Schedule, h.eng.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d := st.Targets[0].LastDrill; d == nil || d.Passed || !strings.Contains(d.Problem, "manifest.json") {
		t.Errorf("status' last drill at sdsc: %+v", d)
	}
	metrics, _ := os.ReadFile(h.eng.Schedule.MetricsFile)
	if !strings.Contains(string(metrics), `glusterdr_restore_drill_last_success{target="sdsc"} 0`) {
		t.Errorf("the metrics do not show the failed drill:\n%s", metrics)
	}
}

func TestPlanListsDueDrills(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.eng.Run(ctx, RunOptions{Target: "sdsc"}); err != nil {
		t.Fatal(err)
	}
	h.eng.Now = func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }
	rep, err := h.eng.Run(ctx, RunOptions{Plan: true})
	if err != nil {
		t.Fatal(err)
	}
	var drills []PlannedSet
	for _, p := range rep.Planned {
		if p.Action == ActionDrill {
			drills = append(drills, p)
		}
	}
	if len(drills) != 1 || drills[0].Target != "sdsc" || !strings.Contains(drills[0].Why, "drill_every 168h") {
		t.Errorf("planned drills: %+v", drills)
	}
}
