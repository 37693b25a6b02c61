package benchrepl

import (
	"context"
	"fmt"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// pausedCycleTimeout bounds one paused cycle's wait for its checkpoint:
// the rollover, gsyncd's change_interval and a few polls, with room.
const pausedCycleTimeout = 60 * time.Second

// EmptyCycleModes measures, in turn in each repeat, the empty cycle as
// RunCheckpointCycle runs it (checkpoint, stop, marker, start, complete,
// stop), the bare gluster calls of that cycle, and the same cycle run on
// workers kept between cycles, paused (checkpoint, marker, resume,
// complete, pause): the experiment of whether pause and resume cut the
// cycle's floor. The paused cycle's workers are started and paused before
// it, untimed, once their history crawl is over. It returns two rows:
// the paused cycle against the stop/start cycle, and against the bare
// calls; a paused cycle whose checkpoint did not complete within
// pausedCycleTimeout counts as missed.
func (r *Replication) EmptyCycleModes(ctx context.Context) ([]Row, error) {
	var stopStart, bare, paused []float64
	missed := 0
	opts := r.Cycle
	opts.Marker = r.Mount.Marker
	for range max(r.Repeats, 1) {
		res, err := r.Primary.RunCheckpointCycle(ctx, r.Ref, opts)
		if err != nil {
			return nil, err
		}
		stopStart = append(stopStart, res.Duration.Seconds())
		d, err := r.bareCalls(ctx)
		if err != nil {
			return nil, err
		}
		bare = append(bare, d.Seconds())
		if err := r.startPaused(ctx); err != nil {
			return nil, err
		}
		d, ok, err := r.pausedCycle(ctx)
		if err != nil {
			return nil, err
		}
		if !ok {
			missed++
		}
		paused = append(paused, d.Seconds())
		if err := r.stopPaused(ctx); err != nil {
			return nil, err
		}
	}
	notes := fmt.Sprintf("ratio = ours / reference; ours is checkpoint, marker, resume, complete, pause on workers started and paused before it (untimed); "+
		"missed (not completed in %s): %d of %d; session %s; load %s", pausedCycleTimeout, missed, len(paused), r.Setup, LoadAverage())
	vsCycle := NewRow("empty cycle kept paused (checkpoint, marker, resume, complete, pause) against the stop/start cycle, primary to sdsc", Cost, paused, stopStart)
	vsCycle.ReferenceCommand = "gluster.Client.RunCheckpointCycle: checkpoint, stop, marker, rollover wait, start, complete, stop"
	vsCycle.Notes = notes
	vsBare := NewRow("empty cycle kept paused (checkpoint, marker, resume, complete, pause) against the bare gluster calls, primary to sdsc", Cost, paused, bare)
	vsBare.ReferenceCommand = "gluster volume geo-replication global SITE stop; config checkpoint now; start; stop (the CLI calls alone, no wait)"
	vsBare.Notes = notes
	return []Row{vsCycle, vsBare}, nil
}

// startPaused starts the session, waits until every Active worker is in
// the live changelog crawl (its history crawl over), and pauses it.
func (r *Replication) startPaused(ctx context.Context) error {
	if err := r.Primary.Start(ctx, r.Ref, false); err != nil {
		return err
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st, err := r.Primary.Status(ctx, r.Ref)
		if err != nil {
			return err
		}
		if st.IdleInLiveCrawl() {
			return r.Primary.Pause(ctx, r.Ref, false)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("session %s: workers not in the live changelog crawl 2 minutes after start", r.Ref)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// pausedCycle sets a checkpoint on the paused session, writes the marker,
// resumes, polls until the checkpoint completes, and pauses again.
func (r *Replication) pausedCycle(ctx context.Context) (time.Duration, bool, error) {
	start := time.Now()
	cp, err := r.Primary.SetCheckpoint(ctx, r.Ref)
	if err != nil {
		return 0, false, err
	}
	// A marker in the checkpoint's own second never completes it, as in
	// the stop/start cycle.
	time.Sleep(gluster.MarkerAfterCheckpoint)
	if err := r.Mount.Marker(ctx); err != nil {
		return 0, false, err
	}
	if err := r.Primary.Resume(ctx, r.Ref, false); err != nil {
		return 0, false, err
	}
	done := false
	for deadline := start.Add(pausedCycleTimeout); !done && time.Now().Before(deadline); {
		st, err := r.Primary.Status(ctx, r.Ref)
		if err != nil {
			return 0, false, err
		}
		if done, _ = st.CheckpointReached(cp); !done {
			time.Sleep(200 * time.Millisecond)
		}
	}
	if err := r.Primary.Pause(ctx, r.Ref, false); err != nil {
		return 0, false, err
	}
	return time.Since(start), done, nil
}

// stopPaused resumes the paused session and stops it, as the other
// comparisons expect it.
func (r *Replication) stopPaused(ctx context.Context) error {
	if err := r.Primary.Resume(ctx, r.Ref, false); err != nil {
		return err
	}
	return r.Primary.Stop(ctx, r.Ref, false)
}
