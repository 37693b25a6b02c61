package remote

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// forEachFiles runs a test against every Files implementation: local, SFTP
// on a Client, and SFTP through a Pool. The SFTP server shares this
// machine's filesystem, so tests prepare and check files with package os.
func forEachFiles(t *testing.T, test func(t *testing.T, files Files, dir string)) {
	t.Run("local", func(t *testing.T) {
		t.Parallel()
		test(t, LocalFiles{}, t.TempDir())
	})
	t.Run("sftp", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t)
		files, err := dialTest(t, srv.config()).Files()
		if err != nil {
			t.Fatal(err)
		}
		test(t, files, t.TempDir())
	})
	t.Run("pool", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t)
		test(t, newTestPool(t).Files(srv.config()), t.TempDir())
	})
}

func writeLocal(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func assertNoPart(t *testing.T, path string) {
	t.Helper()
	for _, left := range []string{path + PartSuffix, path + PartSuffix + ".d"} {
		if _, err := os.Lstat(left); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s was left behind (%v)", left, err)
		}
	}
}

// TestFilesPartIsPrivateFromTheStart: the .part file holds the secret while
// it is written; it must be its owner's alone before the first byte, and a
// crash's leftovers must not get in the way.
func TestFilesPartIsPrivateFromTheStart(t *testing.T) {
	forEachFiles(t, func(t *testing.T, files Files, dir string) {
		path := filepath.Join(dir, "etcd.snapshot")
		if _, isLocal := files.(LocalFiles); !isLocal { // SFTP's private folder
			if err := os.MkdirAll(path+PartSuffix+".d", 0o755); err != nil {
				t.Fatal(err)
			}
			writeLocal(t, path+PartSuffix+".d/part", "leftover of a crashed run")
		}
		var modeAtFirstByte fs.FileMode
		r := firstRead{Reader: strings.NewReader("secret"), at: func() {
			if info, err := os.Lstat(path + PartSuffix); err == nil {
				modeAtFirstByte = info.Mode()
			}
		}}
		if err := files.WriteFile(context.Background(), path, &r, 0o600); err != nil {
			t.Fatal(err)
		}
		if modeAtFirstByte != 0o600 {
			t.Errorf("the part file was %v when its first byte was written, want a regular file of mode 0600", modeAtFirstByte)
		}
		assertNoPart(t, path)
	})
}

type firstRead struct {
	io.Reader
	at   func()
	done bool
}

func (r *firstRead) Read(p []byte) (int, error) {
	if !r.done {
		r.done = true
		r.at()
	}
	return r.Reader.Read(p)
}

func TestFilesWriteFileIsAtomic(t *testing.T) {
	forEachFiles(t, func(t *testing.T, files Files, dir string) {
		ctx := context.Background()
		path := filepath.Join(dir, "manifest.json")
		writeLocal(t, path, "old")
		writeLocal(t, path+PartSuffix, "leftover of a crashed run")

		big := make([]byte, 3<<20+17) // several SFTP packets, odd size
		rand.Read(big)
		if err := files.WriteFile(ctx, path, bytes.NewReader(big), 0o640); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, big) {
			t.Fatalf("content differs (%d bytes, want %d): %v", len(got), len(big), err)
		}
		if info, _ := os.Stat(path); info.Mode().Perm() != 0o640 {
			t.Errorf("mode %v, want 0640", info.Mode().Perm())
		}
		assertNoPart(t, path)

		// A reader that fails half way must leave the old file as it was.
		failing := io.MultiReader(strings.NewReader("half a snapshot"), iotestErrReader{})
		err = files.WriteFile(ctx, path, failing, 0o600)
		if err == nil || !strings.Contains(err.Error(), "source broke") {
			t.Fatalf("want the reader's error, got %v", err)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, big) {
			t.Error("a failed write changed the existing file")
		}
		assertNoPart(t, path)

		// Into a missing directory: a not-exist error, and nothing left.
		missing := filepath.Join(dir, "no", "such", "file")
		if err := files.WriteFile(ctx, missing, strings.NewReader("x"), 0o600); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("write into a missing directory: %v", err)
		}
	})
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("source broke") }

func TestFilesReadStatAndList(t *testing.T) {
	forEachFiles(t, func(t *testing.T, files Files, dir string) {
		ctx := context.Background()
		path := filepath.Join(dir, "b.txt")
		writeLocal(t, path, "hello")
		writeLocal(t, filepath.Join(dir, "a.txt"), "")
		if err := os.Symlink("b.txt", filepath.Join(dir, "link")); err != nil {
			t.Fatal(err)
		}

		got, err := files.ReadFile(ctx, path)
		if err != nil || string(got) != "hello" {
			t.Fatalf("ReadFile: %q, %v", got, err)
		}
		r, err := files.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		streamed, err := io.ReadAll(r)
		if err != nil || string(streamed) != "hello" {
			t.Fatalf("Open: %q, %v", streamed, err)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}

		info, err := files.Stat(ctx, filepath.Join(dir, "link"))
		if err != nil || info.Size() != 5 || !info.Mode().IsRegular() {
			t.Fatalf("Stat through a link: %v, %v", info, err)
		}
		info, err = files.Lstat(ctx, filepath.Join(dir, "link"))
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("Lstat of a link: %v, %v", info, err)
		}

		entries, err := files.ReadDir(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if strings.Join(names, " ") != "a.txt b.txt link" {
			t.Errorf("ReadDir: %q", names)
		}
	})
}

