package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
)

// newScheduleCommand is `glusterdr schedule`: the trigger that runs the
// nightly cycle on this machine, the same one dr_schedule installs.
func newScheduleCommand(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Install, show or remove the trigger that runs the nightly cycle on this machine",
		Long: `The trigger starts the nightly cycle on the controller: a systemd timer and service
where systemd is PID 1, the cron entry ` + trigger.CronFile + ` elsewhere. It runs the
collection's nightly playbook when glusterdr.dr is installed here, the CLI otherwise.
These commands install exactly the trigger the dr_schedule Terraform resource installs
for the same schedule, for an operator who does not use Terraform.

The trigger bounds each night: the service's TimeoutStartSec and the cron entry's
timeout(1) send SIGTERM ` + schedule.FormatDuration(trigger.Grace) + ` after the schedule's run_timeout (the engine's own
deadline) and SIGKILL ` + schedule.FormatDuration(trigger.KillAfter) + ` later. One trigger per machine: its names are fixed.`,
		Example: `  # What is installed, and whether it is what install would write
  glusterdr schedule show

  # Install (or update) the trigger of /etc/glusterdr/schedule.hcl; --plan says what would change
  glusterdr schedule install --plan
  glusterdr schedule install

  # A cron entry that runs the CLI, whatever this machine has
  glusterdr schedule install --trigger cron --runner glusterdr --glusterdr /usr/local/bin/glusterdr

  # Take it away
  glusterdr schedule remove`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newScheduleShowCommand(g), newScheduleInstallCommand(g), newScheduleRemoveCommand(g))
	return cmd
}

func newScheduleShowCommand(g *globals) *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Show the installed trigger and whether it is the one install would write",
		Long: `Show reads the trigger installed on this machine and renders the one install would
write for the schedule (with the installed trigger's kind, runner and CLI), and says
whether they are the same ("in_sync"). It changes nothing.`,
		Example: `  glusterdr schedule show
  glusterdr schedule show --schedule /etc/glusterdr/schedule.hcl --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			res, err := scheduleShow(c.Context(), g, path)
			return printResult(g, c.OutOrStdout(), res, printScheduleResult, err)
		},
	}
	scheduleFlag(cmd, &path)
	return cmd
}

// installFlags are install's choices; empty ones are taken from the
// installed trigger, then from what this machine has.
type installFlags struct {
	kind, runner, glusterdr string
	plan                    bool
}

func newScheduleInstallCommand(g *globals) *cobra.Command {
	var path string
	var f installFlags
	cmd := &cobra.Command{
		Use:   "install",
		Short: "Install or update the trigger of a schedule on this machine",
		Long: `Install writes the trigger of the schedule: its kind, runner and CLI are the flags', else
the installed trigger's, else chosen here (systemd where it is PID 1, the playbook
where the collection glusterdr.dr is installed; the CLI is this one). Nothing is
written when the installed trigger is the one wanted already ("changed": false); a
trigger of the other kind is removed. --plan says what would change and changes
nothing. Warnings say why the trigger may not run as meant (no cron daemon, a cron
that reads the fields in another time zone, no CLI where the trigger expects it).`,
		Example: `  glusterdr schedule install --plan --json
  glusterdr schedule install --schedule /etc/glusterdr/schedule.hcl
  glusterdr schedule install --trigger systemd --runner playbook`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			res, err := scheduleInstall(c.Context(), g, path, f)
			return printResult(g, c.OutOrStdout(), res, printScheduleResult, err)
		},
	}
	scheduleFlag(cmd, &path)
	cmd.Flags().StringVar(&f.kind, "trigger", "", "the trigger's kind: "+strings.Join(trigger.Kinds, " or ")+" (default: the installed one's, else systemd where it runs, else cron)")
	cmd.Flags().StringVar(&f.runner, "runner", "", "what the trigger runs: "+strings.Join(trigger.Runners, " or ")+" (default: the installed one's, else playbook where glusterdr.dr is installed)")
	cmd.Flags().StringVar(&f.glusterdr, "glusterdr", "", "the CLI the trigger runs, an absolute path (default: the installed one's, else this binary)")
	cmd.Flags().BoolVar(&f.plan, "plan", false, "say what would change, change nothing")
	return cmd
}

func newScheduleRemoveCommand(g *globals) *cobra.Command {
	var path string
	var plan bool
	cmd := &cobra.Command{
		Use:   "remove",
		Short: "Remove the trigger of a schedule from this machine",
		Long: `Remove stops and disables the systemd timer and removes its units, or removes the cron
