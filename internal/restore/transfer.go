package restore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sync/atomic"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// tarCreate archives exactly the listed paths (NUL-separated on stdin,
// relative to the point's root) and nothing under them, keeping owners as
// numbers, sparse files sparse, and nanosecond times (the posix format).
// --verbatim-files-from keeps a name that starts with '-' a name.
func tarCreate(root string) []string {
	return []string{"tar", "--create", "--file=-", "--directory=" + root, "--no-recursion", "--null",
		"--verbatim-files-from", "--files-from=-", "--numeric-owner", "--sparse", "--format=posix"}
}

// tarExtract unpacks onto the primary's tree, replacing what is there.
func tarExtract(root string) []string {
	return []string{"tar", "--extract", "--file=-", "--directory=" + root, "--numeric-owner",
		"--preserve-permissions", "--overwrite"}
}

// nulList is the NUL-separated list tar and xargs read.
func nulList(paths []string) io.Reader {
	var b bytes.Buffer
	for _, p := range paths {
		b.WriteString(p)
		b.WriteByte(0)
	}
	return &b
}

// stream pipes tar from the point's node through this machine into tar on
// the primary, and returns how many bytes of archive passed.
func stream(ctx context.Context, from remote.Runner, fromRoot string, to remote.Runner, toRoot string, paths []string) (int64, error) {
	if len(paths) == 0 {
		return 0, nil
	}
	pr, pw := io.Pipe()
	counted := &countingWriter{w: pw}
	produced := make(chan error, 1)
	go func() {
		_, err := from.Run(ctx, remote.Cmd{Argv: tarCreate(fromRoot), Stdin: nulList(paths), Stdout: counted})
		pw.CloseWithError(err)
		produced <- err
	}()
	_, err := to.Run(ctx, remote.Cmd{Argv: tarExtract(toRoot), Stdin: pr})
	pr.CloseWithError(errors.New("the extraction ended")) // unblocks a producer left writing
	perr := <-produced
	if perr != nil {
		return counted.n.Load(), fmt.Errorf("reading the point on %s: %w", from.Host(), perr)
	}
	if err != nil {
		return counted.n.Load(), fmt.Errorf("writing onto the primary on %s: %w", to.Host(), err)
	}
	return counted.n.Load(), nil
}

type countingWriter struct {
	w io.Writer
	n atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// removeAll deletes the paths under root on r's host, NUL-separated through
// xargs so that no name ever meets a shell.
func removeAll(ctx context.Context, r remote.Runner, root string, paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	abs := make([]string, len(paths))
	for i, p := range paths {
		abs[i] = path.Join(root, p)
	}
	_, err := r.Run(ctx, remote.Cmd{Argv: []string{"xargs", "-0", "-r", "rm", "-rf", "--"}, Stdin: nulList(abs)})
	if err != nil {
		return fmt.Errorf("removing %d paths under %s on %s: %w", len(paths), root, r.Host(), err)
	}
	return nil
}
