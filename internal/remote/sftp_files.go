package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	pathpkg "path"
	"sort"
	"syscall"

	"github.com/pkg/sftp"
)

// sftpFiles is Files over one SFTP session. SFTP requests cannot be
// cancelled one by one: ctx is checked before each request and between the
// chunks of a transfer, and a host that stops answering is cut off by the
// connection's keepalive.
type sftpFiles struct {
	c    *sftp.Client
	addr string
}

var _ Files = (*sftpFiles)(nil)

// WriteFile implements Files. SFTP tells a full disk only as "Failure", so
// a write that fails on a file system found full says so.
func (s *sftpFiles) WriteFile(ctx context.Context, path string, r io.Reader, mode fs.FileMode) error {
	err := writeFileAtomic(ctx, s, path, r, mode)
	if err != nil && ctx.Err() == nil {
		err = s.explainFull(path, err)
	}
	return s.wrap("write", path, err)
}

// fullBelow: a file system with less free space than this, after a write
// to it failed, is taken for full.
const fullBelow = 1 << 20

// explainFull adds ENOSPC, and what is left, to err when the file system
// of name is full (of bytes or of inodes); err as it is otherwise, or when
// the server cannot tell (no statvfs@openssh.com).
func (s *sftpFiles) explainFull(name string, err error) error {
	dir := pathpkg.Dir(name)
	vfs, verr := s.c.StatVFS(dir)
	if verr != nil {
		return err
	}
	free := vfs.Bfree * vfs.Frsize
	if free >= fullBelow && vfs.Ffree > 0 {
		return err
	}
	return fmt.Errorf("%w (%w: the file system of %s on %s has %s and %d inodes free)",
		err, syscall.ENOSPC, dir, s.addr, FormatBytes(int64(free)), vfs.Ffree)
}

func (s *sftpFiles) ReadFile(ctx context.Context, path string) ([]byte, error) {
	f, err := s.open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.f.Stat(); err == nil && info.Size() > MaxReadFile {
		return nil, &FileTooLargeError{Host: s.addr, Path: path, Limit: MaxReadFile}
	}
	data, err := readCapped(f, s.addr, path) // the file may have grown since
	var tooLarge *FileTooLargeError
	if err != nil && !errors.As(err, &tooLarge) {
		return nil, s.wrap("read", path, err)
	}
	return data, err
}

func (s *sftpFiles) Open(ctx context.Context, path string) (io.ReadCloser, error) {
	return s.open(ctx, path)
}

func (s *sftpFiles) open(ctx context.Context, path string) (*sftpReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := s.c.Open(path)
	if err != nil {
		return nil, s.wrap("open", path, err)
	}
	return &sftpReader{ctx: ctx, f: f}, nil
}

func (s *sftpFiles) Stat(ctx context.Context, path string) (fs.FileInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	info, err := s.c.Stat(path)
	return info, s.wrap("stat", path, err)
}

func (s *sftpFiles) Lstat(ctx context.Context, path string) (fs.FileInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	info, err := s.c.Lstat(path)
	return info, s.wrap("lstat", path, err)
}

// ReadDir implements Files. Entries are sorted by name, as LocalFiles's are.
func (s *sftpFiles) ReadDir(ctx context.Context, path string) ([]fs.FileInfo, error) {
	infos, err := s.c.ReadDirContext(ctx, path)
	if err != nil {
		return nil, s.wrap("readdir", path, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err // ReadDirContext returns a partial listing on cancel
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Name() < infos[j].Name() })
	return infos, nil
}

func (s *sftpFiles) MkdirAll(ctx context.Context, path string, mode fs.FileMode) error {
	return s.wrap("mkdir", path, mkdirAll(ctx, s, path, mode))
}

func (s *sftpFiles) Remove(ctx context.Context, path string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.wrap("remove", path, s.c.Remove(path))
}

func (s *sftpFiles) RemoveAll(ctx context.Context, path string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.c.RemoveAll(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, statErr := s.c.Lstat(path); errors.Is(statErr, fs.ErrNotExist) {
			return nil
		}
	}
	return s.wrap("removeall", path, err)
}

