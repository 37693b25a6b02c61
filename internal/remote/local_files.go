package remote

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
)

// LocalFiles is this machine's root filesystem as Files.
type LocalFiles struct{}

var _ Files = LocalFiles{}

// WriteFile implements Files.
func (l LocalFiles) WriteFile(ctx context.Context, path string, r io.Reader, mode fs.FileMode) error {
	return writeFileAtomic(ctx, l, path, r, mode)
}

// ReadFile implements Files.
func (LocalFiles) ReadFile(ctx context.Context, path string) ([]byte, error) {
	f, err := LocalFiles{}.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readCapped(f, "localhost", path)
}

// Open implements Files.
func (LocalFiles) Open(ctx context.Context, path string) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return contextReadCloser{contextReader{ctx, f}, f}, nil
}

// Stat implements Files.
func (LocalFiles) Stat(ctx context.Context, path string) (fs.FileInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return os.Stat(path)
}

// Lstat implements Files.
func (LocalFiles) Lstat(ctx context.Context, path string) (fs.FileInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return os.Lstat(path)
}

// ReadDir implements Files. Entries are sorted by name.
func (LocalFiles) ReadDir(ctx context.Context, path string) ([]fs.FileInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	infos := make([]fs.FileInfo, 0, len(entries))
	for _, e := range entries {
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since the listing
		}
		if err != nil {
			return nil, err
		}
		infos = append(infos, info)
	}
	return infos, nil
}

// MkdirAll implements Files.
func (l LocalFiles) MkdirAll(ctx context.Context, path string, mode fs.FileMode) error {
	return mkdirAll(ctx, l, path, mode)
}

// Remove implements Files.
func (LocalFiles) Remove(ctx context.Context, path string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return os.Remove(path)
}

// RemoveAll implements Files.
func (LocalFiles) RemoveAll(ctx context.Context, path string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return os.RemoveAll(path)
}

// Rename implements Files.
func (LocalFiles) Rename(ctx context.Context, oldpath, newpath string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return os.Rename(oldpath, newpath)
}

func (LocalFiles) createPart(name string) (partFile, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	return localPart{f}, nil
}

type localPart struct{ *os.File }

func (p localPart) sync() error { return p.Sync() }

func (LocalFiles) stat(name string) (fs.FileInfo, error)     { return os.Stat(name) }
func (LocalFiles) chmod(name string, mode fs.FileMode) error { return os.Chmod(name, mode) }
func (LocalFiles) rename(oldname, newname string) error      { return os.Rename(oldname, newname) }
func (LocalFiles) remove(name string) error                  { return os.Remove(name) }
func (LocalFiles) mkdir(name string) error                   { return os.Mkdir(name, 0o700) }

func (LocalFiles) syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
