package drrun

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// StepError is a step that failed: the error names the step and the set.
type StepError struct {
	Set, Step string
	Err       error
	// Interrupted is true when the run was cancelled or killed during the
	// step; the set stays pending and the next run resumes it there.
	Interrupted bool
}

func (e *StepError) Error() string {
	if e.Interrupted {
		return fmt.Sprintf("step %s of backup set %s was interrupted (%v); the next run resumes it there", e.Step, e.Set, e.Err)
	}
	return fmt.Sprintf("step %s of backup set %s failed: %v", e.Step, e.Set, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// saveTimeout bounds writing set.json after the run's context is done.
const saveTimeout = 30 * time.Second

// open makes a new set for target and runs the open step. Every set is a
// full since full_every was retired (docs/guides/retention.md).
func (e *Engine) open(ctx context.Context, target string, rep *Report) (*backupset.Meta, error) {
	now := e.now()
	m := backupset.New(now, target, retention.Full, "")
	m.Begin(backupset.StepOpen, now)
	m.Finish(backupset.StepOpen, e.now(), nil)
	if err := e.Store().Create(ctx, m); err != nil {
		return nil, &StepError{Set: m.ID, Step: backupset.StepOpen, Err: err}
	}
	e.log().Info("backup set opened", "set", m.ID, "target", target)
	rep.Changed = true
	rep.add(ActionOpened, m, []string{backupset.StepOpen})
	return m, nil
}

// drive runs every step of m that is left, in order. After a failure only
// record runs, so that the failure is on record and nothing is deleted.
func (e *Engine) drive(ctx context.Context, m *backupset.Meta, action string, rep *Report) error {
	rep.add(action, m, nil)
	var first error
	for _, step := range backupset.Steps {
		st := m.Step(step).State
		if st == backupset.StateDone || st == backupset.StateSkipped || (st == backupset.StateFailed && step != backupset.StepRecord) {
			continue
		}
		if m.Status == retention.Failed && step != backupset.StepRecord {
			continue
		}
		rep.Changed = true
		err := e.runStep(ctx, m, step, rep)
		rep.add(action, m, []string{step})
		if err == nil {
			continue
		}
		var se *StepError
		if errors.As(err, &se) && se.Interrupted {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}

// runStep runs one step of m and keeps set.json up to date around it.
func (e *Engine) runStep(ctx context.Context, m *backupset.Meta, step string, rep *Report) error {
	m.Begin(step, e.now())
	if err := e.Store().Write(ctx, m); err != nil {
		if ctx.Err() != nil {
			return e.interrupted(ctx, m, step, err)
		}
		return &StepError{Set: m.ID, Step: step, Err: err}
	}
	log := e.log().With("set", m.ID, "step", step)
	log.Info("step started")
	started := time.Now()
	var err error
	switch step {
	case backupset.StepFill:
		err = e.fill(ctx, m)
	case backupset.StepReplicate:
		err = e.replicate(ctx, m)
		rep.SyncSeconds += time.Since(started).Seconds()
	case backupset.StepVerify:
		err = e.verifyStep(ctx, m)
	case backupset.StepRestorePoint:
		err = e.restorePointStep(ctx, m)
	case backupset.StepRetention:
		var r *RetentionReport
		r, err = e.applyRetention(ctx, m)
		rep.Retention = r
	case backupset.StepRecord:
		err = e.record(ctx, m)
	case backupset.StepOpen:
		err = errors.New("a set is opened only once, when it is made")
	}
	if err != nil && ctx.Err() != nil {
		return e.interrupted(ctx, m, step, err)
	}
	m.Finish(step, e.now(), err)
	switch {
	case err == nil:
		log.Info("step done", "took", time.Since(started).Round(time.Millisecond))
	case step == backupset.StepRetention || step == backupset.StepRecord:
		log.Error("step failed", "error", err)
	default:
		m.Fail(step)
		log.Error("step failed; the set is marked failed", "error", err)
	}
	if serr := e.save(ctx, m); serr != nil && err == nil {
		err = serr
	}
	if err != nil {
		return &StepError{Set: m.ID, Step: step, Err: err}
	}
	return nil
}

// interrupted records that the run was cancelled, or reached its deadline,
// during step: the step is pending again, for the next run to resume.
func (e *Engine) interrupted(ctx context.Context, m *backupset.Meta, step string, err error) error {
	var de *DeadlineError
	if errors.As(context.Cause(ctx), &de) && !errors.As(err, &de) {
		err = fmt.Errorf("%w: %w", de, err)
	}
	s := m.Step(step)
	s.State, s.Error = backupset.StatePending, "interrupted: "+err.Error()
	e.save(ctx, m)
	e.log().Warn("step interrupted; the next run resumes here", "set", m.ID, "step", step, "error", err)
	return &StepError{Set: m.ID, Step: step, Err: err, Interrupted: true}
}

// save writes set.json even when ctx is done, so that an interrupted or
// failed step is on record.
func (e *Engine) save(ctx context.Context, m *backupset.Meta) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	if err := e.Store().Write(ctx, m); err != nil {
		e.log().Error("writing set.json", "set", m.ID, "error", err)
		return err
	}
	return nil
}
