package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// ErrConnectionLost is matched (errors.Is) by every error that reports a
// dead SSH connection. A *ConnectionLostError says whether the command
// could have started.
var ErrConnectionLost = errors.New("ssh connection lost")

// ConnectionLostError reports a command that failed because its SSH
// connection died.
type ConnectionLostError struct {
	Addr string // host:port
	// NotStarted is true when the connection was already gone before the
	// command was sent, so it certainly did not run and may be retried.
	NotStarted bool
	Err        error // the cause
}

func (e *ConnectionLostError) Error() string {
	when := "while the command ran; it may or may not have completed on the host"
	if e.NotStarted {
		when = "before the command was sent"
	}
	return fmt.Sprintf("ssh connection to %s lost %s: %v", e.Addr, when, e.Err)
}

func (e *ConnectionLostError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrConnectionLost}
	}
	return []error{ErrConnectionLost, e.Err}
}

// Client is one SSH connection. It is safe for concurrent use: each Run
// opens its own session on the shared connection.
type Client struct {
	cfg       Config
	ssh       *ssh.Client
	ownedJump *Client // closed with this client
	hostKey   ssh.PublicKey
	logger    *slog.Logger
	slots     chan struct{} // one token per command that may run at once

	done    chan struct{} // closed when the connection has ended
	lostMu  sync.Mutex
	lostErr error

	filesMu sync.Mutex
	sftp    *sftp.Client

	closeOnce sync.Once
	closeErr  error
}

var _ Runner = (*Client)(nil)

func newClient(cfg Config, sc *ssh.Client, logger *slog.Logger) *Client {
	c := &Client{
		cfg:    cfg,
		ssh:    sc,
		logger: logger,
		slots:  make(chan struct{}, cfg.commandSlots()),
		done:   make(chan struct{}),
	}
	go func() {
		err := sc.Wait()
		c.setLost(err)
		close(c.done)
	}()
	if interval := cfg.keepAlive(); interval > 0 {
		go c.keepAlive(interval)
	}
	return c
}

// Host implements Runner.
func (c *Client) Host() string { return c.cfg.Host }

// HostKey is the host key the server presented and the handshake verified
// (against known_hosts or a pinned key), for callers that pin it elsewhere,
// such as gsyncd's own known_hosts.
func (c *Client) HostKey() ssh.PublicKey { return c.hostKey }

