package remote

import (
	"context"
	"errors"
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
	srv.srv.Close()
	if err := CheckHostKey(ctx, Config{Host: srv.host, Port: srv.port, HostKeys: []string{genuine}}); err == nil || errors.As(err, &hk) {
		t.Errorf("a host that is gone: %v", err)
	}
}
