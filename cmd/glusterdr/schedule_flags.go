package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
	"github.com/glusterdr/terraform-provider-gluster/internal/sshnodes"
)

// DefaultSchedulePath is where dr_schedule renders the schedule file on the
// controller.
const DefaultSchedulePath = "/etc/glusterdr/schedule.hcl"

// scheduleFlag adds --schedule to cmd, defaulting to $GLUSTERDR_SCHEDULE or
// DefaultSchedulePath.
func scheduleFlag(cmd *cobra.Command, path *string) {
	def := os.Getenv("GLUSTERDR_SCHEDULE")
	if def == "" {
		def = DefaultSchedulePath
	}
	cmd.Flags().StringVar(path, "schedule", def, "the schedule file; $GLUSTERDR_SCHEDULE sets the default")
}

// loadSchedule parses the schedule file; warnings go to the log.
func loadSchedule(g *globals, path string) (*schedule.Schedule, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the schedule: %w", err)
	}
	s, diags := schedule.Parse(path, src)
	if diags.HasErrors() {
		return nil, fmt.Errorf("the schedule has errors:\n%s", diagLines(diags))
	}
	for _, d := range diags {
		g.logger().Warn(d.Summary, "detail", d.Detail, "at", d.Subject)
	}
	return s, nil
}

// diagLines is every error of diags, one a line (hcl's own Error() gives
// the first and a count of the others).
func diagLines(diags hcl.Diagnostics) string {
	var lines []string
	for _, d := range diags.Errs() {
		lines = append(lines, "  "+d.Error())
	}
	return strings.Join(lines, "\n")
}

// scheduleTarget loads the schedule at path and finds its target name.
func scheduleTarget(g *globals, path, name string) (*schedule.Schedule, schedule.Target, error) {
	s, err := loadSchedule(g, path)
	if err != nil {
		return nil, schedule.Target{}, err
	}
	t, err := targetIn(s, path, "target", name)
	if err != nil {
		return nil, t, err
	}
	return s, t, nil
}

// targetIn finds the target that --flag names in schedule s (read from
// path); one that the schedule lacks is a usage error.
func targetIn(s *schedule.Schedule, path, flag, name string) (schedule.Target, error) {
	t, ok := s.Target(name)
	if !ok {
		names := make([]string, 0, len(s.Targets))
		for _, t := range s.Targets {
			names = append(names, t.Name)
		}
		return t, &usageError{fmt.Errorf("--%s: target %q is not in the schedule %s (targets: %s)", flag, name, path,
			strings.Join(names, ", "))}
	}
	return t, nil
}

// targetFlagsIn checks that the targets cmd's --target, --site and --from
// name, when given, are in schedule s.
func targetFlagsIn(cmd *cobra.Command, s *schedule.Schedule, path string) error {
	for _, flag := range []string{"target", "site", "from"} {
		if f := cmd.Flags().Lookup(flag); f != nil && f.Changed {
			if _, err := targetIn(s, path, flag, f.Value.String()); err != nil {
				return err
			}
		}
	}
	return nil
}

// withGuard runs fn with e's schedule guarded for access (drrun.Guard);
// without the lease when withoutLease.
func withGuard(ctx context.Context, e *drrun.Engine, access drrun.Access, withoutLease bool, fn func(context.Context) error) error {
	ctx, release, err := e.Guard(ctx, drrun.GuardOptions{Access: access, Command: commandLine(), WithoutLease: withoutLease})
	if err != nil {
		return err
	}
	defer release()
	return fn(ctx)
}

// guard takes the schedule's run lock (shared for access drrun.Reads) and
// the lease on its backup folder, for this invocation (drrun.Guard).
func guard(ctx context.Context, s *schedule.Schedule, nodes drrun.Nodes, access drrun.Access, log *slog.Logger) (context.Context, func(), error) {
	return drrun.Guard(ctx, s, nodes, drrun.GuardOptions{Access: access, Command: commandLine(), Log: log})
}

// withEngine loads the schedule at path and runs fn with its engine, whose
// SSH connections are closed after.
func withEngine(g *globals, cmd *cobra.Command, path string, fn func(context.Context, *drrun.Engine) error) error {
	s, err := loadSchedule(g, path)
	if err != nil {
		return err
	}
	if err := targetFlagsIn(cmd, s, path); err != nil {
		return err
	}
	log := g.logger()
	pool := remote.NewPool(log)
	defer closePool(g, pool)
	nodes, err := scheduleNodes(g, pool, s)
	if err != nil {
		return err
	}
	e := &drrun.Engine{Schedule: s, Nodes: nodes, Log: log, Progress: progressPrinter(cmd)}
	return fn(cmd.Context(), e)
}

func closePool(g *globals, pool *remote.Pool) {
	if err := pool.Close(); err != nil {
		g.logger().Warn("closing SSH connections", "error", err)
	}
}

// scheduleNodes reaches the schedule's nodes over pool, as its ssh block
// says: defaults, node blocks, jump hosts and the opted-in config_file.
func scheduleNodes(g *globals, pool *remote.Pool, s *schedule.Schedule) (*sshnodes.Nodes, error) {
	return sshnodes.New(pool, s, g.logger())
}

// progressPrinter prints the checkpoint wait to stderr when it changes, and
// at least every 30 seconds.
func progressPrinter(cmd *cobra.Command) func(gluster.Progress) {
	var last string
	var lastAt time.Time
	return func(p gluster.Progress) {
		line := fmt.Sprintf("%s: %d/%d workers done, pending entry %d data %d meta %d",
			p.Rollup, p.Done, p.Total, p.Pending.Entry, p.Pending.Data, p.Pending.Meta)
		if line == last && time.Since(lastAt) < 30*time.Second {
			return
		}
		last, lastAt = line, time.Now()
		fmt.Fprintf(cmd.ErrOrStderr(), "checkpoint %s/%s %s\n", p.Elapsed.Round(time.Second), p.Timeout, line)
	}
}

// commandLine is this invocation, for the lock file.
func commandLine() string { return strings.Join(os.Args, " ") }

func since(t time.Time, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return now.Sub(t).Round(time.Second).String() + " ago"
}
