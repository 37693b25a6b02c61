// Package restorepoint keeps point-in-time copies of a DR site's volume, one
// per verified backup set, named after the set, at the site itself:
//
//   - link-tree: a site node mounts the site's volume read-only and writes
//     a whole tree per point into a store (a folder on the node, or a
//     folder inside another volume of the site's pool), with rsync
//     --link-dest: a file unchanged since the previous point, content and
//     metadata alike, is a hard link to it, so a point costs the bytes that
//     changed, and yet every point is a complete tree that a restore reads
//     on its own. The store is never inside the geo-replication secondary
//     volume: gsyncd rewrites files there in place, which would change older
//     points through their links. A point is built as <id>.part and renamed
//     only once it has been checked, so a crash leaves no point that counts.
//   - gluster-snapshot: `gluster snapshot create <id> <volume> no-timestamp`
//     where every brick is a thin LV; activated only while it is read.
//
// The engine makes a point right after verification, while the session is
// stopped and the site's volume is quiescent, and deletes it with its set.
package restorepoint

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
	"github.com/glusterdr/terraform-provider-gluster/internal/sitemount"
)

// Mounts mounts volumes and snapshots on a site node; sitemount by default,
// local folders in tests.
type Mounts interface {
	Volume(ctx context.Context, r remote.Runner, host, volume string, writable bool) (dir string, unmount func(context.Context) error, err error)
	Snapshot(ctx context.Context, r remote.Runner, host, snapshot, origin string) (dir string, unmount func(context.Context) error, err error)
}

// FUSE mounts with sitemount.
type FUSE struct{}

// Volume implements Mounts.
func (FUSE) Volume(ctx context.Context, r remote.Runner, host, volume string, writable bool) (string, func(context.Context) error, error) {
	mount := sitemount.ReadOnly
	if writable {
		mount = sitemount.ReadWrite
	}
	m, err := mount(ctx, r, host, volume)
	if err != nil {
		return "", nil, err
	}
	return m.Path, m.Unmount, nil
}

// Snapshot implements Mounts.
func (FUSE) Snapshot(ctx context.Context, r remote.Runner, host, snapshot, origin string) (string, func(context.Context) error, error) {
	m, err := sitemount.Snapshot(ctx, r, host, snapshot, origin)
	if err != nil {
		return "", nil, err
	}
	return m.Path, m.Unmount, nil
}

// Site is where one target's points are made: the target's settings, its
// secondary volume, and the node that does the work.
type Site struct {
	Target          string
	Points          schedule.RestorePoints
	SecondaryVolume string
	// Runner runs on Points.Node, which mounts from itself: it must be a
	// node of the site's pool.
	Runner remote.Runner
	Mounts Mounts
	// Nodes reaches the hosts of the secondary volume's bricks, to say
	// before a snapshot which of them cannot be snapshotted; optional.
	Nodes func(host string) remote.Runner
	// Now is the clock; time.Now by default.
	Now func() time.Time
}

// Check reads a point, whose tree (the volume's root) is root on the node r
// runs on, and says whether it is what it should be. A point is kept only
// when Check returns nil.
type Check func(ctx context.Context, r remote.Runner, root string) error

// Make makes the point of set id, checks it and keeps it only if the check
// passes. A leftover of an earlier attempt at the same point is removed
// first: it was never recorded, so nothing depends on it.
func (s Site) Make(ctx context.Context, id string, check Check) (*backupset.RestorePoint, error) {
	if err := s.checkID(id); err != nil {
		return nil, err
	}
	start := time.Now()
	var p *backupset.RestorePoint
	var err error
	switch s.Points.Method {
	case schedule.PointsLinkTree:
		p, err = s.makeLinkTree(ctx, id, check)
	case schedule.PointsSnapshot:
		p, err = s.makeSnapshot(ctx, id, check)
	default:
		return nil, fmt.Errorf("target %s keeps no restore points (restore_points = %q)", s.Target, s.Points.Method)
	}
	if err != nil {
		return nil, err
	}
	p.Made, p.Seconds = s.now(), time.Since(start).Seconds()
	return p, nil
}

