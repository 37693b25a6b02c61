package gluster

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// runRollover runs a cycle that reads (0) or is given the rollover.
func runRollover(t *testing.T, rollover time.Duration) (*rig, []time.Duration) {
	t.Helper()
	r := newRig(t, cpFixture, func(int, int) reply { return fixture(t, "georep-status-detail-checkpoint-completed-small100MB.xml") })
	o := r.opts(CycleOptions{})
	o.Rollover = rollover
	if _, err := r.c.RunCheckpointCycle(context.Background(), refVM, o); err != nil {
		t.Fatal(err)
	}
	return r, r.clk.sleeps()
}

func TestCycleReadsRolloverAndWaitsAfterMarker(t *testing.T) {
	r, sleeps := runRollover(t, 0)
	cmds := r.f.commands()
	i := slices.Index(cmds, key(cycRollover))
	if i < 0 || i > slices.Index(cmds, key(cycStart)) {
		t.Fatalf("the rollover was not read before the start:\n%s", strings.Join(cmds, "\n"))
	}
	// The fixture's volume rolls over every second: 1 s plus the slack is
	// covered by the workers' own start, so the cycle does not sleep
	// before the start, and the completed status needs no further poll.
	if len(sleeps) != 0 {
		t.Errorf("sleeps %v, want none", sleeps)
	}
	if len(r.events) != 1 || r.events[0] != "marker after "+key(cycStop) || slices.Index(cmds, key(cycCPNow)) > slices.Index(cmds, key(cycStop)) {
		t.Errorf("the marker must follow the checkpoint and the stop, and precede the wait: %v\n%s", r.events, strings.Join(cmds, "\n"))
	}
}

func TestCycleGivenRolloverIsNotRead(t *testing.T) {
	r, sleeps := runRollover(t, 5*time.Second)
	if r.f.count(cycRollover) != 0 {
		t.Error("a given Rollover must not be read from the volume")
	}
	if r.f.count(cycBarrierOn) != 0 {
		t.Error("a short rollover is waited for, not closed under a barrier")
	}
	if want := 5*time.Second + rolloverSlack - startLead; len(sleeps) == 0 || sleeps[0] != want {
		t.Errorf("first sleep %v, want %v", sleeps, want)
	}
}

func TestCycleCallsAfterMarkerShortenTheWait(t *testing.T) {
	r := newRig(t, cpFixture, func(int, int) reply { return fixture(t, "georep-status-detail-checkpoint-completed-small100MB.xml") })
	r.f.onRun = func(argv []string) {
		switch key(argv) {
		case key(cycStop):
			r.clk.advance(time.Second)
		case key(cycCPGet): // a slow read-back of the checkpoint, after the marker
			r.clk.advance(2 * time.Second)
		}
	}
	o := r.opts(CycleOptions{})
	o.Rollover = 5 * time.Second
	if _, err := r.c.RunCheckpointCycle(context.Background(), refVM, o); err != nil {
		t.Fatal(err)
	}
	if want := 5*time.Second + rolloverSlack - startLead - 2*time.Second; len(r.clk.sleeps()) == 0 || r.clk.sleeps()[0] != want {
		t.Errorf("sleeps %v: the wait runs from the marker, and the read-back after it is part of it (want %v first)", r.clk.sleeps(), want)
	}
}

// A marker recorded in a changelog closed within the checkpoint's own
// second does not complete it (MarkerAfterCheckpoint).
func TestCycleMarkerFollowsCheckpointByASecond(t *testing.T) {
	r := newRig(t, cpFixture, func(int, int) reply { return fixture(t, "georep-status-detail-checkpoint-completed-small100MB.xml") })
	var setAt, markedAt time.Time
	r.f.onRun = func(argv []string) {
		if key(argv) == key(cycCPNow) {
			r.clk.advance(300 * time.Millisecond)
			setAt = r.clk.Now()
		}
	}
	o := r.opts(CycleOptions{})
	o.Marker = func(context.Context) error { markedAt = r.clk.Now(); return nil }
	if _, err := r.c.RunCheckpointCycle(context.Background(), refVM, o); err != nil {
		t.Fatal(err)
	}
	if d := markedAt.Sub(setAt); d != MarkerAfterCheckpoint {
		t.Errorf("marker written %s after `config checkpoint now` returned; want %s", d, MarkerAfterCheckpoint)
	}
}

