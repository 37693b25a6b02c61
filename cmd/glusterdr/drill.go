package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

func newRestoreDrillCommand(g *globals) *cobra.Command {
	var schedulePath, target, setID string
	var noPrimary bool
	cmd := &cobra.Command{
		Use:   "restore-drill",
		Short: "Prove that a site's newest copy can be restored, without touching the primary",
		Example: `  glusterdr restore-drill
  glusterdr restore-drill --target sdsc --set 20261125T020000Z-sdsc --json
  glusterdr restore-drill --target tacc --no-primary   # the primary site is down`,
		Long: `Restore-drill reads a backup set back at a site: every manifest hash of the set (and of
the full and incrementals it needs), the etcd snapshot restored into a scratch etcd on
loopback that must serve the recorded revision and keys, and a sample of volume files
compared with the primary where it is reachable (read-only there too). It reports the RPO
(the age of the data restored), the time of each step and an RTO extrapolated from the rate
the copy was read, and appends the outcome to drills.jsonl in the schedule's state_dir.

By default it drills every target, each on the newest set the journal records as verified
there. It exits non-zero when any drill fails, naming what failed.`,
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
				var reports []*drill.Report
				err := withGuard(ctx, e, drrun.Reads, false, func(ctx context.Context) error {
					var err error
					reports, err = runDrills(ctx, e, targets, setID, !noPrimary)
					return err
				})
				return printResult(g, c.OutOrStdout(), reports, printDrills, err)
			})
		},
	}
	scheduleFlag(cmd, &schedulePath)
	cmd.Flags().StringVar(&target, "target", "", "drill this target only (default: every target)")
	cmd.Flags().StringVar(&setID, "set", "", "the set to restore (default: the newest verified at the target)")
	cmd.Flags().BoolVar(&noPrimary, "no-primary", false, "do not sample volume files on the primary (e.g. the primary site is down)")
	return cmd
}

// runDrills drills each target in turn and records each outcome; it goes on
// after a failed drill, and returns every failure joined.
func runDrills(ctx context.Context, e *drrun.Engine, targets []schedule.Target, setID string, usePrimary bool) ([]*drill.Report, error) {
	s := e.Schedule
	entries, err := journal.ReadFile(ctx, remote.LocalFiles{}, drrun.JournalPath(s))
	if err != nil {
		return nil, err
	}
	rel, err := e.BackupRel()
	if err != nil {
		return nil, err
	}
	var reports []*drill.Report
	var errs []error
	for _, t := range targets {
		site := drill.Site{Name: t.Name, Runner: e.Nodes.Runner(t.VerifyNode), Files: e.Nodes.Files(t.VerifyNode),
			SecondaryHost: t.SecondaryHost, Volume: t.SecondaryVolume, BackupRel: rel}
		opts := drill.Options{Set: setID, Journal: entries, Scratch: os.TempDir()}
		if usePrimary {
			opts.Sample = func(ctx context.Context, r remote.Runner, root string, asOf time.Time) (drill.Sampled, []manifest.Mismatch, error) {
				res, ms, err := e.SampleVolume(ctx, asOf, r, root, rel)
				return drill.Sampled{Files: res.Files, Bytes: res.Bytes, VolumeBytes: res.VolumeBytes}, ms, err
			}
		}
		rep, err := drill.Run(ctx, site, opts)
		if rep != nil && rep.Set != "" {
			if rerr := drill.Append(drrun.DrillsPath(s), rep); rerr != nil {
				err = errors.Join(err, rerr)
			}
			reports = append(reports, rep)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", t.Name, err))
		}
	}
	// status.json and the metrics show each site's last drill.
	if err := e.WriteStatus(ctx); err != nil {
		errs = append(errs, err)
	}
	return reports, errors.Join(errs...)
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
