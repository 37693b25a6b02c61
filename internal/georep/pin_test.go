package georep

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"io"
	"io/fs"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// memFiles is remote.Files over a map; only what pinning uses is there.
type memFiles struct {
	remote.Files
	m map[string][]byte
}

func (f *memFiles) ReadFile(_ context.Context, path string) ([]byte, error) {
	data, ok := f.m[path]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
	return data, nil
}

func (f *memFiles) WriteFile(_ context.Context, path string, r io.Reader, _ fs.FileMode) error {
	data, err := io.ReadAll(r)
	f.m[path] = data
	return err
}

func (f *memFiles) MkdirAll(context.Context, string, fs.FileMode) error { return nil }

func (f *memFiles) Remove(_ context.Context, path string) error {
	if _, ok := f.m[path]; !ok {
		return &fs.PathError{Op: "remove", Path: path, Err: fs.ErrNotExist}
	}
	delete(f.m, path)
	return nil
}

func testKey(t *testing.T) ssh.PublicKey {
	t.Helper()
	key, err := ssh.NewPublicKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize)).Public())
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestKnownHostsLine(t *testing.T) {
	key := testKey(t)
	b64 := strings.Fields(string(ssh.MarshalAuthorizedKey(key)))[1]
	for _, tc := range []struct {
		host string
		port int
		want string
	}{
		{"203.0.113.21", 22, "203.0.113.21 ssh-ed25519 " + b64},
		{"sdsc1.example.org", 2222, "[sdsc1.example.org]:2222 ssh-ed25519 " + b64},
	} {
		if got := KnownHostsLine(tc.host, tc.port, key); got != tc.want {
			t.Errorf("KnownHostsLine(%s, %d) = %q, want %q", tc.host, tc.port, got, tc.want)
		}
		if _, err := knownHostsContent([]string{KnownHostsLine(tc.host, tc.port, key)}); err != nil {
			t.Errorf("PinHostKeys would refuse its own line: %v", err)
		}
	}
}

func TestPinnedKeysReadsWhatWasWrittenAndNothingWhenMissing(t *testing.T) {
	ctx := context.Background()
	ref := gluster.SessionRef{PrimaryVolume: "global", SecondaryHost: "203.0.113.21", SecondaryVolume: "global-dr"}
	files := &memFiles{m: map[string][]byte{}}

	got, err := PinnedKeys(ctx, files, ref)
	if err != nil || got != nil {
		t.Fatalf("PinnedKeys with no file = %q, %v; want nothing and no error", got, err)
	}

	lines := []string{KnownHostsLine("203.0.113.21", 22, testKey(t)), KnownHostsLine("203.0.113.22", 22, testKey(t))}
	content, err := knownHostsContent(lines)
	if err != nil {
		t.Fatal(err)
	}
	if err := files.WriteFile(ctx, KnownHostsPath(ref), strings.NewReader(content), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err = PinnedKeys(ctx, files, ref)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(lines, "\n") {
		t.Errorf("PinnedKeys = %q, want %q", got, lines)
	}
}

func TestStateOf(t *testing.T) {
	for r, want := range map[gluster.Rollup]State{
		gluster.RollupCreated: Stopped, gluster.RollupStopped: Stopped, gluster.RollupUnknown: Stopped,
		gluster.RollupPaused: Paused,
		gluster.RollupUp:     Started, gluster.RollupInitializing: Started, gluster.RollupPartial: Started,
		gluster.RollupFaulty: Started, gluster.RollupDown: Started,
	} {
		if got := StateOf(r); got != want {
			t.Errorf("StateOf(%s) = %s, want %s", r, got, want)
		}
	}
}