// Run implements Runner. The command line sent is Quote(cmd.Argv), run by
// the login shell of the remote user. Cancelling ctx signals the command
// (SIGKILL, where sshd passes signals on) and closes its session.
func (c *Client) Run(ctx context.Context, cmd Cmd) (Result, error) {
	if len(cmd.Argv) == 0 {
		return Result{}, fmt.Errorf("ssh %s: empty command", c.cfg)
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	if err := c.err(); err != nil {
		return Result{}, c.lost(err, true)
	}
	sess, err := c.ssh.NewSession()
	if err != nil {
		var refused *ssh.OpenChannelError
		if errors.As(err, &refused) {
			return Result{}, fmt.Errorf("ssh %s: the server refused a session (if its sshd allows fewer than %d sessions per connection, set MaxSessions to its limit): %w",
				c.cfg, c.cfg.commandSlots()+1, err)
		}
		c.kill(err)
		return Result{}, c.lost(err, true)
	}
	defer sess.Close()

	var stdout, stderr bytes.Buffer
	sess.Stdin, sess.Stdout, sess.Stderr = cmd.Stdin, &stdout, &stderr
	if cmd.Stdout != nil {
		sess.Stdout = cmd.Stdout
	}
	if err := sess.Start(Quote(cmd.Argv)); err != nil {
		if c.probe(c.cfg.connectTimeout()) != nil {
			return Result{}, c.lost(err, false)
		}
		return Result{}, fmt.Errorf("ssh %s: starting %s: %w", c.cfg, Quote(cmd.Argv), err)
	}
	waited := make(chan error, 1)
	go func() { waited <- sess.Wait() }()
	select {
	case err = <-waited:
	case <-ctx.Done():
		_ = sess.Signal(ssh.SIGKILL)
		_ = sess.Close()
		return Result{}, ctx.Err()
	}

	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	var exit *ssh.ExitError
	switch {
	case err == nil:
		return res, nil
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitStatus()
		return res, &CommandError{Host: c.cfg.Host, Argv: cmd.Argv, ExitCode: res.ExitCode, Stderr: stderr.String()}
	case c.probe(c.cfg.connectTimeout()) != nil:
		return res, c.lost(err, false)
	default:
		return res, fmt.Errorf("ssh %s: %s ended without an exit status: %w", c.cfg, Quote(cmd.Argv), err)
	}
}

// Files returns the SFTP view of this connection. The SFTP session is opened
// on first use and shared by every caller.
func (c *Client) Files() (Files, error) {
	c.filesMu.Lock()
	defer c.filesMu.Unlock()
	if c.sftp == nil {
		if err := c.err(); err != nil {
			return nil, c.lost(err, true)
		}
		sc, err := sftp.NewClient(c.ssh)
		if err != nil {
			if c.err() != nil {
				return nil, c.lost(err, true)
			}
			return nil, fmt.Errorf("ssh %s: starting the sftp subsystem (is it enabled in sshd_config?): %w", c.cfg, err)
		}
		c.sftp = sc
		go func() {
			// An SFTP session can end while the connection lives on (the
			// sftp-server process died); the next call then opens a new one.
			_ = sc.Wait()
			c.filesMu.Lock()
			if c.sftp == sc {
				c.sftp = nil
			}
			c.filesMu.Unlock()
		}()
	}
	return &sftpFiles{c: c.sftp, addr: c.cfg.addr()}, nil
}

// Close closes the connection, and the jump host connection that Dial made
// for it. Closing a connection that was already lost is not an error.
func (c *Client) Close() error {
	c.closeOnce.Do(func() {
		wasAlive := c.err() == nil
		c.setLost(errClientClosed)
		var errs []error
		if err := c.ssh.Close(); err != nil && wasAlive {
			errs = append(errs, fmt.Errorf("ssh %s: closing: %w", c.cfg, err))
		}
		// The SFTP session ended with the connection; closing the client
		// now only releases it (before, it could wait on a hung server).
		c.filesMu.Lock()
		if c.sftp != nil {
			_ = c.sftp.Close()
			c.sftp = nil
		}
		c.filesMu.Unlock()
		if c.ownedJump != nil {
			errs = append(errs, c.ownedJump.Close())
		}
		c.closeErr = errors.Join(errs...)
	})
	return c.closeErr
}

var errClientClosed = errors.New("client closed")

// err is nil while the connection is usable, and then says why it is not.
func (c *Client) err() error {
	c.lostMu.Lock()
	defer c.lostMu.Unlock()
	return c.lostErr
}

// setLost records the first reason the connection ended.
func (c *Client) setLost(err error) {
	if err == nil {
		err = errors.New("connection closed")
	}
	c.lostMu.Lock()
	defer c.lostMu.Unlock()
	if c.lostErr == nil {
		c.lostErr = err
	}
}

// kill declares the connection dead and closes it, so that every waiter
// fails fast and the pool redials.
func (c *Client) kill(cause error) {
	c.setLost(cause)
	c.ssh.Close()
}

func (c *Client) lost(cause error, notStarted bool) error {
	if recorded := c.err(); recorded != nil && recorded.Error() != cause.Error() {
		cause = fmt.Errorf("%w (%v)", cause, recorded)
	}
	return &ConnectionLostError{Addr: c.cfg.addr(), NotStarted: notStarted, Err: cause}
}

func (c *Client) keepAlive(interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-ticker.C:
		}
		if err := c.probe(interval * keepAliveMaxMissed); err != nil {
			if c.err() == nil {
				c.logger.Warn("ssh: keepalive failed, closing the connection",
					"host", c.cfg.Host, "port", c.cfg.port(), "user", c.cfg.user(), "error", err)
			}
			c.kill(fmt.Errorf("keepalive: %w", err))
			return
		}
	}
}

// probe asks the server for a reply, and closes the connection when none
// comes within timeout. Any reply, even a refusal, proves it alive.
func (c *Client) probe(timeout time.Duration) error {
	if err := c.err(); err != nil {
		return err
	}
	replied := make(chan error, 1)
	go func() {
		_, _, err := c.ssh.SendRequest("keepalive@openssh.com", true, nil)
		replied <- err
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err := <-replied:
		if err != nil {
			c.kill(err)
		}
		return err
	case <-timer.C:
		err := fmt.Errorf("no reply from the server within %s", timeout)
		c.kill(err)
		return err
	}
}
