package remote

import (
	"context"
	"errors"
	"io"
	"io/fs"
)

// Runner returns a Runner for cfg's host that uses the pooled connection.
//
// When the connection turns out to be dead before a command was sent, the
// command is sent once more on a new connection. A command whose connection
// died after it was sent is never re-run, because it may have taken effect
// on the host: the caller gets a *ConnectionLostError and decides.
func (p *Pool) Runner(cfg Config) Runner { return &pooledRunner{pool: p, cfg: cfg} }

type pooledRunner struct {
	pool *Pool
	cfg  Config
}

func (r *pooledRunner) Host() string { return r.cfg.Host }

func (r *pooledRunner) Run(ctx context.Context, cmd Cmd) (Result, error) {
	res, err := r.runOnce(ctx, cmd)
	var lost *ConnectionLostError
	if !errors.As(err, &lost) || !lost.NotStarted || ctx.Err() != nil {
		return res, err
	}
	program := ""
	if len(cmd.Argv) > 0 {
		program = cmd.Argv[0] // arguments may hold secrets; the program name does not
	}
	r.pool.logger.Warn("ssh: connection lost before the command was sent, retrying once on a new connection",
		"host", r.cfg.Host, "port", r.cfg.port(), "user", r.cfg.user(), "program", program, "cause", lost.Err)
	return r.runOnce(ctx, cmd)
}

func (r *pooledRunner) runOnce(ctx context.Context, cmd Cmd) (Result, error) {
	c, err := r.pool.Get(ctx, r.cfg)
	if err != nil {
		return Result{}, err
	}
	return c.Run(ctx, cmd)
}

// Files returns Files for cfg's host over the pooled connection. Each call
// uses the pool's current connection, so a lost one is replaced on the next
// call; operations are not retried.
func (p *Pool) Files(cfg Config) Files { return &pooledFiles{pool: p, cfg: cfg} }

type pooledFiles struct {
	pool *Pool
	cfg  Config
}

func (f *pooledFiles) files(ctx context.Context) (Files, error) {
	c, err := f.pool.Get(ctx, f.cfg)
	if err != nil {
		return nil, err
	}
	files, err := c.Files()
	return files, connectFailed(f.cfg.Host, err)
}

func (f *pooledFiles) WriteFile(ctx context.Context, path string, r io.Reader, mode fs.FileMode) error {
	files, err := f.files(ctx)
	if err != nil {
		return err
	}
	return files.WriteFile(ctx, path, r, mode)
}

func (f *pooledFiles) ReadFile(ctx context.Context, path string) ([]byte, error) {
	files, err := f.files(ctx)
	if err != nil {
		return nil, err
	}
	return files.ReadFile(ctx, path)
}

func (f *pooledFiles) Open(ctx context.Context, path string) (io.ReadCloser, error) {
	files, err := f.files(ctx)
	if err != nil {
		return nil, err
	}
	return files.Open(ctx, path)
}

func (f *pooledFiles) Stat(ctx context.Context, path string) (fs.FileInfo, error) {
	files, err := f.files(ctx)
	if err != nil {
		return nil, err
	}
	return files.Stat(ctx, path)
}

func (f *pooledFiles) Lstat(ctx context.Context, path string) (fs.FileInfo, error) {
	files, err := f.files(ctx)
	if err != nil {
		return nil, err
	}
	return files.Lstat(ctx, path)
}

func (f *pooledFiles) ReadDir(ctx context.Context, path string) ([]fs.FileInfo, error) {
	files, err := f.files(ctx)
	if err != nil {
		return nil, err
	}
	return files.ReadDir(ctx, path)
}

func (f *pooledFiles) MkdirAll(ctx context.Context, path string, mode fs.FileMode) error {
	files, err := f.files(ctx)
	if err != nil {
		return err
	}
	return files.MkdirAll(ctx, path, mode)
}

func (f *pooledFiles) Remove(ctx context.Context, path string) error {
	files, err := f.files(ctx)
	if err != nil {
		return err
	}
	return files.Remove(ctx, path)
}

func (f *pooledFiles) RemoveAll(ctx context.Context, path string) error {
	files, err := f.files(ctx)
	if err != nil {
		return err
	}
	return files.RemoveAll(ctx, path)
}

func (f *pooledFiles) Rename(ctx context.Context, oldpath, newpath string) error {
	files, err := f.files(ctx)
	if err != nil {
		return err
	}
	return files.Rename(ctx, oldpath, newpath)
}
