package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// checkpointResult is what `glusterdr checkpoint --json` prints.
type checkpointResult struct {
	Target      string `json:"target"`
	Session     string `json:"session"`
	PrimaryNode string `json:"primary_node"`
	Plan        bool   `json:"plan"`
	// Changed is true once a checkpoint was set (and, with --plan, would
	// be): a cycle always sets one, writes the marker, starts and stops.
	Changed        bool    `json:"changed"`
	TimeoutSeconds float64 `json:"timeout_seconds"`
	// Completed is true when every Active worker completed the checkpoint
	// and none was Faulty.
	Completed      bool       `json:"completed"`
	CheckpointTime *time.Time `json:"checkpoint_time"`
	// CompletedAt is gluster's checkpoint completion time (latest over the
	// Active workers); NoticedAt when glusterdr saw it.
	CompletedAt *time.Time `json:"completed_at"`
	NoticedAt   *time.Time `json:"noticed_at"`
	// Seconds is the cycle's wall time, from the stop before the
	// checkpoint to the completion being noticed.
	Seconds  float64 `json:"seconds"`
	Restarts int     `json:"restarts"`
	Polls    int     `json:"polls"`
	// Status is the session's rollup in the last status read (the cycle
	// stops the session after it).
	Status string `json:"status"`
	// Pending sums the workers' pending counts in the last status read.
	Pending       pendingView  `json:"pending"`
	WorkersDone   int          `json:"workers_done"`
	WorkersActive int          `json:"workers_active"`
	Workers       []workerView `json:"workers"`
	// FailureKind is timeout, faulty or not_started for a cycle that
	// failed while waiting.
	FailureKind string `json:"failure_kind,omitempty"`
	Error       string `json:"error,omitempty"`
}

// pendingView is the pending entry, data and meta counts and failures.
type pendingView struct {
	Entry    int `json:"entry"`
	Data     int `json:"data"`
	Meta     int `json:"meta"`
	Failures int `json:"failures"`
}

