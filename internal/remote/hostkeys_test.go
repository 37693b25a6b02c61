package remote

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func assertContains(t *testing.T, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", wants)
	}
	for _, want := range wants {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestKnownHostsAccepted(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	cfg := srv.config()
	cfg.HostKeys = nil
	cfg.KnownHostsFile = srv.knownHosts(t)
	dialTest(t, cfg)
}

func TestWrongHostKeyRefused(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	impostor := newTestServer(t) // same role, different host key

	cfg := impostor.config()
	cfg.HostKeys = nil
	cfg.KnownHostsFile = filepath.Join(t.TempDir(), "known_hosts")
	// Record the genuine server's key under the impostor's address.
	line := "[" + impostor.host + "]:" + itoa(impostor.port) + " " + string(ssh.MarshalAuthorizedKey(srv.hostKey.PublicKey()))
	if err := os.WriteFile(cfg.KnownHostsFile, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}

	_, err := Dial(context.Background(), cfg)
	var hkErr *HostKeyError
	if !errors.As(err, &hkErr) || hkErr.Unknown {
		t.Fatalf("want a mismatch *HostKeyError, got %T %v", err, err)
	}
	assertContains(t, err,
		impostor.addr(),
		ssh.FingerprintSHA256(impostor.hostKey.PublicKey()), // what was presented
		cfg.KnownHostsFile+":1",                             // what it was checked against
		ssh.FingerprintSHA256(srv.hostKey.PublicKey()),      // and what was expected
		"ssh-keyscan -p "+itoa(impostor.port)+" "+impostor.host,
		"out of band")
}

func TestPinnedHostKey(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	other := newSigner(t)

	cfg := srv.config()
	cfg.HostKeys = []string{string(ssh.MarshalAuthorizedKey(other.PublicKey())), cfg.HostKeys[0]}
	dialTest(t, cfg) // the second pin matches

	cfg.HostKeys = cfg.HostKeys[:1]
	_, err := Dial(context.Background(), cfg)
	var hkErr *HostKeyError
	if !errors.As(err, &hkErr) {
		t.Fatalf("want *HostKeyError, got %T %v", err, err)
	}
	assertContains(t, err, "pinned host key ssh-ed25519 "+ssh.FingerprintSHA256(other.PublicKey()),
		ssh.FingerprintSHA256(srv.hostKey.PublicKey()))
}

func TestUnknownHostRefusedWithoutTOFU(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	cfg := srv.config()
	cfg.HostKeys = nil
	cfg.KnownHostsFile = filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(cfg.KnownHostsFile, []byte("# empty\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Dial(context.Background(), cfg)
	var hkErr *HostKeyError
	if !errors.As(err, &hkErr) || !hkErr.Unknown {
		t.Fatalf("want an unknown-host *HostKeyError, got %T %v", err, err)
	}
	assertContains(t, err, "unknown", srv.addr(), ssh.FingerprintSHA256(srv.hostKey.PublicKey()), cfg.KnownHostsFile)
}

func TestMissingKnownHostsFileRefusedWithoutTOFU(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	cfg := srv.config()
	cfg.HostKeys = nil
	cfg.KnownHostsFile = filepath.Join(t.TempDir(), "absent")
	_, err := Dial(context.Background(), cfg)
	assertContains(t, err, cfg.KnownHostsFile, "trust on first use")
}

func TestTrustOnFirstUse(t *testing.T) {
	t.Parallel()
	first := newTestServer(t)
	cfg := first.config()
	cfg.HostKeys = nil
	cfg.KnownHostsFile = filepath.Join(t.TempDir(), "ssh", "known_hosts")
	cfg.TrustOnFirstUse = true

	dialTest(t, cfg)
	recorded, err := os.ReadFile(cfg.KnownHostsFile)
	if err != nil {
		t.Fatal(err)
	}
	wantLine := "[" + first.host + "]:" + itoa(first.port) + " " + string(ssh.MarshalAuthorizedKey(first.hostKey.PublicKey()))
	if string(recorded) != wantLine {
		t.Fatalf("known_hosts holds %q, want %q", recorded, wantLine)
	}

	dialTest(t, cfg) // known now: accepted and not recorded twice
	if again, _ := os.ReadFile(cfg.KnownHostsFile); string(again) != wantLine {
		t.Fatalf("known_hosts changed on the second dial: %q", again)
	}

	// The host is "reinstalled": same address, new key. TOFU must not
	// paper over that.
	first.srv.Close()
	reinstalled := newTestServer(t, withAddr(first.addr()))
	cfg.Password = reinstalled.password
	_, err = Dial(context.Background(), cfg)
	var hkErr *HostKeyError
	if !errors.As(err, &hkErr) || hkErr.Unknown {
		t.Fatalf("want a mismatch *HostKeyError, got %T %v", err, err)
	}
	assertContains(t, err, ssh.FingerprintSHA256(reinstalled.hostKey.PublicKey()), cfg.KnownHostsFile+":1")
	if after, _ := os.ReadFile(cfg.KnownHostsFile); string(after) != wantLine {
		t.Fatalf("a changed key was recorded: %q", after)
	}
}

func TestNoHostKeySourceRefused(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	cfg := srv.config()
	cfg.HostKeys = nil
	_, err := Dial(context.Background(), cfg)
	assertContains(t, err, "no way to verify the host key", "known_hosts", "pin")
	if srv.sessions.Load() != 0 {
		t.Error("a command ran although the host key could not be checked")
	}

	cfg.TrustOnFirstUse = true
	_, err = Dial(context.Background(), cfg)
	assertContains(t, err, "trust on first use needs a known_hosts file")
}

func TestHostKeyAlgorithmsFollowRecordedKeys(t *testing.T) {
	t.Parallel()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaOnly := "[db.example]:2222 " + string(ssh.MarshalAuthorizedKey(publicKeyOf(t, rsaKey.Public())))
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte(rsaOnly), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := newHostKeyVerifier(Config{Host: "db.example", Port: 2222, KnownHostsFile: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(v.hostKeyAlgorithms(), ",")
	if got != "rsa-sha2-512,rsa-sha2-256,ssh-rsa" {
		t.Errorf("algorithms %q", got)
	}
	v, _ = newHostKeyVerifier(Config{Host: "other.example", KnownHostsFile: path}, nil)
	if algos := v.hostKeyAlgorithms(); algos != nil {
		t.Errorf("no key on record, yet algorithms %q", algos)
	}
}

// TestPinsReplaceKnownHosts: when keys are pinned for a host only they
// count. A known_hosts line that matches the presented key must not rescue
// a pin that does not, and a matching pin must not bypass @revoked.
func TestPinsReplaceKnownHosts(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	other := newSigner(t)
	hostPattern := "[" + srv.host + "]:" + itoa(srv.port)
	genuine := string(ssh.MarshalAuthorizedKey(srv.hostKey.PublicKey()))

	t.Run("a matching known_hosts line does not override a wrong pin", func(t *testing.T) {
		cfg := srv.config()
		cfg.HostKeys = []string{string(ssh.MarshalAuthorizedKey(other.PublicKey()))}
		cfg.KnownHostsFile = filepath.Join(t.TempDir(), "known_hosts")
		if err := os.WriteFile(cfg.KnownHostsFile, []byte(hostPattern+" "+genuine), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Dial(context.Background(), cfg)
		var hkErr *HostKeyError
		if !errors.As(err, &hkErr) {
			t.Fatalf("the pin does not match, yet the dial gave %v", err)
		}
		assertContains(t, err, "pinned host key ssh-ed25519 "+ssh.FingerprintSHA256(other.PublicKey()))
	})
	t.Run("a matching pin does not bypass @revoked", func(t *testing.T) {
		cfg := srv.config() // pins the genuine key
		cfg.KnownHostsFile = filepath.Join(t.TempDir(), "known_hosts")
		if err := os.WriteFile(cfg.KnownHostsFile, []byte("@revoked * "+genuine), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Dial(context.Background(), cfg)
		var hkErr *HostKeyError
		if !errors.As(err, &hkErr) {
			t.Fatalf("the key is revoked, yet the dial gave %v", err)
		}
		assertContains(t, err, cfg.KnownHostsFile+":1, which marks it @revoked")
	})
	t.Run("a matching pin with an unrelated known_hosts passes", func(t *testing.T) {
		cfg := srv.config()
		cfg.KnownHostsFile = filepath.Join(t.TempDir(), "known_hosts")
		if err := os.WriteFile(cfg.KnownHostsFile, []byte(hostPattern+" "+string(ssh.MarshalAuthorizedKey(other.PublicKey()))), 0o600); err != nil {
			t.Fatal(err)
		}
		dialTest(t, cfg)
	})
}
