package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
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
		return nil, fmt.Errorf("the schedule has errors:\n%s", diags.Error())
	}
	for _, d := range diags {
		g.logger().Warn(d.Summary, "detail", d.Detail, "at", d.Subject)
	}
	return s, nil
}

// engine is a schedule's engine with an SSH pool, closed by the returned
// function.
func newEngine(g *globals, cmd *cobra.Command, s *schedule.Schedule) (*drrun.Engine, func()) {
	log := g.logger()
	pool := remote.NewPool(log)
	e := &drrun.Engine{Schedule: s, Nodes: drrun.PoolNodes{Pool: pool, SSH: s.SSH}, Log: log,
		Progress: progressPrinter(cmd)}
	return e, func() {
		if err := pool.Close(); err != nil {
			log.Warn("closing SSH connections", "error", err)
		}
	}
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