func TestFilesMkdirAll(t *testing.T) {
	forEachFiles(t, func(t *testing.T, files Files, dir string) {
		ctx := context.Background()
		deep := filepath.Join(dir, "backup", "2026-01-01T00:00:00Z-sdsc", "etcd")
		if err := files.MkdirAll(ctx, deep, 0o750); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{deep, filepath.Dir(deep)} {
			info, err := os.Stat(d)
			if err != nil || !info.IsDir() || info.Mode().Perm() != 0o750 {
				t.Errorf("%s: %v, %v", d, info, err)
			}
		}
		if err := files.MkdirAll(ctx, deep, 0o700); err != nil {
			t.Errorf("MkdirAll of an existing directory: %v", err)
		}
		if info, _ := os.Stat(deep); info.Mode().Perm() != 0o750 {
			t.Error("MkdirAll changed an existing directory's mode")
		}
		file := filepath.Join(dir, "plain")
		writeLocal(t, file, "")
		if err := files.MkdirAll(ctx, filepath.Join(file, "sub"), 0o700); err == nil {
			t.Error("MkdirAll below a regular file succeeded")
		}
	})
}

func TestFilesRemoveAndRename(t *testing.T) {
	forEachFiles(t, func(t *testing.T, files Files, dir string) {
		ctx := context.Background()
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		writeLocal(t, a, "new")
		writeLocal(t, b, "old")
		if err := files.Rename(ctx, a, b); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(b); string(got) != "new" {
			t.Errorf("Rename did not replace the target: %q", got)
		}

		if err := files.Remove(ctx, b); err != nil {
			t.Fatal(err)
		}
		empty := filepath.Join(dir, "empty")
		os.Mkdir(empty, 0o700)
		if err := files.Remove(ctx, empty); err != nil {
			t.Errorf("Remove of an empty directory: %v", err)
		}
		full := filepath.Join(dir, "full")
		os.MkdirAll(filepath.Join(full, "sub"), 0o700)
		writeLocal(t, filepath.Join(full, "sub", "f"), "x")
		outside := filepath.Join(dir, "outside")
		os.Mkdir(outside, 0o700)
		writeLocal(t, filepath.Join(outside, "canary"), "alive")
		os.Symlink(outside, filepath.Join(full, "link-outside"))
		if err := files.Remove(ctx, full); err == nil {
			t.Error("Remove of a non-empty directory succeeded")
		}
		if err := files.RemoveAll(ctx, full); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Lstat(full); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("RemoveAll left %s: %v", full, err)
		}
		if _, err := os.Stat(filepath.Join(outside, "canary")); err != nil {
			t.Errorf("RemoveAll followed a symlink out of the tree: %v", err)
		}
		if err := files.RemoveAll(ctx, full); err != nil {
			t.Errorf("RemoveAll of a missing path: %v", err)
		}
	})
}

func TestFilesMissingPathsAreNotExist(t *testing.T) {
	forEachFiles(t, func(t *testing.T, files Files, dir string) {
		ctx := context.Background()
		missing := filepath.Join(dir, "missing")
		checks := map[string]error{}
		_, checks["ReadFile"] = files.ReadFile(ctx, missing)
		_, checks["Open"] = files.Open(ctx, missing)
		_, checks["Stat"] = files.Stat(ctx, missing)
		_, checks["Lstat"] = files.Lstat(ctx, missing)
		_, checks["ReadDir"] = files.ReadDir(ctx, missing)
		checks["Remove"] = files.Remove(ctx, missing)
		checks["Rename"] = files.Rename(ctx, missing, filepath.Join(dir, "other"))
		for op, err := range checks {
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s of a missing path: %v, want fs.ErrNotExist", op, err)
			} else if !strings.Contains(err.Error(), missing) {
				t.Errorf("%s: error %q does not name the path", op, err)
			}
		}
	})
}

func TestFilesHonourCancelledContext(t *testing.T) {
	forEachFiles(t, func(t *testing.T, files Files, dir string) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		path := filepath.Join(dir, "f")
		if err := files.WriteFile(ctx, path, strings.NewReader("x"), 0o600); !errors.Is(err, context.Canceled) {
			t.Errorf("WriteFile: %v", err)
		}
		if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Error("a cancelled WriteFile created the file")
		}
		if _, err := files.Stat(ctx, dir); !errors.Is(err, context.Canceled) {
			t.Errorf("Stat: %v", err)
		}
	})
}
