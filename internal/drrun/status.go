package drrun

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/history"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// StatusFileName is status.json's name inside the schedule's state_dir.
const StatusFileName = "status.json"

// Status is what `glusterdr status --json` prints and status.json holds: the
// sites, their newest verified copies, the RPO and the next runs. It is
// built from the schedule and the journal alone, so it answers even when
// the primary is gone.
type Status struct {
	Updated  time.Time   `json:"updated"`
	Rotation string      `json:"rotation"`
	NextRuns []time.Time `json:"next_runs"`
	// NextTarget is the target the next run would choose.
	NextTarget string         `json:"next_target"`
	Targets    []TargetStatus `json:"targets"`
	LastRun    *journal.Entry `json:"last_run"`
	// VerifiedCopies counts the targets that hold a verified copy; the
	// primary's own data makes it one more copy in all.
	VerifiedCopies int `json:"verified_copies"`
	// RPOSeconds is the age of the newest verified copy at any target: how
	// much would be lost if the primary were lost now. Null without one.
	RPOSeconds *float64 `json:"rpo_seconds"`
	// Running names the run that holds the lock; `glusterdr status` only.
	Running *runlock.Holder `json:"running,omitempty"`
	// Rebuilt says that the controller had no journal and the history was
	// read back from the backup sets; `glusterdr status` and `report` only.
	Rebuilt *Rebuilt `json:"rebuilt,omitempty"`
}

// TargetStatus is one target site.
type TargetStatus struct {
	Name      string `json:"name"`
	Secondary string `json:"secondary"`
	// LastVerified is the newest verified set at the target.
	LastVerified *journal.Entry `json:"last_verified"`
	// CopyTime is the point in time that copy reflects (its checkpoint).
	CopyTime   *time.Time `json:"copy_time"`
	RPOSeconds *float64   `json:"rpo_seconds"`
	// LastRun is the target's most recent set, verified or not.
	LastRun *journal.Entry `json:"last_run"`
	// Stalls sums the checkpoint cycles' stalls over the target's journal.
	Stalls int `json:"stalls"`
	// LastDrill is the newest restore drill at the target, passed or not;
	// LastPassedDrill the newest that passed.
	LastDrill       *drill.Record `json:"last_drill"`
	LastPassedDrill *drill.Record `json:"last_passed_drill"`
	// RestorePoints are the site's point-in-time copies, as the last record
	// step found them; null when it keeps none.
	RestorePoints *backupset.SitePoints `json:"restore_points"`
	// DrillDue is true when the site keeps restore points and its last
	// passed drill is older than drill_every (or there is none): the next
	// nightly run drills it.
	DrillDue bool `json:"drill_due"`
}

// addDrills fills in each target's restore drills from the drill log.
func addDrills(st *Status, records []drill.Record) {
	for i := range st.Targets {
		t := &st.Targets[i]
		for _, r := range records {
			if r.Site == t.Name && (t.LastDrill == nil || !r.Time.Before(t.LastDrill.Time)) {
				t.LastDrill = &r
			}
		}
		if r, ok := drill.LastPassed(records, t.Name); ok {
			t.LastPassedDrill = &r
		}
	}
}

// markDrillsDue flags the sites whose drill is due.
func markDrillsDue(st *Status, s *schedule.Schedule, now time.Time) {
	for i := range st.Targets {
		t, ok := s.Target(st.Targets[i].Name)
		last := st.Targets[i].LastPassedDrill
		st.Targets[i].DrillDue = ok && keepsPoints(t) && (last == nil || now.Sub(last.Time) >= s.DrillEvery)
	}
}

// DrillsPath is the restore drills' log on the controller.
func DrillsPath(s *schedule.Schedule) string { return path.Join(s.StateDir, drill.FileName) }

// load builds the status from the journal, the drill log and points.json
// on this machine.
func load(ctx context.Context, s *schedule.Schedule, now time.Time) (Status, error) {
	h, err := localHistory(ctx, s)
	if err != nil {
		return Status{}, err
	}
	return statusOf(s, h, now), nil
}

// statusOf sums up a history at now.
func statusOf(s *schedule.Schedule, h History, now time.Time) Status {
	st := BuildStatus(s, h.Entries, now)
	addDrills(&st, h.Drills)
	addPoints(&st, h.Points)
	markDrillsDue(&st, s, now)
	st.Rebuilt = h.Rebuilt
	return st
}

