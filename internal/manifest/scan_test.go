package manifest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

func TestScanReadsEveryFileWithAwkwardNames(t *testing.T) {
	dir := t.TempDir()
	files := buildTree(t, dir)
	entries, err := Scan(context.Background(), local, dir, ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(entries, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) }) {
		t.Error("entries are not sorted by path")
	}
	got := byPath(entries)
	for name, content := range files {
		e, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%q: not in the scan", name)
		case e.Type != TypeFile || e.Size != int64(len(content)) || e.SHA256 != hashOf(content):
			t.Errorf("%q: type %s size %d sha256 %s, want file %d %s", name, e.Type, e.Size, e.SHA256, len(content), hashOf(content))
		}
	}
	if e := got["empty"]; e.SHA256 != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("empty file: sha256 %s", e.SHA256)
	}
	if e := got["secret"]; e.Mode != "0600" {
		t.Errorf("secret: mode %s, want 0600", e.Mode)
	}
	if e := got["data"]; e.Type != TypeDir || e.Mode != "0755" || e.Size != 0 || e.Links != 0 {
		t.Errorf("data: %+v, want a 0755 dir with size and links unrecorded", e)
	}
	for _, e := range entries {
		if err := CheckPath(e.Path); err != nil {
			t.Errorf("scan returned unsafe path: %v", err)
		}
	}
}