func TestCycleIdleLiveCrawlCountsAsStall(t *testing.T) {
	r := newRig(t, cpFixture, func(_, restarts int) reply {
		if restarts == 0 {
			// History crawl over, nothing pending, checkpoint not reached.
			return detailXML(pendingW(0, "2026-11-25 17:10:00"))
		}
		return detailXML(doneW("2026-11-25 17:26:10"))
	})
	start := r.clk.Now()
	res, err := r.run(CycleOptions{StallAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stalls != 1 || res.Restarts != 1 {
		t.Errorf("stalls %d restarts %d, want 1 and 1", res.Stalls, res.Restarts)
	}
	if d := r.clk.Now().Sub(start); d > time.Minute {
		t.Errorf("the idle live crawl was restarted after %s; LiveGrace is 10 s here", d)
	}
}

func TestCycleNotIdleWhileHistoryCrawlRuns(t *testing.T) {
	w := pendingW(0, "2026-11-25 17:10:00")
	w.crawl = "History Crawl"
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		if poll < 40 {
			return detailXML(w)
		}
		return detailXML(doneW("2026-11-25 17:26:10"))
	})
	res, err := r.run(CycleOptions{StallAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stalls != 0 {
		t.Errorf("a history crawl is not an idle live crawl: %d stalls", res.Stalls)
	}
}

func TestCycleWaitsForBatchInFlightBeforeStop(t *testing.T) {
	inFlight := doneW("2026-11-25 17:26:10")
	inFlight.data = 7
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		if poll < 3 {
			return detailXML(inFlight)
		}
		return detailXML(doneW("2026-11-25 17:26:10"))
	})
	res, err := r.run(CycleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Polls != 4 {
		t.Errorf("%d polls; the stop must wait for the poll with nothing pending (the 4th)", res.Polls)
	}
	if r.lastCommand() != key(cycStop) {
		t.Errorf("last command %s, want the stop", r.lastCommand())
	}
}

func TestCycleBatchInFlightWaitIsBounded(t *testing.T) {
	inFlight := doneW("2026-11-25 17:26:10")
	inFlight.data = 7
	r := newRig(t, cpFixture, func(int, int) reply { return detailXML(inFlight) })
	start := r.clk.Now()
	if _, err := r.run(CycleOptions{}); err != nil {
		t.Fatal(err)
	}
	if d := r.clk.Now().Sub(start); d < drainMax || d > drainMax+10*time.Second {
		t.Errorf("stopped after %s; want about %s", d, drainMax)
	}
}

func TestCycleBusyWorkerIsGivenLonger(t *testing.T) {
	// One sync job carrying a large batch: the counts stay put until it is
	// done, two StallAfters later.
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		if poll < 40 { // about 80 s of the fake clock
			return detailXML(pendingW(1140, "2026-11-25 17:10:00"))
		}
		return detailXML(doneW("2026-11-25 17:26:10"))
	})
	res, err := r.run(CycleOptions{StallAfter: 30 * time.Second, PollMax: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stalls != 0 || res.Restarts != 0 {
		t.Errorf("a busy worker was restarted: stalls %d, restarts %d", res.Stalls, res.Restarts)
	}
}

func TestRollover(t *testing.T) {
	for name, want := range map[string]time.Duration{"volume-get-rollover-time": time.Second,
		"volume-get-rollover-time-default": 15 * time.Second} {
		f := newFake(t).on(cycRollover, fixture(t, name))
		got, err := New(f).Rollover(context.Background(), "gv0")
		if err != nil || got != want {
			t.Errorf("%s: got %v, %v; want %v", name, got, err, want)
		}
	}
}
