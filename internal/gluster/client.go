// Package gluster is a typed client for the gluster CLI, run over a
// remote.Runner (SSH, local, or nsenter into a lab node). Every command is an
// argument vector; --xml output is parsed wherever gluster offers it, for
// both GlusterFS >= 10 (primary/secondary) and <= 9 (master/slave) element
// names. Failures come back as *Error, whose Kind works with errors.Is.
//
// The package imports nothing from Terraform: context in, plain error out.
package gluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Clock is the time source for waits and polls; tests inject a fake so that
// a 30-minute checkpoint wait runs in microseconds.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever is first, and
	// returns ctx.Err() in the latter case.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Client runs gluster commands on one host.
type Client struct {
	r     remote.Runner
	clock Clock
	log   *slog.Logger
}

// Option configures a Client.
type Option func(*Client)

// WithClock replaces the wall clock, for tests.
func WithClock(c Clock) Option { return func(cl *Client) { cl.clock = c } }

// WithLogger logs the client's retries; they are discarded otherwise.
func WithLogger(l *slog.Logger) Option { return func(cl *Client) { cl.log = l } }

// New returns a client that runs the gluster CLI through r.
func New(r remote.Runner, opts ...Option) *Client {
	c := &Client{r: r, clock: realClock{}, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Host names the host the client talks to.
func (c *Client) Host() string { return c.r.Host() }

// glusterArgv builds `gluster [--mode=script] [--xml] args...`.
func glusterArgv(script, xml bool, args ...string) []string {
	argv := []string{"gluster"}
	if script {
		argv = append(argv, "--mode=script")
	}
	if xml {
		argv = append(argv, "--xml")
	}
	return append(argv, args...)
}

// Bounds of the wait for glusterd's cluster lock.
const (
	lockRetryFirst = 500 * time.Millisecond
	lockRetryMax   = 5 * time.Second
	lockRetryFor   = 2 * time.Minute
)

// exec runs argv. A non-zero exit is not an error here: it comes back in
// Result.ExitCode for the caller to judge, because the gluster CLI's exit
// codes lie in both directions. Only a command that did not run to
// completion (transport failure, context) returns an *Error.
//
// A gluster command that glusterd refused because another transaction holds
// the cluster lock ("Another transaction is in progress ... Please try
// again after some time") did not run, so it is run again, with backoff,
// for up to lockRetryFor: Terraform works on resources in parallel, and the
// nightly schedule may hold the lock at the same moment.
func (c *Client) exec(ctx context.Context, op string, argv []string) (remote.Result, error) {
	deadline := c.clock.Now().Add(lockRetryFor)
	delay := lockRetryFirst
	for attempt := 1; ; attempt++ {
		res, err := c.execOnce(ctx, op, argv)
		if err != nil || argv[0] != "gluster" || !lockBusy(res) || c.clock.Now().Add(delay).After(deadline) {
			return res, err
		}
		c.log.Info("glusterd is busy with another transaction; retrying", "host", c.Host(), "op", op,
			"attempt", attempt, "retry_in", delay)
		if c.clock.Sleep(ctx, delay) != nil {
			return res, nil
		}
		delay = min(delay*2, lockRetryMax)
	}
}

// lockBusy recognises glusterd's refusal for a held cluster lock, in plain
// output and in --xml's opErrstr alike.
func lockBusy(res remote.Result) bool {
	text := strings.ToLower(string(res.Stdout) + "\n" + string(res.Stderr))
	return strings.Contains(text, "another transaction is in progress") ||
		strings.Contains(text, "another transaction could be in progress")
}

func (c *Client) execOnce(ctx context.Context, op string, argv []string) (remote.Result, error) {
	res, err := c.r.Run(ctx, remote.Command(argv...))
	if err == nil {
		return res, nil
	}
	var ce *remote.CommandError
	if errors.As(err, &ce) {
		res.ExitCode = ce.ExitCode
		if len(res.Stderr) == 0 {
			res.Stderr = []byte(ce.Stderr)
		}
		return res, nil
	}
	hint := "The command did not finish: check that " + c.Host() + " is reachable and has the command installed, or allow more time."
	var te *remote.TimeoutError
	if errors.As(err, &te) {
		hint = fmt.Sprintf("%s answers SSH, but the gluster CLI hung for %s: glusterd there may be stuck (`pgrep -a glusterd`, "+
			"/var/log/glusterfs/glusterd.log); restart it if it does not answer `gluster peer status`.", c.Host(), te.Timeout)
	}
	return res, &Error{
		Op: op, Host: c.Host(), Argv: argv, ExitCode: -1,
		Stdout: string(res.Stdout), Stderr: string(res.Stderr), Err: err, Hint: hint,
	}
}

// callXML runs an --xml query and returns its envelope. It fails when
// gluster says so (opRet != 0), when the exit code is non-zero, or when the
// output is not XML at all.
func (c *Client) callXML(ctx context.Context, op string, argv []string) (*envelope, error) {
	return c.call(ctx, op, argv, true)
}

// callAction runs an --xml command that changes something. Like callXML,
// except that output without any XML counts as success when the exit code
// is 0: the answer's payload is not needed, only the verdict.
func (c *Client) callAction(ctx context.Context, op string, argv []string) error {
	_, err := c.call(ctx, op, argv, false)
	return err
}

func (c *Client) call(ctx context.Context, op string, argv []string, needXML bool) (*envelope, error) {
	res, err := c.exec(ctx, op, argv)
	if err != nil {
		return nil, err
	}
	e := &Error{
		Op: op, Host: c.Host(), Argv: argv, ExitCode: res.ExitCode,
		Stdout: string(res.Stdout), Stderr: string(res.Stderr),
	}
	env, perr := parseEnvelope(res.Stdout)
	switch {
	case perr != nil && res.ExitCode != 0:
		e.Kind = classify(0, e.Stderr+"\n"+e.Stdout)
	case perr != nil && !needXML && errors.Is(perr, errNoXML):
		return nil, nil
	case perr != nil:
		e.Kind, e.Err = ErrUnexpectedOutput, perr
	case env.OpRet != 0:
		e.XML, e.OpRet, e.OpErrno, e.OpErrstr = true, env.OpRet, env.OpErrno, env.OpErrstr
		e.Kind = classify(env.OpErrno, env.OpErrstr+"\n"+e.Stderr)
	case res.ExitCode != 0:
		e.XML, e.OpErrno, e.OpErrstr = true, env.OpErrno, env.OpErrstr
		e.Kind = classify(env.OpErrno, env.OpErrstr+"\n"+e.Stderr)
	default:
		return env, nil
	}
	e.Hint = defaultHint(e.Kind, c.Host())
	return env, e
}

// callPlain runs a command without --xml and trusts its exit code.
func (c *Client) callPlain(ctx context.Context, op string, argv []string) (string, error) {
	res, err := c.exec(ctx, op, argv)
	if err != nil {
		return "", err
	}
	if res.ExitCode == 0 {
		return string(res.Stdout), nil
	}
	e := &Error{
		Op: op, Host: c.Host(), Argv: argv, ExitCode: res.ExitCode,
		Stdout: string(res.Stdout), Stderr: string(res.Stderr),
	}
	e.Kind = classify(0, e.Stderr+"\n"+e.Stdout)
	e.Hint = defaultHint(e.Kind, c.Host())
	return string(res.Stdout), e
}

// withHint replaces the hint of a gluster *Error when its kind matches one
// of kinds (any kind when none are given).
func withHint(err error, hint string, kinds ...error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	if len(kinds) == 0 {
		e.Hint = hint
		return err
	}
	for _, k := range kinds {
		if e.Kind == k {
			e.Hint = hint
		}
	}
	return err
}

// isKind reports whether err is a gluster *Error of one of kinds.
func isKind(err error, kinds ...error) bool {
	for _, k := range kinds {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}
