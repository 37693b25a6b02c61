package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
)

func newRetentionCommand(g *globals) *cobra.Command {
	var path string
	var apply bool
	cmd := &cobra.Command{
		Use:   "retention",
		Short: "Plan retention over the backup sets; with --apply, carry it out",
		Example: `  glusterdr retention
  glusterdr retention --apply --json`,
		Long: `Retention computes which sets to keep, promote and delete under the schedule's
policy, by the calendar per target: the newest verified set of each of the last N days
(UTC) that have one, then of each of the last M ISO weeks before those, then of each of
the last K months before those. By default it only prints the plan. --apply takes the
run lock, records tier changes in set.json and deletes what the plan says; never a
target's newest verified set, never a set whose set.json cannot be read.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return withEngine(g, c, path, func(ctx context.Context, e *drrun.Engine) error {
				r, err := e.Retention(ctx, apply, commandLine())
				if r == nil {
					return err
				}
				return printResult(g, c.OutOrStdout(), r, printRetention, err)
			})
		},
	}
	scheduleFlag(cmd, &path)
	cmd.Flags().BoolVar(&apply, "apply", false, "carry the plan out (default: only print it)")
	return cmd
}

func printRetention(w io.Writer, r *drrun.RetentionReport) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DECISION\tSET\tTIER\tREASON")
	for _, d := range r.Promote {
		fmt.Fprintf(tw, "promote\t%s\t%s\t%s\n", d.ID, d.Tier, d.Reason)
	}
	for _, d := range r.Keep {
		fmt.Fprintf(tw, "keep\t%s\t%s\t%s\n", d.ID, d.Tier, d.Reason)
	}
	for _, d := range r.Delete {
		fmt.Fprintf(tw, "delete\t%s\t%s\t%s\n", d.ID, d.Tier, d.Reason)
	}
	for _, u := range r.Unreadable {
		fmt.Fprintf(tw, "untouched\t%s\t-\tset.json unreadable: %s\n", u.ID, u.Error)
	}
	tw.Flush()
	if r.Applied {
		fmt.Fprintf(w, "applied: %d promoted, %d deleted\n", len(r.Promote), len(r.Deleted))
	} else {
		fmt.Fprintln(w, "plan only; --apply carries it out")
	}
}
