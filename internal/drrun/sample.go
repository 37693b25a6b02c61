package drrun

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// sample compares a random sample of the volume's files, other than the
// set's own, at the target. Files are drawn from those whose content and
// path had settled before the checkpoint (manifest.Sample), hashed on the
// primary, and dropped if they changed while that was done; the rest must
// be identical at the target, which was stopped right after the
// checkpoint.
func (e *Engine) sample(ctx context.Context, m *backupset.Meta, vr remote.Runner, targetRoot, setRel string) (backupset.SampleResult, []manifest.Mismatch, error) {
	return e.SampleVolume(ctx, m.Replication.CheckpointTime, vr, targetRoot, setRel)
}

// SampleVolume compares a random sample of the primary's volume files that
// had settled before asOf with the copy mounted at targetRoot on the node
// vr runs on. exclude lists folders (relative to the volume root) to leave
// out of the draw; the checkpoint marker is always left out.
func (e *Engine) SampleVolume(ctx context.Context, asOf time.Time, vr remote.Runner, targetRoot string, exclude ...string) (backupset.SampleResult, []manifest.Mismatch, error) {
	pr, _ := e.primary()
	mount := e.Schedule.Primary.Mount
	res := backupset.SampleResult{Seed: e.seed(), Paths: []string{}}
	entries, err := manifest.Scan(ctx, pr, mount, manifest.ScanOptions{Exclude: append(exclude, gluster.MarkerName)})
	if err != nil {
		return res, nil, fmt.Errorf("scanning the primary's volume for the sample: %w", err)
	}
	for _, en := range entries {
		if en.Type == manifest.TypeFile {
			res.Scanned++
			res.VolumeBytes += en.Size
		}
	}
	pick := manifest.Sample(entries, e.Schedule.SampleFiles, res.Seed, asOf)
	paths := make([]string, len(pick))
	for i, p := range pick {
		paths[i] = p.Path
	}
	var unreadable *manifest.UnreadableError
	sums, err := manifest.HashPaths(ctx, pr, mount, paths)
	if err != nil && !errors.As(err, &unreadable) {
		return res, nil, fmt.Errorf("hashing the sample on the primary: %w", err)
	}
	after, err := manifest.StatPaths(ctx, pr, mount, paths)
	if err != nil {
		return res, nil, fmt.Errorf("checking the sample on the primary: %w", err)
	}
	var want []manifest.Entry
	for _, p := range pick {
		a, still := after[p.Path]
		sum, hashed := sums[p.Path]
		if !still || !hashed || a.Size != p.Size || !a.MTime.Equal(p.MTime) || !a.CTime.Equal(p.CTime) {
			res.Dropped++
			continue
		}
		p.SHA256 = sum
		res.Bytes += p.Size
		want = append(want, p)
		res.Paths = append(res.Paths, p.Path)
	}
	res.Files = len(want)
	res.Entries = want
	got, err := manifest.Observe(ctx, vr, targetRoot, want)
	if err != nil && !errors.As(err, &unreadable) {
		return res, nil, fmt.Errorf("reading the sample at the target on %s: %w", vr.Host(), err)
	}
	return res, manifest.Compare(want, got), nil
}
