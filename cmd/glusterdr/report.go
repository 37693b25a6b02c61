package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/report"
)

func newReportCommand(g *globals) *cobra.Command {
	var path, htmlPath, benchPath string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "The DR posture: verified copies against the 3 audits ask for, RPO, drills and RTO, runs, retention",
		Example: `  glusterdr report
  glusterdr report --schedule /etc/glusterdr/schedule.hcl --json`,
		Long: `Report reads the journal, the drill log and, when the primary answers, the backup sets.
On a controller without a journal it rebuilds the history from the sets' records, as status
does, and says so.
It counts the geographically separate verified copies (the primary plus each site whose
newest set was verified) against the three that audited systems commonly require.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return withEngine(g, c, path, func(ctx context.Context, e *drrun.Engine) error {
				st, h, err := e.Status(ctx, time.Now())
				if err != nil {
					return err
				}
				var sets []backupset.Summary
				listing, setsErr := backupset.Listing{Sets: h.Sets}, error(nil)
				if h.Rebuilt == nil || h.Rebuilt.Failed != "" {
					listing, setsErr = e.Store().List(ctx)
				}
				for _, m := range listing.Sets {
					sets = append(sets, m.Summary())
				}
				r := report.Build(st, h.Entries, sets, setsErr)
				if setsErr != nil {
					// The report is printed, but a report without the sets is
					// no posture: the command fails so that nobody reads it
					// as one.
					setsErr = fmt.Errorf("the report lacks the backup sets: %w", setsErr)
				}
				if htmlPath != "" {
					in := report.Inputs{Report: r, Journal: h.Entries, Drills: h.Drills, Sets: listing.Sets}
					if err := writeHTMLReport(c, htmlPath, benchPath, in); err != nil {
						return err
					}
				}
				return printResult(g, c.OutOrStdout(), r, report.Render, setsErr)
			})
		},
	}
	scheduleFlag(cmd, &path)
	cmd.Flags().StringVar(&htmlPath, "html", "", "also write the report as one self-contained HTML page, with plots, to this file")
	cmd.Flags().StringVar(&benchPath, "bench", "bench/results", "with --html: the make bench results to show (a JSON file, or the folder whose newest is shown)")
	return cmd
}

// writeHTMLReport writes the --html page: the report, the journal, the
// drills, the sets and the newest bench table.
func writeHTMLReport(c *cobra.Command, path, benchPath string, in report.Inputs) error {
	in.LoadBench(benchPath)
	if err := report.WriteHTMLFile(path, in); err != nil {
		return err
	}
	fmt.Fprintln(c.ErrOrStderr(), "HTML report written to", path)
	return nil
}
