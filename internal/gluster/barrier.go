package gluster

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// barrierLiftTimeout bounds `volume barrier disable` after the enable, run
// whatever became of the caller's context: a barrier left on holds every
// write to the volume.
const barrierLiftTimeout = 30 * time.Second

// BarrierLeftError is a barrier that CloseChangelog enabled, or may have,
// and could not lift: writes to the volume wait until the bricks' changelog
// barrier times out (changelog.changelog-barrier-timeout, 120 s by
// default), and the volume option stays enabled until it is disabled.
type BarrierLeftError struct {
	Host, Volume string
	Err          error
}

func (e *BarrierLeftError) Error() string {
	return fmt.Sprintf("the write barrier on volume %q may still be on: %v. Writes to the volume wait until it is lifted "+
		"or the bricks' changelog barrier times out (120 s by default). Lift it on %s: gluster volume barrier %s disable",
		e.Volume, e.Err, e.Host, e.Volume)
}

func (e *BarrierLeftError) Unwrap() error { return e.Err }

// CloseChangelog makes every brick of volume close its current changelog
// now rather than at its next rollover. `volume barrier enable` rolls the
// changelog over (the brick's changelog translator closes it a second
// after the notice, so that its name cannot clash with a rollover's) and
// returns once it is closed; `volume barrier disable` then lets the writes
// it held go on, a second or two later (docs/gluster-facts.md, "Closing a
// changelog now").
//
// A barrier gluster refused to enable (already on, the volume stopped or
// missing, a brick down) is returned as it is, and nothing is lifted: it
// is not this call's. One that was enabled, or may have been (the answer
// was lost), is always lifted; failing that, the error is a
// *BarrierLeftError.
func (c *Client) CloseChangelog(ctx context.Context, volume string) error {
	if err := ValidVolumeName(volume); err != nil {
		return err
	}
	err := c.barrier(ctx, volume, "enable")
	var refused *Error
	if errors.As(err, &refused) && refused.ExitCode > 0 {
		return err
	}
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), barrierLiftTimeout)
	defer cancel()
	lerr := c.barrier(lctx, volume, "disable")
	var off *Error
	switch {
	case lerr == nil:
		return err
	case err != nil && errors.As(lerr, &off) && off.ExitCode > 0:
		// The enable's answer was lost, and gluster says there is no
		// barrier to lift ("changelog notify failed"): none was enabled.
		return err
	}
	return &BarrierLeftError{Host: c.Host(), Volume: volume, Err: lerr}
}

func (c *Client) barrier(ctx context.Context, volume, state string) error {
	return c.callAction(ctx, fmt.Sprintf("%s the write barrier of volume %q", state, volume),
		glusterArgv(true, true, "volume", "barrier", volume, state))
}
