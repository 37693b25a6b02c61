package restorepoint

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// partSuffix marks a point still being built or checked; it never counts.
const partSuffix = ".part"

// StoreMode keeps other users out of the store: points hold every file of
// the volume, the sets' secrets among them.
const StoreMode = "0700"

func (s Site) makeLinkTree(ctx context.Context, id string, check Check) (_ *backupset.RestorePoint, err error) {
	store, unmountStore, err := s.openStore(ctx, true)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, unmountStore(ctx)) }()
	prev, err := s.previous(ctx, store, id)
	if err != nil {
		return nil, err
	}
	final, part := path.Join(store, id), path.Join(store, id+partSuffix)
	if err := s.run(ctx, "rm", "-rf", "--", part, final); err != nil {
		return nil, fmt.Errorf("removing what an earlier attempt at point %s left: %w", id, err)
	}
	src, unmountSrc, err := s.mounts().Volume(ctx, s.Runner, s.Points.Node, s.SecondaryVolume, false)
	if err != nil {
		return nil, fmt.Errorf("mounting %s read-only on %s: %w", s.SecondaryVolume, s.Runner.Host(), err)
	}
	defer func() { err = errors.Join(err, unmountSrc(ctx)) }()

	argv := []string{"rsync", "-aH", "--numeric-ids", "--delete", "--stats", "--no-human-readable"}
	if prev != "" {
		argv = append(argv, "--link-dest="+path.Join(store, prev))
	}
	res, err := s.Runner.Run(ctx, remote.Command(append(argv, src+"/", part+"/")...))
	if err != nil {
		return nil, fmt.Errorf("copying %s into the store on %s: %w", s.SecondaryVolume, s.Runner.Host(), err)
	}
	st, err := parseRsyncStats(res.Stdout)
	if err != nil {
		return nil, fmt.Errorf("rsync on %s: %w", s.Runner.Host(), err)
	}
	if err := check(ctx, s.Runner, part); err != nil {
		if rmErr := s.run(ctx, "rm", "-rf", "--", part); rmErr != nil {
			err = errors.Join(err, rmErr)
		}
		return nil, err
	}
	if err := s.run(ctx, "mv", "-T", "--", part, final); err != nil {
		return nil, fmt.Errorf("keeping point %s: %w", id, err)
	}
	p := &backupset.RestorePoint{Method: schedule.PointsLinkTree, Node: s.Points.Node, Volume: s.Points.Volume,
		Location: path.Join(s.Points.Store, id), Previous: prev, Files: st.files, Bytes: st.bytes}
	p.BytesNew, p.StoreBytes, err = s.measure(ctx, store, id)
	return p, err
}

// openStore makes the store folder ready on the node and returns it: in a
// mount of the store volume, or on the node itself, where it must lie
// outside the secondary volume's bricks and mounts.
func (s Site) openStore(ctx context.Context, writable bool) (string, func(context.Context) error, error) {
	none := func(context.Context) error { return nil }
	store, unmount := s.Points.Store, none
	if v := s.Points.Volume; v != "" {
		dir, um, err := s.mounts().Volume(ctx, s.Runner, s.Points.Node, v, writable)
		if err != nil {
			return "", none, fmt.Errorf("mounting the store volume %s on %s: %w", v, s.Runner.Host(), err)
		}
		store, unmount = path.Join(dir, s.Points.Store), um
	} else if err := s.outsideBricks(ctx); err != nil {
		return "", none, err
	}
	if err := s.run(ctx, "mkdir", "-p", "-m", StoreMode, "--", store); err != nil {
		return "", unmount, errors.Join(fmt.Errorf("making the store %s: %w", store, err), unmount(ctx))
	}
	if err := s.notOnSecondary(ctx, store); err != nil {
		return "", unmount, errors.Join(err, unmount(ctx))
	}
	return store, unmount, nil
}

// outsideBricks refuses a store inside a brick of the secondary volume, on
// any node: gsyncd's writes land there, in place.
func (s Site) outsideBricks(ctx context.Context) error {
	vol, err := gluster.New(s.Runner).VolumeInfo(ctx, s.SecondaryVolume)
	if err != nil {
		return fmt.Errorf("reading the bricks of %s, to keep the store %s outside them: %w", s.SecondaryVolume, s.Points.Store, err)
	}
	for _, b := range vol.Bricks {
		if within(s.Points.Store, b.Path) {
			return fmt.Errorf("the restore point store %s is inside brick %s:%s of the secondary volume %s; gsyncd rewrites "+
				"files there in place, which would change older points: choose a folder outside it", s.Points.Store, b.Host, b.Path, s.SecondaryVolume)
		}
	}
	return nil
}

