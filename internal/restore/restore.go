// Package restore puts a restore point back into the primary's global
// volume, the whole of it or one subtree: it shows what will change (files
// restored, files removed that did not exist at that point, bytes), stops
// the sessions that would carry a half-restored volume to a site, removes
// and copies, and reads the result back against the point. It also hands
// the operator the set's etcd snapshot restored into a data directory,
// with the provisioning state and the cluster dump beside it, and says what
// is left to do by hand. The steps are journaled like a failover, so an
// interrupted restore is resumed by running it again.
package restore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/etcdsnap"
	"github.com/glusterdr/terraform-provider-gluster/internal/failover"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/restorepoint"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
)

// Request says what to restore.
type Request struct {
	Site string
	Set  string
	// Path is the subtree to restore, relative to the volume's root; ""
	// restores the whole volume.
	Path string
	// Checksum compares the content of files whose size and times agree,
	// too, which reads both trees in full.
	Checksum bool
	// EtcdDataDir receives the set's etcd snapshot, restored for
	// EtcdMember; the provisioning state and the cluster dump go beside
	// it, into its parent folder.
	EtcdDataDir string
	EtcdMember  etcdsnap.Member
	DryRun, Yes bool
	// Command is recorded in the run lock.
	Command string
}

// Result is what `glusterdr restore --json` prints.
type Result struct {
	Site string `json:"site"`
	Set  string `json:"set"`
	Path string `json:"path"`
	// AsOf is the point in time the restored data reflects.
	AsOf    time.Time               `json:"as_of"`
	Point   *backupset.RestorePoint `json:"restore_point"`
	DryRun  bool                    `json:"dry_run"`
	Changes Changes                 `json:"changes"`
	Copied  *Copied                 `json:"copied,omitempty"`
	Etcd    *EtcdRestore            `json:"etcd,omitempty"`
	Files   string                  `json:"files_dir,omitempty"`
	Journal *failover.State         `json:"journal,omitempty"`
	Steps   []string                `json:"remaining_steps"`
	Problem string                  `json:"problem,omitempty"`
	Seconds float64                 `json:"seconds"`
}

// Copied is the transfer's throughput.
type Copied struct {
	ArchiveBytes   int64   `json:"archive_bytes"`
	Seconds        float64 `json:"seconds"`
	BytesPerSecond float64 `json:"bytes_per_second"`
}

// EtcdRestore is the etcd data directory made for the operator.
type EtcdRestore struct {
	DataDir  string `json:"data_dir"`
	Member   string `json:"member"`
	PeerURL  string `json:"peer_url"`
	Revision int64  `json:"revision"`
	Keys     int64  `json:"keys"`
	SHA256   string `json:"sha256"`
}

// Restorer carries restores out with the schedule's engine: its nodes, its
// primary and its targets.
type Restorer struct {
	Engine *drrun.Engine
	// Out receives the plan and the progress, for a person to read.
	Out io.Writer
}

// JournalPath is where a restore of req keeps its steps, on the controller.
func JournalPath(s *schedule.Schedule, req Request) string {
	name := "restore-" + req.Site + "-" + req.Set
	if req.Path != "" {
		sum := sha256.Sum256([]byte(req.Path))
		name += "-" + hex.EncodeToString(sum[:4])
	}
	return path.Join(s.StateDir, name+".json")
}

// Run plans the restore and, with Yes, carries it out under the run lock.
func (r Restorer) Run(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	res := &Result{Site: req.Site, Set: req.Set, Path: req.Path, DryRun: req.DryRun || !req.Yes, Steps: []string{}}
	defer func() { res.Seconds = time.Since(start).Seconds() }()
	w, err := r.prepare(ctx, req, res)
	if err != nil {
		return res, err
	}
	if !res.DryRun {
		lock, err := runlock.Acquire(r.Engine.Schedule.LockFile, req.Command)
		if err != nil {
			return res, err
		}
		defer func() { _ = lock.Release() }()
	}
	root, closePoint, err := r.Engine.PointReader(res.Point).Open(ctx, res.Point)
	if err != nil {
		return res, fmt.Errorf("opening restore point %s of %s: %w", res.Point.Location, req.Set, err)
	}
	defer func() { _ = closePoint(context.WithoutCancel(ctx)) }()
	w.pointRoot = root
	if err := w.refuseMountsBelow(ctx); err != nil {
		return res, err
	}
	if res.Changes, err = w.changes(ctx); err != nil {
		return res, err
	}
	plan := w.plan(res)
	st, err := failover.Execute(ctx, plan, failover.Options{DryRun: req.DryRun, Yes: req.Yes, Out: r.Out,
		Journal: failover.Journal{Files: remote.LocalFiles{}, Path: JournalPath(r.Engine.Schedule, w.req)}})
	res.Journal = st
	if err == nil && !res.DryRun {
		res.Steps = w.remaining()
	}
	if err != nil && !errors.Is(err, failover.ErrNotConfirmed) {
		res.Problem = err.Error()
	}
	return res, err
}

