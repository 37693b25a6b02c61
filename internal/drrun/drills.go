package drrun

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/history"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/restorepoint"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// errNoPoint: the target holds no verified restore point yet, so there is
// nothing to drill.
var errNoPoint = errors.New("no verified restore point to drill yet")

// StepDrill names the restore drills a nightly run makes when they are due,
// in reports and errors.
const StepDrill = "drill"

// DrillOptions say what Drills drills.
type DrillOptions struct {
	// Set is the set to drill; by default each target's newest restore
	// point, or (a target without points) its newest verified set.
	Set string
	// UsePrimary samples volume files on the primary, for targets without
	// restore points (a point's sample was hashed when its set was
	// verified, and needs no primary).
	UsePrimary bool
}

// Drills drills each target in turn, records each outcome in the drill log
// and refreshes status.json and the metrics. It goes on after a failed
// drill and returns every failure joined.
func (e *Engine) Drills(ctx context.Context, targets []schedule.Target, o DrillOptions) ([]*drill.Report, error) {
	entries, err := journal.ReadFile(ctx, remote.LocalFiles{}, JournalPath(e.Schedule))
	if err != nil {
		return nil, err
	}
	reports := []*drill.Report{}
	var errs []error
	for _, t := range targets {
		rep, err := e.drillTarget(ctx, t, o, entries)
		if rep != nil && rep.Set != "" {
			if rerr := drill.Append(DrillsPath(e.Schedule), rep); rerr != nil {
				err = errors.Join(err, rerr)
			}
			e.recordDrill(ctx, rep)
			reports = append(reports, rep)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", t.Name, err))
		}
	}
	if err := e.WriteStatus(ctx); err != nil {
		errs = append(errs, err)
	}
	return reports, errors.Join(errs...)
}

func (e *Engine) drillTarget(ctx context.Context, t schedule.Target, o DrillOptions, entries []journal.Entry) (*drill.Report, error) {
	rel, err := e.BackupRel()
	if err != nil {
		return nil, err
	}
	opts := drill.Options{Set: o.Set, Journal: entries, Scratch: os.TempDir(), Now: e.Now}
	if !keepsPoints(t) {
		site := drill.Site{Name: t.Name, Runner: e.Nodes.Runner(t.VerifyNode), Files: e.Nodes.Files(t.VerifyNode),
			SecondaryHost: t.SecondaryHost, Volume: t.SecondaryVolume, BackupRel: rel}
		if o.UsePrimary {
			opts.Sample = func(ctx context.Context, r remote.Runner, root string, asOf time.Time) (drill.Sampled, []manifest.Mismatch, error) {
				res, ms, err := e.SampleVolume(ctx, asOf, r, root, rel)
				return drill.Sampled{Files: res.Files, Bytes: res.Bytes, VolumeBytes: res.VolumeBytes}, ms, err
			}
		}
		return drill.Run(ctx, site, opts)
	}
	m, p, err := e.pointToDrill(ctx, t, o.Set)
	if err != nil {
		return nil, err
	}
	opts.Set = setOf(m, p)
	opts.Mount = func(ctx context.Context, _ remote.Runner, _, _ string) (string, func(context.Context) error, error) {
		return e.PointReader(p).Open(ctx, p)
	}
	if m != nil && m.Verification != nil && len(m.Verification.Sample.Entries) > 0 {
		sample := m.Verification.Sample
		opts.Sample = func(ctx context.Context, r remote.Runner, root string, _ time.Time) (drill.Sampled, []manifest.Mismatch, error) {
			ms, err := observe(ctx, r, root, sample.Entries)
			s := drill.Sampled{Files: len(sample.Entries), VolumeBytes: sample.VolumeBytes}
			for _, en := range sample.Entries {
				s.Bytes += en.Size
			}
			return s, ms, err
		}
	}
	site := drill.Site{Name: t.Name, Runner: e.Nodes.Runner(p.Node), Files: e.Nodes.Files(p.Node), BackupRel: rel,
		SecondaryHost: p.Node, Volume: strings.TrimPrefix(p.Location, "/")} // named in the drill's mount step
	return drill.Run(ctx, site, opts)
}

// nightlyDrills drills, after tonight's sets, every site whose drill is due.
// A failed drill fails the run, as loudly as a failed night.
func (e *Engine) nightlyDrills(ctx context.Context, rep *Report) error {
	targets, err := e.DrillableDue(ctx)
	if err != nil || len(targets) == 0 {
		return err
	}
	reports, err := e.Drills(ctx, targets, DrillOptions{})
	rep.Drills = append(rep.Drills, reports...)
	rep.Changed = true
	if err != nil {
		return &StepError{Set: "(newest restore points)", Step: StepDrill, Err: err}
	}
	return nil
}

