package drrun

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// RunOptions say what Run does.
type RunOptions struct {
	// Step is StepAll (the default) or one of backupset.Steps.
	Step string
	// Target, with StepAll or "open", replicates to this target instead of
	// choosing one; with another step it picks that target's newest
	// unfinished set.
	Target string
	// Set, with one step, names the set to run it on (by default the newest
	// unfinished set); with StepAll it limits the run to finishing that set.
	Set string
	// Resume, with step "open" and no Set, takes up the newest set that a
	// run would resume (of Target, if given) instead of opening a new one.
	Resume bool
	// Plan reports what would be done and changes nothing.
	Plan bool
	// Command is recorded in the lock file for a refused run to quote.
	Command string
}

func (o RunOptions) step() string {
	if o.Step == "" {
		return StepAll
	}
	return o.Step
}

func (e *Engine) checkOptions(o RunOptions) error {
	if s := o.step(); s != StepAll && !slices.Contains(backupset.Steps, s) {
		return fmt.Errorf("unknown step %q: want all or one of %s", s, strings.Join(backupset.Steps, ", "))
	}
	if o.Resume && (o.step() != backupset.StepOpen || o.Set != "") {
		return errors.New("--resume goes with --step open and no --set: it takes up an interrupted set instead of opening one")
	}
	if o.Target != "" {
		if _, err := e.Target(o.Target); err != nil {
			return err
		}
	}
	if o.Set != "" {
		if _, _, err := retention.ParseFolderName(o.Set); err != nil {
			return err
		}
	}
	_, err := e.BackupRel()
	return err
}

// Run runs the cycle, or one step of it, under the run lock. The report is
// returned even with an error, which names the step that failed.
func (e *Engine) Run(ctx context.Context, o RunOptions) (*Report, error) {
	start := e.now()
	rep := &Report{Step: o.step(), Plan: o.Plan, OK: true, Started: start, Sets: []SetReport{}}
	err := e.checkOptions(o)
	if err == nil {
		err = e.unfinishedRestore()
	}
	if err == nil && o.Plan {
		err = e.plan(ctx, o, rep)
	} else if err == nil {
		err = e.lockedUntilDeadline(ctx, o, rep)
	}
	rep.Seconds = e.now().Sub(start).Seconds()
	rep.OverheadSeconds = rep.Seconds - rep.SyncSeconds
	if err != nil {
		rep.OK, rep.Error = false, err.Error()
		var se *StepError
		if errors.As(err, &se) {
			rep.FailedStep = se.Step
		}
		if !o.Plan && o.step() == StepAll && len(rep.Sets) == 0 {
			e.recordUnopened(ctx, o, start, err)
		}
	}
	return rep, err
}

// recordUnopened puts on record a night that failed before it could open a
// set (the primary unreachable, the backup folder unreadable), so that
// status and the metrics show the failure instead of the last good night.
// A run refused by the lock or interrupted is not such a night.
func (e *Engine) recordUnopened(ctx context.Context, o RunOptions, start time.Time, runErr error) {
	var held *runlock.HeldError
	if errors.As(runErr, &held) || ctx.Err() != nil {
		return
	}
	targets, err := e.tonight(ctx, o)
	if err != nil || len(targets) == 0 {
		targets = []string{""}
	}
	now := e.now()
	for _, t := range targets {
		en := journal.Entry{Time: now, Target: t, Result: journal.ResultFailed, FailedStep: backupset.StepOpen,
			Error: runErr.Error(), Started: start, Seconds: now.Sub(start).Seconds()}
		if err := journal.Append(JournalPath(e.Schedule), en); err != nil {
			e.log().Error("recording the failed night", "error", err)
			return
		}
	}
	if err := e.WriteStatus(ctx); err != nil {
		e.log().Error("writing the status after the failed night", "error", err)
	}
}

// DeadlineError is why a run ended at the schedule's run_timeout.
type DeadlineError struct{ Timeout time.Duration }

func (e *DeadlineError) Error() string {
	return fmt.Sprintf("the run reached its deadline, run_timeout = %s", schedule.FormatDuration(e.Timeout))
}

// lockedUntilDeadline runs under the run lock with the schedule's
// run_timeout on ctx. A step the deadline interrupts stays pending (see
// runStep), a checkpoint cycle it interrupts stops its session, and the
// lock is released on the way out, as after SIGTERM.
func (e *Engine) lockedUntilDeadline(ctx context.Context, o RunOptions, rep *Report) error {
	if d := e.Schedule.RunTimeout; d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, d, &DeadlineError{Timeout: d})
		defer cancel()
	}
	err := e.locked(ctx, o, rep)
	var de *DeadlineError
	var se *StepError
	if err != nil && !errors.As(err, &se) && errors.As(context.Cause(ctx), &de) {
		err = fmt.Errorf("%w: %w", de, err)
	}
	return err
}

func (e *Engine) locked(ctx context.Context, o RunOptions, rep *Report) error {
	lock, err := runlock.Acquire(e.Schedule.LockFile, o.Command)
	if err != nil {
		return err
	}
	defer func() {
		if err := lock.Release(); err != nil {
			e.log().Warn("releasing the run lock", "error", err)
		}
	}()
	e.restoreState(ctx)
	if o.step() == StepAll {
		return e.runAll(ctx, o, rep)
	}
	return e.runOne(ctx, o, rep)
}

// unfinished reports whether a set's cycle still has work: every set ends
// with its record step.
func unfinished(m *backupset.Meta) bool {
	return m.Step(backupset.StepRecord).State != backupset.StateDone
}

