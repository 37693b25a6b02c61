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
	"time"
)

// Runner runs one command on one host.
type Runner interface {
	// Run runs cmd to completion. A command that exits non-zero returns a
	// *CommandError and the Result is still filled in, because some tools
	// (the gluster CLI among them) print useful output on failure. A
	// command that outlives its timeout returns a *TimeoutError, and one
	// that prints more than its cap an *OutputLimitError; both are killed.
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
	// Timeout bounds the command, on top of ctx: when it passes, the
	// command is killed and Run returns a *TimeoutError. Zero is the
	// runner's default (Config.CommandTimeout, Local.Timeout, else
	// DefaultTimeout), meant for every command that cannot legitimately run
	// long: gluster CLI calls, mount, mkdir, a find on a small tree.
	// NoTimeout leaves the command to ctx alone: for the commands whose
	// time grows with the data (a scan or hash of a volume, rsync, a copy).
	Timeout time.Duration
	// MaxOutput caps the standard output Run keeps: a command that prints
	// more is killed and Run returns an *OutputLimitError. Zero is
	// DefaultMaxOutput. Standard error is kept up to MaxStderr, and cut
	// (not failed) beyond it.
	MaxOutput int64
}

// Command is shorthand for a Cmd without standard input.
func Command(argv ...string) Cmd { return Cmd{Argv: argv} }

// Bounds of a command, where Cmd and the runner leave them unset.
const (
	// DefaultTimeout bounds a command that cannot legitimately run long;
	// the gluster CLI gives up on glusterd after 120 s by itself.
	DefaultTimeout = 5 * time.Minute
	// NoTimeout, as Cmd.Timeout, bounds a command by its context only.
	NoTimeout time.Duration = -1
	// DefaultMaxOutput caps a command's standard output.
	DefaultMaxOutput int64 = 16 << 20
	// MaxStderr is how much of a command's standard error is kept.
	MaxStderr = 1 << 20
)

// timeout is the command's bound given the runner's default (zero:
// DefaultTimeout); 0 means none.
func (c Cmd) timeout(runnerDefault time.Duration) time.Duration {
	switch {
	case c.Timeout < 0:
		return 0
	case c.Timeout > 0:
		return c.Timeout
	case runnerDefault > 0:
		return runnerDefault
	default:
		return DefaultTimeout
	}
}

func (c Cmd) maxOutput() int64 {
	if c.MaxOutput > 0 {
		return c.MaxOutput
	}
	return DefaultMaxOutput
}

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

// TimeoutError reports a command killed because it outlived its timeout,
// while the host itself still answered.
type TimeoutError struct {
	Host    string
	Argv    []string
	Timeout time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("command on %s did not finish within %s and was killed; the host answers, the command hangs "+
		"(a hung mount, a stuck daemon, a full disk?): look at the command's processes on %s\nCommand: %s",
		e.Host, e.Timeout, e.Host, Quote(e.Argv))
}

// OutputLimitError reports a command killed because it printed more than
// the reader takes.
type OutputLimitError struct {
	Host  string
	Argv  []string
	Limit int64
}

func (e *OutputLimitError) Error() string {
	return fmt.Sprintf("command on %s printed more than %s on its standard output, the most this reader takes, and was stopped\nCommand: %s",
		e.Host, FormatBytes(e.Limit), Quote(e.Argv))
}

// FormatBytes renders a size in binary units: "16 MiB", "512 B".
func FormatBytes(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	i := 0
	f := float64(n)
	for f >= 1024 && i < len(units)-1 && n%1024 == 0 {
		f /= 1024
		n /= 1024
		i++
	}
	return fmt.Sprintf("%d %s", n, units[i])
}