// BuildStatus sums up a schedule's journal at now.
func BuildStatus(s *schedule.Schedule, entries []journal.Entry, now time.Time) Status {
	st := Status{Updated: now.UTC(), Rotation: string(s.Rotation), NextRuns: s.NextRuns(now, 3), Targets: []TargetStatus{}}
	if st.NextRuns == nil {
		st.NextRuns = []time.Time{}
	}
	if next := schedule.ChooseTargets(s, journal.History(entries)); len(next) > 0 {
		st.NextTarget = next[0]
	}
	if e, ok := journal.Last(entries); ok {
		st.LastRun = &e
	}
	for _, t := range s.Targets {
		ts := TargetStatus{Name: t.Name, Secondary: t.Session().Secondary()}
		if e, ok := journal.LastVerified(entries, t.Name); ok {
			ts.LastVerified = &e
			copyTime := e.CheckpointTime
			if copyTime.IsZero() {
				copyTime = e.Started
			}
			rpo := now.Sub(copyTime).Seconds()
			ts.CopyTime, ts.RPOSeconds = &copyTime, &rpo
			st.VerifiedCopies++
			if st.RPOSeconds == nil || rpo < *st.RPOSeconds {
				st.RPOSeconds = &rpo
			}
		}
		for _, e := range entries {
			if e.Target != t.Name {
				continue
			}
			ts.Stalls += e.Stalls
			if ts.LastRun == nil || !e.Time.Before(ts.LastRun.Time) {
				ts.LastRun = &e
			}
		}
		st.Targets = append(st.Targets, ts)
	}
	return st
}

// LoadStatus builds the status from the journal on this machine and says
// whether a run holds the lock.
func LoadStatus(ctx context.Context, s *schedule.Schedule, now time.Time) (Status, error) {
	st, err := load(ctx, s, now)
	if err != nil {
		return Status{}, err
	}
	addRunning(&st, s)
	return st, nil
}

// Status is the status of the engine's History: the controller's own, or,
// when its state_dir has no journal, the one rebuilt from the backup sets
// (Status.Rebuilt says so). The history is returned too.
func (e *Engine) Status(ctx context.Context, now time.Time) (Status, History, error) {
	h, err := e.History(ctx)
	if err != nil {
		return Status{}, h, err
	}
	st := statusOf(e.Schedule, h, now)
	addRunning(&st, e.Schedule)
	return st, h, nil
}

func addRunning(st *Status, s *schedule.Schedule) {
	if h, held, err := runlock.Inspect(s.LockFile); err == nil && held {
		st.Running = &h
	}
}

// record appends m to the journal, then rewrites status.json and the
// metrics textfile from it. A record step run again after a run was killed
// between the append and set.json (SIGKILL) finds its entry there and does
// not append it twice.
func (e *Engine) record(ctx context.Context, m *backupset.Meta) error {
	en := journalEntry(m, e.now())
	entries, err := journal.ReadFile(ctx, remote.LocalFiles{}, JournalPath(e.Schedule))
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(entries, en.SameRun) {
		if err := journal.Append(JournalPath(e.Schedule), en); err != nil {
			return err
		}
	}
	// The set's own copy of the entry, on the global volume: it reaches the
	// sites with the next cycles and outlives the controller.
	store := e.Store()
	if err := history.AddRun(ctx, store.Files, store.Path(m.ID), en); err != nil {
		e.log().Error("the set's record.json could not be written: the history on the global volume lacks this entry",
			"set", m.ID, "error", err)
	}
	if err := e.refreshPoints(ctx); err != nil {
		e.log().Warn("the restore points could not be read; status keeps the earlier account", "error", err)
	}
	return e.WriteStatus(ctx)
}

// WriteStatus rewrites status.json and the metrics textfile from the
// journal and the drill log.
func (e *Engine) WriteStatus(ctx context.Context) error {
	st, err := load(ctx, e.Schedule, e.now())
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	files := remote.LocalFiles{}
	if err := files.WriteFile(ctx, StatusPath(e.Schedule), bytes.NewReader(append(data, '\n')), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", StatusPath(e.Schedule), err)
	}
	if err := files.MkdirAll(ctx, parentDir(e.Schedule.MetricsFile), 0o755); err != nil {
		return fmt.Errorf("metrics folder: %w", err)
	}
	if err := files.WriteFile(ctx, e.Schedule.MetricsFile, bytes.NewReader(RenderMetrics(st)), 0o644); err != nil {
		return fmt.Errorf("writing the metrics textfile %s: %w", e.Schedule.MetricsFile, err)
	}
	return nil
}

func journalEntry(m *backupset.Meta, now time.Time) journal.Entry {
	total, sync := m.Seconds()
	en := journal.Entry{Time: now, Set: m.ID, Target: m.Target, Tier: string(m.Tier), Kind: string(m.Kind),
		Result: journal.ResultFailed, FailedStep: m.FailedStep, Started: m.Step(backupset.StepOpen).Started,
		Seconds: total, SyncSeconds: sync, OverheadSeconds: total - sync,
		Files: m.Contents.Files, Bytes: m.Contents.Bytes}
	if m.Status == "verified" {
		en.Result = journal.ResultVerified
	}
	if m.FailedStep != "" {
		en.Error = m.Step(m.FailedStep).Error
	}
	if m.Replication != nil {
		en.CheckpointTime, en.Stalls = m.Replication.CheckpointTime, m.Replication.Stalls
	}
	for _, s := range m.Steps {
		en.Resumed = en.Resumed || s.Attempts > 1
	}
	return en
}

func parentDir(p string) string {
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '/' {
			return p[:i]
		}
	}
	return "/"
}
