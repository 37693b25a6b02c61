package gluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// RolloverOption is the volume option that sets how often a brick's
// changelog translator closes its changelog, in whole seconds.
const RolloverOption = "changelog.rollover-time"

// CrawlChangelog is the crawl status of a worker in gsyncd's live changelog
// crawl, which it enters once its history crawl is over.
const CrawlChangelog = "Changelog Crawl"

// rolloverSlack is added to the rollover interval before the session is
// started: the brick's closes drift (at a 5 s rollover time the lab saw
// them 4 to 7 s apart).
const rolloverSlack = 2 * time.Second

// startLead is the part of the wait for the marker's changelog that the
// session's own start covers: a worker's history crawl began 4.6 s or more
// after `start` in every lab log (SSH to the secondary 1.5-2.7 s, the mount
// 1.0-1.4 s, 2 s to register with the brick's changelog), and 4.99-5.69 s
// after `start` returned in 31 cycles at a load average of 1.3. Against
// the latest close (the rollover plus rolloverSlack) that leaves 0.6 s.
// Should a worker ever be faster and miss the marker, LiveGrace restarts
// it.
const startLead = 4 * time.Second

// MarkerAfterCheckpoint is how long after `config checkpoint now` returns
// the marker is written. gsyncd saves as the stime the time of the last
// changelog it synced less a second, and the checkpoint completes when the
// stime reaches it: a marker recorded in a changelog that closed within
// the checkpoint's own second leaves the stime a second short, and an idle
// volume has no later change to close the gap (docs/gluster-facts.md, "A
// marker in the checkpoint's own second"). The checkpoint is gluster's
// clock at the call, in whole seconds, so a second later by any clock the
// primary's is past it.
const MarkerAfterCheckpoint = time.Second

// CloseChangelogAbove is the rollover time above which a cycle closes the
// marker's changelog itself (CloseChangelog) rather than wait for the
// brick to: up to gluster's own default of 15 s, the wait costs a cycle
// little and holds no writes; above, it would be most of the cycle.
const CloseChangelogAbove = 15 * time.Second

// closeMarkerChangelog closes the marker's changelog when the rollover time
// is longer than CloseChangelogAbove, and returns how long the cycle must
// still wait for it: zero once closed, the rollover time otherwise. A
// barrier gluster refuses leaves the cycle to wait, with a warning; one
// that could not be lifted (*BarrierLeftError) fails the cycle, since
// writes to the primary wait on it.
func (c *Client) closeMarkerChangelog(ctx context.Context, ref SessionRef, rollover time.Duration, log *slog.Logger) (time.Duration, error) {
	if rollover <= CloseChangelogAbove {
		return rollover, nil
	}
	err := c.CloseChangelog(ctx, ref.PrimaryVolume)
	var left *BarrierLeftError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &left):
		return rollover, err
	}
	log.Warn("could not close the marker's changelog; waiting for the rollover instead", "session", ref.String(),
		"host", c.Host(), "rollover", rollover, "err", err)
	return rollover, nil
}

// liveGraceBase is the part of the default LiveGrace that does not depend
// on the rollover interval: gsyncd's change_interval (5 s by default) and a
// few status polls.
const liveGraceBase = 10 * time.Second

// busyStallFactor stretches StallAfter while a worker has work pending:
// gsyncd hands a whole batch to its sync jobs, its pending counts do not
// move until the batch is done, and it retries a failed batch (up to
// max_rsync_retries) with the same counts. In the lab a 30 s StallAfter
// restarted a worker 50 s into a 100 MB batch of 1140 files, and four
// times that killed a 1 GiB file's copy after 134 s (its three jobs were
// sending it together, each from a post box of its own).
// With the default StallAfter a busy worker is left alone for 30 minutes,
// the default cycle timeout: a restart throws away the batch's work.
const busyStallFactor = 10

// drainMax bounds the wait, after the checkpoint completed, for the batch
// gsyncd may still have in flight.
const drainMax = 30 * time.Second

// Rollover reads the volume's changelog rollover interval.
func (c *Client) Rollover(ctx context.Context, volume string) (time.Duration, error) {
	v, err := c.GetOption(ctx, volume, RolloverOption)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "(DEFAULT)")))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("volume %q: %s is %q, not a number of seconds", volume, RolloverOption, v)
	}
	return time.Duration(n) * time.Second, nil
}

// rollover is the interval the cycle waits on: opts.Rollover, or the
// volume's own when that is zero; zero when negative (start at once).
func (c *Client) rollover(ctx context.Context, ref SessionRef, o CycleOptions) (time.Duration, error) {
	switch {
	case o.Rollover > 0:
		return o.Rollover, nil
	case o.Rollover < 0:
		return 0, nil
	}
	return c.Rollover(ctx, ref.PrimaryVolume)
}

// waitRollover sleeps until the changelog that recorded the marker, written
// at markedAt, has surely been closed: gsyncd's history crawl, which runs
// once when the workers start, only sees closed changelogs, and in the lab
// its live crawl was never handed one (docs/gluster-facts.md, "Why a cycle
// stalled"). A marker still in an open changelog would wait for a restart.
func (c *Client) waitRollover(ctx context.Context, markedAt time.Time, rollover time.Duration) error {
	if rollover <= 0 {
		return nil
	}
	return c.sleepUntil(ctx, markedAt.Add(rollover+rolloverSlack-startLead))
}

// sleepUntil sleeps until t, if it is still ahead.
func (c *Client) sleepUntil(ctx context.Context, t time.Time) error {
	if d := t.Sub(c.clock.Now()); d > 0 {
		return c.clock.Sleep(ctx, d)
	}
	return nil
}

// IdleInLiveCrawl reports whether every Active worker (and there is one)
// has left the history crawl for the live one with nothing pending. In a
// cycle whose checkpoint is not reached, that means the history crawl did
// not carry the marker, and the live crawl may never be handed its
// changelog.
func (st *SessionStatus) IdleInLiveCrawl() bool {
	active := 0
	for _, w := range st.Workers {
		if w.Status != WorkerActive {
			continue
		}
		active++
		if w.CrawlStatus != CrawlChangelog || w.Entry+w.Data+w.Meta > 0 {
			return false
		}
	}
	return active > 0
}

// draining reports whether the cycle should wait before the stop: the
// checkpoint completed at doneAt, but a worker still has a batch in flight.
// gsyncd marks the checkpoint complete when the batch that carried it is
// synced; a later batch may be re-sending files (tar and rsync rewrite them
// in place), and stopping the workers then leaves those files cut short at
// the secondary until the next cycle.
func draining(st *SessionStatus, doneAt, now time.Time) bool {
	return st.Pending().Total() > 0 && now.Sub(doneAt) < drainMax
}