func (s *sftpFiles) Rename(ctx context.Context, oldpath, newpath string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.wrap("rename", oldpath, s.renameReplacing(oldpath, newpath))
}

// renameReplacing replaces newpath atomically with posix-rename@openssh.com.
// Without that extension, plain SFTP rename refuses an existing target, so
// the target is removed first: not atomic, but the best such a server allows.
func (s *sftpFiles) renameReplacing(oldpath, newpath string) error {
	if _, ok := s.c.HasExtension("posix-rename@openssh.com"); ok {
		return s.c.PosixRename(oldpath, newpath)
	}
	if err := s.c.Remove(newpath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return s.c.Rename(oldpath, newpath)
}

// createPart creates name readable by its owner only from the start. SFTP's
// open takes no mode from this client library, and a file created with the
// server's default mode and narrowed afterwards could be opened by another
// user in between and read once the secret is in it. So the file is made
// inside a fresh private folder, narrowed there, and only then moved to
// name; the folder goes at once.
func (s *sftpFiles) createPart(name string) (partFile, error) {
	private := name + privateSuffix
	if err := s.c.RemoveAll(private); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err // a crash's leftover that cannot be cleared
	}
	if err := s.c.Mkdir(private); err != nil {
		return nil, err
	}
	defer s.c.RemoveAll(private)
	if err := s.c.Chmod(private, 0o700); err != nil {
		return nil, err
	}
	inside := private + "/part"
	f, err := s.c.OpenFile(inside, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, err
	}
	if err := s.renameReplacing(inside, name); err != nil {
		f.Close()
		return nil, err
	}
	return &sftpPart{File: f, canSync: s.hasFsync()}, nil
}

// privateSuffix names the private folder createPart makes a part file in:
// name.part.d for name.part.
const privateSuffix = ".d"

func (s *sftpFiles) hasFsync() bool {
	_, ok := s.c.HasExtension("fsync@openssh.com")
	return ok
}

func (s *sftpFiles) stat(name string) (fs.FileInfo, error)     { return s.c.Stat(name) }
func (s *sftpFiles) chmod(name string, mode fs.FileMode) error { return s.c.Chmod(name, mode) }
func (s *sftpFiles) rename(oldname, newname string) error      { return s.renameReplacing(oldname, newname) }
func (s *sftpFiles) remove(name string) error                  { return s.c.Remove(name) }
func (s *sftpFiles) mkdir(name string) error                   { return s.c.Mkdir(name) }

// syncDir is a no-op: SFTP can fsync only open files, not directories.
func (s *sftpFiles) syncDir(string) error { return nil }

// wrap names the host and path in an error, keeping errors.Is(fs.ErrNotExist).
func (s *sftpFiles) wrap(op, path string, err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return fmt.Errorf("sftp %s: %w", s.addr, err)
	}
	return fmt.Errorf("sftp %s: %w", s.addr, &fs.PathError{Op: op, Path: path, Err: err})
}

type sftpPart struct {
	*sftp.File
	canSync bool
}

func (p *sftpPart) sync() error {
	if !p.canSync {
		return nil
	}
	return p.Sync()
}

// ReadFrom writes with several requests in flight, which a high-latency link
// needs; an error discards the .part file, so out-of-order writes are safe.
func (p *sftpPart) ReadFrom(r io.Reader) (int64, error) {
	return p.ReadFromWithConcurrency(r, 0)
}

// sftpReader keeps sftp.File's concurrent WriteTo while honouring ctx.
type sftpReader struct {
	ctx context.Context
	f   *sftp.File
}

func (r *sftpReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.f.Read(p)
}

func (r *sftpReader) WriteTo(w io.Writer) (int64, error) {
	return r.f.WriteTo(contextWriter{r.ctx, w})
}

func (r *sftpReader) Close() error { return r.f.Close() }

type contextWriter struct {
	ctx context.Context
	w   io.Writer
}

func (cw contextWriter) Write(p []byte) (int, error) {
	if err := cw.ctx.Err(); err != nil {
		return 0, err
	}
	return cw.w.Write(p)
}
