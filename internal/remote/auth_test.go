package remote

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/ssh/agent"
)

func keyOnlyConfig(srv *testServer) Config {
	cfg := srv.config()
	cfg.Password = ""
	return cfg
}

func TestInlineKeyAuth(t *testing.T) {
	t.Parallel()
	key := newKey(t)
	srv := newTestServer(t, withUserKey(publicKey(t, key)))
	cfg := keyOnlyConfig(srv)
	cfg.PrivateKey = keyPEM(t, key, "")
	dialTest(t, cfg)
}

func TestKeyFileWithPassphrase(t *testing.T) {
	t.Parallel()
	key := newKey(t)
	srv := newTestServer(t, withUserKey(publicKey(t, key)))
	cfg := keyOnlyConfig(srv)
	cfg.PrivateKeyFile = filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(cfg.PrivateKeyFile, keyPEM(t, key, "open sesame"), 0o600); err != nil {
		t.Fatal(err)
	}

	cfg.Passphrase = "open sesame"
	dialTest(t, cfg)

	cfg.Passphrase = ""
	_, err := Dial(context.Background(), cfg)
	assertContains(t, err, cfg.PrivateKeyFile, "is encrypted", "passphrase")

	cfg.Passphrase = "wrong"
	_, err = Dial(context.Background(), cfg)
	assertContains(t, err, cfg.PrivateKeyFile, "passphrase is wrong")
}

func TestPassphraseForPlainKeyIsIgnored(t *testing.T) {
	t.Parallel()
	key := newKey(t)
	srv := newTestServer(t, withUserKey(publicKey(t, key)))
	cfg := keyOnlyConfig(srv)
	cfg.PrivateKey, cfg.Passphrase = keyPEM(t, key, ""), "not needed"
	dialTest(t, cfg)
}

func TestBadPasswordRefused(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	cfg := srv.config()
	cfg.Password = "not-the-password"
	_, err := Dial(context.Background(), cfg)
	var authErr *AuthError
	if !errors.As(err, &authErr) {
		t.Fatalf("want *AuthError, got %T %v", err, err)
	}
	assertContains(t, err, "tester@"+srv.addr(), "password", "authorized_keys")
	if authErr.User != "tester" || authErr.Addr != srv.addr() {
		t.Errorf("AuthError %+v", authErr)
	}
}

func TestUnauthorizedKeyRefused(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, withUserKey(publicKey(t, newKey(t))))
	cfg := keyOnlyConfig(srv)
	cfg.PrivateKey = keyPEM(t, newKey(t), "") // a key the server does not know
	_, err := Dial(context.Background(), cfg)
	var authErr *AuthError
	if !errors.As(err, &authErr) {
		t.Fatalf("want *AuthError, got %T %v", err, err)
	}
	assertContains(t, err, "tester@"+srv.addr(), "public key (inline, SHA256:")
}

func TestNoAuthMethodRefused(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	_, err := Dial(context.Background(), keyOnlyConfig(srv))
	assertContains(t, err, "no authentication method")
}

// serveAgent runs an ssh-agent holding keys on a unix socket.
func serveAgent(t *testing.T, keys ...any) string {
	t.Helper()
	keyring := agent.NewKeyring()
	for _, k := range keys {
		if err := keyring.Add(agent.AddedKey{PrivateKey: k}); err != nil {
			t.Fatal(err)
		}
	}
	socket := filepath.Join(t.TempDir(), "agent.sock")
	ln, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				agent.ServeAgent(keyring, conn)
			}()
		}
	}()
	return socket
}

func TestAgentAuth(t *testing.T) {
	t.Parallel()
	key := newKey(t)
	srv := newTestServer(t, withUserKey(publicKey(t, key)))
	cfg := keyOnlyConfig(srv)
	cfg.Agent = true
	cfg.AgentSocket = serveAgent(t, newKey(t), key) // the right key second
	c := dialTest(t, cfg)
	if _, err := c.Run(context.Background(), Command("true")); err != nil {
		t.Fatal(err)
	}
}

func TestAgentFromEnvironment(t *testing.T) {
	key := newKey(t)
	srv := newTestServer(t, withUserKey(publicKey(t, key)))
	t.Setenv("SSH_AUTH_SOCK", serveAgent(t, key))
	cfg := keyOnlyConfig(srv)
	cfg.Agent = true
	dialTest(t, cfg)

	t.Setenv("SSH_AUTH_SOCK", "")
	_, err := Dial(context.Background(), cfg)
	assertContains(t, err, "SSH_AUTH_SOCK")
}
