package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/report"
)

func newReportCommand(g *globals) *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "The DR posture: verified copies against the 3 audits ask for, RPO, drills and RTO, runs, retention",
		Example: `  glusterdr report
  glusterdr report --schedule /etc/glusterdr/schedule.hcl --json`,
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
	return cmd
}
