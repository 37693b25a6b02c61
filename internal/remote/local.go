package remote

import (
	"context"
	"errors"
	"os/exec"
	"time"
)

// Local runs commands on this machine, optionally behind a prefix such as
// nsenter, which is how the lab drives a node before its sshd is up.
type Local struct {
	// Name is the host name used in messages; "localhost" when empty.
	Name string
	// Prefix is prepended to every argv, e.g. nsenter's arguments.
	Prefix []string
	// Timeout bounds each command whose Cmd.Timeout is zero;
	// DefaultTimeout when zero.
	Timeout time.Duration
}

// Host implements Runner.
func (l Local) Host() string {
	if l.Name == "" {
		return "localhost"
	}
	return l.Name
}

// Run implements Runner.
func (l Local) Run(ctx context.Context, cmd Cmd) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	cctx, cancel, stop := bounded(ctx, l.Host(), cmd, cmd.timeout(l.Timeout), 0)
	defer stop()
	argv := append(append([]string{}, l.Prefix...), cmd.Argv...)
	c := exec.CommandContext(cctx, argv[0], argv[1:]...)
	stdout, stderr := outputs(l.Host(), cmd, cancel)
	c.Stdin, c.Stdout, c.Stderr = cmd.Stdin, stdoutTo(cmd, stdout), stderr
	// A killed command's children may hold its output open; do not wait
	// for them past a short grace.
	c.WaitDelay = time.Second
	err := c.Run()
	res := Result{Stdout: stdout.bytes(), Stderr: stderr.bytes()}
	var exit *exec.ExitError
	switch {
	case err != nil && cctx.Err() != nil:
		return Result{}, commandFailure(ctx, cctx)
	case err == nil:
		return res, nil
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitCode()
		return res, &CommandError{Host: l.Host(), Argv: cmd.Argv, ExitCode: res.ExitCode, Stderr: string(res.Stderr)}
	default:
		return res, err
	}
}
