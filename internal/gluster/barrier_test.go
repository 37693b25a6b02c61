package gluster

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	cycBarrierOn  = g("--mode=script", "--xml", "volume", "barrier", "gv0", "enable")
	cycBarrierOff = g("--mode=script", "--xml", "volume", "barrier", "gv0", "disable")
	errLost       = errors.New("ssh: connection lost")
)

// runLongRollover runs a cycle on a volume whose rollover time is a minute,
// with the barrier's two answers scripted.
func runLongRollover(t *testing.T, on, off reply) (*rig, *CycleResult, error) {
	t.Helper()
	r := newRig(t, cpFixture, func(int, int) reply { return fixture(t, "georep-status-detail-checkpoint-completed-small100MB.xml") })
	r.f.on(cycBarrierOn, on).on(cycBarrierOff, off)
	o := r.opts(CycleOptions{})
	o.Rollover = time.Minute
	res, err := r.c.RunCheckpointCycle(context.Background(), refVM, o)
	return r, res, err
}

func TestCycleClosesTheMarkersChangelogOfALongRollover(t *testing.T) {
	r, _, err := runLongRollover(t, fixture(t, "volume-barrier-enable.xml"), fixture(t, "volume-barrier-disable.xml"))
	if err != nil {
		t.Fatal(err)
	}
	cmds := r.f.commands()
	on, off, start := slices.Index(cmds, key(cycBarrierOn)), slices.Index(cmds, key(cycBarrierOff)), slices.Index(cmds, key(cycStart))
	if on < 0 || !(on < off && off < start) {
		t.Fatalf("want barrier enable, disable, then start:\n%s", strings.Join(cmds, "\n"))
	}
	if r.events[0] != "marker after "+key(cycStop) {
		t.Errorf("the barrier must close the changelog after the marker: %v", r.events)
	}
	for _, d := range r.clk.sleeps() {
		if d >= time.Second*10 {
			t.Errorf("slept %s: a closed changelog needs no wait for the rollover", d)
		}
	}
}

func TestCycleWaitsForTheRolloverWhenTheBarrierIsRefused(t *testing.T) {
	r, _, err := runLongRollover(t, fixture(t, "err-volume-barrier-enable-already.xml"), fixture(t, "volume-barrier-disable.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if r.f.count(cycBarrierOff) != 0 {
		t.Error("a barrier gluster refused to enable (someone else's) must not be lifted")
	}
	if want := time.Minute + rolloverSlack - startLead; len(r.clk.sleeps()) == 0 || r.clk.sleeps()[0] != want {
		t.Errorf("sleeps %v, want the rollover's wait %v first", r.clk.sleeps(), want)
	}
}

func TestCycleFailsBeforeStartWhenTheBarrierStaysOn(t *testing.T) {
	r, _, err := runLongRollover(t, fixture(t, "volume-barrier-enable.xml"), reply{err: errLost})
	var left *BarrierLeftError
	if !errors.As(err, &left) {
		t.Fatalf("err = %v, want a *BarrierLeftError", err)
	}
	if !strings.Contains(err.Error(), "gluster volume barrier gv0 disable") {
		t.Errorf("the error must say how to lift the barrier: %v", err)
	}
	if r.f.count(cycStart) != 0 {
		t.Error("the session was started while writes to the primary were held")
	}
}

// A barrier whose enable was answered lost may be on: it is lifted, and
// the enable's failure is returned, not a *BarrierLeftError, whether the
// lift found one on or not.
func TestCloseChangelogLiftsABarrierWhoseAnswerWasLost(t *testing.T) {
	for _, lift := range []string{"volume-barrier-disable.xml", "err-volume-barrier-disable-already.xml"} {
		f := newFake(t).on(cycBarrierOn, reply{err: errLost}).on(cycBarrierOff, fixture(t, lift))
		err := New(f).CloseChangelog(context.Background(), "gv0")
		var left *BarrierLeftError
		if err == nil || errors.As(err, &left) {
			t.Errorf("lift answered %s: err = %v, want the enable's failure", lift, err)
		}
		if f.count(cycBarrierOff) != 1 {
			t.Errorf("lift answered %s: a barrier that may have been enabled must be lifted", lift)
		}
	}
}

// A barrier gluster refused to enable is someone else's, or none at all:
// the refusal is returned and nothing is lifted.
func TestCloseChangelogLeavesARefusedBarrier(t *testing.T) {
	for _, refusal := range []string{"err-volume-barrier-enable-already.xml", "err-volume-barrier-not-started.xml",
		"err-volume-barrier-missing.xml"} {
		f := newFake(t).on(cycBarrierOn, fixture(t, refusal)).on(cycBarrierOff, fixture(t, "volume-barrier-disable.xml"))
		if err := New(f).CloseChangelog(context.Background(), "gv0"); err == nil {
			t.Errorf("%s: no error", refusal)
		}
		if f.count(cycBarrierOff) != 0 {
			t.Errorf("%s: a refused barrier was lifted", refusal)
		}
	}
}

func TestCloseChangelogLiftsEvenWhenTheCallerGaveUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := newFake(t).on(cycBarrierOn, fixture(t, "volume-barrier-enable.xml")).on(cycBarrierOff, fixture(t, "volume-barrier-disable.xml"))
	f.onRun = func(argv []string) {
		if key(argv) == key(cycBarrierOn) {
			cancel()
		}
	}
	err := New(f).CloseChangelog(ctx, "gv0")
	var left *BarrierLeftError
	if f.count(cycBarrierOff) != 1 || errors.As(err, &left) {
		t.Errorf("the barrier must be lifted even after the caller's context is done: %v", err)
	}
}