// triage says what a run does with an unfinished set, and why.
func (e *Engine) triage(m *backupset.Meta) (action, why string) {
	switch {
	case m.Status != retention.Pending:
		return ActionFinished, fmt.Sprintf("%s, but %s was left undone", m.Status, m.NextStep())
	case e.now().Sub(m.Opened) > ResumeWindow:
		return ActionAbandon, fmt.Sprintf("interrupted at step %s more than %s ago", m.NextStep(), ResumeWindow)
	default:
		return ActionResumed, fmt.Sprintf("interrupted at step %s", m.NextStep())
	}
}

// runAll runs tonight's sets, then the restore drills that are due.
func (e *Engine) runAll(ctx context.Context, o RunOptions, rep *Report) error {
	err := e.runSets(ctx, o, rep)
	if o.Set != "" || ctx.Err() != nil {
		return err
	}
	return errors.Join(err, e.nightlyDrills(ctx, rep))
}

func (e *Engine) runSets(ctx context.Context, o RunOptions, rep *Report) error {
	listing, err := e.Store().List(ctx)
	if err != nil {
		return err
	}
	var errs []error
	covered := map[string]bool{}
	for _, m := range listing.Sets {
		if !unfinished(m) || (o.Set != "" && m.ID != o.Set) || (o.Target != "" && m.Target != o.Target) {
			continue
		}
		action, why := e.triage(m)
		e.log().Info("unfinished backup set", "set", m.ID, "action", action, "why", why)
		if err := e.stopLeftSession(ctx, m); err != nil {
			errs = append(errs, err)
			continue
		}
		switch action {
		case ActionAbandon:
			step := m.NextStep()
			m.Step(step).Error = "abandoned: " + why
			m.Step(step).State = backupset.StateFailed
			m.Fail(step)
		case ActionResumed:
			covered[m.Target] = true
		}
		if err := e.drive(ctx, m, action, rep); err != nil {
			errs = append(errs, err)
			if ctx.Err() != nil {
				return errors.Join(errs...)
			}
		}
	}
	if o.Set != "" {
		if len(rep.Sets) == 0 {
			return fmt.Errorf("backup set %s has nothing left to do (or is not in %s)", o.Set, e.Schedule.Primary.BackupDir)
		}
		return errors.Join(errs...)
	}
	if len(covered) > 0 && o.Target == "" && e.Schedule.Rotation == schedule.RotationAlternate {
		return errors.Join(errs...) // the resumed set was tonight's one set
	}
	targets, err := e.tonight(ctx, o)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, t := range targets {
		if covered[t] {
			continue
		}
		m, err := e.open(ctx, t, rep)
		if err == nil {
			err = e.drive(ctx, m, ActionOpened, rep)
		}
		if err != nil {
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
		}
	}
	return errors.Join(errs...)
}

// tonight names the targets to open sets for: the one asked for, or the
// schedule's choice from the journal's history.
func (e *Engine) tonight(ctx context.Context, o RunOptions) ([]string, error) {
	if o.Target != "" {
		return []string{o.Target}, nil
	}
	entries, err := journal.ReadFile(ctx, remote.LocalFiles{}, JournalPath(e.Schedule))
	if err != nil {
		return nil, err
	}
	return schedule.ChooseTargets(e.Schedule, journal.History(entries)), nil
}

func (e *Engine) runOne(ctx context.Context, o RunOptions, rep *Report) error {
	step := o.step()
	if step == backupset.StepOpen {
		return e.runOpen(ctx, o, rep)
	}
	m, err := e.pick(ctx, o)
	if err != nil {
		return err
	}
	if m.Step(step).State == backupset.StateDone {
		rep.add(ActionNone, m, nil)
		return nil
	}
	if err := ready(m, step); err != nil {
		return err
	}
	if err := e.stopLeftSession(ctx, m); err != nil {
		return err
	}
	retry(m, step)
	rep.Changed = true
	err = e.runStep(ctx, m, step, rep)
	rep.add(ActionStepped, m, []string{step})
	return err
}

// pick finds the set a single step runs on.
func (e *Engine) pick(ctx context.Context, o RunOptions) (*backupset.Meta, error) {
	if o.Set != "" {
		return e.Store().Read(ctx, o.Set)
	}
	listing, err := e.Store().List(ctx)
	if err != nil {
		return nil, err
	}
	m := backupset.Newest(listing.Sets, func(m *backupset.Meta) bool {
		return unfinished(m) && (o.Target == "" || m.Target == o.Target)
	})
	if m == nil {
		return nil, fmt.Errorf("no unfinished backup set in %s to run step %s on; open one with --step open, or name one with --set",
			e.Schedule.Primary.BackupDir, o.step())
	}
	return m, nil
}

// ready checks that the steps a step needs are done. Retention needs a
// verified set; record runs after anything.
func ready(m *backupset.Meta, step string) error {
	if step == backupset.StepRecord {
		return nil
	}
	if step == backupset.StepRetention && m.Status != retention.Verified {
		return fmt.Errorf("backup set %s is %s, not verified: retention runs only after a verified set, so that a failure never deletes anything", m.ID, m.Status)
	}
	for _, s := range backupset.Steps {
		if s == step {
			return nil
		}
		if st := m.Step(s).State; st != backupset.StateDone {
			return fmt.Errorf("step %s of backup set %s needs step %s first, which is %s; run it with --step %s --set %s",
				step, m.ID, s, st, s, m.ID)
		}
	}
	return nil
}

// retry clears an earlier failure of step, so that running it again can
// turn the set pending and then verified.
func retry(m *backupset.Meta, step string) {
	if m.FailedStep != step {
		return
	}
	m.Status, m.FailedStep = retention.Pending, ""
	after := false
	for _, s := range backupset.Steps {
		if after && m.Step(s).State == backupset.StateSkipped {
			m.Step(s).State = backupset.StatePending
		}
		after = after || s == step
	}
}
