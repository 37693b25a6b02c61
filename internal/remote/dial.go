package remote

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"golang.org/x/crypto/ssh"
)

// Dial connects and authenticates to cfg's host, through cfg.JumpHost if
// set (the jump connection then belongs to the returned Client and is closed
// with it). ConnectTimeout bounds the TCP connection and the SSH handshake
// together, for each hop.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	c, err := dialConfig(ctx, cfg, slog.Default())
	return c, connectFailed(cfg.Host, err)
}

func dialConfig(ctx context.Context, cfg Config, logger *slog.Logger) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var jump *Client
	if cfg.JumpHost != nil {
		var err error
		if jump, err = dialConfig(ctx, *cfg.JumpHost, logger); err != nil {
			return nil, fmt.Errorf("ssh %s: reaching the jump host: %w", cfg, err)
		}
	}
	c, err := dialVia(ctx, cfg, jump, logger)
	if err != nil {
		if jump != nil {
			jump.Close()
		}
		return nil, err
	}
	c.ownedJump = jump
	return c, nil
}

// dialVia connects to cfg's host directly, or through jump when it is not
// nil. It does not take ownership of jump.
func dialVia(ctx context.Context, cfg Config, jump *Client, logger *slog.Logger) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	verifier, err := newHostKeyVerifier(cfg, logger)
	if err != nil {
		return nil, err
	}
	creds, err := newCredentials(cfg)
	if err != nil {
		return nil, err
	}
	defer creds.close()

	start := time.Now()
	timeout := cfg.connectTimeout()
	hctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	conn, err := dialTCP(hctx, cfg, jump)
	if err != nil {
		return nil, connectError(ctx, hctx, cfg, timeout, err)
	}

	// Closing the connection is what interrupts a handshake stuck on a
	// server that accepted and never answers; it works for TCP and for a
	// channel through a jump host alike.
	stop := context.AfterFunc(hctx, func() { conn.Close() })
	var hostKey ssh.PublicKey // the key the handshake verified
	sconn, chans, reqs, err := ssh.NewClientConn(conn, cfg.addr(), &ssh.ClientConfig{
		User: cfg.user(),
		Auth: creds.methods,
		HostKeyCallback: func(hostname string, remote net.Addr, key ssh.PublicKey) error {
			if err := verifier.check(hostname, remote, key); err != nil {
				return err
			}
			hostKey = key
			return nil
		},
		HostKeyAlgorithms: verifier.hostKeyAlgorithms(),
	})
	if !stop() {
		if sconn != nil {
			sconn.Close()
		}
		return nil, connectError(ctx, hctx, cfg, timeout, err)
	}
	if err != nil {
		conn.Close()
		return nil, handshakeError(cfg, creds, err)
	}

	c := newClient(cfg, ssh.NewClient(sconn, chans, reqs), logger)
	c.hostKey = hostKey
	attrs := []any{"host", cfg.Host, "port", cfg.port(), "user", cfg.user(),
		"server_version", string(sconn.ServerVersion()), "duration", time.Since(start)}
	if jump != nil {
		attrs = append(attrs, "jump", jump.cfg.addr())
	}
	logger.Info("ssh: connected", attrs...)
	return c, nil
}

// connectError explains a failed TCP connect or a handshake cut short by the
// deadline or by the caller's context.
func connectError(ctx, hctx context.Context, cfg Config, timeout time.Duration, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("ssh %s: connecting: %w", cfg, ctx.Err())
	}
	if hctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("ssh %s: no SSH session established within the connect timeout of %s (TCP connect and handshake): "+
			"check that the host is up, that port %d is its sshd and is not filtered by a firewall, "+
			"or raise the connect timeout for a slow link: %w", cfg, timeout, cfg.port(), os.ErrDeadlineExceeded)
	}
	return fmt.Errorf("ssh %s: connecting: %w: check the host name and port, and that sshd is running", cfg, err)
}

func handshakeError(cfg Config, creds *credentials, err error) error {
	var hostKeyErr *HostKeyError
	switch {
	case errors.As(err, &hostKeyErr):
		return hostKeyErr
	case isAuthFailure(err):
		return &AuthError{User: cfg.user(), Addr: cfg.addr(), Methods: creds.described, Err: err}
	default:
		return fmt.Errorf("ssh %s: handshake failed: %w", cfg, err)
	}
}

// dialTCP opens the TCP connection to cfg's host: directly, or through
// jump's SSH connection when jump is not nil.
func dialTCP(ctx context.Context, cfg Config, jump *Client) (net.Conn, error) {
	if jump != nil {
		return jump.ssh.DialContext(ctx, "tcp", cfg.addr())
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", cfg.addr())
}