// notOnSecondary refuses a store that lies on a mount of the secondary
// volume.
func (s Site) notOnSecondary(ctx context.Context, store string) error {
	res, err := s.Runner.Run(ctx, remote.Command("findmnt", "-n", "-o", "FSTYPE,SOURCE", "--target", store))
	if err != nil {
		return fmt.Errorf("finding the file system of the store %s: %w", store, err)
	}
	f := strings.Fields(string(res.Stdout))
	if len(f) == 2 && strings.HasPrefix(f[0], "fuse.glusterfs") && strings.HasSuffix(f[1], ":/"+s.SecondaryVolume) {
		return fmt.Errorf("the restore point store %s is on a mount of the secondary volume %s (%s); gsyncd rewrites "+
			"files there in place, which would change older points: choose a folder outside it", store, s.SecondaryVolume, f[1])
	}
	return nil
}

// previous is the newest complete point of the target older than id.
func (s Site) previous(ctx context.Context, store, id string) (string, error) {
	ids, err := s.listStore(ctx, store)
	if err != nil {
		return "", err
	}
	prev := ""
	for _, p := range ids {
		if p < id {
			prev = p
		}
	}
	return prev, nil
}

// listStore lists the complete points of the target in the store, oldest
// first.
func (s Site) listStore(ctx context.Context, store string) ([]string, error) {
	res, err := s.Runner.Run(ctx, remote.Command("find", store, "-mindepth", "1", "-maxdepth", "1", "-type", "d", "-printf", "%f\n"))
	if err != nil {
		return nil, fmt.Errorf("listing the store %s on %s: %w", store, s.Runner.Host(), err)
	}
	var ids []string
	for _, name := range strings.Split(string(res.Stdout), "\n") {
		if _, target, err := retention.ParseFolderName(name); err == nil && target == s.Target {
			ids = append(ids, name)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// measure returns what point id added to the store, and the size of all
// the target's points together. du counts an inode once, at the first
// folder named that holds it; with the points named oldest first, a
// point's own line is what no older point shares: its directories and the
// files that changed, metadata-only changes included (rsync copies those
// without "transferring" them, so its own count misses them).
func (s Site) measure(ctx context.Context, store, id string) (added, total int64, err error) {
	ids, err := s.listStore(ctx, store)
	if err != nil {
		return 0, 0, err
	}
	argv := []string{"du", "-s", "-b", "-c", "--"}
	for _, p := range ids {
		argv = append(argv, path.Join(store, p))
	}
	res, err := s.Runner.Run(ctx, remote.Command(argv...))
	if err != nil {
		return 0, 0, fmt.Errorf("measuring the store %s: %w", store, err)
	}
	sizes, err := parseDu(res.Stdout)
	if err != nil {
		return 0, 0, err
	}
	return sizes[path.Join(store, id)], sizes["total"], nil
}

// List names the target's complete points at the site, oldest first; it
// needs nothing but the site, for drills when the primary is gone.
func (s Site) List(ctx context.Context) ([]string, error) {
	if s.Points.Method == schedule.PointsSnapshot {
		return s.listSnapshots(ctx)
	}
	store, unmount, err := s.openStore(ctx, false)
	if err != nil {
		return nil, err
	}
	defer func() { _ = unmount(ctx) }()
	return s.listStore(ctx, store)
}

func (s Site) run(ctx context.Context, argv ...string) error {
	_, err := s.Runner.Run(ctx, remote.Command(argv...))
	return err
}

func (r Reader) openLinkTree(ctx context.Context, p *backupset.RestorePoint) (string, func(context.Context) error, error) {
	root, unmount := p.Location, func(context.Context) error { return nil }
	if p.Volume != "" {
		dir, um, err := r.mounts().Volume(ctx, r.Runner, p.Node, p.Volume, false)
		if err != nil {
			return "", nil, fmt.Errorf("mounting the store volume %s on %s: %w", p.Volume, r.Runner.Host(), err)
		}
		root, unmount = path.Join(dir, p.Location), um
	}
	if _, err := r.Runner.Run(ctx, remote.Command("test", "-d", root)); err != nil {
		return "", nil, errors.Join(fmt.Errorf("restore point %s is not on %s: %w", root, r.Runner.Host(), err), unmount(ctx))
	}
	return root, unmount, nil
}

func (r Reader) deleteLinkTree(ctx context.Context, p *backupset.RestorePoint) (err error) {
	dir := p.Location
	if p.Volume != "" {
		mnt, unmount, err := r.mounts().Volume(ctx, r.Runner, p.Node, p.Volume, true)
		if err != nil {
			return fmt.Errorf("mounting the store volume %s on %s: %w", p.Volume, r.Runner.Host(), err)
		}
		defer func() { err = errors.Join(err, unmount(ctx)) }()
		dir = path.Join(mnt, p.Location)
	}
	if _, err := r.Runner.Run(ctx, remote.Command("rm", "-rf", "--", dir, dir+partSuffix)); err != nil {
		return fmt.Errorf("deleting restore point %s on %s: %w", dir, r.Runner.Host(), err)
	}
	return nil
}

// within reports whether p is dir or lies below it.
func within(p, dir string) bool {
	p, dir = path.Clean(p), path.Clean(dir)
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/")
}