entry. It refuses a trigger that runs another schedule than --schedule, and removes
the trigger of --schedule even when that file is gone. Nothing installed is fine
("changed": false). The schedule file, the backup sets and the journal are left
alone. --plan says what would change and changes nothing.`,
		Example: `  glusterdr schedule remove --plan
  glusterdr schedule remove --schedule /etc/glusterdr/schedule.hcl --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			res, err := scheduleRemove(c.Context(), g, path, plan)
			return printResult(g, c.OutOrStdout(), res, printScheduleResult, err)
		},
	}
	scheduleFlag(cmd, &path)
	cmd.Flags().BoolVar(&plan, "plan", false, "say what would change, change nothing")
	return cmd
}

// thisHost is this machine, where the trigger is installed.
func thisHost() trigger.Host {
	name, _ := os.Hostname()
	return trigger.Host{Name: name, Run: remote.Local{Name: name}, Files: remote.LocalFiles{}}
}

// absSchedule is the schedule's path as the trigger names it: absolute,
// since cron and systemd run it from /.
func absSchedule(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("--schedule %q: %w", path, err)
	}
	return abs, nil
}

func scheduleShow(ctx context.Context, g *globals, path string) (*scheduleResult, error) {
	h := thisHost()
	res := &scheduleResult{Action: "show", Host: h.Name, Schedule: path, Warnings: []string{}}
	live, err := h.Read(ctx, "")
	if err != nil {
		return res, err
	}
	res.Installed = installedOf(live)
	if res.Schedule, err = absSchedule(path); err != nil {
		return res, err
	}
	s, err := loadSchedule(g, res.Schedule)
	if err != nil {
		res.Problem = err.Error()
		return res, err
	}
	spec := specOf(s, res.Schedule, live, installFlags{})
	if err := h.Resolve(ctx, &spec); err != nil {
		res.Problem = err.Error()
		return res, err
	}
	res.setWanted(ctx, h, spec, s)
	res.InSync = res.Installed != nil && res.Wanted != nil && res.Installed.SHA256 == res.Wanted.SHA256
	return res, nil
}

func scheduleInstall(ctx context.Context, g *globals, path string, f installFlags) (*scheduleResult, error) {
	h := thisHost()
	res := &scheduleResult{Action: "install", Plan: f.plan, Host: h.Name, Schedule: path, Warnings: []string{}}
	if err := f.check(); err != nil {
		return res, err
	}
	abs, err := absSchedule(path)
	if err != nil {
		return res, err
	}
	res.Schedule = abs
	s, err := loadSchedule(g, abs)
	if err != nil {
		return res, err
	}
	live, err := h.Read(ctx, "")
	if err != nil {
		return res, err
	}
	res.Installed = installedOf(live)
	spec := specOf(s, abs, live, f)
	if err := h.Resolve(ctx, &spec); err != nil {
		return res, err
	}
	res.setWanted(ctx, h, spec, s)
	if res.Wanted == nil {
		return res, errors.New(res.Problem)
	}
	res.Changed = res.Installed == nil || res.Installed.SHA256 != res.Wanted.SHA256
	if f.plan || !res.Changed {
		res.InSync = !res.Changed
		return res, nil
	}
	for _, k := range trigger.Kinds {
		if k != spec.Kind {
			if _, err := h.Remove(ctx, k); err != nil {
				return res, err
			}
		}
	}
	if _, err := h.Install(ctx, spec); err != nil {
		return res, err
	}
	after, err := h.Read(ctx, spec.Kind)
	if err != nil {
		return res, err
	}
	res.InSync = after.Digest() == res.Wanted.SHA256
	if !res.InSync {
		return res, fmt.Errorf("the trigger read back on %s is not the one written (sha256 %s, want %s)", h.Name, after.Digest(), res.Wanted.SHA256)
	}
	return res, nil
}

