package gluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Defaults of CycleOptions.
const (
	DefaultCycleTimeout = 30 * time.Minute
	DefaultStallAfter   = 3 * time.Minute
	DefaultFaultyGrace  = time.Minute
	DefaultStartGrace   = time.Minute
	DefaultPollMin      = 200 * time.Millisecond
	DefaultPollMax      = 5 * time.Second
)

// stopTimeout bounds the stop that ends a failed or cancelled cycle, which
// runs even after the caller's context is done.
const stopTimeout = 2 * time.Minute

// maxStatusFailures is how many status polls in a row may fail (glusterd
// busy with another transaction, an SSH hiccup) before the cycle gives up.
const maxStatusFailures = 3

// CycleOptions tune RunCheckpointCycle. Zero values take the defaults above.
type CycleOptions struct {
	// Timeout bounds the wait for the checkpoint, from the start of the cycle.
	Timeout time.Duration
	// Marker writes a file on the primary mount after the checkpoint is set
	// and before the session starts, so that an idle volume still has a
	// change to process and completes its checkpoint.
	Marker func(ctx context.Context) error
	// Progress, if set, is called after every status poll.
	Progress func(Progress)
	// StallAfter: when neither the pending counts, the last-synced times
	// nor the worker statuses change for this long, the session is stopped,
	// the marker written again and the session started, once (a stalled
	// changelog crawl was seen to resume so). Each later stall of as long
	// writes the marker again, a fresh change for the crawl to process.
	StallAfter time.Duration
	// FaultyGrace is how long a worker may stay Faulty (gsyncd restarts
	// faulty workers by itself) before the cycle fails.
	FaultyGrace time.Duration
	// StartGrace is how long every worker may stay Created after start;
	// longer means the workers cannot reach the secondary (keys).
	StartGrace time.Duration
	// Rollover is the primary volume's changelog rollover interval: the
	// session is started only once the changelog that recorded the marker
	// has been closed, which the cycle does itself over
	// CloseChangelogAbove. Zero reads it from the volume (RolloverOption);
	// negative starts at once.
	Rollover time.Duration
	// LiveGrace: Active workers idle in the live changelog crawl with the
	// checkpoint not reached for this long count as a stall (their history
	// crawl missed the marker). Default 10 s plus the rollover interval.
	LiveGrace time.Duration
	// PollMin and PollMax bound the adaptive pause between status polls.
	PollMin, PollMax time.Duration
	// SSHHint, if set, says what to do about gsyncd's failing ssh to a
	// secondary node (which known_hosts it checks, how to re-pin); the
	// cycle reads gsyncd's log for such failures whenever no worker works.
	SSHHint func(SSHFailure) string
	// Logger receives the cycle's steps, restarts and retried polls; nil
	// discards them.
	Logger *slog.Logger
}

func (o CycleOptions) withDefaults() CycleOptions {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Timeout, DefaultCycleTimeout)
	def(&o.StallAfter, DefaultStallAfter)
	def(&o.FaultyGrace, DefaultFaultyGrace)
	def(&o.StartGrace, DefaultStartGrace)
	def(&o.PollMin, DefaultPollMin)
	def(&o.PollMax, DefaultPollMax)
	o.PollMax = max(o.PollMax, o.PollMin)
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// CycleResult is a completed checkpoint cycle.
type CycleResult struct {
	// CheckpointTime is the checkpoint the cycle set (gluster's clock).
	CheckpointTime time.Time
	// CompletedAt is gluster's checkpoint_completion_time: the latest over
	// the Active workers.
	CompletedAt time.Time
	// NoticedAt is when this client saw the completion (its own clock).
	NoticedAt time.Time
	// Duration runs from the start of the cycle to NoticedAt.
	Duration time.Duration
	// Stalls counts the times the cycle saw no progress (StallAfter, or
	// LiveGrace in the live crawl); each was answered by a restart or a
	// nudge.
	Stalls int
	// Restarts counts stop/start rounds after a stall (0 or 1).
	Restarts int
	// Nudges counts markers written again after later stalls.
	Nudges int
	// Polls counts status calls made while waiting.
	Polls int
	// Final is the status that showed the completion.
	Final *SessionStatus
}

