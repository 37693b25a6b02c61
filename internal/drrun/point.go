package drrun

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/restorepoint"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// restorePointStep makes the set's restore point at its target, while the
// session is still stopped after verification, and records it. A target
// that keeps no points has nothing to do here.
func (e *Engine) restorePointStep(ctx context.Context, m *backupset.Meta) error {
	t, err := e.Target(m.Target)
	if err != nil {
		return err
	}
	if method := t.RestorePoints.Method; method == "" || method == schedule.PointsNone {
		e.log().Info("the target keeps no restore points", "set", m.ID, "target", t.Name)
		return nil
	}
	var pc *backupset.PointCheck
	p, err := e.PointSite(t).Make(ctx, m.ID, func(ctx context.Context, r remote.Runner, root string) error {
		pc = e.CheckPoint(ctx, m, r, root)
		if !pc.Verified {
			return errors.New(pc.Problem)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("making the restore point of %s at %s (%s on %s): %w", m.ID, t.Name, t.RestorePoints.Method, t.RestorePoints.Node, err)
	}
	p.Verification = pc
	m.RestorePoint = p
	e.log().Info("restore point made", "set", m.ID, "target", t.Name, "method", p.Method, "location", p.Location,
		"files", p.Files, "bytes", p.Bytes, "bytes_new", p.BytesNew, "store_bytes", p.StoreBytes, "took", time.Duration(p.Seconds*float64(time.Second)).Round(time.Millisecond))
	return nil
}

// PointSite is where target t makes its restore points.
func (e *Engine) PointSite(t schedule.Target) restorepoint.Site {
	s := restorepoint.Site{Target: t.Name, Points: t.RestorePoints, SecondaryVolume: t.SecondaryVolume,
		Runner: e.Nodes.Runner(t.RestorePoints.Node), Mounts: e.PointMounts, Now: e.Now}
	if t.RestorePoints.Method == schedule.PointsSnapshot {
		s.Nodes = e.Nodes.Runner
	}
	return s
}

// PointReader opens and deletes the recorded point p.
func (e *Engine) PointReader(p *backupset.RestorePoint) restorepoint.Reader {
	return restorepoint.Reader{Runner: e.Nodes.Runner(p.Node), Mounts: e.PointMounts}
}

// CheckPoint reads a restore point of m, whose tree is root on the node r
// runs on, like a set is verified: every file of the set against its
// manifest, and the files verification sampled against the hashes the
// primary gave then.
func (e *Engine) CheckPoint(ctx context.Context, m *backupset.Meta, r remote.Runner, root string) *backupset.PointCheck {
	start := time.Now()
	pc := &backupset.PointCheck{Mismatches: []manifest.Mismatch{}}
	fail := func(err error) *backupset.PointCheck {
		pc.Problem, pc.Seconds = err.Error(), time.Since(start).Seconds()
		return pc
	}
	rel, err := e.BackupRel()
	if err != nil {
		return fail(err)
	}
	setRel := path.Join(rel, m.ID)
	want, err := e.wantedEntries(ctx, e.Nodes.Files(r.Host()), path.Join(root, setRel), m)
	if err != nil {
		return fail(err)
	}
	ms, err := observe(ctx, r, path.Join(root, setRel), want)
	if err != nil {
		return fail(fmt.Errorf("reading the set back in the point on %s: %w", r.Host(), err))
	}
	ms = prefixed(ms, setRel)
	pc.Entries = len(want)
	if v := m.Verification; v != nil && len(v.Sample.Entries) > 0 {
		sms, err := observe(ctx, r, root, v.Sample.Entries)
		if err != nil {
			return fail(fmt.Errorf("reading the sample in the point on %s: %w", r.Host(), err))
		}
		pc.Sample = len(v.Sample.Entries)
		ms = append(ms, sms...)
	}
	for _, mm := range ms {
		if mm.Severity == manifest.SeverityWarning {
			pc.Warnings++
		} else {
			pc.Errors++
		}
	}
	pc.Mismatches = append(pc.Mismatches, ms[:min(len(ms), backupset.MaxMismatches)]...)
	pc.Verified = pc.Errors == 0
	if !pc.Verified {
		pc.Problem = strings.TrimSpace(fmt.Sprintf("the restore point of %s at %s is not what was verified: %s", m.ID, m.Target, manifest.Report(ms)))
	}
	pc.Seconds = time.Since(start).Seconds()
	return pc
}

// observe reads want under root and compares; files that cannot be read
// are reported as mismatches, not as a failure to check.
func observe(ctx context.Context, r remote.Runner, root string, want []manifest.Entry) ([]manifest.Mismatch, error) {
	got, err := manifest.Observe(ctx, r, root, want)
	var unreadable *manifest.UnreadableError
	if err != nil && !errors.As(err, &unreadable) {
		return nil, err
	}
	return manifest.Compare(want, got), nil
}
