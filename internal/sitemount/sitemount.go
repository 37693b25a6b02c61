// Package sitemount mounts a site's volume read-only on one of its nodes,
// over a Runner, so that verification reads the bytes that really arrived
// rather than trusting what geo-replication reports.
package sitemount

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// baseDir holds the temporary mount points; /run is cleared on reboot, so a
// crash leaves nothing that outlives the node's next boot, and the next
// mount from the same controller clears what a killed run left (see
// clearStale).
var baseDir = "/run/glusterdr/mnt"

// Mount is a FUSE mount of a volume on a node.
type Mount struct {
	r    remote.Runner
	Path string
}

// ReadOnly mounts host:/volume read-only at a fresh folder on the node that
// r runs on.
func ReadOnly(ctx context.Context, r remote.Runner, host, volume string) (*Mount, error) {
	return mount(ctx, r, host, volume, "ro")
}

// ReadWrite mounts host:/volume writable, for a site promoted by failover.
func ReadWrite(ctx context.Context, r remote.Runner, host, volume string) (*Mount, error) {
	return mount(ctx, r, host, volume, "rw")
}

// Snapshot mounts an activated gluster snapshot of volume origin,
// read-only (a snapshot is never writable).
func Snapshot(ctx context.Context, r remote.Runner, host, snapshot, origin string) (*Mount, error) {
	if err := gluster.ValidVolumeName(snapshot); err != nil {
		return nil, fmt.Errorf("snapshot name: %w", err)
	}
	return mountSource(ctx, r, host, origin, "snaps/"+snapshot+"/"+origin, "ro")
}

func mount(ctx context.Context, r remote.Runner, host, volume, mode string) (*Mount, error) {
	return mountSource(ctx, r, host, volume, volume, mode)
}

// mountSource mounts host:/source; volume names the mount point.
func mountSource(ctx context.Context, r remote.Runner, host, volume, source, mode string) (*Mount, error) {
	if err := gluster.ValidHost(host); err != nil {
		return nil, err
	}
	if err := gluster.ValidVolumeName(volume); err != nil {
		return nil, err
	}
	suffix := make([]byte, 6)
	if _, err := rand.Read(suffix); err != nil {
		return nil, err
	}
	_, _ = clearStale(ctx, r) // best effort: a leftover must not stop tonight's verification
	mp := path.Join(baseDir, volume+"@"+owner()+"."+hex.EncodeToString(suffix))
	if _, err := r.Run(ctx, remote.Command("mkdir", "-p", mp)); err != nil {
		return nil, fmt.Errorf("making the mount point on %s: %w", r.Host(), err)
	}
	argv := []string{"mount", "-t", "glusterfs", "-o", mode, host + ":/" + source, mp}
	if _, err := r.Run(ctx, remote.Command(argv...)); err != nil {
		_, _ = r.Run(ctx, remote.Command("rmdir", mp))
		return nil, fmt.Errorf("mounting %s:/%s (%s) on %s: %w", host, source, mode, r.Host(), err)
	}
	return &Mount{r: r, Path: mp}, nil
}

// Unmount unmounts and removes the mount point. It runs even when ctx is
// done, with a short deadline of its own, so that a cancelled verification
// still cleans up.
func (m *Mount) Unmount(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, err := m.r.Run(ctx, remote.Command("umount", m.Path))
	if err != nil {
		return fmt.Errorf("unmounting %s on %s: %w", m.Path, m.r.Host(), err)
	}
	_, rmErr := m.r.Run(ctx, remote.Command("rmdir", m.Path))
	return errors.Join(err, rmErr)
}