// RunCheckpointCycle replicates once up to "now", in the order that worked
// every time on real GlusterFS 10:
//
//  1. `config checkpoint now`, and make sure the session is stopped;
//  2. opts.Marker, so that an idle volume has a change to sync, at least a
//     second after the checkpoint (MarkerAfterCheckpoint);
//  3. read back the checkpoint gluster set, and wait until the marker's
//     changelog is closed (Rollover): the read overlaps the wait. With a
//     rollover time longer than CloseChangelogAbove the cycle closes it
//     instead, under a write barrier of a second or two (CloseChangelog);
//  4. start, and check that the workers leave Created (StartGrace);
//  5. poll `status detail` until every Active worker has completed a
//     checkpoint at least as new as ours and no worker is Faulty;
//  6. stop.
//
// Polling adapts: PollMin after a poll whose pending counts are 0 (with a
// worker Active) or fell by a tenth or more, unchanged after slower
// progress, and 1.5 times longer (up to PollMax) when nothing changed. A
// stall (StallAfter) gets one stop/marker/start, and each later stall a
// marker. A worker Faulty for longer than
// FaultyGrace, a session still Created after StartGrace, and the Timeout
// all stop the session and return a *CheckpointError naming the cause, the
// pending counts and what to look at. Any other failure after the start
// also stops the session. If the checkpoint completed but the final stop
// failed, both the result and the error are returned.
func (c *Client) RunCheckpointCycle(ctx context.Context, ref SessionRef, opts CycleOptions) (*CycleResult, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	o := opts.withDefaults()
	start := c.clock.Now()
	res, rollover, err := c.prepareCycle(ctx, ref, o)
	if err != nil {
		return res, err
	}
	if o.LiveGrace <= 0 {
		o.LiveGrace = liveGraceBase + rollover
	}
	cp := res.CheckpointTime
	log := o.Logger.With("session", ref.String(), "host", c.Host())
	log.Info("checkpoint set", "checkpoint", cp)
	if err := c.Start(ctx, ref, false); err != nil {
		return res, c.abort(ctx, ref, err)
	}
	log.Info("session started")
	w := &cycleWatch{c: c, ref: ref, o: o, log: log, cp: cp, start: start, startedAt: c.clock.Now(), res: res,
		faultySince: map[string]time.Time{}, rollover: rollover}
	return w.run(ctx)
}

// prepareCycle sets the checkpoint, makes sure the session is stopped,
// writes the marker, and returns once the session may be started: when the
// marker's changelog will have closed by the time the workers begin their
// history crawl. The checkpoint's read-back and the rollover's read run
// within that wait. It returns the rollover the cycle waited on: zero when
// it closed the changelog itself (closeMarkerChangelog).
func (c *Client) prepareCycle(ctx context.Context, ref SessionRef, o CycleOptions) (*CycleResult, time.Duration, error) {
	if err := c.ConfigSet(ctx, ref, "checkpoint", "now"); err != nil {
		return nil, 0, err
	}
	setAt := c.clock.Now()
	if err := c.Stop(ctx, ref, false); err != nil {
		return nil, 0, err
	}
	markedAt := c.clock.Now()
	if o.Marker != nil {
		if err := c.sleepUntil(ctx, setAt.Add(MarkerAfterCheckpoint)); err != nil {
			return nil, 0, err
		}
		if err := o.Marker(ctx); err != nil {
			return nil, 0, fmt.Errorf("write the checkpoint marker for geo-replication session %s: %w", ref, err)
		}
		markedAt = c.clock.Now()
	}
	cp, err := c.Checkpoint(ctx, ref)
	if err != nil {
		return nil, 0, err
	}
	if cp.IsZero() {
		return nil, 0, fmt.Errorf("set checkpoint of geo-replication session %s: gluster reports no checkpoint after `config checkpoint now`", ref)
	}
	res := &CycleResult{CheckpointTime: cp}
	rollover, err := c.rollover(ctx, ref, o)
	if err != nil || o.Marker == nil {
		return res, rollover, err
	}
	wait, err := c.closeMarkerChangelog(ctx, ref, rollover, o.Logger)
	if err != nil {
		return res, wait, err
	}
	return res, wait, c.waitRollover(ctx, markedAt, wait)
}

