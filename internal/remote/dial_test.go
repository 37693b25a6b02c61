package remote

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"
)

// silentListener accepts connections and never says a word, like a host
// whose sshd is wedged or a port forwarded into a black hole.
func silentListener(t *testing.T) *net.TCPAddr {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	return ln.Addr().(*net.TCPAddr)
}

func TestDialTimesOutOnSilentServer(t *testing.T) {
	t.Parallel()
	addr := silentListener(t)
	cfg := Config{Host: "127.0.0.1", Port: addr.Port, Password: "x", HostKeys: []string{testPin(t)},
		ConnectTimeout: 300 * time.Millisecond}
	start := time.Now()
	_, err := Dial(context.Background(), cfg)
	elapsed := time.Since(start)
	if elapsed > cfg.ConnectTimeout+time.Second {
		t.Errorf("Dial took %s with a %s timeout", elapsed, cfg.ConnectTimeout)
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("want os.ErrDeadlineExceeded, got %v", err)
	}
	assertContains(t, err, addr.String(), "300ms", "connect timeout", "firewall")
}

func TestDialHonoursContext(t *testing.T) {
	t.Parallel()
	addr := silentListener(t)
	cfg := Config{Host: "127.0.0.1", Port: addr.Port, Password: "x", HostKeys: []string{testPin(t)}}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := Dial(ctx, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("Dial returned %s after cancel", elapsed)
	}
}

func TestDialRefusedPortNamesAddress(t *testing.T) {
	t.Parallel()
	port := refusingPort(t)
	_, err := Dial(context.Background(), Config{Host: "127.0.0.1", Port: port, Password: "x", HostKeys: []string{testPin(t)}})
	assertContains(t, err, "127.0.0.1:"+itoa(port), "connection refused")
}

// refusingPort is a loopback port that refuses connections for the whole
// test: a socket bound to it that never listens. A port freed by closing
// a listener could be taken at once by a parallel test's server.
func refusingPort(t *testing.T) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return sa.(*syscall.SockaddrInet4).Port
}

func TestJumpHost(t *testing.T) {
	t.Parallel()
	jump := newTestServer(t)
	target := newTestServer(t)
	cfg := target.config()
	jumpCfg := jump.config()
	cfg.JumpHost = &jumpCfg

	c := dialTest(t, cfg)
	res, err := c.Run(context.Background(), Command("echo", "through the jump"))
	if err != nil || string(res.Stdout) != "through the jump\n" {
		t.Fatalf("res %q, err %v", res.Stdout, err)
	}
	if n := jump.forwards.Load(); n != 1 {
		t.Errorf("jump host forwarded %d connections, want 1", n)
	}
	if n := jump.sessions.Load(); n != 0 {
		t.Errorf("the command ran on the jump host (%d sessions)", n)
	}
}

func TestJumpHostFailureNamesTheJump(t *testing.T) {
	t.Parallel()
	jump := newTestServer(t)
	target := newTestServer(t)
	cfg := target.config()
	jumpCfg := jump.config()
	jumpCfg.Password = "wrong"
	cfg.JumpHost = &jumpCfg
	_, err := Dial(context.Background(), cfg)
	var authErr *AuthError
	if !errors.As(err, &authErr) || authErr.Addr != jump.addr() {
		t.Fatalf("want the jump host's *AuthError, got %v", err)
	}
	assertContains(t, err, "jump host")
}

func TestConfigNeverPrintsSecrets(t *testing.T) {
	t.Parallel()
	cfg := Config{Host: "db.example", Password: "hunter2", PrivateKey: []byte("-----BEGIN KEY-----"), Passphrase: "sesame",
		JumpHost: &Config{Host: "bastion.example", Port: 2222, Password: "hunter3"}}
	for _, s := range []string{cfg.String(), cfg.LogValue().String()} {
		for _, secret := range []string{"hunter2", "hunter3", "BEGIN", "sesame"} {
			if containsString(s, secret) {
				t.Errorf("%q shows the secret %q", s, secret)
			}
		}
	}
	if got := cfg.String(); got != "root@db.example:22 via root@bastion.example:2222" {
		t.Errorf("String() = %q", got)
	}
}
