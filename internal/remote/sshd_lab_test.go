//go:build lab

package remote_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/lab/labtest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// The lab's nodes run Debian's OpenSSH sshd: these tests check the
// transport against the real server rather than the in-process one.

func TestLabOpenSSHCommandsAndOneHandshakePerHost(t *testing.T) {
	d := labtest.Require(t)
	pool := remote.NewPool(slog.New(slog.DiscardHandler))
	defer pool.Close()
	ctx := context.Background()

	var wg sync.WaitGroup
	for _, n := range d.Nodes {
		r := pool.Runner(d.SSHConfig(n))
		for i := range 12 { // more than sshd's default MaxSessions of 10
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := r.Run(ctx, remote.Command("printf", "%s|", "it's", "$HOME", "a\nb", "-n", `\`))
				if err != nil {
					t.Errorf("%s #%d: %v", n.Name, i, err)
					return
				}
				if got := string(res.Stdout); got != "it's|$HOME|a\nb|-n|\\|" {
					t.Errorf("%s: argv came back as %q", n.Name, got)
				}
			}()
		}
	}
	wg.Wait()
	if got := pool.Stats().Handshakes; got != int64(len(d.Nodes)) {
		t.Errorf("%d handshakes for %d hosts; want one per host", got, len(d.Nodes))
	}

	r := pool.Runner(d.SSHConfig(d.Nodes[0]))
	_, err := r.Run(ctx, remote.Command("sh", "-c", "echo oops >&2; exit 3"))
	var ce *remote.CommandError
	if !errors.As(err, &ce) || ce.ExitCode != 3 || !strings.Contains(ce.Stderr, "oops") {
		t.Errorf("failing command: %v, want CommandError with exit 3 and stderr", err)
	}
}

func TestLabOpenSSHRefusesWrongHostKey(t *testing.T) {
	d := labtest.Require(t)
	// Claim sdsc1's key for p1's address: the real sshd's key must not match.
	var sdsc1Key string
	for _, n := range d.Nodes {
		if n.Name == "sdsc1" {
			f := strings.Fields(n.HostKey)
			sdsc1Key = f[0] + " " + f[1]
		}
	}
	knownHosts := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(knownHosts, []byte(d.Nodes[0].Address+" "+sdsc1Key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := d.SSHConfig(d.Nodes[0])
	cfg.KnownHostsFile = knownHosts
	_, err := remote.Dial(context.Background(), cfg)
	var hk *remote.HostKeyError
	if !errors.As(err, &hk) || hk.Unknown {
		t.Fatalf("dial with a wrong known host key: %v, want a HostKeyError for a mismatch", err)
	}
	if !strings.Contains(err.Error(), d.Nodes[0].Address) || !strings.Contains(err.Error(), "SHA256:") {
		t.Errorf("the error does not name the host and the presented fingerprint: %v", err)
	}
}

func TestLabSFTPAtomicWrite(t *testing.T) {
	d := labtest.Require(t)
	pool := remote.NewPool(slog.New(slog.DiscardHandler))
	defer pool.Close()
	ctx := context.Background()
	cfg := d.SSHConfig(d.Nodes[0])
	files := pool.Files(cfg)
	dir := "/tmp/glusterdr-sftp-test/a/b"
	if err := files.MkdirAll(ctx, dir, 0o700); err != nil {
		t.Fatal(err)
	}
	defer files.RemoveAll(ctx, "/tmp/glusterdr-sftp-test")
	name := dir + "/secret"
	if err := files.WriteFile(ctx, name, strings.NewReader("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fi, err := files.Stat(ctx, name)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != 7 {
		t.Fatalf("stat: %v %v", fi, err)
	}
	if _, err := files.Stat(ctx, name+remote.PartSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the .part file is left: %v", err)
	}
	// The file is on the node, not on this host: the node's /tmp is its own.
	if _, err := os.Stat(name); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the write reached this host's %s", name)
	}
	got, err := pool.Runner(cfg).Run(ctx, remote.Command("cat", name))
	if err != nil || string(got.Stdout) != "s3cret\n" {
		t.Errorf("cat on the node: %q %v", got.Stdout, err)
	}
}