func (s Site) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s Site) mounts() Mounts {
	if s.Mounts == nil {
		return FUSE{}
	}
	return s.Mounts
}

// checkID accepts only the set IDs of this target: they become folder and
// snapshot names, and paths to delete are computed from them.
func (s Site) checkID(id string) error {
	_, target, err := retention.ParseFolderName(id)
	if err != nil {
		return err
	}
	if target != s.Target {
		return fmt.Errorf("set %s is not of target %s", id, s.Target)
	}
	return nil
}

// Reader opens and deletes recorded points, from the node that made them.
type Reader struct {
	Runner remote.Runner // on the point's Node
	Mounts Mounts
}

func (r Reader) mounts() Mounts {
	if r.Mounts == nil {
		return FUSE{}
	}
	return r.Mounts
}

// Open makes the point readable and returns its tree's root on the node,
// and how to close it again.
func (r Reader) Open(ctx context.Context, p *backupset.RestorePoint) (string, func(context.Context) error, error) {
	if err := validPoint(p); err != nil {
		return "", nil, err
	}
	if p.Method == schedule.PointsSnapshot {
		return r.openSnapshot(ctx, p)
	}
	return r.openLinkTree(ctx, p)
}

// Delete removes the point; one that is gone already is fine.
func (r Reader) Delete(ctx context.Context, p *backupset.RestorePoint) error {
	if err := validPoint(p); err != nil {
		return err
	}
	if p.Method == schedule.PointsSnapshot {
		return r.deleteSnapshot(ctx, p)
	}
	return r.deleteLinkTree(ctx, p)
}

// validPoint checks a recorded point before anything is computed from it:
// its location must end in a set ID, so that a damaged set.json can never
// make Delete remove anything else.
func validPoint(p *backupset.RestorePoint) error {
	if p == nil {
		return fmt.Errorf("no restore point")
	}
	name := path.Base(p.Location)
	if p.Method == schedule.PointsLinkTree && (!path.IsAbs(p.Location) || path.Clean(p.Location) != p.Location) {
		return fmt.Errorf("restore point location %q is not a clean absolute path", p.Location)
	}
	if _, _, err := retention.ParseFolderName(name); err != nil {
		return fmt.Errorf("restore point location %q does not name a set: %w", p.Location, err)
	}
	if p.Method != schedule.PointsLinkTree && p.Method != schedule.PointsSnapshot {
		return fmt.Errorf("restore point method %q is not known", p.Method)
	}
	if strings.ContainsRune(p.Node, 0) || p.Node == "" {
		return fmt.Errorf("restore point without a node")
	}
	return nil
}

// Locate is the restore point of set id: the one its set.json records
// (m), or, when the set.json cannot be read (the primary's backup folder is
// lost), where target t's settings say the point of id is kept.
func Locate(m *backupset.Meta, t schedule.Target, id string) (*backupset.RestorePoint, error) {
	if m != nil {
		if m.RestorePoint == nil {
			return nil, fmt.Errorf("set %s has no restore point (its target keeps %s, or the point failed: status %s)", id, t.RestorePoints.Method, m.Status)
		}
		return m.RestorePoint, nil
	}
	p := t.RestorePoints
	switch p.Method {
	case schedule.PointsLinkTree:
		return &backupset.RestorePoint{Method: p.Method, Node: p.Node, Volume: p.Volume, Location: path.Join(p.Store, id)}, nil
	case schedule.PointsSnapshot:
		return &backupset.RestorePoint{Method: p.Method, Node: p.Node, Volume: t.SecondaryVolume, Location: id}, nil
	}
	return nil, fmt.Errorf("target %s keeps no restore points", t.Name)
}
