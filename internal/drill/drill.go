// Package drill proves that a site's copy can be restored, without touching
// the primary: it reads the newest verified backup set back at the site
// (every manifest hash, the whole incremental chain), restores the etcd
// snapshot into a scratch etcd on loopback and checks that it serves the
// recorded revision and keys, compares a sample of volume files with the
// primary where it is reachable, and reports the RPO and an RTO
// extrapolated from what it measured.
package drill

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/sitemount"
)

// ErrFailed is returned, wrapped, when the drill ran and the copy failed it.
var ErrFailed = errors.New("restore drill failed")

// Site is where the copy is read: a node of the site, over SSH.
type Site struct {
	Name          string
	Runner        remote.Runner
	Files         remote.Files
	SecondaryHost string
	Volume        string
	// BackupRel is the backup folder relative to the volume's root.
	BackupRel string
}

// Sampler compares a sample of volume files between the copy mounted at
// root on the site node and the primary; nil when the primary is not
// reachable.
type Sampler func(ctx context.Context, site remote.Runner, root string, asOf time.Time) (Sampled, []manifest.Mismatch, error)

// Sampled is what a Sampler compared, and the size of the primary's data it
// drew from.
type Sampled struct {
	Files       int
	Bytes       int64
	VolumeBytes int64
}

// Options tune a drill.
type Options struct {
	// Set is the set to restore; by default the newest set the journal
	// records as verified at the site.
	Set     string
	Journal []journal.Entry
	Sample  Sampler
	// Scratch is a local folder for the etcd restore.
	Scratch string
	Now     func() time.Time
	// Mount mounts the site's volume read-only; sitemount.ReadOnly by default.
	Mount func(ctx context.Context, r remote.Runner, host, volume string) (dir string, unmount func(context.Context) error, err error)
}

// Run performs the drill. A drill that ran and found a problem returns the
// report and an error wrapping ErrFailed that names what failed.
func Run(ctx context.Context, site Site, opts Options) (*Report, error) {
	opts = opts.withDefaults()
	rep := &Report{Site: site.Name, Started: opts.Now().UTC(), Manifest: ManifestCheck{Mismatches: []manifest.Mismatch{}}, RTOModel: rtoModel}
	start := time.Now()
	defer func() { rep.Seconds = time.Since(start).Seconds() }()

	// The set is settled before anything is mounted at the site.
	id, asOf, err := pick(site.Name, opts)
	if err != nil {
		return rep, err
	}
	t := time.Now()
	root, unmount, err := opts.Mount(ctx, site.Runner, site.SecondaryHost, site.Volume)
	rep.step("mount", t, err, fmt.Sprintf("%s:/%s read-only on %s", site.SecondaryHost, site.Volume, site.Runner.Host()))
	if err != nil {
		return rep, err
	}
	defer func() { _ = unmount(context.WithoutCancel(ctx)) }()
	store := backupset.Store{Files: site.Files, Dir: path.Join(root, site.BackupRel)}

	chain, asOf, err := readChain(ctx, store, site.Name, id, asOf)
	if err != nil {
		return rep, err
	}
	rep.Set, rep.DataAsOf = chain[len(chain)-1].ID, asOf
	rep.RPOSeconds = opts.Now().Sub(asOf).Seconds()
	for _, m := range chain {
		rep.Chain = append(rep.Chain, m.ID)
	}

	var problems []string
	t = time.Now()
	readBytes, readSeconds := checkManifests(ctx, site, store, chain, &rep.Manifest)
	if rep.Manifest.Errors > 0 {
		problems = append(problems, "the set's files at "+site.Name+" are not what was sent: "+manifest.Report(rep.Manifest.Mismatches))
	}
	rep.step("manifest", t, found(rep.Manifest.Errors == 0), fmt.Sprintf("%d entries, %d errors", rep.Manifest.Entries, rep.Manifest.Errors))

	if etcdSet := newestWithEtcd(chain); etcdSet != nil {
		t = time.Now()
		rep.Etcd = restoreEtcd(ctx, site.Files, store.Path(etcdSet.ID, backupset.EtcdFile), etcdSet.Contents.Etcd, opts.Scratch)
		if !rep.Etcd.OK {
			problems = append(problems, fmt.Sprintf("etcd snapshot %s at %s refused: %s", store.Path(etcdSet.ID, backupset.EtcdFile), site.Name, rep.Etcd.Problem))
		}
		rep.step("etcd", t, found(rep.Etcd.OK), fmt.Sprintf("revision %d, %d keys", rep.Etcd.Revision, rep.Etcd.Keys))
	}

	t = time.Now()
	scanned := false
	rep.Sample = &SampleCheck{Mismatches: []manifest.Mismatch{}}
	if opts.Sample == nil {
		rep.Sample.Skipped = "the primary is not reachable from here"
	} else {
		sampled, ms, err := opts.Sample(ctx, site.Runner, root, asOf)
		rep.Sample.Files, rep.Sample.Mismatches = sampled.Files, ms
		if err == nil {
			readBytes += sampled.Bytes
			readSeconds += time.Since(t).Seconds()
			rep.VolumeBytes, scanned = sampled.VolumeBytes, true
		}
		switch {
		case err != nil:
			rep.Sample.Skipped = "the primary could not be sampled: " + err.Error()
		case countErrors(ms) > 0:
			problems = append(problems, "volume files at "+site.Name+" differ from the primary: "+manifest.Report(ms))
		}
	}
	rep.step("sample", t, found(countErrors(rep.Sample.Mismatches) == 0), fmt.Sprintf("%d files", rep.Sample.Files))

	if !scanned {
		rep.VolumeBytes = usedBytes(ctx, site.Runner, root)
		rep.RTOModel += "; the primary was not scanned, so the volume's size is the space used on the site's file system"
	}
	if readSeconds > 0 {
		rep.ReadBytesPerSecond = float64(readBytes) / readSeconds
		rep.RTOSeconds = rep.stepSeconds("etcd") + float64(rep.VolumeBytes)/rep.ReadBytesPerSecond
	}
	rep.Passed = len(problems) == 0
	if !rep.Passed {
		rep.Problem = strings.Join(problems, "\n")
		return rep, fmt.Errorf("%w at %s for set %s:\n%s", ErrFailed, site.Name, rep.Set, rep.Problem)
	}
	return rep, nil
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Mount == nil {
		o.Mount = func(ctx context.Context, r remote.Runner, host, volume string) (string, func(context.Context) error, error) {
			m, err := sitemount.ReadOnly(ctx, r, host, volume)
			if err != nil {
				return "", nil, err
			}
			return m.Path, m.Unmount, nil
		}
	}
	return o
}

