package remote

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestDownloadMakesAPrivateCopy(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "snap"), filepath.Join(dir, "copy")
	if err := os.WriteFile(src, []byte("etcd bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Download(context.Background(), LocalFiles{}, src, dst); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(dst)
	fi, _ := os.Stat(dst)
	if string(got) != "etcd bytes" || fi.Mode().Perm() != 0o600 {
		t.Errorf("copy %q mode %v, want the bytes at 0600", got, fi.Mode().Perm())
	}
	if err := Download(context.Background(), LocalFiles{}, src, dst); !errors.Is(err, fs.ErrExist) {
		t.Errorf("a second download over the copy: %v, want ErrExist", err)
	}
	if err := Download(context.Background(), LocalFiles{}, filepath.Join(dir, "missing"), filepath.Join(dir, "x")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing source: %v, want ErrNotExist", err)
	}
}
