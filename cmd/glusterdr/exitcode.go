package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/lease"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
)

// The exit codes, documented in CLI.md. Cron wrappers and the Ansible
// collection tell "try later" (locked) from "broken" (failed), and a copy
// found damaged from one that could not be checked.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitDamaged = 3
	// exitLocked is EX_TEMPFAIL of sysexits.h: another run holds the lock.
	exitLocked = 75
)

// The kinds of failure, as the JSON error document names them.
const (
	kindFailed  = "failed"
	kindUsage   = "usage"
	kindDamaged = "damaged"
	kindLocked  = "locked"
)

// usageError is a command line that does not make sense: an unknown
// command or flag, a wrong argument count, a flag value out of range.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// classify maps a command's error to its exit code and kind. When a run
// found one copy damaged and also failed elsewhere, damaged wins: it asks
// for attention first. A lock held elsewhere wins over both, since the
// command did nothing.
func classify(err error) (int, string) {
	var usage *usageError
	var held *runlock.HeldError
	var leased *lease.HeldError
	var damaged *drrun.DamagedError
	switch {
	case err == nil:
		return exitOK, ""
	case errors.As(err, &usage):
		return exitUsage, kindUsage
	case errors.As(err, &held), errors.As(err, &leased):
		return exitLocked, kindLocked
	case errors.As(err, &damaged), errors.Is(err, drill.ErrFailed):
		return exitDamaged, kindDamaged
	default:
		return exitFailed, kindFailed
	}
}

// markUsageErrors makes every error cobra returns before a command's RunE
// starts a usage error: an unknown command or flag, a wrong argument
// count, a missing required flag, a bad --log-level. Errors from RunE keep
// their own kind.
func markUsageErrors(root *cobra.Command, execute func() error) error {
	started := false
	var wrap func(*cobra.Command)
	wrap = func(c *cobra.Command) {
		if run := c.RunE; run != nil {
			c.RunE = func(c *cobra.Command, args []string) error {
				started = true
				return run(c, args)
			}
		}
		for _, sub := range c.Commands() {
			wrap(sub)
		}
	}
	wrap(root)
	err := execute()
	if err != nil && !started {
		var usage *usageError
		if !errors.As(err, &usage) {
			err = &usageError{err}
		}
	}
	return err
}
