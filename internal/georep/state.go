package georep

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// State is a session's state as a declaration names it: what the workers
// should be doing, not how they got there.
type State string

// States a session can be brought to.
const (
	Started State = "started"
	Stopped State = "stopped"
	Paused  State = "paused"
)

// States lists every State a session can run in, for validation and
// documentation.
var States = []State{Started, Stopped, Paused}

// Absent is the one more state a Spec can declare: the session is deleted.
const Absent State = "absent"

// StateOf maps a status rollup onto State: a session that was never
// started (created) or has no workers counts as stopped; one whose workers
// run, whatever their health (initializing, partial, faulty, down), counts
// as started.
func StateOf(r gluster.Rollup) State {
	switch r {
	case gluster.RollupCreated, gluster.RollupStopped, gluster.RollupUnknown:
		return Stopped
	case gluster.RollupPaused:
		return Paused
	}
	return Started
}

// statePoll is how often SetState re-reads the status while it waits.
const statePoll = time.Second

// SetState brings the session to want, from whatever state it is in, and
// waits until the status says so: the CLI's exit code alone does not prove
// that the workers started. The wait is bounded by ctx.
func SetState(ctx context.Context, c *gluster.Client, ref gluster.SessionRef, want State) error {
	st, err := c.Status(ctx, ref)
	if err != nil {
		return err
	}
	have := StateOf(st.Rollup)
	if have == want {
		return nil
	}
	switch want {
	case Started:
		if have == Paused {
			err = c.Resume(ctx, ref, false)
		} else {
			err = c.Start(ctx, ref, false)
		}
	case Stopped:
		err = c.Stop(ctx, ref, false)
	case Paused:
		if have == Stopped {
			if err = c.Start(ctx, ref, false); err != nil {
				return err
			}
			if err = waitState(ctx, c, ref, Started); err != nil {
				return err
			}
		}
		err = c.Pause(ctx, ref, false)
	default:
		return fmt.Errorf("geo-replication session %s: unknown state %q; want started, stopped or paused", ref, want)
	}
	if err != nil {
		return err
	}
	return waitState(ctx, c, ref, want)
}

// waitState polls the status until the session is in want.
func waitState(ctx context.Context, c *gluster.Client, ref gluster.SessionRef, want State) error {
	last := gluster.RollupUnknown
	for {
		st, err := c.Status(ctx, ref)
		switch {
		case err == nil:
			last = st.Rollup
			if StateOf(st.Rollup) == want {
				return nil
			}
		case ctx.Err() == nil:
			return err
		}
		t := time.NewTimer(statePoll)
		select {
		case <-ctx.Done():
			t.Stop()
			err := fmt.Errorf("geo-replication session %s is still %s, not %s: %w", ref, last, want, ctx.Err())
			if want == Started && last == gluster.RollupCreated {
				err = errors.Join(gluster.ErrNotStarted, err)
			}
			return err
		case <-t.C:
		}
	}
}
