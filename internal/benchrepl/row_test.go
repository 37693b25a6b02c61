package benchrepl

import (
	"errors"
	"fmt"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

func TestNewRowRatios(t *testing.T) {
	copyRow := NewRow("copy", Speed, []float64{20, 10, 30}, []float64{8, 12})
	if copyRow.OursSeconds != 20 || copyRow.ReferenceSeconds != 10 || copyRow.Ratio != 0.5 {
		t.Errorf("copy row: %+v", copyRow)
	}
	plan := NewRow("plan", Cost, []float64{3}, []float64{2})
	if plan.Ratio != 1.5 {
		t.Errorf("plan ratio %v, want 1.5", plan.Ratio)
	}
	if r := NewRow("none", Cost, nil, []float64{1}); r.Ratio != 0 {
		t.Errorf("no samples must give no ratio, got %v", r.Ratio)
	}
}

func TestUpstreamTimedOut(t *testing.T) {
	gaveUp := &remote.CommandError{ExitCode: 1, Stderr: "[  WARN] All Checkpoints NOT COMPLETE, All status OK (Turns  29)\n" +
		"[NOT OK] Timed out, Stopping Geo-replication(Duration: 304sec)\n\n"}
	if !upstreamTimedOut(fmt.Errorf("run: %w", gaveUp)) {
		t.Error("upstream's own give-up after --timeout must be counted, not fail the row")
	}
	for _, err := range []error{nil, errors.New("ssh: connection lost"),
		&remote.CommandError{ExitCode: 1, Stderr: "[NOT OK] Unable to Mount Gluster Volume localhost:global\n"}} {
		if upstreamTimedOut(err) {
			t.Errorf("%v is not upstream's timeout", err)
		}
	}
}
