package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
)

func newRunCommand(g *globals) *cobra.Command {
	var path string
	var o drrun.RunOptions
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run tonight's DR cycle, or one step of it",
		Example: `  glusterdr run --schedule /etc/glusterdr/schedule.hcl
  glusterdr run --plan --json
  glusterdr run --step open --target sdsc --json
  glusterdr run --step replicate --set 20261125T020000Z-sdsc`,
		Long: `Run takes the schedule's run lock, resumes any backup set an interrupted run left,
chooses tonight's target, opens a backup set on the primary's global volume and runs its
steps: open, fill (provisioning state, etcd snapshot, cluster dump, manifest), replicate
(one geo-replication checkpoint cycle), verify (read back at the target), retention and
record (journal, status.json, metrics).

--step runs one step on its own, as the Ansible collection does: "open" makes a new set
(of --target, or tonight's choice), stands for the set --set names (opened already), or
with --resume takes up the set an interrupted run left; any other step works on --set,
or on the newest unfinished set (of --target). A step that is done already is not run
again ("changed": false); a failed step can be run again. --plan says what would be
done and changes nothing (Ansible's check mode); for one step it answers what the step
would do once the steps before it have run ("after"), as check mode needs when those
were only planned.

Any failure exits non-zero and names the step; with --json the report is still printed.
See cmd/glusterdr/CLI.md for the JSON shapes.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return withEngine(g, c, path, func(ctx context.Context, e *drrun.Engine) error {
				o.Command = commandLine()
				rep, err := e.Run(ctx, o)
				return printResult(g, c.OutOrStdout(), rep, printRunReport, err)
			})
		},
	}
	scheduleFlag(cmd, &path)
	cmd.Flags().StringVar(&o.Step, "step", drrun.StepAll, "all, or one step: "+strings.Join(backupset.Steps, ", "))
	cmd.Flags().StringVar(&o.Target, "target", "", "replicate to this target instead of tonight's choice")
	cmd.Flags().StringVar(&o.Set, "set", "", "the backup set a single step works on (default: the newest unfinished one)")
	cmd.Flags().BoolVar(&o.Resume, "resume", false, "with --step open: take up the set an interrupted run left, if a run would resume one, instead of opening a new set")
	cmd.Flags().BoolVar(&o.Plan, "plan", false, "say what would be done, change nothing")
	return cmd
}

func printRunReport(w io.Writer, rep *drrun.Report) {
	if rep.Plan {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ACTION\tSET\tSTEPS\tWHY")
		for _, p := range rep.Planned {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Action, p.Set, strings.Join(p.Steps, ","), p.Why)
		}
		tw.Flush()
		if rep.LockedBy != nil {
			fmt.Fprintf(w, "a run holds the lock now: PID %d (%s)\n", rep.LockedBy.PID, rep.LockedBy.Command)
		}
		return
	}
	for _, sr := range rep.Sets {
		m := sr.Set
		fmt.Fprintf(w, "%s %s: %s (%s, %s), ran %s\n", sr.Action, m.ID, m.Status, m.Tier, m.Kind, strings.Join(sr.Ran, ","))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  STEP\tSTATE\tSECONDS\tERROR")
		for _, st := range m.Steps {
			fmt.Fprintf(tw, "  %s\t%s\t%.1f\t%s\n", st.Name, st.State, st.Seconds, firstLine(st.Error))
		}
		tw.Flush()
		if v := m.Verification; v != nil {
			fmt.Fprintf(w, "  verified at %s on %s: %v (%d entries, %d sampled files, %d errors, %d warnings)\n",
				m.Target, v.Node, v.Verified, v.Entries, v.Sample.Files, v.Errors, v.Warnings)
		}
	}
	fmt.Fprintf(w, "took %.1fs: gluster sync %.1fs, glusterdr overhead %.1fs\n", rep.Seconds, rep.SyncSeconds, rep.OverheadSeconds)
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
