package gluster

import (
	"fmt"
	"strings"
	"time"
)

// Progress is what RunCheckpointCycle reports after each status poll.
type Progress struct {
	Elapsed time.Duration
	Timeout time.Duration
	// Workers are per-worker statuses and pending counts, in gluster's order.
	Workers []WorkerProgress
	// Pending sums the workers' pending counts.
	Pending Pending
	// Done of Total Active workers have completed the cycle's checkpoint.
	Done, Total int
	// Restarted is true once the cycle has stopped and started a stalled
	// session.
	Restarted bool
	Rollup    Rollup
}

// WorkerProgress is one worker in a Progress report.
type WorkerProgress struct {
	// Brick is host:path of the primary brick.
	Brick     string
	Status    string
	Pending   Pending
	Completed bool
}

// CheckpointError is a checkpoint cycle that failed after the session
// started: it was stopped again, and the error says why it failed, how much
// was still pending, and what to look at.
type CheckpointError struct {
	// Kind is ErrCheckpointTimeout, ErrWorkerFaulty, ErrNotStarted or
	// ErrSecondarySSH.
	Kind   error
	Ref    SessionRef
	Host   string
	Reason string
	Hint   string
	// Pending sums the pending counts of the last status.
	Pending Pending
	// Done of Total Active workers had completed the checkpoint.
	Done, Total int
	// Last is the last status seen.
	Last *SessionStatus
}

func (e *CheckpointError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "checkpoint cycle of geo-replication session %s on %s: %s", e.Ref, e.Host, e.Reason)
	fmt.Fprintf(&b, "\nPending: entry %d, data %d, meta %d, failures %d; %d of %d Active workers done",
		e.Pending.Entry, e.Pending.Data, e.Pending.Meta, e.Pending.Failures, e.Done, e.Total)
	if e.Last != nil {
		for _, w := range e.Last.Workers {
			fmt.Fprintf(&b, "\nWorker %s: %s", w.Brick(), w.Status)
			if w.CrawlStatus != "" {
				fmt.Fprintf(&b, " (%s)", w.CrawlStatus)
			}
			fmt.Fprintf(&b, ", pending entry %d, data %d, meta %d, failures %d", w.Entry, w.Data, w.Meta, w.Failures)
		}
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "\nHint: %s", e.Hint)
	}
	return b.String()
}

// Summary is a short Title Case line for a diagnostic's summary.
func (e *CheckpointError) Summary() string {
	switch e.Kind {
	case ErrWorkerFaulty:
		return "Geo-Replication Worker Faulty"
	case ErrNotStarted:
		return "Geo-Replication Session Did Not Start"
	case ErrSecondarySSH:
		return "Geo-Replication Cannot Reach The Secondary"
	}
	return "Geo-Replication Checkpoint Timed Out"
}

// Unwrap lets errors.Is see the kind.
func (e *CheckpointError) Unwrap() error { return e.Kind }

// countDone counts the Active workers, and those among them that have
// completed a checkpoint taken at cp or later.
func countDone(st *SessionStatus, cp time.Time) (done, total int) {
	for _, w := range st.Workers {
		if w.Status != WorkerActive {
			continue
		}
		total++
		if w.CheckpointCompleted && !w.CheckpointTime.IsZero() && !w.CheckpointTime.Before(cp) {
			done++
		}
	}
	return done, total
}
