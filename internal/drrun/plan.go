package drrun

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// plan fills rep with what Run would do, changing nothing: the sets it
// would resume, finish or abandon, the sets it would open, and the
// retention plan as it stands. It is check mode for the Ansible modules.
func (e *Engine) plan(ctx context.Context, o RunOptions, rep *Report) error {
	if h, held, err := runlock.Inspect(e.Schedule.LockFile); err != nil {
		return err
	} else if held {
		rep.LockedBy = &h
	}
	rep.Planned = []PlannedSet{}
	if o.step() != StepAll {
		return e.planOne(ctx, o, rep)
	}
	listing, err := e.Store().List(ctx)
	if err != nil {
		return err
	}
	covered := map[string]bool{}
	for _, m := range listing.Sets {
		if !unfinished(m) || (o.Set != "" && m.ID != o.Set) || (o.Target != "" && m.Target != o.Target) {
			continue
		}
		action, why := e.triage(m)
		p := PlannedSet{Action: action, Set: m.ID, Target: m.Target, Why: why, Steps: remaining(m, action)}
		rep.Planned = append(rep.Planned, p)
		if action == ActionResumed {
			covered[m.Target] = true
		}
	}
	alternateDone := len(covered) > 0 && o.Target == "" && e.Schedule.Rotation == schedule.RotationAlternate
	if o.Set == "" && !alternateDone {
		targets, err := e.tonight(ctx, o)
		if err != nil {
			return err
		}
		for _, t := range targets {
			if covered[t] {
				continue
			}
			rep.Planned = append(rep.Planned, PlannedSet{Action: ActionOpened, Target: t,
				Set: retention.FolderName(e.now(), t), Steps: backupset.Steps,
				Why: "tonight's target: the oldest verified copy, or the one asked for"})
		}
	}
	if o.Set == "" {
		if err := e.planDrills(ctx, rep); err != nil {
			return err
		}
	}
	rep.Changed = len(rep.Planned) > 0
	r, _, err := e.planRetention(ctx, nil)
	rep.Retention = r
	return err
}

func (e *Engine) planOne(ctx context.Context, o RunOptions, rep *Report) error {
	step := o.step()
	if step == backupset.StepOpen {
		return e.planOpen(ctx, o, rep)
	}
	m, err := e.pick(ctx, o)
	if o.Set != "" && errors.Is(err, fs.ErrNotExist) {
		// Check mode after a planned open: the set does not exist yet.
		_, target, _ := retention.ParseFolderName(o.Set)
		rep.Planned = append(rep.Planned, PlannedSet{Action: ActionStepped, Set: o.Set, Target: target, Steps: []string{step},
			After: stepsBefore(step), Why: fmt.Sprintf("the set does not exist yet; step %s would run once the steps before it have", step)})
		rep.Changed = true
		return nil
	}
	if err != nil {
		return err
	}
	if m.Step(step).State == backupset.StateDone {
		rep.Planned = append(rep.Planned, PlannedSet{Action: ActionNone, Set: m.ID, Target: m.Target,
			Steps: []string{}, Why: fmt.Sprintf("step %s is done already", step)})
		return nil
	}
	if err := ready(m, step); err != nil {
		// Check mode, where the steps before it were only planned: a
		// pending set runs them first. A failed set does not.
		after := undoneBefore(m, step)
		if m.Status != retention.Pending || len(after) == 0 {
			return err
		}
		rep.Planned = append(rep.Planned, PlannedSet{Action: ActionStepped, Set: m.ID, Target: m.Target, Steps: []string{step},
			After: after, Why: fmt.Sprintf("step %s would run after %s, which the set has still to run", step, strings.Join(after, ", "))})
		rep.Changed = true
		return nil
	}
	rep.Planned = append(rep.Planned, PlannedSet{Action: ActionStepped, Set: m.ID, Target: m.Target,
		Steps: []string{step}, Why: fmt.Sprintf("step %s is %s", step, m.Step(step).State)})
	rep.Changed = true
	return nil
}

// stepsBefore lists the steps that come before step.
func stepsBefore(step string) []string {
	i := slices.Index(backupset.Steps, step)
	return slices.Clone(backupset.Steps[:max(i, 0)])
}

// undoneBefore lists the steps before step that m has not done.
func undoneBefore(m *backupset.Meta, step string) []string {
	var out []string
	for _, s := range stepsBefore(step) {
		if m.Step(s).State != backupset.StateDone {
			out = append(out, s)
		}
	}
	return out
}

// remaining lists the steps a run would run on m.
func remaining(m *backupset.Meta, action string) []string {
	var steps []string
	failed := m.Status == retention.Failed || action == ActionAbandon
	for _, s := range backupset.Steps {
		st := m.Step(s).State
		switch {
		case st == backupset.StateDone || st == backupset.StateSkipped:
		case failed && s != backupset.StepRecord:
		default:
			steps = append(steps, s)
		}
	}
	return steps
}

// planDrills lists the restore drills a run would make.
func (e *Engine) planDrills(ctx context.Context, rep *Report) error {
	due, err := e.DueDrills(ctx)
	if err != nil {
		return err
	}
	for _, t := range e.Schedule.Targets {
		why, ok := due[t.Name]
		if !ok {
			continue
		}
		m, p, err := e.pointToDrill(ctx, t, "")
		if errors.Is(err, errNoPoint) {
			continue
		}
		if err != nil {
			return err
		}
		rep.Planned = append(rep.Planned, PlannedSet{Action: ActionDrill, Set: setOf(m, p), Target: t.Name,
			Steps: []string{StepDrill}, Why: "restore drill of the newest point: " + why})
	}
	return nil
}