// work is one restore under way.
type work struct {
	e         *drrun.Engine
	req       Request
	res       *Result
	meta      *backupset.Meta // nil when set.json is not on the primary
	rel       string          // the backup folder, relative to the volume root
	pointRoot string          // the point's tree on its node
	excludes  []string        // relative to the restored subtree
	// special is what the set's verification recorded of the primary's
	// awkward files under the subtree (see repair.go); point is the
	// point's tree with it laid over, and fixed the paths it changed, both
	// from the latest changes.
	special map[string]manifest.Entry
	point   []manifest.Entry
	fixed   map[string]bool
	// copied is what this invocation's copy step wrote; nil when the copy
	// was done by an earlier, interrupted invocation.
	copied []string
}

// prepare checks the request and finds the point.
func (r Restorer) prepare(ctx context.Context, req Request, res *Result) (*work, error) {
	e := r.Engine
	t, err := e.Target(req.Site)
	if err != nil {
		return nil, err
	}
	_, target, err := retention.ParseFolderName(req.Set)
	if err != nil {
		return nil, err
	}
	if target != t.Name {
		return nil, fmt.Errorf("set %s was replicated to %s, not %s; its restore point is there", req.Set, target, t.Name)
	}
	rel, err := e.BackupRel()
	if err != nil {
		return nil, err
	}
	sub, err := cleanSubtree(req.Path, rel)
	if err != nil {
		return nil, err
	}
	req.Path, res.Path = sub, sub
	w := &work{e: e, req: req, res: res, rel: rel, excludes: excludesUnder(sub, rel)}
	if w.meta, err = e.Store().Read(ctx, req.Set); err != nil {
		fmt.Fprintf(r.Out, "set.json of %s is not readable on the primary (%v); looking for its restore point where the schedule keeps %s's\n", req.Set, err, t.Name)
		w.meta = nil
	}
	res.Point, err = restorepoint.Locate(w.meta, t, req.Set)
	if err != nil {
		return nil, err
	}
	if w.meta != nil && w.meta.Verification != nil {
		w.special = specialUnder(w.meta.Verification.Sample.Special, sub)
	} else {
		fmt.Fprintf(r.Out, "without the set's verification record, device numbers, setuid/setgid bits and the times of symlinks and special files come back as the point has them\n")
	}
	if w.meta != nil {
		res.AsOf = w.meta.AsOf()
	} else if ts, _, err := retention.ParseFolderName(req.Set); err == nil {
		res.AsOf = ts
	}
	return w, nil
}

// cleanSubtree accepts a volume-relative path ("/home/x" or "home/x") by
// the rule of subtrees (valid.Subtree: one that climbs out with ".." is
// refused, not cut back to the root), outside the backup folder, which
// restores never touch.
func cleanSubtree(p, backupRel string) (string, error) {
	if err := valid.Subtree(p); err != nil {
		return "", fmt.Errorf("--path: %w", err)
	}
	p = strings.Trim(p, "/")
	if p == "" {
		return "", nil
	}
	if under(p, backupRel) {
		return "", fmt.Errorf("--path %q is the backup folder, which a restore never touches", p)
	}
	return p, nil
}

// excludesUnder is what a restore of sub leaves alone: the backup folder
// and the checkpoint marker, relative to sub.
func excludesUnder(sub, backupRel string) []string {
	var out []string
	for _, x := range []string{backupRel, gluster.MarkerName} {
		switch {
		case sub == "":
			out = append(out, x)
		case under(x, sub):
			out = append(out, strings.TrimPrefix(x, sub+"/"))
		}
	}
	return out
}

