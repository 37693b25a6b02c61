//go:build lab

package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// TestLabFaultRunnerKilledInEachStep kills the runner with SIGKILL in each
// step of one set, as the playbook runs them (one `run --step` each), and
// runs the step again: every step resumes where it was, the set ends
// verified, the journal holds it once and the session is stopped.
// (TestLabKilledRunResumes kills a whole run mid-checkpoint and resumes it
// with a whole run.)
func TestLabFaultRunnerKilledInEachStep(t *testing.T) {
	row := recordFault(t, "6", "the runner SIGKILLed in each step")
	conn, f := faultLab(t)
	before := f.newestVerified(t)
	start := time.Now()

	// open: killed as soon as the set exists, in the fill step of a whole run.
	first, wait := runAndWait(t, f.file, "backup set opened", "--target", "tacc")
	must(t, first.Process.Signal(syscall.SIGKILL))
	_ = wait()
	sets := decode[setsResult](t, runCLI(t, "sets", "--schedule", f.file, "--json"))
	id := ""
	for _, s := range sets.Sets {
		if s.Target == "tacc" && s.Status == retention.Pending && s.ID > id {
			id = s.ID
		}
	}
	if id == "" {
		t.Fatalf("no pending set after the kill in open: %+v", sets.Sets)
	}
	var landed []string
	for _, step := range backupset.Steps[1:] { // every step after open
		m := readSet(t, conn, f, id)
		switch m.Step(step).State {
		case backupset.StateDone:
			landed = append(landed, step+" (done before the kill)")
			continue
		case backupset.StateSkipped: // the target keeps no restore points
			landed = append(landed, step+" (skipped)")
			continue
		}
		cmd, wait := runAndWait(t, f.file, "step="+step, "--step", step, "--set", id)
		must(t, cmd.Process.Signal(syscall.SIGKILL))
		_ = wait()
		state := readSet(t, conn, f, id).Step(step).State
		landed = append(landed, fmt.Sprintf("%s (%s)", step, state))
		r := runCLI(t, "run", "--schedule", f.file, "--step", step, "--set", id, "--json")
		if r.code != 0 {
			t.Fatalf("step %s again after the kill exited %d:\n%s", step, r.code, r.stderr)
		}
	}
	row.since(start)
	m := readSet(t, conn, f, id)
	if m.Status != retention.Verified || m.Step(backupset.StepRecord).State != backupset.StateDone {
		t.Fatalf("set %s after the kills: %s, record %s", id, m.Status, m.Step(backupset.StepRecord).State)
	}
	entries, err := journal.ReadFile(t.Context(), remote.LocalFiles{}, drrun.JournalPath(f.s))
	must(t, err)
	n := 0
	for _, e := range entries {
		if e.Set == id {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the journal holds set %s %d times", id, n)
	}
	assertStopped(t, conn, "tacc")
	assertFree(t, conn, f.s)
	row.Outcome = outcomeResumed
	row.Detail = "set " + id + " killed in open, then in " + strings.Join(landed, ", ") + "; each step run again; verified, journaled once"
	row.Kept = f.kept(t, before)
}

// TestLabFaultConcurrentCommands: while a nightly run waits for its
// checkpoint, a failover of the same controller is refused by the run
// lock, and a run of a second controller (another state_dir, the same
// backup folder) by the lease; the first run completes.
// (TestLabConcurrentRunRefused is the same controller's second run.)
func TestLabFaultConcurrentCommands(t *testing.T) {
	row := recordFault(t, "7b", "a failover, and a second controller, during a run")
	conn, f := faultLab(t)
	before := f.newestVerified(t)
	first, wait := runAndWait(t, f.file, "session started", "--target", "sdsc")
	start := time.Now()
	fo := runCLI(t, "failover", "--schedule", f.file, "--site", "sdsc", "--yes", "--json")
	wantLock := fmt.Sprintf("another run holds the lock %s: PID %d", f.s.LockFile, first.Process.Pid)
	if fo.code != exitLocked || !strings.Contains(fo.stderr, wantLock) {
		t.Errorf("a failover during the run exited %d, want %d saying %q:\n%s", fo.code, exitLocked, wantLock, fo.stderr)
	}
	state := t.TempDir()
	other := f.variant(t, func(s *schedule.Schedule) {
		s.StateDir, s.LockFile, s.MetricsFile = state, path.Join(state, "run.lock"), path.Join(state, "glusterdr.prom")
	})
	second := runCLI(t, "run", "--schedule", other, "--target", "tacc", "--json")
	host, _ := os.Hostname()
	wantLease := fmt.Sprintf("another controller holds the lease %s/.glusterdr-lease on this backup folder: controller %s:%s, PID %d",
		f.s.Primary.BackupDir, host, f.s.StateDir, first.Process.Pid)
	if second.code != exitLocked || !strings.Contains(second.stderr, wantLease) {
		t.Errorf("the second controller's run exited %d, want %d saying %q:\n%s", second.code, exitLocked, wantLease, second.stderr)
	}
	if _, err := os.Stat(filepath.Join(state, journal.FileName)); err == nil {
		t.Error("the refused run of the second controller journaled a failed night")
	}
	r := wait()
	row.since(start)
	if r.code != 0 {
		t.Fatalf("the first run exited %d:\n%s", r.code, r.stderr)
	}
	if m := decode[drrun.Report](t, r).Sets[0].Set; m.Status != retention.Verified {
		t.Errorf("the first run's set is %s", m.Status)
	}
	assertFree(t, conn, f.s)
	row.Outcome = outcomeRefused
	row.Detail = "failover refused by the run lock, the second controller's run by the lease, naming PID " + fmt.Sprint(first.Process.Pid) + "; the run completed"
	row.Kept = f.kept(t, before)
}

// readSet reads a set's set.json on the primary.
func readSet(t *testing.T, conn lab.Conn, f *faultFixture, id string) *backupset.Meta {
	t.Helper()
	files, err := conn.Files("p1")
	if err != nil {
		t.Fatal(err)
	}
	m, err := backupset.Store{Files: files, Dir: f.s.Primary.BackupDir}.Read(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