// cycleWatch is the polling half of a checkpoint cycle.
type cycleWatch struct {
	c     *Client
	ref   SessionRef
	o     CycleOptions
	log   *slog.Logger
	cp    time.Time
	start time.Time
	res   *CycleResult

	startedAt   time.Time // last start, for StartGrace
	leftCreated bool
	faultySince map[string]time.Time
	logReadAt   time.Time // when gsyncd's log was last read
	lastSig     string
	lastChange  time.Time
	prevPending Pending
	interval    time.Duration
	failures    int // status polls failed in a row
	rollover    time.Duration
	doneAt      time.Time // when the checkpoint was first seen completed
}

// run waits for the checkpoint, and stops the session however the wait
// ends. The wait runs under the cycle's deadline, so that a status call or
// a restart that hangs is cut off when the Timeout passes, not only a wait
// between polls.
func (w *cycleWatch) run(ctx context.Context) (*CycleResult, error) {
	deadline := w.start.Add(w.o.Timeout)
	wctx, cancel := context.WithTimeoutCause(ctx, deadline.Sub(w.c.clock.Now()), errCycleDeadline)
	defer cancel()
	err := w.wait(wctx, deadline)
	if err == nil {
		return w.res, w.c.Stop(ctx, w.ref, false)
	}
	return w.res, w.c.abort(ctx, w.ref, err)
}

// errCycleDeadline is the cause of the wait's context when the cycle's
// Timeout passes.
var errCycleDeadline = errors.New("the checkpoint cycle's deadline passed")

// cut is the failure of a wait whose deadline passed during call (a
// gluster call or a pause), or err as it is when it was something else.
func (w *cycleWatch) cut(ctx context.Context, call string, err error) error {
	if !errors.Is(context.Cause(ctx), errCycleDeadline) {
		return err
	}
	if call == "" {
		return w.timedOut(fmt.Sprintf("checkpoint not completed after %s", w.o.Timeout))
	}
	return w.timedOut(fmt.Sprintf("checkpoint not completed after %s, when %s was still waiting: %v", w.o.Timeout, call, err))
}

// wait polls until the checkpoint completes (nil) or the cycle fails.
func (w *cycleWatch) wait(ctx context.Context, deadline time.Time) error {
	w.interval = w.o.PollMin
	w.lastChange = w.startedAt
	for {
		if w.res.Polls > 0 && !w.c.clock.Now().Before(deadline) {
			return w.timedOut(fmt.Sprintf("checkpoint not completed after %s", w.o.Timeout)) // the pause ended at it
		}
		st, err := w.c.Status(ctx, w.ref)
		now := w.c.clock.Now()
		if err != nil {
			if ctx.Err() != nil || w.failures >= maxStatusFailures || !now.Before(deadline) || !retryable(err) {
				return w.cut(ctx, "the status call", w.interrupted(err))
			}
			w.failures++
			w.log.Warn("status poll failed; retrying", "attempt", w.failures, "of", maxStatusFailures, "error", err)
			if err := w.c.clock.Sleep(ctx, min(w.o.PollMax, deadline.Sub(now))); err != nil {
				return w.cut(ctx, "", w.interrupted(err))
			}
			continue
		}
		w.failures = 0
		w.res.Polls++
		w.res.Final = st
		done, completedAt := st.CheckpointReached(w.cp)
		faulty := faultyWorkers(st)
		w.report(st, now)
		if done && len(faulty) == 0 && w.settled(st, now) {
			w.res.CompletedAt, w.res.NoticedAt, w.res.Duration = completedAt, now, now.Sub(w.start)
			w.log.Info("checkpoint completed", "completed_at", completedAt, "duration", w.res.Duration,
				"polls", w.res.Polls, "restarts", w.res.Restarts)
			return nil
		}
		if cerr := w.check(ctx, st, faulty, now); cerr != nil {
			return cerr
		}
		changed, stalled := w.observe(st, now)
		if done {
			// Completed, and a batch still in flight: poll it out.
			changed, stalled = true, false
		}
		if stalled {
			if err := w.unstall(ctx); err != nil {
				return w.cut(ctx, "the restart of the stalled session", err)
			}
			continue
		}
		if !now.Before(deadline) {
			return w.timedOut(fmt.Sprintf("checkpoint not completed after %s", w.o.Timeout))
		}
		w.nextInterval(st, changed)
		if err := w.c.clock.Sleep(ctx, min(w.interval, deadline.Sub(now))); err != nil {
			return w.cut(ctx, "", w.interrupted(err))
		}
	}
}

