package gluster

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

var busyReply = reply{stderr: "volume start: gv0: failed: Another transaction is in progress for gv0. Please try again after some time.\n", rc: 1}

func TestBusyGlusterdIsRetried(t *testing.T) {
	argv := g("--mode=script", "--xml", "volume", "start", "gv0")
	f := newFake(t).on(argv, busyReply, busyReply, ok(okXML))
	clk := newClock()
	var logs bytes.Buffer
	c := New(f, WithClock(clk), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err := c.StartVolume(context.Background(), "gv0"); err != nil {
		t.Fatalf("a command refused twice for the cluster lock, then run: %v", err)
	}
	if f.count(argv) != 3 || len(clk.slept) != 2 || clk.slept[1] != 2*clk.slept[0] {
		t.Errorf("%d runs, slept %v; want 3 runs with a growing pause", f.count(argv), clk.slept)
	}
	if strings.Count(logs.String(), "busy with another transaction") != 2 {
		t.Errorf("retries are not logged:\n%s", logs.String())
	}
}

func TestBusyGlusterdGivesUpAfterTwoMinutes(t *testing.T) {
	argv := g("--mode=script", "--xml", "volume", "start", "gv0")
	f := newFake(t).on(argv, busyReply)
	clk := newClock()
	start := clk.Now()
	err := New(f, WithClock(clk)).StartVolume(context.Background(), "gv0")
	if err == nil || !strings.Contains(err.Error(), "Another transaction is in progress") {
		t.Fatalf("err = %v, want glusterd's refusal once the wait is over", err)
	}
	if waited := clk.Now().Sub(start); waited > lockRetryFor || waited < lockRetryFor-lockRetryMax {
		t.Errorf("waited %s, want about %s", waited, lockRetryFor)
	}
}

func TestStatusUndecidedIsNotAMissingSession(t *testing.T) {
	detail := g("--xml", "volume", "geo-replication", "gv0", "vm::gv1", "status", "detail")
	plain := g("volume", "geo-replication", "gv0", "vm::gv1", "status")
	noXML := reply{stdout: "geo-replication command failed\n", rc: 2}
	// The --xml status says nothing, but the plain one lists the session.
	f := newFake(t).on(detail, noXML).on(plain, fixture(t, "georep-status-running"))
	clk := newClock()
	_, err := New(f, WithClock(clk)).Status(context.Background(), refVM)
	if err == nil || errors.Is(err, ErrNoSession) {
		t.Fatalf("err = %v: an unanswered status must not read as a missing session", err)
	}
	if f.count(detail) != statusAttempts || !strings.Contains(err.Error(), "does not say the session is missing") {
		t.Errorf("%d attempts, err %v", f.count(detail), err)
	}

	// Asked again, it answers.
	f = newFake(t).on(detail, noXML, fixture(t, "georep-status-detail-running.xml")).on(plain, fixture(t, "georep-status-running"))
	st, err := New(f, WithClock(newClock())).Status(context.Background(), refVM)
	if err != nil || st.Rollup != RollupUp {
		t.Errorf("second answer: %+v, %v", st, err)
	}
}
