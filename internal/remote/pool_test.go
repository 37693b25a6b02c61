package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func newTestPool(t *testing.T) *Pool {
	t.Helper()
	p := NewPool(slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Pool.Close: %v", err)
		}
	})
	return p
}

func TestPoolSharesOneConnectionAcrossConcurrentCommands(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	pool := newTestPool(t)
	runner := pool.Runner(srv.config())

	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := fmt.Sprintf("command %d", i)
			res, err := runner.Run(context.Background(), Command("sh", "-c", `sleep 0.05; echo "$1"`, "sh", want))
			if err == nil && string(res.Stdout) != want+"\n" {
				err = fmt.Errorf("command %d printed %q", i, res.Stdout)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if s := pool.Stats(); s.Handshakes != 1 || s.Open != 1 {
		t.Errorf("Stats = %+v, want one handshake and one open connection", s)
	}
	if got := srv.sessions.Load(); got != n {
		t.Errorf("server ran %d commands, want %d", got, n)
	}
}

func TestPoolConcurrentGetsDialOnce(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	pool := newTestPool(t)
	var wg sync.WaitGroup
	clients := make([]*Client, 20)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := pool.Get(context.Background(), srv.config())
			if err != nil {
				t.Error(err)
			}
			clients[i] = c
		}()
	}
	wg.Wait()
	for _, c := range clients {
		if c != clients[0] {
			t.Fatal("Get returned different connections for one host")
		}
	}
	if s := pool.Stats(); s.Handshakes != 1 {
		t.Errorf("%d handshakes, want 1", s.Handshakes)
	}
}

func TestPoolRecoversFromDroppedConnection(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	pool := newTestPool(t)
	runner := pool.Runner(srv.config())
	ctx := context.Background()
	if _, err := runner.Run(ctx, Command("true")); err != nil {
		t.Fatal(err)
	}

	srv.dropConnections()
	res, err := runner.Run(ctx, Command("echo", "back"))
	if err != nil || string(res.Stdout) != "back\n" {
		t.Fatalf("after the drop: res %q, err %v", res.Stdout, err)
	}
	if s := pool.Stats(); s.Handshakes != 2 || s.Redials != 1 || s.Open != 1 {
		t.Errorf("Stats = %+v, want 2 handshakes, 1 redial, 1 open", s)
	}
}

// The pool may find out that its connection is dead only when it tries to
// use it; the command has not been sent then, so it is sent again once.
func TestPoolRetriesCommandNotYetSent(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	pool := newTestPool(t)
	cfg := srv.config()
	c, err := pool.Get(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Kill the connection on our side without the client noticing yet, the
	// way a connection that silently died looks to Run.
	c.ssh.Conn.Close()
	res, err := pool.Runner(cfg).Run(context.Background(), Command("echo", "ok"))
	if err != nil || string(res.Stdout) != "ok\n" {
		t.Fatalf("res %q, err %v", res.Stdout, err)
	}
	if got := srv.sessions.Load(); got != 1 {
		t.Errorf("server ran %d commands, want 1", got)
	}
}

func TestPoolNeverRerunsCommandThatMayHaveRun(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	pool := newTestPool(t)
	runner := pool.Runner(srv.config())
	done := make(chan error, 1)
	go func() {
		_, err := runner.Run(context.Background(), Command("sleep", "5"))
		done <- err
	}()
	waitFor(t, func() bool { return srv.sessions.Load() == 1 })
	srv.dropConnections()

	var err error
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not notice the lost connection")
	}
	var lost *ConnectionLostError
	if !errors.As(err, &lost) || lost.NotStarted {
		t.Fatalf("want a started *ConnectionLostError, got %v", err)
	}
	assertContains(t, err, srv.addr(), "may or may not have completed")
	time.Sleep(100 * time.Millisecond)
	if got := srv.sessions.Load(); got != 1 {
		t.Errorf("the command was sent %d times", got)
	}
}