// changes scans the point's subtree and the primary's and compares them.
func (w *work) changes(ctx context.Context) (Changes, error) {
	pr := w.pointRunner()
	src := path.Join(w.pointRoot, w.req.Path)
	if _, err := pr.Run(ctx, remote.Command("test", "-d", src)); err != nil {
		return Changes{}, fmt.Errorf("%s is not a folder in restore point %s of %s", w.req.Path, w.res.Point.Location, w.req.Set)
	}
	point, err := manifest.Scan(ctx, pr, src, manifest.ScanOptions{Exclude: w.excludes})
	if err != nil {
		return Changes{}, fmt.Errorf("reading the restore point: %w", err)
	}
	point, w.fixed = overlay(point, w.special)
	w.point = point
	primary, err := w.scanPrimary(ctx)
	if err != nil {
		return Changes{}, err
	}
	var pointSums, primarySums map[string]string
	if w.req.Checksum {
		if pointSums, primarySums, err = w.sums(ctx, point, primary); err != nil {
			return Changes{}, err
		}
	}
	return diff(point, primary, pointSums, primarySums), nil
}

func (w *work) scanPrimary(ctx context.Context) ([]manifest.Entry, error) {
	pr, _ := w.primary()
	dst := w.dst()
	if _, err := pr.Run(ctx, remote.Command("test", "-d", dst)); err != nil {
		return nil, nil // the subtree is gone: everything is restored
	}
	entries, err := manifest.Scan(ctx, pr, dst, manifest.ScanOptions{Exclude: w.excludes})
	if err != nil {
		return nil, fmt.Errorf("reading the primary's %s: %w", dst, err)
	}
	return entries, nil
}

// sums hashes the files that have the same size on both sides.
func (w *work) sums(ctx context.Context, point, primary []manifest.Entry) (map[string]string, map[string]string, error) {
	have := index(primary)
	var both []string
	for _, e := range point {
		if p, ok := have[e.Path]; ok && e.Type == manifest.TypeFile && p.Type == manifest.TypeFile && p.Size == e.Size {
			both = append(both, e.Path)
		}
	}
	ps, err := manifest.HashPaths(ctx, w.pointRunner(), path.Join(w.pointRoot, w.req.Path), both)
	if err != nil {
		return nil, nil, err
	}
	pr, _ := w.primary()
	qs, err := manifest.HashPaths(ctx, pr, w.dst(), both)
	return ps, qs, err
}

func (w *work) pointRunner() remote.Runner { return w.e.Nodes.Runner(w.res.Point.Node) }

func (w *work) primary() (remote.Runner, remote.Files) {
	h := w.e.Schedule.Primary.Node
	return w.e.Nodes.Runner(h), w.e.Nodes.Files(h)
}

// dst is the restored tree on the primary.
func (w *work) dst() string { return path.Join(w.e.Schedule.Primary.Mount, w.req.Path) }

func (w *work) where() string {
	if w.req.Path == "" {
		return "the whole volume " + w.e.Schedule.Primary.Volume
	}
	return w.req.Path + " of " + w.e.Schedule.Primary.Volume
}

// plan lists the steps, each described with what it will do.
func (w *work) plan(res *Result) failover.Plan {
	c := res.Changes
	s := w.e.Schedule
	p := failover.Plan{Kind: "restore", Site: w.req.Site,
		Title:   fmt.Sprintf("restore of %s from %s's point of set %s (data as of %s)", w.where(), w.req.Site, w.req.Set, res.AsOf.UTC().Format(time.RFC3339)),
		Confirm: "a restore overwrites and deletes files on the primary's volume"}
	p.Steps = append(p.Steps,
		failover.Step{Name: "stop-sessions", Describe: fmt.Sprintf("on %s stop every geo-replication session of %s that runs, so that none carries a half-restored volume to a site",
			s.Primary.Node, s.Primary.Volume), Run: w.stopSessions},
		failover.Step{Name: "remove", Describe: fmt.Sprintf("on %s delete %d paths under %s (%d files) that %s's point does not have",
			s.Primary.Node, c.PathsRemoved, w.dst(), c.FilesRemoved, w.req.Set), Run: w.remove},
		failover.Step{Name: "copy", Describe: fmt.Sprintf("copy %d files (%d bytes) and %d other paths from %s:%s into %s:%s",
			c.FilesRestored, c.BytesRestored, len(c.Copy)-c.FilesRestored, res.Point.Node, path.Join(w.pointRoot, w.req.Path), s.Primary.Node, w.dst()), Run: w.copy},
		failover.Step{Name: "repair", Describe: fmt.Sprintf("on %s make the sockets tar leaves out, and put back what the set recorded and the point lost: "+
			"device numbers, setuid/setgid bits, times of symlinks and special files (%d paths recorded)", s.Primary.Node, len(w.special)), Run: w.repair},
		failover.Step{Name: "verify", Describe: "read the primary's tree back against the point: nothing may differ, and every file copied must hash the same on both sides",
			Run: w.verify},
	)
	if w.req.EtcdDataDir != "" {
		p.Steps = append(p.Steps,
			failover.Step{Name: "etcd", Describe: fmt.Sprintf("restore the set's etcd snapshot into %s (member %s, %s)", w.req.EtcdDataDir,
				w.req.EtcdMember.Name, w.req.EtcdMember.PeerURL), Run: w.etcd},
			failover.Step{Name: "files", Describe: fmt.Sprintf("put the set's provisioning state, cluster dump and set.json into %s", w.filesDir()), Run: w.files},
		)
	}
	return p
}