// errProblem marks a drill step that ran and found a problem, which the
// report's problem then describes.
var errProblem = errors.New("found a problem")

// found is nil for a step whose check passed, errProblem otherwise.
func found(ok bool) error {
	if ok {
		return nil
	}
	return errProblem
}

// pick names the set to restore (opts.Set, or the newest the journal
// records as verified at site) and the checkpoint it reflects, when the
// journal knows it. A set that is not one of site's is refused.
func pick(site string, opts Options) (string, time.Time, error) {
	id, asOf := opts.Set, time.Time{}
	if id != "" {
		_, target, err := retention.ParseFolderName(id)
		if err != nil {
			return "", asOf, fmt.Errorf("--set: %w", err)
		}
		if target != site {
			return "", asOf, fmt.Errorf("--set %s is a set of target %s, not of %s", id, target, site)
		}
	}
	if e, ok := journal.LastVerified(opts.Journal, site); ok && (id == "" || id == e.Set) {
		id, asOf = e.Set, e.CheckpointTime
	}
	if id == "" {
		return "", asOf, fmt.Errorf("the journal records no verified set at %s; name one with --set", site)
	}
	return id, asOf, nil
}

// readChain reads set id and the chain it needs from the site's own copy,
// and the point in time it reflects.
func readChain(ctx context.Context, store backupset.Store, site, id string, asOf time.Time) ([]*backupset.Meta, time.Time, error) {
	var chain []*backupset.Meta
	for next := id; next != ""; {
		m, err := store.Read(ctx, next)
		if err != nil {
			return nil, asOf, fmt.Errorf("set %s is not readable at %s: %w", next, site, err)
		}
		chain = append([]*backupset.Meta{m}, chain...)
		if m.Kind != retention.Incremental {
			break
		}
		if len(chain) > 1000 || m.Parent == "" {
			return nil, asOf, fmt.Errorf("set %s is an incremental whose chain has no full at %s", id, site)
		}
		next = m.Parent
	}
	if asOf.IsZero() {
		asOf = chain[len(chain)-1].Opened
	}
	return chain, asOf, nil
}

func newestWithEtcd(chain []*backupset.Meta) *backupset.Meta {
	for i := len(chain) - 1; i >= 0; i-- {
		if chain[i].Contents.Etcd != nil {
			return chain[i]
		}
	}
	return nil
}

// usedBytes is the space used on the mounted volume; 0 when df fails.
func usedBytes(ctx context.Context, r remote.Runner, root string) int64 {
	res, err := r.Run(ctx, remote.Command("df", "-B1", "--output=used", root))
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(res.Stdout))
	if len(fields) < 2 {
		return 0
	}
	n, _ := strconv.ParseInt(fields[len(fields)-1], 10, 64)
	return n
}

func countErrors(ms []manifest.Mismatch) int {
	n := 0
	for _, m := range ms {
		if m.Severity != manifest.SeverityWarning {
			n++
		}
	}
	return n
}
