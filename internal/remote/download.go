package remote

import (
	"context"
	"errors"
	"io"
	"os"
)

// Download copies src on the host files reaches into dst, a new local file
// readable by its owner only: what is fetched (an etcd snapshot, say) may
// hold secrets. An existing dst is an error, never overwritten.
func Download(ctx context.Context, files Files, src, dst string) error {
	in, err := files.Open(ctx, src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err = errors.Join(err, out.Close()); err != nil {
		_ = os.Remove(dst)
	}
	return err
}