// timedOut is the failure of a cycle that reached its Timeout.
func (w *cycleWatch) timedOut(reason string) *CheckpointError {
	st := w.res.Final
	if st == nil {
		st = &SessionStatus{}
	}
	return w.failure(ErrCheckpointTimeout, st, reason,
		fmt.Sprintf("The session was stopped. A large backlog needs a longer timeout; a backlog that does not shrink points at the workers: see %s on %s.", w.ref.LogPath(), w.c.Host()))
}

// retryable reports a status failure worth another poll: anything but a
// session or volume that is gone, bad input, or a call that hung for its
// whole timeout (the next would hang as long).
func retryable(err error) bool {
	var hung *remote.TimeoutError
	return !isKind(err, ErrNoSession, ErrNotFound, ErrInvalid) && !errors.As(err, &hung)
}

// interrupted adds the progress so far to an error that ended the wait.
func (w *cycleWatch) interrupted(err error) error {
	st := w.res.Final
	if st == nil {
		return err
	}
	p := st.Pending()
	done, total := countDone(st, w.cp)
	return fmt.Errorf("checkpoint cycle of geo-replication session %s interrupted after %s; pending entry %d, data %d, meta %d; %d of %d Active workers done: %w",
		w.ref, w.c.clock.Now().Sub(w.start), p.Entry, p.Data, p.Meta, done, total, err)
}

// check fails the cycle for a session that never left Created or a worker
// that stayed Faulty too long.
func (w *cycleWatch) check(ctx context.Context, st *SessionStatus, faulty []Worker, now time.Time) error {
	if st.Rollup != RollupCreated {
		w.leftCreated = true
	} else if !w.leftCreated && now.Sub(w.startedAt) >= w.o.StartGrace {
		return w.failure(ErrNotStarted, st,
			fmt.Sprintf("every worker is still Created %s after start", now.Sub(w.startedAt)),
			fmt.Sprintf("The workers cannot reach %s: check that the primary's keys are in %s's authorized_keys there (WaitForKeys after create push-pem), that ssh_port is right, and see %s on %s.",
				w.ref.SecondaryHost, w.ref.User(), w.ref.LogPath(), w.c.Host()))
	}
	if err := w.checkSSH(ctx, st, now); err != nil {
		return err
	}
	// A worker's Faulty time runs until it is seen working again: gsyncd
	// restarts a faulty worker, so one that flaps Faulty -> Initializing ->
	// Faulty is still failing, and must not reset its grace each time.
	for _, wk := range st.Workers {
		if wk.Status == WorkerActive || wk.Status == WorkerPassive {
			delete(w.faultySince, wk.Brick())
		}
	}
	for _, fw := range faulty {
		b := fw.Brick()
		first, ok := w.faultySince[b]
		if !ok {
			w.faultySince[b] = now
			continue
		}
		if now.Sub(first) >= w.o.FaultyGrace {
			return w.failure(ErrWorkerFaulty, st,
				fmt.Sprintf("the worker for brick %s has been failing (Faulty, never Active since) for %s", b, now.Sub(first)),
				fmt.Sprintf("See %s on %s for the worker's error (often SSH keys, the secondary volume, or rsync).", w.ref.LogPath(), fw.PrimaryNode))
		}
	}
	return nil
}

// observe reports whether the workers' statuses, pending counts or
// last-synced times changed since the last poll, and whether they have
// stayed the same for StallAfter.
func (w *cycleWatch) observe(st *SessionStatus, now time.Time) (changed, stalled bool) {
	sig := progressSignature(st)
	if sig != w.lastSig {
		w.lastSig, w.lastChange = sig, now
		return true, false
	}
	idle := now.Sub(w.lastChange)
	switch {
	case st.IdleInLiveCrawl():
		return false, idle >= w.o.LiveGrace
	case st.Pending().Total() > 0:
		// A batch in flight shows the same counts until it is done: one
		// tar or rsync of a large batch may take minutes.
		return false, idle >= busyStallFactor*w.o.StallAfter
	}
	return false, idle >= w.o.StallAfter
}

// settled reports whether a completed checkpoint may be followed by the
// stop: no worker has a batch in flight, or drainMax has passed.
func (w *cycleWatch) settled(st *SessionStatus, now time.Time) bool {
	if w.doneAt.IsZero() {
		w.doneAt = now
	}
	if draining(st, w.doneAt, now) {
		w.log.Info("checkpoint completed; waiting for the batch in flight before the stop", "pending", st.Pending().Total())
		return false
	}
	return true
}

