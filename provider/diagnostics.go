package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// addError turns an engine error into a diagnostic: a short Title Case
// summary, then what was being done and the error's own detail (for a
// gluster failure: Command, Exit code, Stderr and Hint).
func addError(diags *diag.Diagnostics, what string, err error) {
	diags.AddError(errorSummary(err), what+":\n\n"+err.Error())
}

// errorSummary picks the summary from the error's type.
func errorSummary(err error) string {
	var (
		ge      *gluster.Error
		hostKey *remote.HostKeyError
		auth    *remote.AuthError
		lost    *remote.ConnectionLostError
		cmd     *remote.CommandError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "Timed Out"
	case errors.As(err, &hostKey):
		return "SSH Host Key Verification Failed"
	case errors.As(err, &auth):
		return "SSH Authentication Failed"
	case errors.As(err, &lost):
		return "SSH Connection Lost"
	case errors.As(err, &ge):
		return ge.Summary()
	case errors.Is(err, gluster.ErrNoSession): // a session a status listing lacks
		return (&gluster.Error{Kind: gluster.ErrNoSession}).Summary()
	case errors.As(err, &cmd):
		return "Remote Command Failed"
	case errors.Is(err, gluster.ErrInvalid):
		return "Invalid Gluster Argument"
	}
	return "Gluster Operation Failed"
}

// timeoutHint adds what to do when a step ran out of time.
func timeoutHint(err error, op string) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w\nHint: the %s timeout ran out; raise it in the resource's timeouts block if the site is slow", err, op)
	}
	return err
}
