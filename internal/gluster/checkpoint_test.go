package gluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The checkpoint of the real small100MB fixtures.
var cpFixture = utc("2026-11-25 17:13:34")

var (
	cycStop     = g("--mode=script", "--xml", "volume", "geo-replication", "gv0", "vm::gv1", "stop")
	cycCPNow    = g("--xml", "volume", "geo-replication", "gv0", "vm::gv1", "config", "checkpoint", "now")
	cycCPGet    = g("volume", "geo-replication", "gv0", "vm::gv1", "config", "checkpoint")
	cycStart    = g("--xml", "volume", "geo-replication", "gv0", "vm::gv1", "start")
	cycStatus   = g("--xml", "volume", "geo-replication", "gv0", "vm::gv1", "status", "detail")
	cycRollover = g("--xml", "volume", "get", "gv0", "changelog.rollover-time")
	cycLog      = []string{"tail", "-c", "262144", "/var/log/glusterfs/geo-replication/gv0_vm_gv1/gsyncd.log"}
)

// wk is one worker of a synthetic `status detail` answer, written in the
// structure of the real fixtures.
type wk struct {
	brick, status, crawl string
	entry, data, meta    int
	lastSynced           string
	cpTime               string
	cpDone               bool
	cpDoneAt             string
}

func detailXML(ws ...wk) reply {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/><geoRep><volume><name>gv0</name><sessions><session>
<session_secondary>` + keyGv1 + `</session_secondary>`)
	for _, w := range ws {
		brick := w.brick
		if brick == "" {
			brick = brickB1
		}
		na := func(s string) string {
			if s == "" {
				return "N/A"
			}
			return s
		}
		counts := []string{strconv.Itoa(w.entry), strconv.Itoa(w.data), strconv.Itoa(w.meta), "0"}
		node := ""
		if w.status != WorkerActive {
			counts = []string{"N/A", "N/A", "N/A", "N/A"}
			node = "N/A"
		}
		done := "No"
		if w.cpDone {
			done = "Yes"
		}
		if w.cpTime == "" {
			done = "N/A"
		}
		fmt.Fprintf(&b, `<pair><primary_node>vm</primary_node><primary_brick>%s</primary_brick><secondary_user>root</secondary_user>
<secondary>vm::gv1</secondary><secondary_node>%s</secondary_node><status>%s</status><crawl_status>%s</crawl_status>
<entry>%s</entry><data>%s</data><meta>%s</meta><failures>%s</failures><checkpoint_completed>%s</checkpoint_completed>
<primary_node_uuid>%s</primary_node_uuid><last_synced>%s</last_synced><checkpoint_time>%s</checkpoint_time>
<checkpoint_completion_time>%s</checkpoint_completion_time></pair>`,
			brick, node, w.status, na(w.crawl), counts[0], counts[1], counts[2], counts[3], done,
			b1UUID, na(w.lastSynced), na(w.cpTime), na(w.cpDoneAt))
	}
	b.WriteString("</session></sessions></volume></geoRep></cliOutput>\n")
	return ok(b.String())
}

// pendingW is an Active worker still working towards our checkpoint.
func pendingW(data int, lastSynced string) wk {
	return wk{status: WorkerActive, crawl: "Changelog Crawl", data: data, lastSynced: lastSynced, cpTime: "2026-11-25 17:13:34"}
}

// doneW is an Active worker that completed our checkpoint at doneAt.
func doneW(doneAt string) wk {
	return wk{status: WorkerActive, crawl: "Changelog Crawl", lastSynced: "2026-11-25 17:20:00",
		cpTime: "2026-11-25 17:13:34", cpDone: true, cpDoneAt: doneAt}
}

// rig scripts a whole cycle: stop, checkpoint, start and a status answer
// chosen by poll number and restarts so far. Each status call and each
// stop costs one second of fake time, like a fast real one.
type rig struct {
	t        *testing.T
	f        *fakeRunner
	clk      *fakeClock
	c        *Client
	mu       sync.Mutex
	polls    int
	progress []Progress
	events   []string
}

func newRig(t *testing.T, cp time.Time, status func(poll, restarts int) reply) *rig {
	r := &rig{t: t, f: newFake(t), clk: newClock()}
	r.f.on(cycStop, fixture(t, "err-georep-stop-already-stopped.xml")).
		on(g("volume", "geo-replication", "gv0", "vm::gv1", "status"), fixture(t, "err-georep-status-missing-session")).
		on(cycCPNow, ok(okXML)).
		on(cycCPGet, ok(strconv.FormatInt(cp.Unix(), 10)+"\n")).
		on(cycStart, fixture(t, "georep-start")).
		on(cycLog, ok("")).
		on(cycRollover, fixture(t, "volume-get-rollover-time"))
	r.f.handle(cycStatus, func() reply {
		r.mu.Lock()
		poll := r.polls
		r.polls++
		r.mu.Unlock()
		return status(poll, r.f.count(cycStart)-1)
	})
	r.f.onRun = func(argv []string) {
		switch key(argv) {
		case key(cycStatus), key(cycStop):
			r.clk.advance(time.Second)
		}
	}
	r.c = New(r.f, WithClock(r.clk))
	return r
}

func (r *rig) opts(o CycleOptions) CycleOptions {
	if o.Rollover == 0 {
		o.Rollover = -1 // no wait: the rollover has tests of its own
	}
	o.Marker = func(context.Context) error {
		cmds := r.f.commands()
		r.events = append(r.events, "marker after "+cmds[len(cmds)-1])
		return nil
	}
	o.Progress = func(p Progress) { r.progress = append(r.progress, p) }
	return o
}

func (r *rig) run(o CycleOptions) (*CycleResult, error) {
	return r.c.RunCheckpointCycle(context.Background(), refVM, r.opts(o))
}

func (r *rig) lastCommand() string {
	cmds := r.f.commands()
	return cmds[len(cmds)-1]
}

func TestCycleCompletes(t *testing.T) {
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		switch poll {
		case 0:
			return fixture(t, "georep-status-detail-checkpoint-pending-small100MB.xml")
		case 1:
			return detailXML(pendingW(1000, "2026-11-25 17:20:00"))
		}
		return fixture(t, "georep-status-detail-checkpoint-completed-small100MB.xml")
	})
	start := r.clk.Now()
	res, err := r.run(CycleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{key(cycCPNow), key(cycStop), key(cycCPGet), key(cycStart),
		key(cycStatus), key(cycStatus), key(cycStatus), key(cycStop)}
	if got := r.f.commands(); !reflect.DeepEqual(got, want) {
		t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !reflect.DeepEqual(r.events, []string{"marker after " + key(cycStop)}) {
		t.Errorf("marker must run once, after the checkpoint is set and the session stopped, before the start: %v", r.events)
	}
	if !res.CheckpointTime.Equal(cpFixture) || !res.CompletedAt.Equal(utc("2026-11-25 17:25:03")) {
		t.Errorf("checkpoint %v completed %v", res.CheckpointTime, res.CompletedAt)
	}
	// Latency: the cycle returns on the poll that shows completion, without
	// another sleep: the stop and 3 status calls of 1 s, and 2 pauses of
	// PollMin.
	if res.Polls != 3 || !res.NoticedAt.Equal(start.Add(4*time.Second+400*time.Millisecond)) || res.Duration != res.NoticedAt.Sub(start) {
		t.Errorf("polls %d noticed %v duration %v", res.Polls, res.NoticedAt.Sub(start), res.Duration)
	}
	if got := r.clk.sleeps(); !reflect.DeepEqual(got, []time.Duration{DefaultPollMin, DefaultPollMin}) {
		t.Errorf("sleeps = %v: a fast-falling backlog keeps PollMin", got)
	}
	if res.Restarts != 0 || res.Final == nil || res.Final.Workers[0].CheckpointCompletionTime.IsZero() {
		t.Errorf("result %+v", res)
	}
}

func TestCycleProgressValues(t *testing.T) {
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		if poll == 0 {
			return detailXML(pendingW(2002, "2026-11-25 17:12:04"), wk{brick: brickB2, status: WorkerPassive})
		}
		return detailXML(doneW("2026-11-25 17:25:03"), wk{brick: brickB2, status: WorkerPassive})
	})
	if _, err := r.run(CycleOptions{Timeout: 10 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	want := []Progress{
		{Elapsed: 2 * time.Second, Timeout: 10 * time.Minute, Pending: Pending{Data: 2002}, Done: 0, Total: 1, Rollup: RollupUp,
			Workers: []WorkerProgress{
				{Brick: "vm:" + brickB1, Status: "Active", Pending: Pending{Data: 2002}},
				{Brick: "vm:" + brickB2, Status: "Passive"}}},
		{Elapsed: 3*time.Second + DefaultPollMin, Timeout: 10 * time.Minute, Done: 1, Total: 1, Rollup: RollupUp,
			Workers: []WorkerProgress{
				{Brick: "vm:" + brickB1, Status: "Active", Completed: true},
				{Brick: "vm:" + brickB2, Status: "Passive"}}},
	}
	if !reflect.DeepEqual(r.progress, want) {
		t.Errorf("progress:\n got  %+v\n want %+v", r.progress, want)
	}
}

func TestCycleAdaptivePolling(t *testing.T) {
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		switch {
		case poll < 12:
			return detailXML(pendingW(3, "2026-11-25 17:23:45")) // nothing moves
		case poll == 12:
			return detailXML(pendingW(0, "2026-11-25 17:26:00")) // all synced, waiting for the changelog
		}
		return detailXML(doneW("2026-11-25 17:26:10"))
	})
	if _, err := r.run(CycleOptions{StallAfter: time.Hour}); err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	want := []time.Duration{200 * ms, 300 * ms, 450 * ms, 675 * ms, 1012500 * time.Microsecond, 1518750 * time.Microsecond,
		2278125 * time.Microsecond, 3417187500, 5 * time.Second, 5 * time.Second, 5 * time.Second, 5 * time.Second,
		200 * ms}
	if got := r.clk.sleeps(); !reflect.DeepEqual(got, want) {
		t.Errorf("sleeps:\n got  %v\n want %v", got, want)
	}
}

func TestCycleStallRestartsOnce(t *testing.T) {
	r := newRig(t, cpFixture, func(_, restarts int) reply {
		if restarts == 0 {
			return fixture(t, "georep-status-detail-checkpoint-pending-big1G.xml") // stuck: data 3, checkpoint 17:25:39
		}
		return fixture(t, "georep-status-detail-checkpoint-completed-big1G.xml")
	})
	res, err := r.run(CycleOptions{Timeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if res.Restarts != 1 || res.Nudges != 0 || r.f.count(cycStart) != 2 || r.f.count(cycStop) != 3 {
		t.Errorf("restarts %d, nudges %d, starts %d, stops %d", res.Restarts, res.Nudges, r.f.count(cycStart), r.f.count(cycStop))
	}
	// The restart wrote the marker again while the session was stopped.
	if want := []string{"marker after " + key(cycStop), "marker after " + key(cycStop)}; !reflect.DeepEqual(r.events, want) {
		t.Errorf("markers: %v, want %v", r.events, want)
	}
	if last := r.progress[len(r.progress)-1]; !last.Restarted || r.progress[0].Restarted {
		t.Errorf("Restarted flags: first %v last %v", r.progress[0].Restarted, last.Restarted)
	}
	// The restart came once the counts had not moved for StallAfter,
	// stretched while work is pending (data 3); the timeout is raised so
	// that the restart comes first.
	stalledFor := r.progress[len(r.progress)-2].Elapsed - r.progress[0].Elapsed
	if want := busyStallFactor * DefaultStallAfter; stalledFor < want || stalledFor > want+10*time.Second {
		t.Errorf("restarted after %v without change, want about %v", stalledFor, want)
	}
	if r.lastCommand() != key(cycStop) {
		t.Error("session not stopped at the end")
	}
}

// TestCycleStallsTwiceRestartsOnlyOnce: after the one restart, each further
// stall writes the marker again, without another stop/start.
func TestCycleStallsTwiceRestartsOnlyOnce(t *testing.T) {
	idle := pendingW(0, "2026-11-25 17:23:45")
	idle.crawl = "History Crawl"
	r := newRig(t, cpFixture, func(_, _ int) reply { return detailXML(idle) })
	res, err := r.run(CycleOptions{Timeout: 15 * time.Minute})
	if !errors.Is(err, ErrCheckpointTimeout) {
		t.Fatalf("want timeout, got %v", err)
	}
	if res.Restarts != 1 || r.f.count(cycStart) != 2 {
		t.Errorf("restarts %d, starts %d: exactly one restart", res.Restarts, r.f.count(cycStart))
	}
	// Stalls of 3 minutes: the restart at 3, markers at 6, 9 and 12.
	if res.Nudges != 3 || len(r.events) != 5 {
		t.Errorf("nudges %d, markers %v", res.Nudges, r.events)
	}
	if r.lastCommand() != key(cycStop) {
		t.Error("session not stopped after the timeout")
	}
}

func TestCycleTimeout(t *testing.T) {
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		return detailXML(pendingW(10000-poll, "2026-11-25 17:23:45"), wk{brick: brickB2, status: WorkerPassive})
	})
	start := r.clk.Now()
	res, err := r.run(CycleOptions{Timeout: 2 * time.Minute})
	var ce *CheckpointError
	if !errors.As(err, &ce) || !errors.Is(err, ErrCheckpointTimeout) {
		t.Fatalf("want *CheckpointError timeout, got %v", err)
	}
	lastData := res.Final.Workers[0].Data
	if ce.Pending.Data != lastData || ce.Done != 0 || ce.Total != 1 || res.Restarts != 0 {
		t.Errorf("error state %+v, last data %d", ce, lastData)
	}
	msg := err.Error()
	for _, want := range []string{
		"checkpoint cycle of geo-replication session gv0 -> vm::gv1 on vm: checkpoint not completed after 2m0s",
		fmt.Sprintf("\nPending: entry 0, data %d, meta 0, failures 0; 0 of 1 Active workers done", lastData),
		fmt.Sprintf("\nWorker vm:/data/glusterfs/bricks/b1: Active (Changelog Crawl), pending entry 0, data %d", lastData),
		"\nWorker vm:/data/glusterfs/bricks/b2: Passive",
		"\nHint: The session was stopped.", logGv0Vm,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if r.lastCommand() != key(cycStop) {
		t.Error("session not stopped after the timeout")
	}
	// The stop after the timeout takes the rig's 1 s.
	if over := r.clk.Now().Sub(start) - 2*time.Minute; over < time.Second || over > 2*time.Second {
		t.Errorf("gave up %v after the timeout and the stop; the last pause must end at the deadline", over)
	}
}

func TestCycleFaulty(t *testing.T) {
	r := newRig(t, cpFixture, func(_, _ int) reply {
		return detailXML(doneW("2026-11-25 17:25:03"), wk{brick: brickB2, status: WorkerFaulty})
	})
	start := r.clk.Now()
	_, err := r.run(CycleOptions{})
	if !errors.Is(err, ErrWorkerFaulty) {
		t.Fatalf("a completed Active worker must not hide a Faulty one; got %v", err)
	}
	for _, want := range []string{"the worker for brick vm:/data/glusterfs/bricks/b2 has been failing (Faulty, never Active since) for", "See " + logGv0Vm + " on vm"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%v", want, err)
		}
	}
	if took := r.clk.Now().Sub(start); took < DefaultFaultyGrace || took > DefaultFaultyGrace+15*time.Second {
		t.Errorf("gave up after %v, want just past the grace of %v", took, DefaultFaultyGrace)
	}
	if r.lastCommand() != key(cycStop) {
		t.Error("session not stopped")
	}
}

func TestCycleTransientFaulty(t *testing.T) {
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		switch {
		case poll < 3:
			return detailXML(wk{status: WorkerFaulty})
		case poll < 5:
			return detailXML(wk{status: WorkerInitializing})
		}
		return detailXML(doneW("2026-11-25 17:25:03"))
	})
	res, err := r.run(CycleOptions{})
	if err != nil || res.Polls != 6 {
		t.Fatalf("a worker Faulty for less than the grace must not fail the cycle: %+v, %v", res, err)
	}
}

func TestCycleFlappingFaultyFails(t *testing.T) {
	// gsyncd restarts a failing worker: Faulty, Initializing, Faulty, ...
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		if poll%2 == 0 {
			return detailXML(wk{status: WorkerFaulty})
		}
		return detailXML(wk{status: WorkerInitializing})
	})
	_, err := r.run(CycleOptions{FaultyGrace: 20 * time.Second, StallAfter: time.Hour})
	if !errors.Is(err, ErrWorkerFaulty) || !strings.Contains(err.Error(), "never Active since") {
		t.Fatalf("a worker flapping between Faulty and Initializing must fail after the grace: %v", err)
	}
}

func TestCycleNeverLeavesCreated(t *testing.T) {
	r := newRig(t, cpFixture, func(_, _ int) reply { return fixture(t, "georep-status-created.xml") })
	_, err := r.run(CycleOptions{})
	if !errors.Is(err, ErrNotStarted) || !strings.Contains(err.Error(), "authorized_keys") {
		t.Fatalf("got %v", err)
	}
	if r.lastCommand() != key(cycStop) {
		t.Error("session not stopped")
	}
}

func TestCycleIgnoresOlderCheckpoint(t *testing.T) {
	cp := utc("2026-11-25 17:20:00")
	r := newRig(t, cp, func(poll, _ int) reply {
		if poll < 3 {
			// Completed, but a checkpoint from an earlier cycle (17:13:34).
			return fixture(t, "georep-status-detail-checkpoint-completed-small100MB.xml")
		}
		w := doneW("2026-11-25 17:21:00")
		w.cpTime = "2026-11-25 17:20:00"
		return detailXML(w)
	})
	res, err := r.run(CycleOptions{})
	if err != nil || res.Polls != 4 || !res.CompletedAt.Equal(utc("2026-11-25 17:21:00")) {
		t.Fatalf("got %+v, %v", res, err)
	}
}

func TestCycleCancelledStillStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var r *rig
	r = newRig(t, cpFixture, func(poll, _ int) reply {
		if poll == 2 {
			cancel()
		}
		return detailXML(pendingW(100+poll, "2026-11-25 17:23:45"))
	})
	_, err := r.c.RunCheckpointCycle(ctx, refVM, r.opts(CycleOptions{}))
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted after") ||
		!strings.Contains(err.Error(), "pending entry 0, data 102, meta 0; 0 of 1 Active workers done") {
		t.Fatalf("got %v", err)
	}
	if r.lastCommand() != key(cycStop) || r.f.count(cycStop) != 2 {
		t.Errorf("a cancelled cycle must still stop the session: %v", r.f.commands())
	}
}

func TestCycleSessionVanishes(t *testing.T) {
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		if poll == 0 {
			return detailXML(pendingW(5, "2026-11-25 17:23:45"))
		}
		return fixture(t, "err-georep-status-missing-session.xml")
	})
	_, err := r.run(CycleOptions{})
	if !errors.Is(err, ErrNoSession) {
		t.Fatalf("got %v", err)
	}
}

func TestCycleEarlyFailures(t *testing.T) {
	t.Run("no session", func(t *testing.T) {
		f := newFake(t).on(cycCPNow, ok(`<?xml version="1.0"?><cliOutput><opRet>-1</opRet><opErrno>30800</opErrno>`+
			`<opErrstr>Geo-replication session between gv0 and vm::gv1 does not exist.</opErrstr></cliOutput>`))
		_, err := New(f, WithClock(newClock())).RunCheckpointCycle(context.Background(), refVM, CycleOptions{})
		if !errors.Is(err, ErrNoSession) || len(f.commands()) != 1 {
			t.Fatalf("got %v after %v", err, f.commands())
		}
	})
	t.Run("marker fails", func(t *testing.T) {
		r := newRig(t, cpFixture, func(_, _ int) reply { return detailXML() })
		_, err := r.c.RunCheckpointCycle(context.Background(), refVM, CycleOptions{
			Marker: func(context.Context) error { return errors.New("mount gone") },
		})
		if err == nil || !strings.Contains(err.Error(), "mount gone") || r.f.count(cycStart) != 0 || r.lastCommand() != key(cycStop) {
			t.Fatalf("got %v; starts %d; the session must be left stopped: %v", err, r.f.count(cycStart), r.f.commands())
		}
	})
	t.Run("no checkpoint recorded", func(t *testing.T) {
		r := newRig(t, time.Unix(0, 0), func(_, _ int) reply { return detailXML() })
		if _, err := r.run(CycleOptions{}); err == nil || r.f.count(cycStart) != 0 {
			t.Fatalf("got %v", err)
		}
	})
}

func TestCycleFinalStopFails(t *testing.T) {
	r := newRig(t, cpFixture, func(_, _ int) reply { return detailXML(doneW("2026-11-25 17:25:03")) })
	r.f.mu.Lock()
	r.f.replies[key(cycStop)] = []reply{
		fixture(t, "err-georep-stop-already-stopped.xml"),
		{stderr: "stop failed: Another transaction is in progress\n", rc: 1},
	}
	r.f.mu.Unlock()
	res, err := r.run(CycleOptions{})
	if err == nil || res == nil || res.CompletedAt.IsZero() {
		t.Fatalf("want both the result and the stop error, got %+v, %v", res, err)
	}
}

// down is a poll that fails for a while: the CLI cannot reach glusterd.
var down = reply{stderr: "Connection failed. Please check if gluster daemon is operational.\n", rc: 1}

func TestCycleRetriesFailedPolls(t *testing.T) {
	var logs bytes.Buffer
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		switch poll {
		case 0:
			return detailXML(pendingW(5, "2026-11-25 17:23:45"))
		case 1, 2, 3:
			return down
		}
		return detailXML(doneW("2026-11-25 17:25:03"))
	})
	res, err := r.run(CycleOptions{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil || res.Polls != 2 {
		t.Fatalf("three failed polls in a row are retried: %+v, %v", res, err)
	}
	if got := strings.Count(logs.String(), "status poll failed; retrying"); got != 3 {
		t.Errorf("%d retries logged, want 3:\n%s", got, logs.String())
	}
	for _, want := range []string{"checkpoint set", "session started", "checkpoint completed", "session=\"gv0 -> vm::gv1\""} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestCycleGivesUpAfterFailedPolls(t *testing.T) {
	r := newRig(t, cpFixture, func(poll, _ int) reply {
		if poll == 0 {
			return detailXML(pendingW(5, "2026-11-25 17:23:45"))
		}
		return down
	})
	_, err := r.run(CycleOptions{})
	if err == nil || !strings.Contains(err.Error(), "Connection failed") ||
		!strings.Contains(err.Error(), "pending entry 0, data 5") {
		t.Fatalf("got %v", err)
	}
	if got := r.polls; got != 1+1+maxStatusFailures {
		t.Errorf("%d status calls, want %d", got, 1+1+maxStatusFailures)
	}
	if r.lastCommand() != key(cycStop) {
		t.Error("session not stopped")
	}
}

func TestCycleLogsRestart(t *testing.T) {
	var logs bytes.Buffer
	r := newRig(t, cpFixture, func(_, restarts int) reply {
		if restarts == 0 {
			return detailXML(pendingW(3, "2026-11-25 17:23:45"))
		}
		return detailXML(doneW("2026-11-25 17:25:03"))
	})
	if _, err := r.run(CycleOptions{StallAfter: time.Minute, Logger: slog.New(slog.NewTextHandler(&logs, nil))}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "no progress; restarted the session") {
		t.Errorf("restart not logged:\n%s", logs.String())
	}
}
