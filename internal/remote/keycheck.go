package remote

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"

	"golang.org/x/crypto/ssh"
)

// errKeyVerified ends a CheckHostKey handshake once the key is known good:
// there is no need to log in.
var errKeyVerified = errors.New("host key verified")

// CheckHostKey connects to cfg's host and checks the key it presents
// exactly as Dial would (cfg.HostKeys, else cfg.KnownHostsFile, strictly),
// without logging in: it proves which key a host answers with where this
// machine cannot, or need not, authenticate (a secondary node that trusts
// only gsyncd's key). It returns nil for a good key, a *HostKeyError for a
// bad one, and a connection error otherwise. With cfg.JumpHost it logs in
// there (as Dial does) and reaches the host through it. ConnectTimeout
// bounds each hop.
func CheckHostKey(ctx context.Context, cfg Config) error {
	var jump *Client
	if cfg.JumpHost != nil {
		var err error
		if jump, err = dialConfig(ctx, *cfg.JumpHost, slog.New(slog.DiscardHandler)); err != nil {
			return fmt.Errorf("ssh %s: reaching the jump host: %w", cfg, err)
		}
		defer jump.Close()
	}
	return checkHostKeyVia(ctx, cfg, jump)
}

// CheckHostKey is CheckHostKey with the jump host's connection taken from
// the pool (and left there), as the pool's own connections take it.
func (p *Pool) CheckHostKey(ctx context.Context, cfg Config) error {
	var jump *Client
	if cfg.JumpHost != nil {
		var err error
		if jump, err = p.Get(ctx, *cfg.JumpHost); err != nil {
			return fmt.Errorf("ssh %s: reaching the jump host: %w", cfg, err)
		}
	}
	return checkHostKeyVia(ctx, cfg, jump)
}

// checkHostKeyVia checks cfg's host key over a connection made directly, or
// through jump when it is not nil.
func checkHostKeyVia(ctx context.Context, cfg Config, jump *Client) error {
	if cfg.Host == "" {
		return errors.New("ssh: Host is empty")
	}
	if cfg.KnownHostsFile == "" && len(cfg.HostKeys) == 0 {
		return fmt.Errorf("ssh %s: no host key to check against", cfg)
	}
	verifier, err := newHostKeyVerifier(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	timeout := cfg.connectTimeout()
	hctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := dialTCP(hctx, cfg, jump)
	if err != nil {
		return connectError(ctx, hctx, cfg, timeout, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(hctx, func() { conn.Close() })
	defer stop()
	_, _, _, err = ssh.NewClientConn(conn, cfg.addr(), &ssh.ClientConfig{
		User: cfg.user(),
		HostKeyCallback: func(hostname string, remote net.Addr, key ssh.PublicKey) error {
			if err := verifier.check(hostname, remote, key); err != nil {
				return err
			}
			return errKeyVerified
		},
		HostKeyAlgorithms: verifier.hostKeyAlgorithms(),
	})
	var hostKeyErr *HostKeyError
	switch {
	case errors.Is(err, errKeyVerified):
		return nil
	case errors.As(err, &hostKeyErr):
		return hostKeyErr
	case hctx.Err() != nil:
		return connectError(ctx, hctx, cfg, timeout, err)
	case err == nil:
		return fmt.Errorf("ssh %s: the handshake ended without a host key check", cfg)
	default:
		return fmt.Errorf("ssh %s: handshake failed before the host key was checked: %w", cfg, err)
	}
}
