package drrun

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/lease"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
)

// secondController is another controller of h's backup folder: its own
// state_dir (so its own run lock, journal and status), the same primary.
func secondController(t *testing.T, h *harness) *Engine {
	s := *h.eng.Schedule
	s.StateDir = filepath.Join(t.TempDir(), "state-b")
	s.LockFile = filepath.Join(s.StateDir, "run.lock")
	s.MetricsFile = filepath.Join(s.StateDir, "glusterdr.prom")
	b := *h.eng
	b.Schedule = &s
	return &b
}

// TestTwoControllersOneBackupFolder: while controller A's run works, the
// run lock (a flock on A's machine) cannot stop controller B, whose
// state_dir differs; the lease in the backup folder does: B's run, and a
// reader of B's, are refused naming A, and B runs once A is done.
func TestTwoControllersOneBackupFolder(t *testing.T) {
	h := newHarness(t)
	b := secondController(t, h)
	inCycle, finish := make(chan struct{}), make(chan struct{})
	h.onReplicate = func(context.Context) error {
		h.onReplicate = nil
		close(inCycle)
		<-finish
		return nil
	}
	done := make(chan error, 1)
	go func() {
		_, err := h.eng.Run(context.Background(), RunOptions{Target: "sdsc", Command: "glusterdr run (A)"})
		done <- err
	}()
	<-inCycle
	rep, err := b.Run(context.Background(), RunOptions{Target: "tacc", Command: "glusterdr run (B)"})
	var held *lease.HeldError
	if !errors.As(err, &held) || held.Holder.Controller != Controller(h.eng.Schedule) || held.Holder.Command != "glusterdr run (A)" ||
		held.Holder.PID != os.Getpid() {
		t.Fatalf("B's run while A's works: %v", err)
	}
	if rep.Changed || len(rep.Sets) != 0 {
		t.Errorf("B's refused run changed something: %+v", rep)
	}
	if !strings.Contains(err.Error(), "another controller holds the lease "+filepath.Join(h.eng.Schedule.Primary.BackupDir, lease.DirName)) {
		t.Errorf("the refusal: %v", err)
	}
	if _, _, err := b.Guard(context.Background(), GuardOptions{Access: Reads}); !errors.As(err, &held) {
		t.Errorf("B's reader while A's run works: %v", err)
	}
	if _, err := os.Stat(JournalPath(b.Schedule)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("B's refusal was journaled as a failed night: %v", err)
	}
	close(finish)
	if err := <-done; err != nil {
		t.Fatalf("A's run: %v", err)
	}
	if _, err := b.Run(context.Background(), RunOptions{Target: "tacc"}); err != nil {
		t.Fatalf("B's run after A's: %v", err)
	}
}

// TestReadersShareAndWritersWait: on one controller, readers (verify,
// restore-drill) share the run lock, and a writer is refused while they
// hold it.
func TestReadersShareAndWritersWait(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	_, r1, err := h.eng.Guard(ctx, GuardOptions{Access: Reads})
	if err != nil {
		t.Fatal(err)
	}
	_, r2, err := h.eng.Guard(ctx, GuardOptions{Access: Reads})
	if err != nil {
		t.Fatalf("a second reader: %v", err)
	}
	_, err = h.eng.Run(ctx, RunOptions{})
	var held *runlock.HeldError
	if !errors.As(err, &held) {
		t.Fatalf("a run while readers work: %v", err)
	}
	r1()
	r2()
	if _, err := h.eng.Run(ctx, RunOptions{}); err != nil {
		t.Fatalf("the run after the readers: %v", err)
	}
}

// TestLostLeaseStopsTheRun: a run whose lease is taken from it (here
// removed, as a second controller would after it expired) stops at once;
// the step it was in stays pending for the next run, which resumes it.
func TestLostLeaseStopsTheRun(t *testing.T) {
	h := newHarness(t)
	h.eng.LeaseTTL = 400 * time.Millisecond
	h.onReplicate = func(ctx context.Context) error {
		h.onReplicate = nil
		must(t, os.RemoveAll(filepath.Join(h.eng.Schedule.Primary.BackupDir, lease.DirName)))
		<-ctx.Done()
		return ctx.Err()
	}
	_, err := h.eng.Run(context.Background(), RunOptions{Target: "sdsc"})
	var lost *lease.LostError
	var se *StepError
	if !errors.As(err, &lost) || !errors.As(err, &se) || !se.Interrupted || !strings.Contains(err.Error(), "was removed while this controller held it") {
		t.Fatalf("the run whose lease was removed: %v", err)
	}
	rep, err := h.eng.Run(context.Background(), RunOptions{})
	if err != nil || rep.Sets[0].Action != ActionResumed {
		t.Fatalf("the next run: %+v %v", rep, err)
	}
}
