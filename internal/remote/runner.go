// Package remote runs commands and moves files on the hosts of a DR topology:
// over SSH and SFTP for real sites, or locally (optionally inside the lab's
// namespaces). Every command is an argument vector; nothing is ever pasted
// into a shell string unquoted.
package remote

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Runner runs one command on one host.
type Runner interface {
	// Run runs cmd to completion. A command that exits non-zero returns a
	// *CommandError and the Result is still filled in, because some tools
	// (the gluster CLI among them) print useful output on failure.
	Run(ctx context.Context, cmd Cmd) (Result, error)
	// Host names the host, for messages and logs.
	Host() string
}

// Cmd is a command as an argument vector, with optional standard input.
type Cmd struct {
	Argv  []string
	Stdin io.Reader
	// Stdout, when set, receives standard output as it comes (a stream too
	// big to hold, such as a tar archive), and Result.Stdout stays empty.
	Stdout io.Writer
}

// Command is shorthand for a Cmd without standard input.
func Command(argv ...string) Cmd { return Cmd{Argv: argv} }

// Result is what a finished command printed, and how it exited.
type Result struct {
	Stdout   []byte
	Stderr   []byte
	ExitCode int
}

// CommandError reports a command that ran and exited non-zero.
type CommandError struct {
	Host     string
	Argv     []string
	ExitCode int
	Stderr   string
}

func (e *CommandError) Error() string {
	stderr := strings.TrimSpace(e.Stderr)
	if stderr == "" {
		stderr = "(empty)"
	}
	return fmt.Sprintf("command failed on %s\nCommand: %s\nExit code: %d\nStderr: %s",
		e.Host, Quote(e.Argv), e.ExitCode, stderr)
}
