package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
)

func newStatusCommand(g *globals) *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "The sites, their last verified copies, the RPO and the next runs",
		Example: `  glusterdr status
  glusterdr status --schedule /etc/glusterdr/schedule.hcl --json`,
		Long: `Status reads the schedule and the run journal on this machine (the controller),
so it answers even when the primary is gone, without SSH.

On a controller whose state_dir has no journal (a new controller, or one whose state was
lost), it rebuilds the history from the backup sets' records (record.json in each set
folder, on the global volume) at the primary, or, when the primary cannot be read, from
the sites' copies, each mounted read-only; it says so ("rebuilt" in the JSON) and changes
nothing. The next run writes the rebuilt history back into the state_dir.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return withEngine(g, c, path, func(ctx context.Context, e *drrun.Engine) error {
				st, _, err := e.Status(ctx, time.Now())
				if err != nil {
					return err
				}
				if st.Rebuilt != nil && st.Rebuilt.Failed != "" {
					e.Log.Warn("this status knows no run, which is not the same as no copy: `glusterdr sets` lists the backup "+
						"sets on the volume, and whether each is verified, once it can be reached", "why", st.Rebuilt.Failed)
				}
				return printResult(g, c.OutOrStdout(), st, printStatus, nil)
			})
		},
	}
	scheduleFlag(cmd, &path)
	return cmd
}

func printStatus(w io.Writer, st drrun.Status) {
	now := st.Updated
	printRebuilt(w, st.Rebuilt)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tSECONDARY\tLAST VERIFIED SET\tCOPY OF\tRPO\tLAST RUN\tLAST DRILL")
	for _, t := range st.Targets {
		set, copyOf, rpo, last := "none", "-", "-", "never"
		if t.LastVerified != nil {
			set = t.LastVerified.Set
		}
		if t.CopyTime != nil {
			copyOf = t.CopyTime.UTC().Format(time.DateTime)
		}
		if t.RPOSeconds != nil {
			rpo = (time.Duration(*t.RPOSeconds) * time.Second).Round(time.Second).String()
		}
		if t.LastRun != nil {
			last = fmt.Sprintf("%s %s (%s)", t.LastRun.Set, t.LastRun.Result, since(t.LastRun.Time, now))
		}
		drill := "never"
		if d := t.LastDrill; d != nil {
			drill = fmt.Sprintf("%s %s (%s)", d.Set, map[bool]string{true: "passed", false: "failed"}[d.Passed], since(d.Time, now))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Name, t.Secondary, set, copyOf, rpo, last, drill)
	}
	tw.Flush()
	var points []backupset.SitePoints
	for _, t := range st.Targets {
		if t.RestorePoints != nil {
			points = append(points, *t.RestorePoints)
		}
	}
	printPoints(w, points)
	printFailures(w, st)
	rpo := "no verified copy"
	if st.RPOSeconds != nil {
		rpo = (time.Duration(*st.RPOSeconds) * time.Second).Round(time.Second).String()
	}
	fmt.Fprintf(w, "\nRPO (newest verified copy anywhere): %s; verified copies at %d site(s)\n", rpo, st.VerifiedCopies)
	for i, r := range st.NextRuns {
		target := ""
		if i == 0 && st.NextTarget != "" {
			target = " to " + st.NextTarget
		}
		fmt.Fprintf(w, "next run: %s%s\n", r.Format(time.RFC3339), target)
	}
	if st.Running != nil {
		fmt.Fprintf(w, "running now: PID %d since %s (%s)\n", st.Running.PID, st.Running.Started.Format(time.RFC3339), st.Running.Command)
	}
}

// printFailures says, loudly, what failed last at each site: its newest
// set, or its newest restore drill; and which drills are due.
func printFailures(w io.Writer, st drrun.Status) {
	for _, t := range st.Targets {
		if r := t.LastRun; r != nil && !r.Verified() {
			fmt.Fprintf(w, "FAILED at %s: the newest set %s failed at step %s: %s\n", t.Name, r.Set, r.FailedStep, firstLine(r.Error))
		}
		if d := t.LastDrill; d != nil && !d.Passed {
			fmt.Fprintf(w, "FAILED at %s: the newest restore drill (set %s) did not pass: %s\n", t.Name, d.Set, firstLine(d.Problem))
		}
		if t.DrillDue {
			fmt.Fprintf(w, "restore drill due at %s: the next run drills its newest point\n", t.Name)
		}
	}
}

// printRebuilt says, first, that the history shown was rebuilt from the
// backup sets, from where, and what it lacks.
func printRebuilt(w io.Writer, r *drrun.Rebuilt) {
	if r == nil {
		return
	}
	if r.Failed != "" {
		fmt.Fprintf(w, "NO HISTORY: %s\n\n", r.Failed)
		return
	}
	fmt.Fprintf(w, "HISTORY REBUILT from the backup sets: %s.\nRead from %s: %d set(s), %d with a record; %d run(s), %d drill(s).\n",
		r.Why, strings.Join(r.From, "; "), r.Sets, r.Records, r.Entries, r.Drills)
	if len(r.FromSetJSON) > 0 {
		fmt.Fprintf(w, "from set.json, without a record: %s\n", strings.Join(r.FromSetJSON, ", "))
	}
	if len(r.Unrecorded) > 0 {
		fmt.Fprintf(w, "not on record in this copy: %s\n", strings.Join(r.Unrecorded, ", "))
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "not read: %s\n", p)
	}
	fmt.Fprintln(w)
}
