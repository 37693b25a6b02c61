package benchrepl

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// ScratchVolume is the name of the volume the reference commands write
// into: the sites' DR volumes are read-only to clients.
const ScratchVolume = "bench-scratch"

// scratchMount is where the scratch volume is mounted on its node.
const scratchMount = "/var/glfs/" + ScratchVolume

// Scratch is a one-brick volume on a site node, mounted there with FUSE as
// the site's gsyncd mounts its own volume.
type Scratch struct {
	conn lab.Conn
	node lab.Node
	g    *gluster.Client
	r    remote.Runner
}

// NewScratch creates, starts and mounts the scratch volume on node, after
// removing the one a killed run may have left there.
func NewScratch(ctx context.Context, conn lab.Conn, node string) (*Scratch, error) {
	n, err := conn.D.Node(node)
	if err != nil {
		return nil, err
	}
	r, err := conn.Runner(node)
	if err != nil {
		return nil, err
	}
	s := &Scratch{conn: conn, node: n, g: gluster.New(r), r: r}
	switch _, err := s.g.VolumeInfo(ctx, ScratchVolume); {
	case err == nil: // left by a run that was killed: it is the harness's own
		if err := s.Close(ctx); err != nil {
			return nil, fmt.Errorf("removing the scratch volume an earlier run left on %s: %w", node, err)
		}
	case !errors.Is(err, gluster.ErrNotFound):
		return nil, err
	}
	brick := lab.BrickPath(conn.D.Dir, n.Name, ScratchVolume)
	spec := gluster.VolumeSpec{Name: ScratchVolume, Type: gluster.Distribute, Force: true,
		Bricks: []gluster.Brick{{Host: n.Address, Path: brick}}}
	if err := s.g.CreateVolume(ctx, spec); err != nil {
		return nil, fmt.Errorf("scratch volume on %s: %w", node, err)
	}
	if err := s.g.StartVolume(ctx, ScratchVolume); err != nil {
		return s, errors.Join(err, s.Close(ctx))
	}
	mount := []string{"sh", "-c", `mkdir -p "$2" && mount -t glusterfs "$1" "$2"`, "sh", n.Address + ":/" + ScratchVolume, scratchMount}
	if _, err := r.Run(ctx, remote.Cmd{Argv: mount}); err != nil {
		return s, errors.Join(err, s.Close(ctx))
	}
	return s, nil
}

// Dir is a folder of the mounted scratch volume, made empty.
func (s *Scratch) Dir(ctx context.Context, name string) (string, error) {
	dir := scratchMount + "/" + name
	_, err := s.r.Run(ctx, remote.Command("sh", "-c", `rm -rf -- "$1" && mkdir -p -- "$1"`, "sh", dir))
	return dir, err
}

// Close unmounts, stops and deletes the scratch volume and removes its
// brick; each step runs even when one before failed.
func (s *Scratch) Close(ctx context.Context) error {
	_, errUmount := s.r.Run(ctx, remote.Command("sh", "-c", `! mountpoint -q "$1" || umount "$1"`, "sh", scratchMount))
	errStop := s.g.StopVolume(ctx, ScratchVolume)
	errDelete := s.g.DeleteVolume(ctx, ScratchVolume)
	var errBrick error
	if errDelete == nil {
		errBrick = os.RemoveAll(lab.BrickPath(s.conn.D.Dir, s.node.Name, ScratchVolume))
	}
	return errors.Join(errUmount, errStop, errDelete, errBrick)
}

// Address is the scratch node's address.
func (s *Scratch) Address() string { return s.node.Address }