func scheduleRemove(ctx context.Context, g *globals, path string, plan bool) (*scheduleResult, error) {
	h := thisHost()
	res := &scheduleResult{Action: "remove", Plan: plan, Host: h.Name, Schedule: path, Warnings: []string{}}
	abs, err := absSchedule(path)
	if err != nil {
		return res, err
	}
	res.Schedule = abs
	live, err := h.Read(ctx, "")
	if err != nil {
		return res, err
	}
	res.Installed = installedOf(live)
	if res.Installed == nil {
		// Nothing to remove; the schedule must still be one, as for every
		// command that takes --schedule.
		_, err := loadSchedule(g, abs)
		return res, err
	}
	if other := res.Installed.Schedule; other != "" && other != abs {
		return res, fmt.Errorf("the trigger on %s runs the schedule %s, not %s; to remove it, pass --schedule %s", h.Name, other, abs, other)
	}
	res.Changed = true
	if plan {
		return res, nil
	}
	for _, k := range trigger.Kinds {
		if _, err := h.Remove(ctx, k); err != nil {
			return res, err
		}
	}
	return res, nil
}

// check refuses flag values the trigger cannot take, naming the flag, as a
// usage error (exit 2).
func (f installFlags) check() error {
	if err := f.problem(); err != nil {
		return &usageError{err}
	}
	return nil
}

func (f installFlags) problem() error {
	switch {
	case f.kind != "" && !slices.Contains(trigger.Kinds, f.kind):
		return fmt.Errorf("--trigger %q: want %s", f.kind, strings.Join(trigger.Kinds, " or "))
	case f.runner != "" && !slices.Contains(trigger.Runners, f.runner):
		return fmt.Errorf("--runner %q: want %s", f.runner, strings.Join(trigger.Runners, " or "))
	case f.glusterdr != "" && (!filepath.IsAbs(f.glusterdr) || filepath.Clean(f.glusterdr) != f.glusterdr):
		return fmt.Errorf("--glusterdr %q: want a clean absolute path, which cron and systemd can run from /", f.glusterdr)
	case strings.ContainsFunc(f.glusterdr, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fmt.Errorf("--glusterdr %q holds a control character", f.glusterdr)
	}
	return nil
}

// specOf is the trigger of schedule s at path: the flags' choices, else
// the installed trigger's, else (Kind and Runner) left for Resolve and (the
// CLI) this binary.
func specOf(s *schedule.Schedule, path string, live trigger.Live, f installFlags) trigger.Spec {
	pick := func(vals ...string) string {
		for _, v := range vals {
			if v != "" {
				return v
			}
		}
		return ""
	}
	return trigger.Spec{
		Kind:      pick(f.kind, live.Kind),
		Runner:    pick(f.runner, live.Header["runner"]),
		Glusterdr: pick(f.glusterdr, live.Header["binary"], selfPath()),
		Schedule:  path, Cron: s.Cron, TimeZone: s.TimeZone, RunTimeout: s.RunTimeout,
	}
}

// selfPath is this binary's path, symbolic links resolved.
func selfPath() string {
	p, err := os.Executable()
	if err != nil {
		return DefaultGlusterdrPath
	}
	if resolved, err := filepath.EvalSymlinks(p); err == nil {
		return resolved
	}
	return p
}

// DefaultGlusterdrPath is where the glusterdr.dr.install role puts the CLI.
const DefaultGlusterdrPath = "/usr/local/bin/glusterdr"

// nextRuns are the schedule's next 3 runs after now.
func nextRuns(s *schedule.Schedule, now time.Time) []time.Time {
	runs := s.NextRuns(now, 3)
	if runs == nil {
		return []time.Time{}
	}
	return runs
}
