package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

func newRestoreDrillCommand(g *globals) *cobra.Command {
	var schedulePath, target, setID string
	var noPrimary, due bool
	cmd := &cobra.Command{
		Use:   "restore-drill",
		Short: "Prove that a site's newest copy can be restored, without touching the primary",
		Example: `  glusterdr restore-drill
  glusterdr restore-drill --target sdsc --set 20261125T020000Z-sdsc --json
  glusterdr restore-drill --target tacc --no-primary   # the primary site is down`,
		Long: `Restore-drill reads a backup set back at a site: every manifest hash of the set (and of
the full and incrementals it needs), the etcd snapshot restored into a scratch etcd on
loopback that must serve the recorded revision and keys, and a sample of volume files. It
reports the RPO (the age of the data restored), the time of each step and an RTO
extrapolated from the rate the copy was read, and appends the outcome to drills.jsonl in
the schedule's state_dir.

At a target that keeps restore points, it drills a point: the set's files in the point
against the manifest, the sample against the hashes the primary gave when the set was
verified (no primary needed), and the etcd snapshot kept in the point. --set drills the
point of that set; without it, the newest. At a target without points, it reads the
site's live volume, and samples the primary where it is reachable.

By default it drills every target; --due only those whose last passed drill is older than
drill_every and that hold a verified point (the nightly run drills those by itself; a site
before its first point is left out). It exits non-zero when any drill fails, naming what
failed.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return withEngine(g, c, schedulePath, func(ctx context.Context, e *drrun.Engine) error {
				targets := e.Schedule.Targets
				if _, of, err := retention.ParseFolderName(setID); err == nil && target == "" {
					target = of // --set names its target
				}
				if target != "" {
					t, err := e.Target(target)
					if err != nil {
						return err
					}
					targets = []schedule.Target{t}
				}
				if due {
					dueTargets, err := e.DrillableDue(ctx)
					if err != nil {
						return err
					}
					targets = slices.DeleteFunc(targets, func(t schedule.Target) bool {
						return !slices.ContainsFunc(dueTargets, func(d schedule.Target) bool { return d.Name == t.Name })
					})
				}
				var reports []*drill.Report
				err := withGuard(ctx, e, drrun.Reads, false, func(ctx context.Context) error {
					var err error
					reports, err = e.Drills(ctx, targets, drrun.DrillOptions{Set: setID, UsePrimary: !noPrimary})
					return err
				})
				return printResult(g, c.OutOrStdout(), reports, printDrills, err)
			})
		},
	}
	scheduleFlag(cmd, &schedulePath)
	cmd.Flags().StringVar(&target, "target", "", "drill this target only (default: every target)")
	cmd.Flags().StringVar(&setID, "set", "", "the set whose restore point to drill (default: the newest verified at the target)")
	cmd.Flags().BoolVar(&noPrimary, "no-primary", false, "do not sample volume files on the primary (e.g. the primary site is down)")
	cmd.Flags().BoolVar(&due, "due", false, "drill only the targets whose last passed drill is older than the schedule's drill_every and that hold a verified point")
	return cmd
}

func printDrills(w io.Writer, reports []*drill.Report) {
	for _, r := range reports {
		printDrill(w, r)
	}
}

func printDrill(w io.Writer, r *drill.Report) {
	verdict := "PASSED"
	if !r.Passed {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "restore drill at %s of %s: %s\n", r.Site, strings.Join(r.Chain, " + "), verdict)
	fmt.Fprintf(w, "  data as of %s, RPO %s; extrapolated RTO %s (%s)\n", r.DataAsOf.UTC().Format(time.DateTime),
		seconds(r.RPOSeconds), seconds(r.RTOSeconds), r.RTOModel)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  STEP\tOK\tSECONDS\tDETAIL")
	for _, s := range r.Steps {
		fmt.Fprintf(tw, "  %s\t%v\t%.2f\t%s\n", s.Name, s.OK, s.Seconds, s.Detail)
	}
	tw.Flush()
	if r.Sample != nil && r.Sample.Skipped != "" {
		fmt.Fprintf(w, "  volume sample skipped: %s\n", r.Sample.Skipped)
	}
	if r.Problem != "" {
		fmt.Fprintf(w, "  problem: %s\n", strings.ReplaceAll(r.Problem, "\n", "\n  "))
	}
}

func seconds(s float64) string {
	return (time.Duration(s * float64(time.Second))).Round(time.Second).String()
}
