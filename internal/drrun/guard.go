package drrun

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/lease"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// Access is what a command does with a schedule's sets and sessions.
type Access int

const (
	// Writes: the command changes sessions or sets (run, retention
	// --apply, checkpoint, session, failover, failback, bench, restore).
	// It takes the run lock exclusively and the lease on the backup
	// folder, which it renews while it works.
	Writes Access = iota
	// Reads: the command reads the sets back and must not see them change
	// (verify, restore-drill). It shares the run lock with other readers
	// and honours another controller's lease without taking one.
	Reads
)

// GuardOptions say how a command is guarded.
type GuardOptions struct {
	Access  Access
	Command string // recorded in the lock file and the lease
	// WithoutLease skips the lease, for a command that must work when the
	// primary's volume is gone (failover --primary-down); the run lock
	// still guards this controller.
	WithoutLease bool
	// LeaseTTL is the lease's lifetime between renewals; lease.DefaultTTL
	// when zero.
	LeaseTTL time.Duration
	Log      *slog.Logger
}

// Guard takes what a command needs before it touches a schedule's sets or
// sessions: the run lock on this controller (exclusive for Writes, shared
// for Reads) and, across controllers, the lease in the backup folder on
// the global volume. The run lock is per controller: a second controller
// (another host, or another state_dir) sees only the lease. The returned
// context ends, with a *lease.LostError as its cause, if the lease is
// taken over while the command works; release gives everything back.
func Guard(ctx context.Context, s *schedule.Schedule, nodes Nodes, o GuardOptions) (context.Context, func(), error) {
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var lock *runlock.Lock
	var err error
	if o.Access == Reads {
		lock, err = runlock.AcquireShared(s.LockFile)
	} else {
		lock, err = runlock.Acquire(s.LockFile, o.Command)
	}
	if err != nil {
		return ctx, nil, err
	}
	releaseLock := func() {
		if err := lock.Release(); err != nil {
			log.Warn("releasing the run lock", "error", err)
		}
	}
	if o.WithoutLease {
		return ctx, releaseLock, nil
	}
	f := lease.Folder{Runner: nodes.Runner(s.Primary.Node), Files: nodes.Files(s.Primary.Node), Dir: s.Primary.BackupDir}
	if o.Access == Reads {
		if err := lease.Check(ctx, f, Controller(s)); err != nil {
			releaseLock()
			return ctx, nil, leaseError(err)
		}
		return ctx, releaseLock, nil
	}
	l, err := lease.Acquire(ctx, f, lease.Holder{Controller: Controller(s), PID: os.Getpid(), Command: o.Command}, o.LeaseTTL)
	if err != nil {
		releaseLock()
		return ctx, nil, leaseError(err)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	stop := l.Keep(ctx, func(err error) {
		log.Error("the lease on the backup folder was lost; stopping", "error", err)
		cancel(err)
	})
	return ctx, func() {
		stop()
		cancel(nil)
		rctx, done := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
		defer done()
		if err := l.Release(rctx); err != nil {
			log.Warn("releasing the lease on the backup folder", "error", err)
		}
		releaseLock()
	}, nil
}

// Guard guards a command of e's schedule; see the function Guard.
func (e *Engine) Guard(ctx context.Context, o GuardOptions) (context.Context, func(), error) {
	if o.Log == nil {
		o.Log = e.log()
	}
	if o.LeaseTTL == 0 {
		o.LeaseTTL = e.LeaseTTL
	}
	return Guard(ctx, e.Schedule, e.Nodes, o)
}

// Controller names this controller in a lease: its host and the
// schedule's state_dir, so that two schedules on one host are told apart.
func Controller(s *schedule.Schedule) string {
	host, _ := os.Hostname()
	return host + ":" + s.StateDir
}

// leaseError keeps a refusal as it is and says where any other failure
// came from.
func leaseError(err error) error {
	var held *lease.HeldError
	if errors.As(err, &held) {
		return err
	}
	return fmt.Errorf("the lease on the backup folder, which guards it against a second controller: %w", err)
}