func TestScanAwkwardFiles(t *testing.T) {
	dir := t.TempDir()
	buildTree(t, dir)
	entries, err := Scan(context.Background(), local, dir, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := byPath(entries)

	if e := got["sparse.img"]; !e.Sparse || e.Size != sparseSize || e.Allocated >= sparseSize {
		t.Errorf("sparse.img: sparse %v, size %d, allocated %d; want sparse", e.Sparse, e.Size, e.Allocated)
	}
	if e := got["data/big.bin"]; e.Sparse {
		t.Errorf("data/big.bin: sparse, allocated %d of %d", e.Allocated, e.Size)
	}
	if e := got["empty"]; e.Sparse {
		t.Error("an empty file is not sparse")
	}
	a, b := got["links/a"], got["links/b"]
	if a.HardLink != "" || b.HardLink != "links/a" || a.Links != 2 || b.Links != 2 {
		t.Errorf("hard links: a %q (%d links), b %q (%d links); want b -> links/a, 2 links each", a.HardLink, a.Links, b.HardLink, b.Links)
	}
	if e := got["sym"]; e.Type != TypeSymlink || e.Target != "plain.txt" || e.SHA256 != "" {
		t.Errorf("sym: %+v, want a symlink to plain.txt", e)
	}
	if e := got["fifo"]; e.Type != TypeFIFO || e.Mode != "0644" {
		t.Errorf("fifo: %+v", e)
	}
	for _, e := range entries {
		if e.SHA256 != "" {
			t.Errorf("%q: hashed although Hash is false", e.Path)
		}
	}
}

func TestScanDevices(t *testing.T) {
	requireRoot(t)
	dir := t.TempDir()
	mknod(t, filepath.Join(dir, "dev/null"), syscall.S_IFCHR, 1, 3)
	mknod(t, filepath.Join(dir, "dev/big minor"), syscall.S_IFCHR, 259, 70000)
	mknod(t, filepath.Join(dir, "dev/loop0"), syscall.S_IFBLK, 7, 0)
	want := map[string]Entry{
		"dev/null":      {Type: TypeChar, Rdev: "1:3", Mode: "0640"},
		"dev/big minor": {Type: TypeChar, Rdev: "259:70000", Mode: "0640"},
		"dev/loop0":     {Type: TypeBlock, Rdev: "7:0", Mode: "0640"},
	}
	entries, err := Scan(context.Background(), local, dir, ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	stat, err := StatPaths(context.Background(), local, dir, []string{"dev/null", "dev/big minor", "dev/loop0"})
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range want {
		for from, e := range map[string]Entry{"Scan": byPath(entries)[name], "StatPaths": stat[name]} {
			if e.Type != w.Type || e.Rdev != w.Rdev || e.Mode != w.Mode || e.Size != 0 || e.SHA256 != "" {
				t.Errorf("%s %q: %s %s %s, want %s %s %s", from, name, e.Type, e.Rdev, e.Mode, w.Type, w.Rdev, w.Mode)
			}
		}
	}
}

func TestScanExcludePrunesWholeSubtreesOnly(t *testing.T) {
	dir := t.TempDir()
	buildTree(t, dir)
	must(t, os.MkdirAll(filepath.Join(dir, "ex*[1]/sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "ex*[1]/sub/f"), nil, 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "exA1"), nil, 0o644)) // would match the glob ex*[1]
	entries, err := Scan(context.Background(), local, dir, ScanOptions{Hash: true, Exclude: []string{"excluded", "ex*[1]/", "new\nline"}})
	if err != nil {
		t.Fatal(err)
	}
	got := byPath(entries)
	for _, gone := range []string{"excluded", "excluded/x", "ex*[1]", "ex*[1]/sub/f", "new\nline"} {
		if _, ok := got[gone]; ok {
			t.Errorf("%q is excluded but was scanned", gone)
		}
	}
	for _, kept := range []string{"excluded-not", "excluded-not/x", "exA1", "plain.txt"} {
		if _, ok := got[kept]; !ok {
			t.Errorf("%q is not excluded but is missing", kept)
		}
	}
	if _, err := Scan(context.Background(), local, dir, ScanOptions{Exclude: []string{"../etc"}}); err == nil {
		t.Error("an exclude with .. was accepted")
	}
}

func TestScanTimes(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	must(t, os.WriteFile(p, []byte("x"), 0o644))
	mtime := time.Date(2026, 11, 25, 2, 30, 0, 123456789, time.UTC)
	must(t, os.Chtimes(p, mtime, mtime))
	entries, err := Scan(context.Background(), local, dir, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !entries[0].MTime.Equal(mtime) || entries[0].MTime.Location() != time.UTC {
		t.Fatalf("entries %+v, want one file with mtime %v", entries, mtime)
	}
	if c := entries[0].CTime; c.Before(time.Now().Add(-time.Minute)) || c.After(time.Now().Add(time.Minute)) {
		t.Errorf("ctime %v is not about now", c)
	}
}

func TestStatPathsMatchesScanAndSkipsMissing(t *testing.T) {
	dir := t.TempDir()
	buildTree(t, dir)
	scan, err := Scan(context.Background(), local, dir, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"nope", "plain.txt/under-a-file", "missing/dir/f"}
	for _, e := range scan {
		paths = append(paths, e.Path)
	}
	got, err := StatPaths(context.Background(), local, dir, paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(scan) {
		t.Errorf("StatPaths found %d paths, want the %d that exist", len(got), len(scan))
	}
	for _, want := range scan {
		want.HardLink = "" // StatPaths leaves hard link groups to Compare
		if g := got[want.Path]; g != want {
			t.Errorf("%q:\nStatPaths %+v\nScan      %+v", want.Path, g, want)
		}
	}
}

func TestHashPathsReportsMissingPerPath(t *testing.T) {
	dir := t.TempDir()
	files := buildTree(t, dir)
	paths := []string{"nope", "plain.txt", "new\nline", `back\slash`, "-leading-dash", "also/missing"}
	sums, err := HashPaths(context.Background(), local, dir, paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 4 {
		t.Errorf("got %d hashes, want 4: %v", len(sums), sums)
	}
	for _, p := range paths[1:5] {
		if sums[p] != hashOf(files[p]) {
			t.Errorf("%q: sha256 %s, want %s", p, sums[p], hashOf(files[p]))
		}
	}

	// A path that exists but cannot be hashed is not "missing".
	sums, err = HashPaths(context.Background(), local, dir, []string{"data", "nope", "plain.txt"})
	var ue *UnreadableError
	if !errors.As(err, &ue) || !slices.Equal(ue.Paths, []string{"data"}) || ue.Host != "testhost" {
		t.Fatalf("error %v, want an UnreadableError for data on testhost", err)
	}
	if !strings.Contains(err.Error(), "Is a directory") || sums["plain.txt"] == "" {
		t.Errorf("error %q should quote stderr, and plain.txt should still be hashed (%v)", err, sums)
	}
}

func TestScanErrorsNameHostAndCommand(t *testing.T) {
	dir := t.TempDir()
	_, err := Scan(context.Background(), local, filepath.Join(dir, "no such root"), ScanOptions{})
	if err == nil || !strings.Contains(err.Error(), "testhost") || !strings.Contains(err.Error(), "find") ||
		!strings.Contains(err.Error(), "no such root") {
		t.Errorf("error %v, want one naming the host, the command and the root", err)
	}
	if _, err := Scan(context.Background(), local, "relative/root", ScanOptions{}); err == nil {
		t.Error("a relative root was accepted")
	}
	if _, err := HashPaths(context.Background(), local, dir, []string{"../../etc/passwd"}); err == nil {
		t.Error("HashPaths accepted a path with ..")
	}
}

func TestScanFollowsASymlinkedRootAndNoOtherLink(t *testing.T) {
	dir := t.TempDir()
	buildTree(t, filepath.Join(dir, "real"))
	must(t, os.Symlink("real", filepath.Join(dir, "mount")))
	must(t, os.Symlink("../real/data", filepath.Join(dir, "real", "data-link")))
	direct, err := Scan(context.Background(), local, filepath.Join(dir, "real"), ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	via, err := Scan(context.Background(), local, filepath.Join(dir, "mount"), ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(stored(direct), stored(via)) {
		t.Errorf("scanning through a symlinked root gave %d entries, directly %d", len(via), len(direct))
	}
	if e := byPath(via)["data-link"]; e.Type != TypeSymlink || byPath(via)["data-link/big.bin"].Path != "" {
		t.Error("a symlink below the root was followed")
	}
}

// TestScanBounds: a scan grows with the tree, so it runs without a
// timeout, and its listing is capped explicitly: past the cap it fails
// naming the host, the root and the cap.
func TestScanBounds(t *testing.T) {
	dir := t.TempDir()
	buildTree(t, dir)
	var cmds []remote.Cmd
	spy := spyRunner{Runner: local, mu: &sync.Mutex{}, seen: &cmds}
	if _, err := Scan(context.Background(), spy, dir, ScanOptions{Hash: true}); err != nil {
		t.Fatal(err)
	}
	var finds, hashes int
	for _, c := range cmds {
		switch {
		case slices.Contains(c.Argv, "find"):
			finds++
			if c.Timeout != remote.NoTimeout || c.MaxOutput != DefaultMaxListing {
				t.Errorf("%s: timeout %s, cap %d; want none and DefaultMaxListing", remote.Quote(c.Argv), c.Timeout, c.MaxOutput)
			}
		case slices.Contains(c.Argv, "sha256sum"):
			hashes++
			if c.Timeout != remote.NoTimeout {
				t.Errorf("%s: timeout %s; want none: hashing grows with the data", remote.Quote(c.Argv), c.Timeout)
			}
		}
	}
	if finds == 0 || hashes == 0 {
		t.Errorf("the scan ran %d finds and %d sha256sums: %v", finds, hashes, cmds)
	}
	_, err := Scan(context.Background(), local, dir, ScanOptions{MaxListing: 1024})
	var ol *remote.OutputLimitError
	if !errors.As(err, &ol) || !strings.Contains(err.Error(), "manifest: scan "+dir+" on testhost") ||
		!strings.Contains(err.Error(), "printed more than 1 KiB") {
		t.Errorf("a listing past its cap: %v", err)
	}
}

// spyRunner records the commands it passes on; the hashing runs several
// at once.
type spyRunner struct {
	remote.Runner
	mu   *sync.Mutex
	seen *[]remote.Cmd
}

func (s spyRunner) Run(ctx context.Context, c remote.Cmd) (remote.Result, error) {
	s.mu.Lock()
	*s.seen = append(*s.seen, c)
	s.mu.Unlock()
	return s.Runner.Run(ctx, c)
}
