package remote

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// TestCheckHostKey: the key a host presents is checked against the pins
// (or known_hosts) without logging in, so a host that would refuse this
// machine's credentials still proves its key.
func TestCheckHostKey(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	ctx := context.Background()
	genuine := string(ssh.MarshalAuthorizedKey(srv.hostKey.PublicKey()))
	cfg := Config{Host: srv.host, Port: srv.port, HostKeys: []string{genuine}} // no credentials at all
	if err := CheckHostKey(ctx, cfg); err != nil {
		t.Fatalf("the pinned key: %v", err)
	}
	cfg.HostKeys = []string{string(ssh.MarshalAuthorizedKey(newSigner(t).PublicKey()))}
	err := CheckHostKey(ctx, cfg)
	var hk *HostKeyError
	if !errors.As(err, &hk) || hk.Unknown || !strings.Contains(err.Error(), ssh.FingerprintSHA256(srv.hostKey.PublicKey())) {
		t.Fatalf("a pin that does not match: %v", err)
	}
	known := srv.knownHosts(t)
	if err := CheckHostKey(ctx, Config{Host: srv.host, Port: srv.port, KnownHostsFile: known}); err != nil {
		t.Errorf("known_hosts holding the key: %v", err)
	}
	if err := CheckHostKey(ctx, Config{Host: srv.host, Port: refusingPort(t), HostKeys: []string{genuine}}); err == nil || errors.As(err, &hk) {
		t.Errorf("a host that is gone: %v", err)
	}
}

// TestCheckHostKeyThroughAJumpHost: a host this machine reaches only
// through a jump host has its key checked there, through the jump's
// forwarding, still without logging in to the host itself.
func TestCheckHostKeyThroughAJumpHost(t *testing.T) {
	t.Parallel()
	jump := newTestServer(t)
	target := newTestServer(t)
	jumpCfg := jump.config()
	genuine := string(ssh.MarshalAuthorizedKey(target.hostKey.PublicKey()))
	cfg := Config{Host: target.host, Port: target.port, HostKeys: []string{genuine}, JumpHost: &jumpCfg}
	if err := CheckHostKey(context.Background(), cfg); err != nil {
		t.Fatalf("the pinned key through the jump host: %v", err)
	}
	if n := jump.forwards.Load(); n != 1 {
		t.Errorf("the jump host forwarded %d connections, want 1", n)
	}
	if n := target.sessions.Load(); n != 0 {
		t.Errorf("%d sessions on the checked host: it must not be logged in to", n)
	}
	cfg.HostKeys = []string{string(ssh.MarshalAuthorizedKey(newSigner(t).PublicKey()))}
	var hk *HostKeyError
	if err := CheckHostKey(context.Background(), cfg); !errors.As(err, &hk) {
		t.Fatalf("a pin that does not match, through the jump host: %v", err)
	}
}

// TestPoolCheckHostKeyUsesThePooledJump: the pool checks a key through its
// own connection to the jump host, so a run logs in to a bastion once.
func TestPoolCheckHostKeyUsesThePooledJump(t *testing.T) {
	t.Parallel()
	jump := newTestServer(t)
	target := newTestServer(t)
	jumpCfg := jump.config()
	pool := NewPool(slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _ = pool.Close() })
	if _, err := pool.Get(context.Background(), jumpCfg); err != nil {
		t.Fatal(err)
	}
	genuine := string(ssh.MarshalAuthorizedKey(target.hostKey.PublicKey()))
	cfg := Config{Host: target.host, Port: target.port, HostKeys: []string{genuine}, JumpHost: &jumpCfg}
	for range 2 {
		if err := pool.CheckHostKey(context.Background(), cfg); err != nil {
			t.Fatalf("the pinned key through the pooled jump host: %v", err)
		}
	}
	if n := pool.handshakes.Load(); n != 1 {
		t.Errorf("%d SSH logins, want the jump host's one", n)
	}
	if n := jump.forwards.Load(); n != 2 {
		t.Errorf("the jump host forwarded %d connections, want 2", n)
	}
}
