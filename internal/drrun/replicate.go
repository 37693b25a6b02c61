package drrun

import (
	"context"
	"fmt"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// progressLogEvery throttles the checkpoint progress in the debug log; the
// Progress callback (which the CLI prints) still sees every poll.
const progressLogEvery = 10 * time.Second

// replicate runs one checkpoint cycle of the session to m's target:
// stopped, checkpoint, marker, start, wait, stop.
func (e *Engine) replicate(ctx context.Context, m *backupset.Meta) error {
	t, err := e.Target(m.Target)
	if err != nil {
		return err
	}
	if err := e.preflight(ctx, t); err != nil {
		return err
	}
	ref := t.Session()
	pr, pf := e.primary()
	var lastLog time.Time
	opts := gluster.CycleOptions{
		Timeout:    e.Schedule.CheckpointTimeout,
		StallAfter: e.Schedule.CheckpointStallAfter,
		Logger:     e.log(),
		SSHHint:    e.sshHint(t),
		Marker:     gluster.Marker{Files: pf, Mount: e.Schedule.Primary.Mount, By: m.ID, Now: e.now}.Write,
		Progress: func(p gluster.Progress) {
			if e.Progress != nil {
				e.Progress(p)
			}
			if time.Since(lastLog) >= progressLogEvery {
				lastLog = time.Now()
				e.log().Debug("checkpoint progress", "set", m.ID, "session", ref.String(),
					"elapsed", p.Elapsed.Round(time.Second), "timeout", p.Timeout, "status", p.Rollup,
					"workers_done", p.Done, "workers", p.Total, "pending_entry", p.Pending.Entry,
					"pending_data", p.Pending.Data, "pending_meta", p.Pending.Meta)
			}
		},
	}
	res, err := e.replicator()(ctx, pr, ref, opts)
	if res != nil {
		m.Replication = &backupset.Replication{Session: ref.String(), CheckpointTime: res.CheckpointTime.UTC(),
			CompletedAt: res.CompletedAt.UTC(), SyncSeconds: res.Duration.Seconds(), Restarts: res.Restarts, Stalls: res.Stalls, Nudges: res.Nudges,
			Polls: res.Polls}
	}
	if err != nil {
		if res != nil && !res.CompletedAt.IsZero() {
			return fmt.Errorf("the checkpoint completed but the session could not be stopped; stop it by hand "+
				"(gluster volume geo-replication %s %s stop): %w", ref.PrimaryVolume, ref.Secondary(), err)
		}
		return err
	}
	e.log().Info("replicated", "set", m.ID, "session", ref.String(), "checkpoint", res.CheckpointTime,
		"sync", res.Duration.Round(time.Millisecond), "restarts", res.Restarts, "stalls", res.Stalls)
	return nil
}
