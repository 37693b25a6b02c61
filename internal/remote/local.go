package remote

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
)

// Local runs commands on this machine, optionally behind a prefix such as
// nsenter, which is how the lab drives a node before its sshd is up.
type Local struct {
	// Name is the host name used in messages; "localhost" when empty.
	Name string
	// Prefix is prepended to every argv, e.g. nsenter's arguments.
	Prefix []string
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
	argv := append(append([]string{}, l.Prefix...), cmd.Argv...)
	c := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	c.Stdin, c.Stdout, c.Stderr = cmd.Stdin, &stdout, &stderr
	if cmd.Stdout != nil {
		c.Stdout = cmd.Stdout
	}
	err := c.Run()
	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return res, nil
	case errors.As(err, &exit) && ctx.Err() == nil:
		res.ExitCode = exit.ExitCode()
		return res, &CommandError{Host: l.Host(), Argv: cmd.Argv, ExitCode: res.ExitCode, Stderr: stderr.String()}
	case ctx.Err() != nil:
		return res, ctx.Err()
	default:
		return res, err
	}
}
