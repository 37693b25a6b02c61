package gluster

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// hangingStatus answers every command as f does, except that `status
// detail` never returns until its context ends, like a gluster CLI stuck
// on a glusterd that does not answer.
type hangingStatus struct{ *fakeRunner }

func (h hangingStatus) Run(ctx context.Context, cmd remote.Cmd) (remote.Result, error) {
	if key(cmd.Argv) == key(cycStatus) {
		<-ctx.Done()
		return remote.Result{}, ctx.Err()
	}
	return h.fakeRunner.Run(ctx, cmd)
}

// TestCycleDeadlineCutsAHungStatusCall: the checkpoint Timeout holds even
// while a status call hangs, not only between polls; the cycle fails as a
// timeout and the session is stopped.
func TestCycleDeadlineCutsAHungStatusCall(t *testing.T) {
	f := cycleFake(t)
	c := New(hangingStatus{f})
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := c.RunCheckpointCycle(context.Background(), refVM, CycleOptions{Timeout: 500 * time.Millisecond})
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the cycle was still waiting on a hung status call 10s after its 500ms timeout")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the cycle ended %s after start, want about its 500ms timeout", took)
	}
	var ce *CheckpointError
	if !errors.As(err, &ce) || !errors.Is(err, ErrCheckpointTimeout) || !strings.Contains(err.Error(), "checkpoint not completed after 500ms, when the status call was still waiting") {
		t.Fatalf("want a checkpoint timeout, got %v", err)
	}
	if f.count(cycStop) != 2 {
		t.Errorf("the session was not stopped after the timeout: %v", f.commands())
	}
}

// TestHungCommandNamesNodeAndCommand: a gluster call killed at its
// timeout fails naming the node, the command and what to look at.
func TestHungCommandNamesNodeAndCommand(t *testing.T) {
	f := newFake(t)
	f.on(cycStatus, reply{err: &remote.TimeoutError{Host: "vm", Argv: cycStatus, Timeout: 5 * time.Minute}})
	_, err := New(f).Status(context.Background(), refVM)
	var te *remote.TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("want the *remote.TimeoutError within, got %v", err)
	}
	for _, want := range []string{"on vm failed", "Command: " + remote.Quote(cycStatus), "vm answers SSH, but the gluster CLI hung for 5m0s", "glusterd there may be stuck"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
}

// TestCycleDeadlineDuringAPause: a deadline that passes while the cycle
// waits between polls is the plain timeout, not a call cut short.
func TestCycleDeadlineDuringAPause(t *testing.T) {
	f := cycleFake(t).
		on(cycStatus, detailXML(pendingW(1000, "2026-11-25 17:20:00")))
	_, err := New(f).RunCheckpointCycle(context.Background(), refVM, CycleOptions{Timeout: 700 * time.Millisecond, PollMin: time.Second})
	if !errors.Is(err, ErrCheckpointTimeout) || !strings.Contains(err.Error(), "checkpoint not completed after 700ms\n") {
		t.Fatalf("want the plain timeout, got %v", err)
	}
}

// TestCycleDoesNotRetryAHungStatusCall: a status call killed at its
// timeout ends the wait at once (the next would hang as long), and the
// session is stopped.
func TestCycleDoesNotRetryAHungStatusCall(t *testing.T) {
	f := cycleFake(t).
		on(cycStatus, reply{err: &remote.TimeoutError{Host: "vm", Argv: cycStatus, Timeout: 5 * time.Minute}})
	_, err := New(f, WithClock(newClock())).RunCheckpointCycle(context.Background(), refVM, CycleOptions{})
	var te *remote.TimeoutError
	if !errors.As(err, &te) || f.count(cycStatus) != 1 || f.count(cycStop) != 2 {
		t.Fatalf("%d status calls, %d stops: %v", f.count(cycStatus), f.count(cycStop), err)
	}
}

// cycleFake answers every call of a checkpoint cycle but its status polls.
func cycleFake(t *testing.T) *fakeRunner {
	t.Helper()
	f := newFake(t)
	f.on(cycStop, fixture(t, "err-georep-stop-already-stopped.xml")).
		on(cycCPNow, ok(okXML)).
		on(cycCPGet, ok("1796417215\n")).
		on(cycStart, fixture(t, "georep-start")).
		on(cycRollover, fixture(t, "volume-get-rollover-time"))
	return f
}