func TestPoolKeepAliveDetectsSilentPeer(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	proxy := newFreezableProxy(t, srv.addr())
	cfg := srv.config()
	cfg.Port = proxy.port
	cfg.KeepAlive = 100 * time.Millisecond
	pool := newTestPool(t)

	c, err := pool.Get(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	proxy.freeze()
	select {
	case <-c.done:
	case <-time.After(3 * time.Second):
		t.Fatal("keepalive did not declare the frozen connection dead")
	}
	proxy.thaw()
	if _, err := pool.Runner(cfg).Run(context.Background(), Command("true")); err != nil {
		t.Fatal(err)
	}
	if s := pool.Stats(); s.Handshakes != 2 || s.Redials != 1 {
		t.Errorf("Stats = %+v", s)
	}
}

func TestPoolLogsWithoutSecrets(t *testing.T) {
	t.Parallel()
	key := newKey(t)
	const passphrase, password = "passphrase-must-not-leak", "password-must-not-leak"
	srv := newTestServer(t, withUserKey(publicKey(t, key)), withPassword(password))
	var logs bytes.Buffer
	pool := NewPool(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer pool.Close()

	cfg := srv.config()
	pem := keyPEM(t, key, passphrase)
	cfg.PrivateKey, cfg.Passphrase = pem, passphrase
	if _, err := pool.Runner(cfg).Run(context.Background(), Command("true")); err != nil {
		t.Fatal(err)
	}
	srv.dropConnections()
	if _, err := pool.Runner(cfg).Run(context.Background(), Command("true")); err != nil {
		t.Fatal(err)
	}
	bad := cfg // another user with a wrong password: a failed dial is logged too
	bad.User = "other"
	bad.PrivateKey = nil
	bad.Password = password + "-wrong"
	if _, err := pool.Get(context.Background(), bad); err == nil {
		t.Fatal("wrong password accepted")
	}

	out := logs.String()
	for _, want := range []string{"ssh: connected", "ssh: redialing", "ssh: dial failed", "host=127.0.0.1", "user=tester"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	pemBody := strings.Split(string(pem), "\n")[1] // a line of the key's base64
	for _, secret := range []string{passphrase, password, pemBody, "PRIVATE KEY"} {
		if strings.Contains(out, secret) {
			t.Errorf("log shows a secret (%q):\n%s", secret, out)
		}
	}
}

func TestPoolCloseClosesConnections(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	pool := NewPool(nil)
	c, err := pool.Get(context.Background(), srv.config())
	if err != nil {
		t.Fatal(err)
	}
	if err := pool.Close(); err != nil {
		t.Fatal(err)
	}
	if c.err() == nil {
		t.Error("the pooled connection is still open")
	}
	if _, err := pool.Get(context.Background(), srv.config()); !errors.Is(err, ErrPoolClosed) {
		t.Errorf("Get after Close: %v", err)
	}
}

func TestPoolJumpHostSharesJumpConnection(t *testing.T) {
	t.Parallel()
	jump := newTestServer(t)
	a, b := newTestServer(t), newTestServer(t)
	jumpCfg := jump.config()
	pool := newTestPool(t)
	for _, srv := range []*testServer{a, b, a} {
		cfg := srv.config()
		cfg.JumpHost = &jumpCfg
		if _, err := pool.Runner(cfg).Run(context.Background(), Command("true")); err != nil {
			t.Fatal(err)
		}
	}
	if s := pool.Stats(); s.Handshakes != 3 || s.Open != 3 {
		t.Errorf("Stats = %+v, want 3 handshakes (jump, a, b)", s)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// freezableProxy forwards TCP to a server, and can stop forwarding without
// closing anything: a peer that vanished without a FIN.
type freezableProxy struct {
	port   int
	frozen atomic.Bool
}

func newFreezableProxy(t *testing.T, target string) *freezableProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &freezableProxy{port: ln.Addr().(*net.TCPAddr).Port}
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
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, in, out)
			mu.Unlock()
			go p.pipe(in, out)
			go p.pipe(out, in)
		}
	}()
	return p
}

func (p *freezableProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		for p.frozen.Load() {
			time.Sleep(10 * time.Millisecond) // hold the data: nothing gets through
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

func (p *freezableProxy) freeze() { p.frozen.Store(true) }
func (p *freezableProxy) thaw()   { p.frozen.Store(false) }
