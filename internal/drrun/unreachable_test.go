package drrun

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// TestUnreachablePrimaryIsAFailedNight: a night that cannot reach the
// primary opens no set, but it must still fail loudly: the run's error
// names the host and the cause, and the journal, status.json and the
// metrics show tonight's target failed rather than the last good night.
func TestUnreachablePrimaryIsAFailedNight(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	rep, err := h.eng.Run(ctx, RunOptions{Target: "sdsc"})
	if err != nil || !rep.OK {
		t.Fatalf("the first night: %v", err)
	}

	key := filepath.Join(t.TempDir(), "absent_ed25519")
	known := filepath.Join(t.TempDir(), "known_hosts")
	must(t, os.WriteFile(known, nil, 0o600))
	pool := remote.NewPool(slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { pool.Close() })
	h.eng.Nodes = remote.PoolNodes{Pool: pool, Base: remote.Config{User: "root", Port: 22, PrivateKeyFile: key, KnownHostsFile: known}}

	rep, err = h.eng.Run(ctx, RunOptions{})
	if err == nil || rep.OK {
		t.Fatal("a night with the primary unreachable succeeded")
	}
	for _, want := range []string{"p1", key} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	st, err := LoadStatus(ctx, h.eng.Schedule, time.Now())
	must(t, err)
	for _, ts := range st.Targets {
		if ts.Name != "tacc" { // tonight's target: sdsc holds the newer copy
			continue
		}
		if ts.LastRun == nil || ts.LastRun.Result != journal.ResultFailed || !strings.Contains(ts.LastRun.Error, key) {
			t.Errorf("status of tacc after the failed night: last run %+v, want failed naming the key", ts.LastRun)
		}
	}
	metrics, err := os.ReadFile(h.eng.Schedule.MetricsFile)
	must(t, err)
	if !strings.Contains(string(metrics), `glusterdr_last_run_success{target="tacc"} 0`) {
		t.Errorf("the metrics do not show tacc's failed night:\n%s", metrics)
	}
}