// DrillableDue are the targets whose drill is due (DueDrills) and that hold
// a verified restore point to drill: a site before its first verified
// point is skipped, and says so in the log.
func (e *Engine) DrillableDue(ctx context.Context) ([]schedule.Target, error) {
	due, err := e.DueDrills(ctx)
	if err != nil || len(due) == 0 {
		return nil, err
	}
	var targets []schedule.Target
	for _, t := range e.Schedule.Targets {
		why, ok := due[t.Name]
		if !ok {
			continue
		}
		if _, _, err := e.pointToDrill(ctx, t, ""); errors.Is(err, errNoPoint) {
			e.log().Info("restore drill due, but the site holds no verified point yet", "target", t.Name)
			continue
		}
		e.log().Info("restore drill due", "target", t.Name, "why", why)
		targets = append(targets, t)
	}
	return targets, nil
}

// pointToDrill is the point of set id, or the target's newest verified
// point: from the sets on the primary, or, when the primary cannot be
// read, from the store at the site.
func (e *Engine) pointToDrill(ctx context.Context, t schedule.Target, id string) (*backupset.Meta, *backupset.RestorePoint, error) {
	listing, err := e.Store().List(ctx)
	if err != nil {
		e.log().Warn("the primary's sets cannot be read; drilling the newest point the site holds", "target", t.Name, "error", err)
		if id == "" {
			ids, lerr := e.PointSite(t).List(ctx)
			if lerr != nil {
				return nil, nil, lerr
			}
			if len(ids) == 0 {
				return nil, nil, fmt.Errorf("%s: %w", t.Name, errNoPoint)
			}
			id = ids[len(ids)-1]
		}
		p, err := restorepoint.Locate(nil, t, id)
		return nil, p, err
	}
	m := backupset.Newest(listing.Sets, func(m *backupset.Meta) bool {
		return m.Target == t.Name && m.RestorePoint != nil && m.Status == "verified" && (id == "" || m.ID == id)
	})
	if m == nil {
		if id != "" {
			return nil, nil, fmt.Errorf("set %s has no verified restore point at %s", id, t.Name)
		}
		return nil, nil, fmt.Errorf("%s: %w", t.Name, errNoPoint)
	}
	return m, m.RestorePoint, nil
}

func setOf(m *backupset.Meta, p *backupset.RestorePoint) string {
	if m != nil {
		return m.ID
	}
	return path.Base(p.Location)
}

func keepsPoints(t schedule.Target) bool {
	m := t.RestorePoints.Method
	return m != "" && m != schedule.PointsNone
}

// DueDrills are the targets that keep restore points and whose last passed
// drill is older than the schedule's drill_every (or that were never
// drilled), and why.
func (e *Engine) DueDrills(ctx context.Context) (map[string]string, error) {
	records, err := drill.Read(ctx, remote.LocalFiles{}, DrillsPath(e.Schedule))
	if err != nil {
		return nil, err
	}
	due := map[string]string{}
	for _, t := range e.Schedule.Targets {
		if !keepsPoints(t) {
			continue
		}
		last, ok := drill.LastPassed(records, t.Name)
		switch {
		case !ok:
			due[t.Name] = "never drilled"
		case e.now().Sub(last.Time) >= e.Schedule.DrillEvery:
			due[t.Name] = fmt.Sprintf("last passed drill %s ago (drill_every %s)", e.now().Sub(last.Time).Round(time.Minute), schedule.FormatDuration(e.Schedule.DrillEvery))
		}
	}
	return due, nil
}

// recordDrill keeps the drill in its set's record.json on the global
// volume too, where it outlives the controller. A set that is gone, or a
// primary that cannot be reached, only loses that copy.
func (e *Engine) recordDrill(ctx context.Context, rep *drill.Report) {
	store := e.Store()
	if _, err := store.Files.Stat(ctx, store.Path(rep.Set)); err != nil {
		e.log().Warn("the drill is not kept in its set's record.json: the set cannot be reached", "set", rep.Set, "error", err)
		return
	}
	if err := history.AddDrill(ctx, store.Files, store.Path(rep.Set), drill.RecordOf(rep)); err != nil {
		e.log().Error("the set's record.json could not be written: the history on the global volume lacks this drill",
			"set", rep.Set, "error", err)
	}
}
