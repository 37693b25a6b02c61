package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

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
so it answers even when the primary is gone. It needs no SSH.`,
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
			if _, err := os.Stat(drrun.JournalPath(s)); errors.Is(err, fs.ErrNotExist) {
				fmt.Fprintf(c.ErrOrStderr(), "warning: the controller's journal %s is missing: this status knows no run, "+
					"which is not the same as no copy (a new controller, or its state_dir was lost); `glusterdr sets` "+
					"lists the backup sets on the volume and whether each is verified\n", drrun.JournalPath(s))
			}
			return printResult(g, c.OutOrStdout(), st, printStatus, nil)
		},
	}
	scheduleFlag(cmd, &path)
	return cmd
}

func printStatus(w io.Writer, st drrun.Status) {
	now := st.Updated
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
