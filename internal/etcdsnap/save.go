package etcdsnap

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// partSuffix marks a snapshot still being written; only a checked snapshot
// is renamed to its final name.
const partSuffix = ".part"

// copyBufferSize is larger than the server's 32 KiB chunks, so one read
// never has to be split.
const copyBufferSize = 256 << 10

// Save streams a point-in-time snapshot from the client's single endpoint
// into path, the way `etcdctl snapshot save` does: into path+".part" with
// mode 0600, hashing as it goes; it refuses a stream whose sha256 trailer
// does not match, a database in which bbolt cannot read every revision of
// etcd's keys, and a cancelled ctx. It fsyncs (while bbolt reads the file
// back), closes and renames. On error the .part file is removed and an
// existing file at path is left as it was.
//
// Save does not run bbolt's page-by-page consistency check, whose walk
// through the mapped file would make the process as large as the snapshot:
// Verify runs it, and the nightly run calls Verify after Save.
func Save(ctx context.Context, cli *clientv3.Client, path string) (Info, error) {
	return saveSnapshot(ctx, cli, path, nil)
}

// saveSnapshot is Save; tests pass afterWrite to act in the middle of a stream.
func saveSnapshot(ctx context.Context, cli *clientv3.Client, path string, afterWrite func(written int64)) (info Info, err error) {
	eps := cli.Endpoints()
	if len(eps) != 1 {
		return Info{}, fmt.Errorf("etcd snapshot: a snapshot is one member's state, so the client needs exactly one endpoint, not %d %v", len(eps), eps)
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("etcd snapshot from %s to %s: %w", eps[0], path, err)
		}
	}()
	part := path + partSuffix
	f, err := createPart(part)
	if err != nil {
		return Info{}, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, discardPart(f, part))
		}
	}()

	ctx, cancel := context.WithCancel(ctx) // ends the gRPC stream on every return
	defer cancel()
	resp, err := cli.SnapshotWithVersion(ctx)
	if err != nil {
		return Info{}, fmt.Errorf("open snapshot stream: %w", err)
	}
	defer resp.Snapshot.Close() // only releases the stream; a read error already surfaced
	trailer := newTrailerHasher()
	dst := io.Writer(io.MultiWriter(&writeBehind{f: f}, trailer))
	if afterWrite != nil {
		dst = &writeObserver{w: dst, after: afterWrite}
	}
	n, err := io.CopyBuffer(dst, contextReader{ctx, resp.Snapshot}, make([]byte, copyBufferSize))
	if err != nil {
		return Info{}, fmt.Errorf("stream snapshot after %d bytes: %w", n, err)
	}
	if err := trailer.check(part); err != nil {
		return Info{}, err
	}
	whole, err := trailer.wholeSum()
	if err != nil {
		return Info{}, fmt.Errorf("hash %s: %w", part, err)
	}
	ks, err := syncAndRead(f, part)
	if err != nil {
		return Info{}, err
	}
	if err := f.Close(); err != nil {
		return Info{}, fmt.Errorf("close %s: %w", part, err)
	}
	if err := os.Rename(part, path); err != nil {
		return Info{}, fmt.Errorf("rename %s to %s: %w", part, path, err)
	}
	info = Info{Size: n, SHA256: hex.EncodeToString(whole), Version: resp.Version}
	info.setKeyspace(ks)
	if info.Version == "" {
		info.Version = ks.storageVersion
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return info, fmt.Errorf("snapshot renamed into place but its directory was not synced: %w", err)
	}
	return info, nil
}

// syncAndRead fsyncs the written .part file and, meanwhile, reads it back
// with bbolt: the file's pages are in the page cache, so the checks need
// not wait for the disk. Both must succeed before the rename.
func syncAndRead(f *os.File, part string) (keyspace, error) {
	synced := make(chan error, 1)
	go func() { synced <- f.Sync() }()
	ks, err := readKeyspace(part, false)
	if serr := <-synced; serr != nil {
		return keyspace{}, fmt.Errorf("fsync %s: %w", part, serr)
	}
	return ks, err
}

// writeBehind writes to the .part file and asks the kernel to start
// writing each writeBehindChunk to disk as soon as it is complete, so that
// the final fsync waits for the last chunk only, not for the whole file.
type writeBehind struct {
	f       *os.File
	written int64
	started int64 // bytes handed to the disk so far
}

// writeBehindChunk is large enough for efficient writes and small enough
// that little is left for the fsync.
const writeBehindChunk = 8 << 20

func (w *writeBehind) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.written += int64(n)
	if w.written-w.started >= writeBehindChunk {
		startWriteback(w.f, w.started, w.written-w.started)
		w.started = w.written
	}
	return n, err
}

// createPart creates the .part file with mode 0600, replacing a leftover
// from an interrupted run (whose mode might have been looser).
func createPart(part string) (*os.File, error) {
	if err := os.Remove(part); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("remove leftover %s: %w", part, err)
	}
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", part, err)
	}
	return f, nil
}

// discardPart closes and removes a failed .part file.
func discardPart(f *os.File, part string) error {
	if err := f.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("close %s: %w", part, err)
	}
	if err := os.Remove(part); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", part, err)
	}
	return nil
}

// syncDir makes a rename inside dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// contextReader stops a copy between reads once ctx is done, even when
// the stream has data buffered.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

type writeObserver struct {
	w       io.Writer
	written int64
	after   func(written int64)
}

func (o *writeObserver) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	o.written += int64(n)
	o.after(o.written)
	return n, err
}
