package remote

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gliderssh "github.com/gliderlabs/ssh"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// testServer is an in-process sshd on 127.0.0.1 that runs commands with
// sh -c and serves SFTP from the real filesystem.
type testServer struct {
	t          testing.TB
	srv        *gliderssh.Server
	host       string
	port       int
	hostKey    ssh.Signer
	password   string
	userKeys   []ssh.PublicKey
	listenAddr string

	mu       sync.Mutex
	conns    []net.Conn
	sessions atomic.Int64
	active   atomic.Int64 // commands running now
	peak     atomic.Int64 // most commands ever running at once
	forwards atomic.Int64 // direct-tcpip channels opened (as a jump host)
	signals  chan gliderssh.Signal
}

type serverOption func(*testServer)

func withPassword(pw string) serverOption { return func(s *testServer) { s.password = pw } }

func withUserKey(k ssh.PublicKey) serverOption {
	return func(s *testServer) { s.userKeys = append(s.userKeys, k) }
}

func withHostKey(k ssh.Signer) serverOption { return func(s *testServer) { s.hostKey = k } }

// withAddr listens on a given address, to bring a "reinstalled" host up
// where an earlier server was.
func withAddr(addr string) serverOption { return func(s *testServer) { s.listenAddr = addr } }

func newTestServer(t testing.TB, opts ...serverOption) *testServer {
	t.Helper()
	s := &testServer{t: t, signals: make(chan gliderssh.Signal, 16)}
	for _, o := range opts {
		o(s)
	}
	if s.password == "" {
		s.password = "test-password"
	}
	if s.hostKey == nil {
		s.hostKey = newSigner(t)
	}
	s.srv = &gliderssh.Server{
		Handler:     s.runShell,
		HostSigners: []gliderssh.Signer{s.hostKey},
		SubsystemHandlers: map[string]gliderssh.SubsystemHandler{
			"sftp": serveSFTP,
		},
		ChannelHandlers: map[string]gliderssh.ChannelHandler{
			"session":      gliderssh.DefaultSessionHandler,
			"direct-tcpip": gliderssh.DirectTCPIPHandler,
		},
		LocalPortForwardingCallback: func(gliderssh.Context, string, uint32) bool {
			s.forwards.Add(1)
			return true
		},
		ConnCallback: func(_ gliderssh.Context, c net.Conn) net.Conn {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.conns = append(s.conns, c)
			return c
		},
		PasswordHandler: func(_ gliderssh.Context, pw string) bool {
			return pw == s.password
		},
		PublicKeyHandler: func(_ gliderssh.Context, key gliderssh.PublicKey) bool {
			for _, k := range s.userKeys {
				if gliderssh.KeysEqual(k, key) {
					return true
				}
			}
			return false
		},
	}
	if s.listenAddr == "" {
		s.listenAddr = "127.0.0.1:0"
	}
	ln, err := listenRetrying(s.listenAddr)
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	s.host, s.port = addr.IP.String(), addr.Port
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// listenRetrying listens on addr. A fixed port just given up by a closed
// server (a "reinstalled host" at the same address) may for a moment be the
// local end of another test's connection, so it is tried for a while.
func listenRetrying(addr string) (net.Listener, error) {
	for tries := 0; ; tries++ {
		ln, err := net.Listen("tcp", addr)
		if err == nil || !errors.Is(err, syscall.EADDRINUSE) || tries == 100 {
			return ln, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *testServer) addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// dropConnections cuts every connection, as a network failure or an sshd
// restart would, and keeps listening.
func (s *testServer) dropConnections() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.Close()
	}
	s.conns = nil
}

// knownHosts writes a known_hosts file holding the server's host key.
func (s *testServer) knownHosts(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "known_hosts")
	line := "[" + s.host + "]:" + strconv.Itoa(s.port) + " " + string(ssh.MarshalAuthorizedKey(s.hostKey.PublicKey()))
	if err := os.WriteFile(path, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// config returns a Config for this server, with its host key pinned and
// password authentication.
func (s *testServer) config() Config {
	return Config{
		Host:           s.host,
		Port:           s.port,
		User:           "tester",
		Password:       s.password,
		HostKeys:       []string{string(ssh.MarshalAuthorizedKey(s.hostKey.PublicKey()))},
		ConnectTimeout: 5 * time.Second,
	}
}

func (s *testServer) runShell(sess gliderssh.Session) {
	s.sessions.Add(1)
	now := s.active.Add(1)
	defer s.active.Add(-1)
	for {
		peak := s.peak.Load()
		if now <= peak || s.peak.CompareAndSwap(peak, now) {
			break
		}
	}
	cmd := exec.Command("/bin/sh", "-c", sess.RawCommand())
	cmd.Stdout, cmd.Stderr = sess, sess.Stderr()
	// Not cmd.Stdin = sess: Wait would then wait for the client's EOF.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		sess.Exit(255)
		return
	}
	go func() {
		io.Copy(stdin, sess)
		stdin.Close()
	}()
	if err := cmd.Start(); err != nil {
		io.WriteString(sess.Stderr(), err.Error())
		sess.Exit(127)
		return
	}
	signals := make(chan gliderssh.Signal, 1)
	sess.Signals(signals)
	exited := make(chan struct{})
	go func() {
		select {
		case sig := <-signals:
			cmd.Process.Kill()
			select {
			case s.signals <- sig:
			default:
			}
		case <-exited:
		}
	}()
	err = cmd.Wait()
	close(exited)
	var exit *exec.ExitError
	switch {
	case err == nil:
		sess.Exit(0)
	case errors.As(err, &exit):
		sess.Exit(exit.ExitCode())
	default:
		sess.Exit(255)
	}
}

func serveSFTP(sess gliderssh.Session) {
	server, err := sftp.NewServer(sess)
	if err != nil {
		return
	}
	server.Serve()
	server.Close()
}

func newKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func newSigner(t testing.TB) ssh.Signer {
	t.Helper()
	s, err := ssh.NewSignerFromKey(newKey(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// keyPEM returns key in OpenSSH PEM form, encrypted when passphrase is set.
func keyPEM(t testing.TB, key ed25519.PrivateKey, passphrase string) []byte {
	t.Helper()
	var block *pem.Block
	var err error
	if passphrase == "" {
		block, err = ssh.MarshalPrivateKey(key, "test key")
	} else {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(key, "test key", []byte(passphrase))
	}
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(block)
}

func publicKey(t testing.TB, key ed25519.PrivateKey) ssh.PublicKey {
	t.Helper()
	return publicKeyOf(t, key.Public())
}

func publicKeyOf(t testing.TB, key any) ssh.PublicKey {
	t.Helper()
	pub, err := ssh.NewPublicKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func itoa(i int) string { return strconv.Itoa(i) }

// testPin is a pinned host key line for tests that never get that far.
func testPin(t testing.TB) string {
	return string(ssh.MarshalAuthorizedKey(newSigner(t).PublicKey()))
}

func containsString(s, sub string) bool { return strings.Contains(s, sub) }
