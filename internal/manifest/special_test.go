package manifest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSpecialPicksTheAwkwardFilesThatSettled: from a scan of the test tree,
// the FIFO, the hard link pair, the sparse file, the symlink and a setuid
// file, and no ordinary file or folder; what changed after the checkpoint
// is left for the next night.
func TestSpecialPicksTheAwkwardFilesThatSettled(t *testing.T) {
	dir := t.TempDir()
	buildTree(t, dir)
	must(t, os.Chmod(filepath.Join(dir, "plain.txt"), os.ModeSetuid|0o755))
	must(t, os.Mkdir(filepath.Join(dir, "shared"), 0o755))
	must(t, os.Chmod(filepath.Join(dir, "shared"), os.ModeSticky|0o777))
	entries, err := Scan(context.Background(), local, dir, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, omitted := Special(entries, time.Now().Add(time.Minute), MaxSpecial)
	want := []string{"fifo", "links/a", "links/b", "plain.txt", "shared", "sparse.img", "sym"}
	if !slices.Equal(paths(got), want) || omitted != 0 {
		t.Errorf("picked %q (%d omitted), want %q", paths(got), omitted, want)
	}
	if got, _ := Special(entries, time.Now().Add(-time.Hour), MaxSpecial); len(got) != 0 {
		t.Errorf("picked %q, all written after the checkpoint", paths(got))
	}
}

// TestSpecialKeepsTheRarestOverTheCap: over the cap, device nodes and
// setuid files go before hard links and sparse files, which go before
// symlinks, and the rest is counted.
func TestSpecialKeepsTheRarestOverTheCap(t *testing.T) {
	entries := []Entry{
		{Path: "a-sym", Type: TypeSymlink, Mode: "0777", Target: "x"},
		{Path: "b-sym", Type: TypeSymlink, Mode: "0777", Target: "x"},
		{Path: "c-sparse", Type: TypeFile, Mode: "0644", Sparse: true},
		{Path: "d-dev", Type: TypeChar, Mode: "0600", Rdev: "1:3"},
		{Path: "e-plain", Type: TypeFile, Mode: "0644"},
		{Path: "f-sgid", Type: TypeDir, Mode: "2775"},
	}
	got, omitted := Special(entries, time.Time{}, 3)
	if want := []string{"c-sparse", "d-dev", "f-sgid"}; !slices.Equal(paths(got), want) || omitted != 2 {
		t.Errorf("picked %q (%d omitted), want %q and 2 omitted", paths(got), omitted, want)
	}
}

// TestOldManifestStillVerifies: a manifest.json written before owners and
// allocations were recorded decodes, and an intact copy verifies against it
// with no owner compared.
func TestOldManifestStillVerifies(t *testing.T) {
	dst := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dst, "f"), []byte("hello\n"), 0o644))
	must(t, os.Chown(filepath.Join(dst, "f"), 4242, 4343))
	old := `{
  "version": 1,
  "set": "20261125T023000Z-sdsc",
  "created": "2026-11-25T02:30:00Z",
  "entries": [
    {"path": "f", "type": "file", "size": 6, "mode": "0644", "links": 1,
     "sha256": "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", "mtime": "2026-11-25T02:00:00Z"}
  ]
}`
	m, err := Decode([]byte(old))
	if err != nil {
		t.Fatalf("an old manifest was refused: %v", err)
	}
	if m.Entries[0].Owner != "" || m.Entries[0].Allocated != 0 {
		t.Errorf("decoded %+v", m.Entries[0])
	}
	if ms := observeAndCompare(t, dst, m.Entries); len(ms) != 0 {
		t.Errorf("an intact copy has mismatches against an old manifest:\n%s", Report(ms))
	}
	data, err := (&Manifest{Set: m.Set, Entries: []Entry{{Path: "f", Type: TypeFile, Mode: "0644", Size: 6, Owner: "root:0",
		SHA256: m.Entries[0].SHA256}}}).Encode()
	if err == nil || !strings.Contains(err.Error(), `owner "root:0" is not uid:gid`) {
		t.Errorf("a named owner was encoded: %s, %v", data, err)
	}
}

// TestScanLeavesOutWhatIsMountedInside: a folder of another file system
// bind-mounted into the scanned tree (on the primary node, anything but the
// volume is) shows as its mount point only, never with that file system's
// files, which geo-replication does not carry.
func TestScanLeavesOutWhatIsMountedInside(t *testing.T) {
	dir, host := t.TempDir(), t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "tmpfs", host).CombinedOutput(); err != nil {
		t.Fatalf("this test needs root to mount: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", host).Run() })
	must(t, os.WriteFile(filepath.Join(host, "on-host"), []byte("x"), 0o644))
	must(t, os.Mkdir(filepath.Join(dir, "bound"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "bound", "in-volume"), []byte("y"), 0o644))
	if out, err := exec.Command("mount", "--bind", host, filepath.Join(dir, "bound")).CombinedOutput(); err != nil {
		t.Fatalf("this test needs root to bind-mount: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", filepath.Join(dir, "bound")).Run() })
	entries, err := Scan(context.Background(), local, dir, ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(entries); !slices.Equal(got, []string{"bound"}) {
		t.Errorf("scanned %q, want only the mount point", got)
	}
}
