package drrun

import (
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
)

// StepAll runs every step that is left.
const StepAll = "all"

// Actions on a set, as reported.
const (
	ActionOpened   = "opened"   // a new set, run from its first step
	ActionResumed  = "resumed"  // a pending set left by an interrupted run
	ActionFinished = "finished" // a verified or failed set whose retention or record was left undone
	ActionAbandon  = "abandoned"
	ActionStepped  = "stepped" // one step run on its own
	ActionNone     = "none"    // the step was done already
	ActionDrill    = "drill"   // a restore drill of a site's newest point, due by drill_every
)

// Report is the result of Run, printed by `glusterdr run --json`.
type Report struct {
	// Step is what was asked: "all" or one step.
	Step string `json:"step"`
	// Plan is true when nothing was changed (check mode).
	Plan bool `json:"plan"`
	// OK is false when a step failed; FailedStep and Error say which and why.
	OK         bool      `json:"ok"`
	Changed    bool      `json:"changed"`
	FailedStep string    `json:"failed_step,omitempty"`
	Error      string    `json:"error,omitempty"`
	Started    time.Time `json:"started"`
	// Seconds is this invocation's wall time; SyncSeconds the part spent in
	// replicate steps (gluster's checkpoint cycles); OverheadSeconds the rest.
	Seconds         float64     `json:"seconds"`
	SyncSeconds     float64     `json:"sync_seconds"`
	OverheadSeconds float64     `json:"overhead_seconds"`
	Sets            []SetReport `json:"sets"`
	// Retention is the plan applied (or, with Plan, that would be).
	Retention *RetentionReport `json:"retention,omitempty"`
	// Planned is what a run would do, with Plan.
	Planned []PlannedSet `json:"planned,omitempty"`
	// LockedBy names the run holding the lock, with Plan.
	LockedBy *runlock.Holder `json:"locked_by,omitempty"`
	// Drills are the restore drills the run made because they were due
	// (drill_every).
	Drills []*drill.Report `json:"drills,omitempty"`
}

// SetReport is one set that the run worked on.
type SetReport struct {
	Action string `json:"action"`
	// Ran lists the steps run by this invocation, in order.
	Ran []string `json:"ran"`
	// Set is the set's set.json after the run.
	Set *backupset.Meta `json:"set"`
}

// PlannedSet is what a run would do with one set.
type PlannedSet struct {
	Action string `json:"action"`
	Set    string `json:"set"`
	Target string `json:"target"`
	// Steps are the steps that would run, in order.
	Steps []string `json:"steps"`
	// After, for one step planned on its own, are the steps before it that
	// have still to run first (in check mode, the earlier tasks only planned
	// them).
	After []string `json:"after,omitempty"`
	Why   string   `json:"why"`
}

func (r *Report) add(action string, m *backupset.Meta, ran []string) {
	for i := range r.Sets {
		if r.Sets[i].Set.ID == m.ID {
			r.Sets[i].Ran = append(r.Sets[i].Ran, ran...)
			return
		}
	}
	r.Sets = append(r.Sets, SetReport{Action: action, Ran: ran, Set: m})
}
