package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
)

// scheduleResult is what `glusterdr schedule show|install|remove --json`
// prints.
type scheduleResult struct {
	Action string `json:"action"` // show, install or remove
	Plan   bool   `json:"plan"`   // true: nothing was changed
	// Changed: install wrote the trigger or remove took it away (with
	// --plan: would have).
	Changed  bool   `json:"changed"`
	Host     string `json:"host"`
	Schedule string `json:"schedule"`
	// Installed is the trigger found before the command; null when none.
	Installed *installedTrigger `json:"installed"`
	// Wanted is the trigger install writes for the schedule (show and
	// install).
	Wanted *wantedTrigger `json:"wanted,omitempty"`
	// InSync: the installed trigger is the wanted one (after install).
	InSync   bool        `json:"in_sync"`
	NextRuns []time.Time `json:"next_runs,omitempty"`
	// Warnings are the reasons the wanted trigger may not run as meant.
	Warnings []string `json:"warnings"`
	// Problem is why show could not render the wanted trigger.
	Problem string `json:"problem,omitempty"`
}

// installedTrigger is a trigger as found on the machine.
type installedTrigger struct {
	Kind      string   `json:"kind"`
	Runner    string   `json:"runner"`    // from the files' header
	Glusterdr string   `json:"glusterdr"` // from the files' header
	Schedule  string   `json:"schedule"`  // from the files' header
	Files     []string `json:"files"`
	Enabled   *bool    `json:"enabled,omitempty"` // systemd: the timer is enabled
	// Job is the cron entry's command field, as cron hands it to sh.
	Job    string `json:"job,omitempty"`
	SHA256 string `json:"sha256"`
}

// wantedTrigger is the trigger install writes.
type wantedTrigger struct {
	Kind      string   `json:"kind"`
	Runner    string   `json:"runner"`
	Glusterdr string   `json:"glusterdr"`
	Schedule  string   `json:"schedule"`
	Command   []string `json:"command"` // what runs each night
	Files     []string `json:"files"`
	// OnCalendar are the systemd timer's calendar events.
	OnCalendar        []string `json:"on_calendar,omitempty"`
	RunTimeoutSeconds float64  `json:"run_timeout_seconds"` // the engine's own deadline
	// TimeoutSeconds is the trigger's: SIGTERM then, SIGKILL
	// kill_after_seconds later.
	TimeoutSeconds   float64 `json:"timeout_seconds"`
	KillAfterSeconds float64 `json:"kill_after_seconds"`
	SHA256           string  `json:"sha256"`
}

func installedOf(live trigger.Live) *installedTrigger {
	if len(live.Files) == 0 {
		return nil
	}
	t := &installedTrigger{Kind: live.Kind, Runner: live.Header["runner"], Glusterdr: live.Header["binary"],
		Schedule: live.Header["schedule"], SHA256: live.Digest()}
	for _, f := range live.Files {
		t.Files = append(t.Files, f.Path)
	}
	if live.Kind == trigger.Systemd {
		t.Enabled = &live.Enabled
	} else if _, job, err := trigger.CronJob(live.Files[0].Content); err == nil {
		t.Job = job
	}
	return t
}

// setWanted fills the wanted trigger of spec, the next runs and the
// warnings; a trigger that cannot be rendered is the result's problem.
func (r *scheduleResult) setWanted(ctx context.Context, h trigger.Host, spec trigger.Spec, s *schedule.Schedule) {
	sum, err := spec.Digest()
	if err != nil {
		r.Problem = err.Error()
		return
	}
	r.Wanted = &wantedTrigger{Kind: spec.Kind, Runner: spec.Runner, Glusterdr: spec.Glusterdr, Schedule: spec.Schedule,
		Command: spec.Command(), Files: trigger.Paths(spec.Kind), RunTimeoutSeconds: spec.RunTimeout.Seconds(),
		TimeoutSeconds: spec.Timeout().Seconds(), KillAfterSeconds: trigger.KillAfter.Seconds(), SHA256: sum}
	if spec.Kind == trigger.Systemd {
		r.Wanted.OnCalendar, _ = trigger.OnCalendar(spec.Cron, spec.TimeZone)
	}
	now := time.Now()
	r.NextRuns = nextRuns(s, now)
	r.Warnings = append(r.Warnings, h.Warnings(ctx, spec, s, now)...)
}

func printScheduleResult(w io.Writer, r *scheduleResult) {
	if i := r.Installed; i == nil {
		fmt.Fprintf(w, "installed on %s: no trigger\n", r.Host)
	} else {
		fmt.Fprintf(w, "installed on %s: %s trigger (%s), runner %s, schedule %s\n", r.Host, i.Kind,
			strings.Join(i.Files, ", "), i.Runner, i.Schedule)
	}
	if t := r.Wanted; t != nil {
		fmt.Fprintf(w, "for %s: %s trigger, runs %s\n", t.Schedule, t.Kind, remote.Quote(t.Command))
		fmt.Fprintf(w, "deadline: run_timeout %s, then the trigger's SIGTERM at %s and SIGKILL %s later\n",
			schedule.FormatDuration(secondsDuration(t.RunTimeoutSeconds)), schedule.FormatDuration(secondsDuration(t.TimeoutSeconds)),
			schedule.FormatDuration(trigger.KillAfter))
	}
	for _, run := range r.NextRuns {
		fmt.Fprintf(w, "next run: %s\n", run.Format(time.RFC3339))
	}
	verb := map[string]string{"install": "installed", "remove": "removed"}[r.Action]
	switch {
	case r.Action == "show" && r.InSync:
		fmt.Fprintln(w, "in sync: the installed trigger is the one install writes")
	case r.Action == "show":
		fmt.Fprintln(w, "not in sync: glusterdr schedule install would change it")
	case !r.Changed:
		fmt.Fprintf(w, "nothing to do: already %s\n", verb)
	case r.Plan:
		fmt.Fprintf(w, "would be %s (--plan: nothing changed)\n", verb)
	default:
		fmt.Fprintln(w, verb)
	}
	for _, warning := range r.Warnings {
		fmt.Fprintln(w, "warning:", warning)
	}
	if r.Problem != "" {
		fmt.Fprintln(w, "problem:", r.Problem)
	}
}

func secondsDuration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