// stopSessions stops every session of the primary volume that is not
// stopped already, the schedule's and any other.
func (w *work) stopSessions(ctx context.Context) error {
	pr, _ := w.primary()
	g := gluster.New(pr)
	all, err := g.StatusAll(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, s := range all {
		if s.Ref.PrimaryVolume != w.e.Schedule.Primary.Volume || s.Rollup == gluster.RollupStopped || s.Rollup == gluster.RollupCreated {
			continue
		}
		if err := g.Stop(ctx, s.Ref, true); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (w *work) remove(ctx context.Context) error {
	c, err := w.changes(ctx) // fresh: a resumed restore may have done part of it
	if err != nil {
		return err
	}
	pr, _ := w.primary()
	return removeAll(ctx, pr, w.dst(), c.Remove)
}

func (w *work) copy(ctx context.Context) error {
	c, err := w.changes(ctx)
	if err != nil {
		return err
	}
	pr, _ := w.primary()
	if err := removeAll(ctx, pr, w.dst(), c.Remove); err != nil { // left by a resume between the steps
		return err
	}
	if _, err := pr.Run(ctx, remote.Command("mkdir", "-p", "--", w.dst())); err != nil {
		return err
	}
	start := time.Now()
	n, err := stream(ctx, w.pointRunner(), path.Join(w.pointRoot, w.req.Path), pr, w.dst(), c.Copy)
	w.copied = c.Copy
	secs := time.Since(start).Seconds()
	w.res.Copied = &Copied{ArchiveBytes: n, Seconds: secs}
	if secs > 0 {
		w.res.Copied.BytesPerSecond = float64(c.BytesRestored) / secs
	}
	return err
}

// repair runs after the copy, on what it copied and on what still differs.
func (w *work) repair(ctx context.Context) error {
	c, err := w.changes(ctx)
	if err != nil {
		return err
	}
	paths := slices.Concat(c.Copy, w.copied)
	pr, _ := w.primary()
	return runRepairs(ctx, pr, repairs(w.dst(), index(w.point), paths, w.fixed))
}

func (w *work) verify(ctx context.Context) error {
	c, err := w.changes(ctx)
	if err != nil {
		return err
	}
	if !c.Empty() {
		return fmt.Errorf("after the copy the primary still differs from the point: %d paths to copy (%s), %d to remove (%s)",
			len(c.Copy), strings.Join(c.Copy[:min(5, len(c.Copy))], ", "), len(c.Remove), strings.Join(c.Remove[:min(5, len(c.Remove))], ", "))
	}
	point, err := manifest.Scan(ctx, w.pointRunner(), path.Join(w.pointRoot, w.req.Path), manifest.ScanOptions{Exclude: w.excludes})
	if err != nil {
		return err
	}
	var regular []string
	copied := index(nil)
	for _, p := range w.copied {
		copied[p] = manifest.Entry{}
	}
	for _, e := range point {
		// Without this invocation's copy (a resumed restore), every file.
		if _, ok := copied[e.Path]; e.Type == manifest.TypeFile && (ok || w.copied == nil) {
			regular = append(regular, e.Path)
		}
	}
	ps, err := manifest.HashPaths(ctx, w.pointRunner(), path.Join(w.pointRoot, w.req.Path), regular)
	if err != nil {
		return err
	}
	pr, _ := w.primary()
	qs, err := manifest.HashPaths(ctx, pr, w.dst(), regular)
	if err != nil {
		return err
	}
	for _, p := range regular {
		if ps[p] == "" || ps[p] != qs[p] {
			return fmt.Errorf("%s: sha256 %s on the primary, %s in the point", p, qs[p], ps[p])
		}
	}
	return nil
}

// filesDir holds the provisioning state and the cluster dump: beside the
// etcd data directory.
func (w *work) filesDir() string { return filepath.Dir(filepath.Clean(w.req.EtcdDataDir)) }