func newCheckpointCommand(g *globals) *cobra.Command {
	var (
		path, target string
		timeout      time.Duration
		plan         bool
	)
	cmd := &cobra.Command{
		Use:   "checkpoint",
		Short: "Replicate a target up to now: one geo-replication checkpoint cycle, waited for",
		Example: `  glusterdr checkpoint --target sdsc
  glusterdr checkpoint --target tacc --timeout 30m --json
  glusterdr checkpoint --target sdsc --plan`,
		Long: `Checkpoint runs one checkpoint cycle of the session to a schedule target, in the order
that works on GlusterFS 10: "config checkpoint now", stop the session, write a marker
file at the root of the primary mount a second after the checkpoint (an idle volume
completes no checkpoint otherwise), wait for the marker's changelog to close (or, when
the primary volume's changelog.rollover-time is over 15 s, close it at once with
"gluster volume barrier" enable and disable, which holds writes to the primary for a
second or two), start, wait until every Active worker has completed the checkpoint and none is Faulty
(a session in which nothing moves for the schedule's checkpoint_stall_after is stopped
and started once), then stop. It fails after --timeout,
and a session that never leaves Created or a worker Faulty too long fails it sooner;
the session is stopped in every case.

It takes the schedule's run lock. --plan changes nothing: it reads the session's status
and reports that a cycle would run. The progress goes to stderr; with --json the report
(per-worker status, pending counts, checkpoint and completion times) is printed even on
failure. It is not a backup: "glusterdr run" replicates a backup set.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			s, t, err := scheduleTarget(g, path, target)
			if err != nil {
				return err
			}
			if timeout <= 0 {
				timeout = s.CheckpointTimeout
			}
			pool := remote.NewPool(g.logger())
			defer closePool(g, pool)
			nodes, err := scheduleNodes(g, pool, s)
			if err != nil {
				return err
			}
			ref := t.Session()
			res := &checkpointResult{Target: t.Name, Session: ref.String(), PrimaryNode: s.Primary.Node, Plan: plan,
				TimeoutSeconds: timeout.Seconds(), Workers: []workerView{}}
			cp := checkpointCmd{client: gluster.New(nodes.Runner(s.Primary.Node)), files: nodes.Files(s.Primary.Node), nodes: nodes,
				ref: ref, mount: s.Primary.Mount, timeout: timeout, stallAfter: s.CheckpointStallAfter, progress: progressPrinter(c), g: g}
			if plan {
				err = cp.plan(c.Context(), res)
			} else {
				err = cp.locked(c.Context(), s, res)
			}
			if err != nil {
				res.Error = err.Error()
			}
			return printResult(g, c.OutOrStdout(), res, printCheckpoint, err)
		},
	}
	scheduleFlag(cmd, &path)
	cmd.Flags().StringVar(&target, "target", "", "the schedule target whose session replicates (required)")
	cmd.Flags().DurationVar(&timeout, "timeout", 0, "how long to wait for the checkpoint (default: the schedule's checkpoint_timeout)")
	cmd.Flags().BoolVar(&plan, "plan", false, "read the session's status and say a cycle would run; change nothing")
	_ = cmd.MarkFlagRequired("target")
	return cmd
}

// checkpointCmd is one run of `glusterdr checkpoint`.
type checkpointCmd struct {
	client  *gluster.Client
	files   remote.Files // the primary node's, for the marker
	nodes   drrun.Nodes  // for the run lock's lease
	ref     gluster.SessionRef
	mount   string
	timeout time.Duration
	// stallAfter is the schedule's checkpoint_stall_after.
	stallAfter time.Duration
	progress   func(gluster.Progress)
	g          *globals
	now        func() time.Time
}

// plan reads the status of the session a cycle would run on.
func (cp checkpointCmd) plan(ctx context.Context, res *checkpointResult) error {
	st, err := cp.client.Status(ctx, cp.ref)
	if err != nil {
		if errors.Is(err, gluster.ErrNoSession) {
			return fmt.Errorf("no geo-replication session %s to run a checkpoint on; create it with `glusterdr session --state present`: %w", cp.ref, err)
		}
		return err
	}
	res.Changed = true
	fillCheckpointStatus(res, st, time.Time{})
	return nil
}

// locked runs the cycle under the schedule's run lock.
func (cp checkpointCmd) locked(ctx context.Context, s *schedule.Schedule, res *checkpointResult) error {
	ctx, release, err := guard(ctx, s, cp.nodes, drrun.Writes, cp.g.logger())
	if err != nil {
		return err
	}
	defer release()
	return cp.run(ctx, res)
}

// run runs the cycle and fills res from its result or its failure.
func (cp checkpointCmd) run(ctx context.Context, res *checkpointResult) error {
	opts := gluster.CycleOptions{
		Timeout:    cp.timeout,
		StallAfter: cp.stallAfter,
		Logger:     cp.g.logger(),
		Marker:     gluster.Marker{Files: cp.files, Mount: cp.mount, By: "glusterdr checkpoint", Now: cp.now}.Write,
		Progress:   cp.progress,
	}
	cr, err := cp.client.RunCheckpointCycle(ctx, cp.ref, opts)
	fillCheckpointResult(res, cr, err)
	return err
}

// fillCheckpointResult copies a cycle's result, or what its failure knew,
// into res.
func fillCheckpointResult(res *checkpointResult, cr *gluster.CycleResult, err error) {
	var cpTime time.Time
	if cr != nil {
		res.Changed = !cr.CheckpointTime.IsZero()
		cpTime = cr.CheckpointTime
		res.CheckpointTime = timeOrNil(cr.CheckpointTime)
		res.CompletedAt = timeOrNil(cr.CompletedAt)
		res.NoticedAt = timeOrNil(cr.NoticedAt)
		res.Seconds = cr.Duration.Seconds()
		res.Restarts, res.Polls = cr.Restarts, cr.Polls
		res.Completed = !cr.CompletedAt.IsZero()
		if cr.Final != nil {
			fillCheckpointStatus(res, cr.Final, cpTime)
		}
	}
	var ce *gluster.CheckpointError
	if errors.As(err, &ce) {
		res.FailureKind = failureKind(ce.Kind)
		res.Pending = pendingView{Entry: ce.Pending.Entry, Data: ce.Pending.Data, Meta: ce.Pending.Meta, Failures: ce.Pending.Failures}
		res.WorkersDone, res.WorkersActive = ce.Done, ce.Total
		if ce.Last != nil {
			res.Status = string(ce.Last.Rollup)
			res.Workers = workerViews(ce.Last.Workers)
		}
	}
}

// fillCheckpointStatus copies a status read into res; Active workers count
// as done when they completed a checkpoint at cp or later (any, with the
// zero cp).
func fillCheckpointStatus(res *checkpointResult, st *gluster.SessionStatus, cp time.Time) {
	p := st.Pending()
	res.Status = string(st.Rollup)
	res.Pending = pendingView{Entry: p.Entry, Data: p.Data, Meta: p.Meta, Failures: p.Failures}
	res.Workers = workerViews(st.Workers)
	res.WorkersDone, res.WorkersActive = 0, 0
	for _, w := range st.Workers {
		if w.Status != gluster.WorkerActive {
			continue
		}
		res.WorkersActive++
		if w.CheckpointCompleted && !w.CheckpointTime.IsZero() && !w.CheckpointTime.Before(cp) {
			res.WorkersDone++
		}
	}
}

func failureKind(kind error) string {
	switch {
	case errors.Is(kind, gluster.ErrCheckpointTimeout):
		return "timeout"
	case errors.Is(kind, gluster.ErrWorkerFaulty):
		return "faulty"
	case errors.Is(kind, gluster.ErrNotStarted):
		return "not_started"
	}
	return ""
}

func printCheckpoint(w io.Writer, r *checkpointResult) {
	switch {
	case r.Plan:
		fmt.Fprintf(w, "%s (%s): a checkpoint cycle would run (timeout %s); the session is %s now\n",
			r.Session, r.Target, time.Duration(r.TimeoutSeconds*float64(time.Second)), r.Status)
	case r.Completed:
		fmt.Fprintf(w, "%s (%s): checkpoint %s completed at %s; the cycle took %.1fs (%d polls, %d restarts)\n",
			r.Session, r.Target, fmtTimePtr(r.CheckpointTime), fmtTimePtr(r.CompletedAt), r.Seconds, r.Polls, r.Restarts)
	default:
		fmt.Fprintf(w, "%s (%s): checkpoint not completed\n", r.Session, r.Target)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PRIMARY BRICK\tSTATUS\tENTRY\tDATA\tMETA\tFAILURES\tCHECKPOINT\tCOMPLETED")
	for _, x := range r.Workers {
		fmt.Fprintf(tw, "%s:%s\t%s\t%d\t%d\t%d\t%d\t%s\t%v\n", x.PrimaryNode, x.Brick, x.Status, x.Entry, x.Data, x.Meta,
			x.Failures, fmtTimePtr(x.CheckpointTime), x.CheckpointCompleted)
	}
	tw.Flush()
	if r.Error != "" {
		fmt.Fprintf(w, "error: %s\n", r.Error)
	}
}

func fmtTimePtr(t *time.Time) string {
	if t == nil {
		return "N/A"
	}
	return t.UTC().Format(time.DateTime)
}
