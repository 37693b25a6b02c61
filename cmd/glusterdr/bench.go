package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/bench"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

func newBenchCommand(g *globals) *cobra.Command {
	var schedulePath, target string
	var opts bench.Options
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure geo-replication throughput to a target: the baseline for RTO estimates",
		Long: `Bench runs a checkpoint cycle that carries nothing (the fixed cost of a cycle), writes a
tree of --files files of --size bytes of random data under .glusterdr-bench/ on the
primary's mount, replicates it with one checkpoint cycle, then removes it and replicates
the removal. It reports MB/s over the whole cycle and net of the fixed cost, and files/s.
Do not run it while a nightly run holds the lock.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			s, err := loadSchedule(g, schedulePath)
			if err != nil {
				return err
			}
			e, done := newEngine(g, c, s)
			defer done()
			t, err := e.Target(target)
			if err != nil {
				return err
			}
			pr, pf := e.Nodes.Runner(s.Primary.Node), e.Nodes.Files(s.Primary.Node)
			opts.Cycle = gluster.CycleOptions{Timeout: timeout, StallAfter: s.CheckpointStallAfter, Progress: progressPrinter(c)}
			marker := gluster.Marker{Files: pf, Mount: s.Primary.Mount, By: "glusterdr bench"}
			mount := bench.Mount{Runner: pr, Path: s.Primary.Mount, Marker: marker.Write}
			res, err := bench.Run(c.Context(), gluster.New(pr), t.Session(), mount, opts)
			if err != nil {
				return err
			}
			if g.json {
				return printJSON(c.OutOrStdout(), res)
			}
			fmt.Fprintf(c.OutOrStdout(), "%s: %d files, %d bytes\n  written on the primary in %.1fs\n  empty cycle %.1fs, cycle %.1fs, removal cycle %.1fs\n  %.2f MB/s (%.2f MB/s net of the fixed cost), %.1f files/s\n",
				res.Session, res.Files, res.Bytes, res.WriteSeconds, res.EmptyCycleSeconds, res.CycleSeconds, res.DeleteCycleSeconds,
				res.MBPerSecond, res.NetMBPerSecond, res.FilesPerSecond)
			return nil
		},
	}
	scheduleFlag(cmd, &schedulePath)
	cmd.Flags().StringVar(&target, "target", "", "the target to measure (required)")
	cmd.Flags().IntVar(&opts.Files, "files", 2000, "how many files")
	cmd.Flags().Int64Var(&opts.FileSize, "size", 50_000, "bytes per file")
	cmd.Flags().DurationVar(&timeout, "timeout", time.Hour, "how long each cycle may take")
	_ = cmd.MarkFlagRequired("target")
	return cmd
}