// unstall restarts the session around a new marker after the first stall,
// and writes only the marker after any later one.
func (w *cycleWatch) unstall(ctx context.Context) error {
	w.res.Stalls++
	if w.res.Restarts > 0 {
		if err := w.marker(ctx); err != nil {
			return err
		}
		w.res.Nudges++
		w.log.Warn("no progress since the restart; wrote the marker again", "stalled_for", w.o.StallAfter, "nudges", w.res.Nudges)
		w.lastChange = w.c.clock.Now()
		return nil
	}
	if err := w.c.Stop(ctx, w.ref, false); err != nil {
		return err
	}
	if err := w.marker(ctx); err != nil {
		return err
	}
	if err := w.c.Start(ctx, w.ref, false); err != nil {
		return err
	}
	w.res.Restarts++
	w.log.Warn("no progress; restarted the session", "stalled_for", w.o.StallAfter)
	now := w.c.clock.Now()
	w.startedAt, w.lastChange, w.lastSig, w.leftCreated = now, now, "", false
	clear(w.faultySince)
	w.interval = w.o.PollMin
	return nil
}

func (w *cycleWatch) marker(ctx context.Context) error {
	if w.o.Marker == nil {
		return nil
	}
	if err := w.o.Marker(ctx); err != nil {
		return fmt.Errorf("write the checkpoint marker for geo-replication session %s again: %w", w.ref, err)
	}
	return nil
}

// nextInterval adapts the pause before the next poll.
func (w *cycleWatch) nextInterval(st *SessionStatus, changed bool) {
	p := st.Pending()
	total, prev := p.Total(), w.prevPending.Total()
	active := slices.ContainsFunc(st.Workers, func(x Worker) bool { return x.Status == WorkerActive })
	switch {
	case active && total == 0, total < prev && (prev-total)*10 >= prev:
		w.interval = w.o.PollMin
	case changed:
		// slow progress: keep the pace
	default:
		w.interval = min(time.Duration(float64(w.interval)*1.5), w.o.PollMax)
	}
	w.prevPending = p
}

func (w *cycleWatch) report(st *SessionStatus, now time.Time) {
	if w.o.Progress == nil {
		return
	}
	p := Progress{Elapsed: now.Sub(w.start), Timeout: w.o.Timeout, Pending: st.Pending(),
		Restarted: w.res.Restarts > 0, Rollup: st.Rollup}
	p.Done, p.Total = countDone(st, w.cp)
	for _, x := range st.Workers {
		p.Workers = append(p.Workers, WorkerProgress{
			Brick: x.Brick(), Status: x.Status,
			Pending:   Pending{Entry: x.Entry, Data: x.Data, Meta: x.Meta, Failures: x.Failures},
			Completed: x.Status == WorkerActive && x.CheckpointCompleted && !x.CheckpointTime.Before(w.cp),
		})
	}
	w.o.Progress(p)
}

func (w *cycleWatch) failure(kind error, st *SessionStatus, reason, hint string) *CheckpointError {
	done, total := countDone(st, w.cp)
	return &CheckpointError{Kind: kind, Ref: w.ref, Host: w.c.Host(), Reason: reason, Hint: hint,
		Pending: st.Pending(), Done: done, Total: total, Last: st}
}

// abort stops the session after a failed cycle, even when ctx is already
// done, and returns cause (joined with the stop's own failure, if any).
func (c *Client) abort(ctx context.Context, ref SessionRef, cause error) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
	defer cancel()
	if err := c.Stop(sctx, ref, false); err != nil {
		return errors.Join(cause, fmt.Errorf("stopping the session afterwards failed too: %w", err))
	}
	return cause
}

func faultyWorkers(st *SessionStatus) []Worker {
	var out []Worker
	for _, w := range st.Workers {
		if w.Status == WorkerFaulty {
			out = append(out, w)
		}
	}
	return out
}

// progressSignature captures what counts as progress for stall detection.
func progressSignature(st *SessionStatus) string {
	var b strings.Builder
	for _, w := range st.Workers {
		fmt.Fprintf(&b, "%s|%s|%s|%d|%d|%d|%d|%t;", w.Brick(), w.Status, w.CrawlStatus, w.Entry, w.Data, w.Meta,
			w.LastSynced.Unix(), w.CheckpointCompleted)
	}
	return b.String()
}
