package drrun

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// The open step run on its own has three answers besides a new set: the
// set named with --set, which is opened already; with --resume, the set an
// interrupted run left, which a run would resume; and otherwise a new set
// of tonight's target.

// runOpen runs the open step on its own.
func (e *Engine) runOpen(ctx context.Context, o RunOptions, rep *Report) error {
	m, action, err := e.existingForOpen(ctx, o)
	if err != nil {
		return err
	}
	if m != nil {
		rep.add(action, m, []string{})
		return nil
	}
	target, err := e.tonightsFirst(ctx, o)
	if err != nil {
		return err
	}
	_, err = e.open(ctx, target, rep)
	return err
}

// planOpen says what runOpen would do.
func (e *Engine) planOpen(ctx context.Context, o RunOptions, rep *Report) error {
	m, action, err := e.existingForOpen(ctx, o)
	if err != nil {
		return err
	}
	if m != nil {
		why := fmt.Sprintf("backup set %s is opened already", m.ID)
		if action == ActionResumed {
			why = fmt.Sprintf("backup set %s was %s; a run resumes it", m.ID, e.mustTriage(m))
		}
		rep.Planned = append(rep.Planned, PlannedSet{Action: action, Set: m.ID, Target: m.Target,
			Steps: remaining(m, action), Why: why})
		return nil
	}
	target, err := e.tonightsFirst(ctx, o)
	if err != nil {
		return err
	}
	rep.Planned = append(rep.Planned, PlannedSet{Action: ActionOpened, Target: target,
		Set: retention.FolderName(e.now(), target), Steps: []string{backupset.StepOpen}, Why: "a new set"})
	rep.Changed = true
	return nil
}

// existingForOpen is the set the open step stands for without opening
// one: the set named by o.Set (action none), or with o.Resume the newest
// set a run would resume (action resumed). A named set that does not exist
// is an error; nil means a new set is opened.
func (e *Engine) existingForOpen(ctx context.Context, o RunOptions) (*backupset.Meta, string, error) {
	if o.Set != "" {
		m, err := e.Store().Read(ctx, o.Set)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("backup set %s does not exist in %s; leave --set unset to open a new one",
				o.Set, e.Schedule.Primary.BackupDir)
		}
		return m, ActionNone, err
	}
	if !o.Resume {
		return nil, "", nil
	}
	listing, err := e.Store().List(ctx)
	if err != nil {
		return nil, "", err
	}
	m := backupset.Newest(listing.Sets, func(m *backupset.Meta) bool {
		action, _ := e.triage(m)
		return unfinished(m) && action == ActionResumed && (o.Target == "" || m.Target == o.Target)
	})
	if m == nil {
		return nil, "", nil
	}
	return m, ActionResumed, nil
}

// mustTriage is why a run would take up m.
func (e *Engine) mustTriage(m *backupset.Meta) string {
	_, why := e.triage(m)
	return why
}

// tonightsFirst is the target a new set is opened for.
func (e *Engine) tonightsFirst(ctx context.Context, o RunOptions) (string, error) {
	targets, err := e.tonight(ctx, o)
	if err != nil {
		return "", err
	}
	if len(targets) == 0 {
		return "", errors.New("the schedule has no target")
	}
	return targets[0], nil
}
