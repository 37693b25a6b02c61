package remote

import (
	"bytes"
	"context"
	"testing"
)

func TestClientAndPoolReportTheVerifiedHostKey(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	want := srv.hostKey.PublicKey().Marshal()

	c := dialTest(t, srv.config())
	if got := c.HostKey(); got == nil || !bytes.Equal(got.Marshal(), want) {
		t.Errorf("Client.HostKey() = %v, want the server's key", got)
	}

	pool := newTestPool(t)
	cfg := srv.config()
	cfg.HostKeys = nil
	cfg.KnownHostsFile = srv.knownHosts(t)
	for range 2 {
		got, err := pool.HostKey(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Marshal(), want) {
			t.Errorf("Pool.HostKey() = %s, want the server's key", got.Type())
		}
	}
	if s := pool.Stats(); s.Handshakes != 1 {
		t.Errorf("Stats = %+v, want the key from one pooled handshake", s)
	}
}
