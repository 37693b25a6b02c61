package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"syscall"
)

// Files is a host's filesystem: over SFTP for a remote host (Client.Files,
// Pool.Files), or this machine's (LocalFiles). Paths are absolute, slash
// separated. An error about a missing file matches fs.ErrNotExist.
type Files interface {
	// WriteFile writes r to path atomically: into path+".part" first, which
	// is checked for size, given mode, synced where the server allows, and
	// renamed over path. On any error the .part file is removed and an
	// existing file at path is left untouched.
	WriteFile(ctx context.Context, path string, r io.Reader, mode fs.FileMode) error
	ReadFile(ctx context.Context, path string) ([]byte, error)
	// Open streams a file. Reads fail once ctx is done.
	Open(ctx context.Context, path string) (io.ReadCloser, error)
	Stat(ctx context.Context, path string) (fs.FileInfo, error)
	Lstat(ctx context.Context, path string) (fs.FileInfo, error)
	ReadDir(ctx context.Context, path string) ([]fs.FileInfo, error)
	// MkdirAll creates path and any missing parents with mode (which is
	// applied as given, not masked by a umask); existing ones are left as
	// they are.
	MkdirAll(ctx context.Context, path string, mode fs.FileMode) error
	// Remove removes a file or an empty directory.
	Remove(ctx context.Context, path string) error
	// RemoveAll removes path and everything below it; a missing path is
	// not an error.
	RemoveAll(ctx context.Context, path string) error
	// Rename renames oldpath to newpath, replacing newpath if it exists.
	Rename(ctx context.Context, oldpath, newpath string) error
}

// MaxReadFile caps what ReadFile reads: the files read whole (set.json, a
// manifest, a journal, known_hosts) are far smaller; big ones are streamed
// with Open.
const MaxReadFile int64 = 64 << 20

// FileTooLargeError reports a file longer than ReadFile takes.
type FileTooLargeError struct {
	Host, Path string
	Limit      int64
}

func (e *FileTooLargeError) Error() string {
	return fmt.Sprintf("reading %s on %s: the file is larger than %s, the most read whole; it is not the small file expected here",
		e.Path, e.Host, FormatBytes(e.Limit))
}

// readCapped reads r to the end, failing past MaxReadFile.
func readCapped(r io.Reader, host, path string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxReadFile+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > MaxReadFile {
		return nil, &FileTooLargeError{Host: host, Path: path, Limit: MaxReadFile}
	}
	return data, nil
}

// PartSuffix is appended to a file's name while WriteFile writes it.
const PartSuffix = ".part"

// fileOps are the primitives the shared WriteFile and MkdirAll logic needs
// from each implementation.
type fileOps interface {
	// createPart creates or truncates name for writing, mode 0600, so that
	// a secret is never readable while it is being written.
	createPart(name string) (partFile, error)
	stat(name string) (fs.FileInfo, error)
	chmod(name string, mode fs.FileMode) error
	rename(oldname, newname string) error
	remove(name string) error
	mkdir(name string) error
	// syncDir makes a rename in dir durable where the other end can; a
	// no-op where it cannot.
	syncDir(dir string) error
}

type partFile interface {
	io.Writer
	// sync flushes to stable storage where the other end can; it is a no-op
	// where it cannot (SFTP servers without fsync@openssh.com).
	sync() error
	Close() error
}

func writeFileAtomic(ctx context.Context, ops fileOps, name string, r io.Reader, mode fs.FileMode) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	part := name + PartSuffix
	// A .part left by a crash may carry another mode; start afresh.
	if err := ops.remove(part); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := ops.createPart(part)
	if err != nil {
		return err
	}
	closed := false
	defer func() {
		if err == nil {
			return
		}
		if !closed {
			f.Close()
		}
		if rmErr := ops.remove(part); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) {
			err = errors.Join(err, fmt.Errorf("removing the partial file: %w", rmErr))
		}
	}()

	n, err := io.Copy(f, contextReader{ctx, r})
	if err != nil {
		return &fs.PathError{Op: "write", Path: part, Err: err}
	}
	if err := f.sync(); err != nil {
		return &fs.PathError{Op: "sync", Path: part, Err: err}
	}
	closed = true
	if err := f.Close(); err != nil {
		return &fs.PathError{Op: "close", Path: part, Err: err}
	}
	info, err := ops.stat(part)
	if err != nil {
		return err
	}
	if info.Size() != n {
		return &fs.PathError{Op: "write", Path: part,
			Err: fmt.Errorf("size on disk is %d bytes, but %d were written (disk full, or written to concurrently?)", info.Size(), n)}
	}
	if err := ops.chmod(part, mode); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ops.rename(part, name); err != nil {
		return err
	}
	// The file is in place; a failure to sync its directory must not remove
	// it (the deferred cleanup only removes the .part, which is gone).
	if err := ops.syncDir(path.Dir(name)); err != nil {
		return &fs.PathError{Op: "sync", Path: path.Dir(name), Err: err}
	}
	return nil
}

func mkdirAll(ctx context.Context, ops fileOps, dir string, mode fs.FileMode) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	info, err := ops.stat(dir)
	switch {
	case err == nil && info.IsDir():
		return nil
	case err == nil:
		return &fs.PathError{Op: "mkdir", Path: dir, Err: syscall.ENOTDIR}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if parent := path.Dir(dir); parent != dir {
		if err := mkdirAll(ctx, ops, parent, mode); err != nil {
			return err
		}
	}
	if err := ops.mkdir(dir); err != nil {
		// Someone else may have made it in the meantime.
		if info, statErr := ops.stat(dir); statErr == nil && info.IsDir() {
			return nil
		}
		return err
	}
	return ops.chmod(dir, mode)
}

// contextReader stops a copy once ctx is done.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (cr contextReader) Read(p []byte) (int, error) {
	if err := cr.ctx.Err(); err != nil {
		return 0, err
	}
	return cr.r.Read(p)
}

// contextReadCloser is what Open returns.
type contextReadCloser struct {
	contextReader
	io.Closer
}
