package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/report"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

func newReportCommand(g *globals) *cobra.Command {
	var path, htmlPath, benchPath string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "The DR posture: verified copies against the 3 audits ask for, RPO, drills and RTO, runs, retention",
		Long: `Report reads the journal, the drill log and, when the primary answers, the backup sets.
It counts the geographically separate verified copies (the primary plus each site whose
newest set was verified) against the three that audited systems commonly require.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			s, err := loadSchedule(g, path)
			if err != nil {
				return err
			}
			st, err := drrun.LoadStatus(c.Context(), s, time.Now())
			if err != nil {
				return err
			}
			entries, err := journal.ReadFile(c.Context(), remote.LocalFiles{}, drrun.JournalPath(s))
			if err != nil {
				return err
			}
			e, done := newEngine(g, c, s)
			defer done()
			var sets []backupset.Summary
			listing, setsErr := e.Store().List(c.Context())
			for _, m := range listing.Sets {
				sets = append(sets, m.Summary())
			}
			r := report.Build(st, entries, sets, setsErr)
			if setsErr != nil {
				// The report is printed, but a report without the sets is no
				// posture: the command fails so that nobody reads it as one.
				setsErr = fmt.Errorf("the report lacks the backup sets: %w", setsErr)
			}
			if htmlPath != "" {
				if err := writeHTMLReport(c, s, htmlPath, benchPath, r, entries, listing.Sets); err != nil {
					return err
				}
			}
			if g.json {
				if err := printJSON(c.OutOrStdout(), r); err != nil {
					return err
				}
				return setsErr
			}
			report.Render(c.OutOrStdout(), r)
			return setsErr
		},
	}
	scheduleFlag(cmd, &path)
	cmd.Flags().StringVar(&htmlPath, "html", "", "also write the report as one self-contained HTML page, with plots, to this file")
	cmd.Flags().StringVar(&benchPath, "bench", "bench/results", "with --html: the make bench results to show (a JSON file, or the folder whose newest is shown)")
	return cmd
}

// writeHTMLReport writes the --html page: the report, the journal, the
// drills, the sets and the newest bench table.
func writeHTMLReport(c *cobra.Command, s *schedule.Schedule, path, benchPath string, r report.Report, entries []journal.Entry, sets []*backupset.Meta) error {
	drills, err := drill.Read(c.Context(), remote.LocalFiles{}, drrun.DrillsPath(s))
	if err != nil {
		return err
	}
	in := report.Inputs{Report: r, Journal: entries, Drills: drills, Sets: sets}
	in.LoadBench(benchPath)
	if err := report.WriteHTMLFile(path, in); err != nil {
		return err
	}
	fmt.Fprintln(c.ErrOrStderr(), "HTML report written to", path)
	return nil
}
