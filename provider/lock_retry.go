package provider

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Bounds of the wait for glusterd's cluster lock.
const (
	lockRetryFirst = 500 * time.Millisecond
	lockRetryMax   = 5 * time.Second
	lockRetryFor   = 2 * time.Minute
)

// lockRetryRunner retries a gluster command that glusterd refused because
// another transaction holds the cluster lock ("Another transaction is in
// progress ... Please try again after some time"). Terraform works on
// resources in parallel, and two sessions of one primary cluster, or the
// nightly schedule, take that lock at the same time. A refused command did
// not run, so running it again is safe. Retries are logged, and bounded by
// lockRetryFor and the context.
type lockRetryRunner struct {
	remote.Runner
}

func (r lockRetryRunner) Run(ctx context.Context, cmd remote.Cmd) (remote.Result, error) {
	deadline := time.Now().Add(lockRetryFor)
	delay := lockRetryFirst
	for attempt := 1; ; attempt++ {
		res, err := r.Runner.Run(ctx, cmd)
		if !lockBusy(cmd, res, err) || time.Now().Add(delay).After(deadline) {
			return res, err
		}
		tflog.Info(ctx, "glusterd is busy with another transaction; retrying", map[string]any{
			"host": r.Host(), "program": cmd.Argv[0], "attempt": attempt, "retry_in": delay.String(),
		})
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return res, err
		case <-t.C:
		}
		delay = min(delay*2, lockRetryMax)
	}
}

// lockBusy recognises glusterd's refusal for a held cluster lock, in plain
// output and in --xml's opErrstr alike. Only gluster commands without
// standard input are retried.
func lockBusy(cmd remote.Cmd, res remote.Result, err error) bool {
	if len(cmd.Argv) == 0 || cmd.Argv[0] != "gluster" || cmd.Stdin != nil {
		return false
	}
	text := string(res.Stdout) + "\n" + string(res.Stderr)
	var ce *remote.CommandError
	if errors.As(err, &ce) {
		text += "\n" + ce.Stderr
	}
	text = strings.ToLower(text)
	return strings.Contains(text, "another transaction is in progress") ||
		strings.Contains(text, "another transaction could be in progress")
}
