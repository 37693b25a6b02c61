package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/bench"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

func newBenchCommand(g *globals) *cobra.Command {
	var schedulePath, target string
	var opts bench.Options
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure geo-replication throughput to a target: the baseline for RTO estimates",
		Example: `  glusterdr bench --target sdsc
  glusterdr bench --target tacc --files 500 --size 1000000 --json`,
		Long: `Bench runs a checkpoint cycle that carries nothing (the fixed cost of a cycle), writes a
tree of --files files of --size bytes of random data under .glusterdr-bench/ on the
primary's mount, replicates it with one checkpoint cycle, then removes it and replicates
the removal. It reports MB/s over the whole cycle and net of the fixed cost, and files/s.
It takes the run lock and the lease, as a nightly run does.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return withEngine(g, c, schedulePath, func(ctx context.Context, e *drrun.Engine) error {
				t, err := e.Target(target)
				if err != nil {
					return err
				}
				p := e.Schedule.Primary
				pr, pf := e.Nodes.Runner(p.Node), e.Nodes.Files(p.Node)
				opts.Cycle = gluster.CycleOptions{Timeout: timeout, StallAfter: e.Schedule.CheckpointStallAfter, Progress: progressPrinter(c)}
				marker := gluster.Marker{Files: pf, Mount: p.Mount, By: "glusterdr bench"}
				var res *bench.Result
				err = withGuard(ctx, e, drrun.Writes, false, func(ctx context.Context) error {
					res, err = bench.Run(ctx, gluster.New(pr), t.Session(), bench.Mount{Runner: pr, Path: p.Mount, Marker: marker.Write}, opts)
					return err
				})
				if err != nil {
					return err
				}
				return printResult(g, c.OutOrStdout(), res, printBench, nil)
			})
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

func printBench(w io.Writer, res *bench.Result) {
	fmt.Fprintf(w, "%s: %d files, %d bytes\n  written on the primary in %.1fs\n  empty cycle %.1fs, cycle %.1fs, removal cycle %.1fs\n  %.2f MB/s (%.2f MB/s net of the fixed cost), %.1f files/s\n",
		res.Session, res.Files, res.Bytes, res.WriteSeconds, res.EmptyCycleSeconds, res.CycleSeconds, res.DeleteCycleSeconds,
		res.MBPerSecond, res.NetMBPerSecond, res.FilesPerSecond)
}
