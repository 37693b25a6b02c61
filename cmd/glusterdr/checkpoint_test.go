package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// xmlOK is gluster's --xml answer to an action that worked.
const xmlOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/></cliOutput>
`

// fixtureCheckpoint is the checkpoint time of the completed fixtures.
var fixtureCheckpoint = time.Date(2026, 11, 25, 17, 13, 34, 0, time.UTC)

// cycleNode is a fake "vm" that runs a checkpoint cycle: once started, its
// status reads statusFixture.
func cycleNode(t *testing.T, statusFixture string) *fakeNode {
	t.Helper()
	n := &fakeNode{t: t, host: "vm", files: map[string][]byte{}}
	started := false
	n.answer = func(argv string) (string, int) {
		switch {
		case strings.HasSuffix(argv, "gv0 vm::gv1 stop"):
			started = false
			return xmlOK, 0
		case strings.HasSuffix(argv, "gv0 vm::gv1 config checkpoint now"):
			return xmlOK, 0
		case strings.HasSuffix(argv, "gv0 vm::gv1 config checkpoint"):
			return fmt.Sprintf("%d\n", fixtureCheckpoint.Unix()), 0
		case strings.HasSuffix(argv, "gv0 vm::gv1 start"):
			started = true
			return xmlOK, 0
		case strings.HasSuffix(argv, "volume get gv0 changelog.rollover-time"):
			return fixtureText(t, "volume-get-rollover-time.out"), 0
		case strings.HasSuffix(argv, "gv0 vm::gv1 status detail"):
			if started {
				return fixtureText(t, statusFixture), 0
			}
			return fixtureText(t, "georep-status-detail-stopped.xml.out"), 0
		}
		t.Errorf("unexpected command: %s", argv)
		return "", 1
	}
	return n
}

func testCheckpointCmd(n *fakeNode, timeout time.Duration) checkpointCmd {
	return checkpointCmd{client: gluster.New(n), files: n, ref: fixtureRef, mount: "/var/glfs/global", timeout: timeout,
		g: &globals{logLevel: "error"}, now: func() time.Time { return fixtureCheckpoint }}
}

func TestCheckpointCycleCompletes(t *testing.T) {
	n := cycleNode(t, "georep-status-detail-checkpoint-completed-small100MB.xml.out")
	res := &checkpointResult{}
	if err := testCheckpointCmd(n, time.Minute).run(context.Background(), res); err != nil {
		t.Fatal(err)
	}
	if !res.Changed || !res.Completed || res.Error != "" || res.FailureKind != "" {
		t.Fatalf("result %+v", res)
	}
	if !res.CheckpointTime.Equal(fixtureCheckpoint) || res.CompletedAt.Format(time.DateTime) != "2026-11-25 17:25:03" {
		t.Fatalf("checkpoint %v completed %v", res.CheckpointTime, res.CompletedAt)
	}
	if res.WorkersActive != 1 || res.WorkersDone != 1 || len(res.Workers) != 1 || !res.Workers[0].CheckpointCompleted {
		t.Fatalf("workers %d of %d done: %+v", res.WorkersDone, res.WorkersActive, res.Workers)
	}
	marker, err := n.ReadFile(context.Background(), filepath.Join("/var/glfs/global", gluster.MarkerName))
	if err != nil || !strings.Contains(string(marker), "glusterdr checkpoint") {
		t.Fatalf("marker %q, %v", marker, err)
	}
	var order []string
	for _, c := range n.commands() {
		if i := strings.Index(c, "vm::gv1 "); i >= 0 {
			order = append(order, c[i+len("vm::gv1 "):])
		}
	}
	want := []string{"config checkpoint now", "stop", "config checkpoint", "start", "status detail", "stop"}
	if strings.Join(order, ",") != strings.Join(want, ",") {
		t.Fatalf("commands %q, want %q", order, want)
	}
}

func TestCheckpointCycleTimesOut(t *testing.T) {
	n := cycleNode(t, "georep-status-detail-checkpoint-pending-small100MB.xml.out")
	res := &checkpointResult{}
	err := testCheckpointCmd(n, time.Millisecond).run(context.Background(), res)
	if !errors.Is(err, gluster.ErrCheckpointTimeout) {
		t.Fatalf("error = %v, want a checkpoint timeout", err)
	}
	if res.Completed || res.FailureKind != "timeout" || res.CheckpointTime == nil {
		t.Fatalf("result %+v", res)
	}
	if res.Pending.Entry+res.Pending.Data+res.Pending.Meta == 0 || res.WorkersActive != 1 || res.WorkersDone != 0 {
		t.Fatalf("pending %+v, %d of %d done: the failure must carry the backlog", res.Pending, res.WorkersDone, res.WorkersActive)
	}
	cmds := n.commands()
	if !strings.HasSuffix(cmds[len(cmds)-1], "gv0 vm::gv1 stop") {
		t.Fatalf("the session was not stopped after the timeout: %q", cmds)
	}
}

func TestCheckpointPlanReadsOnly(t *testing.T) {
	n := cycleNode(t, "georep-status-detail-running.xml.out")
	res := &checkpointResult{Plan: true}
	if err := testCheckpointCmd(n, time.Minute).plan(context.Background(), res); err != nil {
		t.Fatal(err)
	}
	if m := mutating(n.commands()); len(m) > 0 {
		t.Fatalf("--plan ran %q", m)
	}
	if !res.Changed || res.Status != "stopped" || res.CheckpointTime != nil || len(res.Workers) != 1 {
		t.Fatalf("plan result %+v", res)
	}
	var buf bytes.Buffer
	if err := printJSON(&buf, res); err != nil {
		t.Fatal(err)
	}
	var shape map[string]any
	if err := json.Unmarshal(buf.Bytes(), &shape); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"changed", "completed", "checkpoint_time", "completed_at", "pending", "workers", "workers_done", "workers_active", "timeout_seconds"} {
		if _, ok := shape[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, buf.String())
		}
	}
}

func TestCheckpointPlanWithoutSession(t *testing.T) {
	n := &fakeNode{t: t, host: "vm", files: map[string][]byte{}}
	n.answer = func(argv string) (string, int) {
		if strings.HasSuffix(argv, "gv0 vm::gv1 status") { // the plain status, which says so
			return fixtureText(t, "err-georep-status-missing-session.out"), 1
		}
		return fixtureText(t, "err-georep-status-missing-session.xml.out"), 2
	}
	err := testCheckpointCmd(n, time.Minute).plan(context.Background(), &checkpointResult{Plan: true})
	if !errors.Is(err, gluster.ErrNoSession) || !strings.Contains(err.Error(), "glusterdr session --state present") {
		t.Fatalf("error = %v", err)
	}
}

func TestFailureKind(t *testing.T) {
	for kind, want := range map[error]string{
		gluster.ErrCheckpointTimeout: "timeout", gluster.ErrWorkerFaulty: "faulty", gluster.ErrNotStarted: "not_started",
		errors.New("other"): "",
	} {
		if got := failureKind(kind); got != want {
			t.Errorf("failureKind(%v) = %q, want %q", kind, got, want)
		}
	}
}