// bounded derives the context a command runs under: ctx with the
// command's timeout d (none when 0) plus grace, whose cause is a
// *TimeoutError naming d, and a cancel that an over-long output uses with
// an *OutputLimitError.
func bounded(ctx context.Context, host string, cmd Cmd, d, grace time.Duration) (context.Context, context.CancelCauseFunc, func()) {
	cctx, cancelCause := context.WithCancelCause(ctx)
	stop := func() { cancelCause(nil) }
	if d > 0 {
		tctx, cancel := context.WithTimeoutCause(cctx, d+grace, &TimeoutError{Host: host, Argv: cmd.Argv, Timeout: d})
		return tctx, cancelCause, func() { cancel(); cancelCause(nil) }
	}
	return cctx, cancelCause, stop
}

// remoteKillAfter is how long `timeout` waits after SIGTERM before
// SIGKILL; the client gives up remoteGrace after the bound, when not even
// that ended the command (a process stuck in the kernel on a hung mount).
const (
	remoteKillAfter = 5 * time.Second
	remoteGrace     = 15 * time.Second
)

// remoteTimeout runs argv under coreutils' timeout(1) on the host, so that
// the host itself ends a command that outlives d: sshd does not pass a
// client's signal on to the sessions of root, and closing the session
// leaves the command running. timeout runs it in a process group of its
// own and ends the whole group.
func remoteTimeout(d time.Duration, argv []string) []string {
	secs := int64((d + time.Second - 1) / time.Second)
	return append([]string{"timeout", "-k", fmt.Sprintf("%ds", int64(remoteKillAfter/time.Second)), fmt.Sprintf("%ds", secs)}, argv...)
}

// timedOut reports an exit of timeout(1) after d: 124 (ended by SIGTERM)
// or 137 (by SIGKILL).
func timedOut(code int, d, took time.Duration) bool {
	return d > 0 && took >= d && (code == 124 || code == 137)
}

// commandFailure says why a command's bounded context ended: its own
// timeout or output cap (a typed error), or the caller's ctx (its error).
func commandFailure(ctx, cctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if cause := context.Cause(cctx); cause != nil {
		return cause
	}
	return cctx.Err()
}

// cappedBuffer keeps what a command prints up to limit bytes. Past it, a
// strict buffer cancels the command with an *OutputLimitError; a lenient
// one (stderr) drops the rest and says so at the end.
type cappedBuffer struct {
	buf     []byte
	limit   int64
	over    bool
	strict  bool
	onLimit func()
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	room := b.limit - int64(len(b.buf))
	if int64(len(p)) <= room {
		b.buf = append(b.buf, p...)
		return len(p), nil
	}
	b.buf = append(b.buf, p[:max(room, 0)]...)
	if !b.over {
		b.over = true
		if b.strict && b.onLimit != nil {
			b.onLimit()
		}
	}
	if b.strict {
		return 0, errOutputLimit
	}
	return len(p), nil // the rest is dropped
}

var errOutputLimit = fmt.Errorf("output limit reached")

func (b *cappedBuffer) bytes() []byte {
	if b.over && !b.strict {
		return append(b.buf, []byte("\n[standard error cut at "+FormatBytes(b.limit)+"]")...)
	}
	return b.buf
}

// outputs makes the stdout and stderr buffers of one command: an
// over-long stdout cancels cctx with an *OutputLimitError.
func outputs(host string, cmd Cmd, cancel context.CancelCauseFunc) (stdout, stderr *cappedBuffer) {
	limit := cmd.maxOutput()
	stdout = &cappedBuffer{limit: limit, strict: true, onLimit: func() {
		cancel(&OutputLimitError{Host: host, Argv: cmd.Argv, Limit: limit})
	}}
	stderr = &cappedBuffer{limit: MaxStderr}
	return stdout, stderr
}

// stdoutTo is where a command's standard output goes: the caller's stream
// when it gave one (Result.Stdout then stays empty), else the buffer.
func stdoutTo(cmd Cmd, buf *cappedBuffer) io.Writer {
	if cmd.Stdout != nil {
		return cmd.Stdout
	}
	return buf
}
