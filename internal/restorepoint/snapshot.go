package restorepoint

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

func (s Site) makeSnapshot(ctx context.Context, id string, check Check) (*backupset.RestorePoint, error) {
	g := gluster.New(s.Runner)
	if s.Nodes != nil {
		if err := SnapshotCapable(ctx, g, s.Nodes, s.SecondaryVolume); err != nil {
			return nil, err
		}
	}
	_, err := g.CreateSnapshot(ctx, id, s.SecondaryVolume)
	if errors.Is(err, gluster.ErrAlreadyExists) { // an unrecorded earlier attempt
		if err = g.DeleteSnapshot(ctx, id); err == nil {
			_, err = g.CreateSnapshot(ctx, id, s.SecondaryVolume)
		}
	}
	if err != nil {
		return nil, err
	}
	p := &backupset.RestorePoint{Method: schedule.PointsSnapshot, Node: s.Points.Node, Volume: s.SecondaryVolume, Location: id}
	err = Reader{Runner: s.Runner, Mounts: s.Mounts}.read(ctx, p, func(ctx context.Context, root string) error {
		var err error
		if p.Files, p.Bytes, err = treeSize(ctx, s.Runner, root); err != nil {
			return err
		}
		return check(ctx, s.Runner, root)
	})
	if err != nil {
		return nil, errors.Join(err, g.DeleteSnapshot(ctx, id))
	}
	return p, nil
}

// read opens the point, hands its root to fn and closes it again.
func (r Reader) read(ctx context.Context, p *backupset.RestorePoint, fn func(ctx context.Context, root string) error) error {
	root, closeIt, err := r.Open(ctx, p)
	if err != nil {
		return err
	}
	return errors.Join(fn(ctx, root), closeIt(ctx))
}

// openSnapshot activates the snapshot for as long as it is read, and
// mounts it read-only from the node.
func (r Reader) openSnapshot(ctx context.Context, p *backupset.RestorePoint) (string, func(context.Context) error, error) {
	g := gluster.New(r.Runner)
	info, err := g.SnapshotInfo(ctx, p.Location)
	if err != nil {
		return "", nil, err
	}
	if err := g.ActivateSnapshot(ctx, p.Location); err != nil {
		return "", nil, err
	}
	deactivate := func(ctx context.Context) error {
		if info.Activated {
			return nil // it was active before: leave it so
		}
		return g.DeactivateSnapshot(context.WithoutCancel(ctx), p.Location)
	}
	dir, unmount, err := r.mounts().Snapshot(ctx, r.Runner, p.Node, p.Location, p.Volume)
	if err != nil {
		return "", nil, errors.Join(err, deactivate(ctx))
	}
	return dir, func(ctx context.Context) error { return errors.Join(unmount(ctx), deactivate(ctx)) }, nil
}

func (r Reader) deleteSnapshot(ctx context.Context, p *backupset.RestorePoint) error {
	return gluster.New(r.Runner).DeleteSnapshot(ctx, p.Location)
}

func (s Site) listSnapshots(ctx context.Context) ([]string, error) {
	names, err := gluster.New(s.Runner).ListSnapshots(ctx, s.SecondaryVolume)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, n := range names {
		if _, target, err := retention.ParseFolderName(n); err == nil && target == s.Target {
			ids = append(ids, n)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// treeSize counts the regular files under root and their bytes.
func treeSize(ctx context.Context, r remote.Runner, root string) (int, int64, error) {
	res, err := r.Run(ctx, remote.Command("find", root, "-type", "f", "-printf", "%s\n"))
	if err != nil {
		return 0, 0, fmt.Errorf("measuring %s on %s: %w", root, r.Host(), err)
	}
	var files int
	var bytes int64
	for _, line := range strings.Fields(string(res.Stdout)) {
		n, err := strconv.ParseInt(line, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("measuring %s: %q is not a size", root, line)
		}
		files++
		bytes += n
	}
	return files, bytes, nil
}

// SnapshotCapable says, brick by brick, why a volume cannot be
// snapshotted, or nil when every brick is on a thinly provisioned LV (what
// glusterd itself checks: the brick's device has a thin pool). nodes reaches
// each brick's host.
func SnapshotCapable(ctx context.Context, g *gluster.Client, nodes func(host string) remote.Runner, volume string) error {
	vol, err := g.VolumeInfo(ctx, volume)
	if err != nil {
		return err
	}
	var problems []string
	for _, b := range vol.Bricks {
		if why := thinBrick(ctx, nodes(b.Host), b.Path); why != "" {
			problems = append(problems, fmt.Sprintf("brick %s:%s %s", b.Host, b.Path, why))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: volume %s cannot be snapshotted: %s; gluster snapshots need every brick on its own "+
			"thinly provisioned LVM logical volume; use restore_points = \"link-tree\" for this site instead",
			gluster.ErrSnapshotUnsupported, volume, strings.Join(problems, "; "))
	}
	return nil
}

// thinBrick says why the brick at dir is not on a thin LV, or "".
func thinBrick(ctx context.Context, r remote.Runner, dir string) string {
	res, err := r.Run(ctx, remote.Command("findmnt", "-n", "-o", "SOURCE", "--target", dir))
	if err != nil {
		return fmt.Sprintf("could not be looked at on %s: %v", r.Host(), firstLines(err.Error(), 1))
	}
	dev := strings.TrimSpace(string(res.Stdout))
	res, err = r.Run(ctx, remote.Command("lvs", "--noheadings", "-o", "pool_lv", "--", dev))
	switch {
	case err != nil:
		return fmt.Sprintf("is on %s, which the LVM tools on %s do not know as a logical volume", dev, r.Host())
	case strings.TrimSpace(string(res.Stdout)) == "":
		return fmt.Sprintf("is on %s, a logical volume outside any thin pool", dev)
	}
	return ""
}
