//go:build lab

package main

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/lease"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// TestLabFaultSSHToPrimaryDropped: the SSH connections to p1 are cut (every
// per-connection sshd process killed) while the run waits for its
// checkpoint; the engine redials and the run completes.
func TestLabFaultSSHToPrimaryDropped(t *testing.T) {
	row := recordFault(t, "1", "SSH to the primary dropped mid-run")
	conn, f := faultLab(t)
	before := f.newestVerified(t)
	_, wait := runAndWait(t, f.file, "session started", "--target", "sdsc")
	time.Sleep(2 * time.Second)
	start := time.Now()
	// The per-connection processes (root@notty, root@internal-sftp), never
	// the listener.
	n := killIn(t, conn.D, "p1", syscall.SIGKILL, func(c string) bool { return strings.HasPrefix(c, "sshd: root@") })
	if n == 0 {
		t.Fatal("no sshd connection process on p1 to kill")
	}
	r := wait()
	row.since(start)
	if r.code != 0 {
		t.Fatalf("the run exited %d after its SSH connection was cut:\n%s", r.code, r.stderr)
	}
	m := decode[drrun.Report](t, r).Sets[0].Set
	if m.Status != retention.Verified {
		t.Errorf("the set is %s", m.Status)
	}
	if !strings.Contains(r.stderr, "redialing after the connection was lost") {
		t.Errorf("the run did not say it redialed:\n%s", r.stderr)
	}
	row.Outcome, row.Detail = outcomeCompleted, "killed "+strconv.Itoa(n)+" sshd connection processes on p1; the engine redialed; set "+m.ID+" verified"
	row.Kept = f.kept(t, before)
}

// TestLabFaultGsyncdWorkerKilled: the session's gsyncd worker on p1 is
// killed while the checkpoint is awaited; gsyncd's monitor marks it Faulty
// and starts it again, and the run completes.
func TestLabFaultGsyncdWorkerKilled(t *testing.T) {
	row := recordFault(t, "2", "a gsyncd worker killed (Faulty)")
	conn, f := faultLab(t)
	before := f.newestVerified(t)
	ref, err := conn.D.SessionRef("sdsc")
	must(t, err)
	secondary := ref.Secondary()
	_, wait := runAndWait(t, f.file, "session started", "--target", "sdsc")
	isWorker := func(c string) bool {
		return strings.Contains(c, "gsyncd.py") && strings.Contains(c, " worker ") && strings.Contains(c, secondary)
	}
	var start time.Time
	waitFor(t, "the worker to start on p1", time.Minute, func() bool {
		for _, c := range netnsProcs(t, conn.D, "p1") {
			if isWorker(c) {
				start = time.Now()
				return true
			}
		}
		return false
	})
	if killIn(t, conn.D, "p1", syscall.SIGKILL, isWorker) == 0 {
		t.Fatal("the worker was gone before it could be killed")
	}
	r := wait()
	row.since(start)
	if r.code != 0 {
		t.Fatalf("the run exited %d after its worker was killed:\n%s", r.code, r.stderr)
	}
	m := decode[drrun.Report](t, r).Sets[0].Set
	if m.Status != retention.Verified {
		t.Errorf("the set is %s", m.Status)
	}
	seen := "the status did not show it Faulty between two polls"
	if strings.Contains(r.stderr, " faulty: ") || strings.Contains(r.stderr, "Faulty") {
		seen = "the status showed it Faulty"
	}
	row.Outcome = outcomeCompleted
	row.Detail = "worker killed with SIGKILL; " + seen + "; gsyncd restarted it; set " + m.ID + " verified"
	row.Kept = f.kept(t, before)
}

// TestLabFaultBackupFolderFull: the backup folder's file system is full (a
// 16 KiB tmpfs over it on p1). The night fails at once, saying so and
// naming the file; the verified sets under the tmpfs are untouched.
func TestLabFaultBackupFolderFull(t *testing.T) {
	row := recordFault(t, "3", "the backup folder's file system full")
	conn, f := faultLab(t)
	before := f.newestVerified(t)
	p1, err := conn.Runner("p1")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dir := f.s.Primary.BackupDir
	if _, err := p1.Run(ctx, execCmd("mount", "-t", "tmpfs", "-o", "size=16k,mode=0755", "tmpfs", dir)); err != nil {
		t.Fatal(err)
	}
	mounted := true
	unmount := func() {
		if mounted {
			mounted = false
			if _, err := p1.Run(context.Background(), execCmd("umount", dir)); err != nil {
				t.Errorf("unmounting the tmpfs over %s: %v", dir, err)
			}
		}
	}
	t.Cleanup(unmount)
	start := time.Now()
	r := runCLI(t, "run", "--schedule", f.file, "--target", "tacc", "--json")
	row.since(start)
	doc := decode[runDocument](t, r)
	if r.code != exitFailed || !strings.Contains(strings.ToLower(doc.Error.Message), "no space left on device") {
		t.Fatalf("a run into a full file system exited %d: %s\n%s", r.code, doc.Error.Message, r.stderr)
	}
	if doc.FailedStep != backupset.StepFill && doc.FailedStep != backupset.StepOpen {
		t.Errorf("failed at step %q, want open or fill", doc.FailedStep)
	}
	unmount()
	row.Outcome, row.Detail = outcomeError, firstLine(doc.Error.Message)
	row.Kept = f.kept(t, before)
	assertStopped(t, conn, "tacc")
	assertFree(t, conn, f.s)
}

// TestLabFaultEtcdDown: etcd on p1 is stopped. The night fails at its fill
// step naming the endpoint; with etcd back, the next night works.
func TestLabFaultEtcdDown(t *testing.T) {
	row := recordFault(t, "4", "etcd down")
	conn, f := faultLab(t)
	before := f.newestVerified(t)
	ctx := context.Background()
	if err := lab.StopDaemon(ctx, conn.D, "p1", lab.DaemonEtcd); err != nil {
		t.Fatal(err)
	}
	restarted := false
	t.Cleanup(func() {
		if !restarted {
			if err := lab.StartDaemon(context.Background(), conn.D, "p1", lab.DaemonEtcd); err != nil {
				t.Errorf("starting etcd again: %v", err)
			}
		}
	})
	start := time.Now()
	r := runCLI(t, "run", "--schedule", f.file, "--target", "tacc", "--json")
	row.since(start)
	doc := decode[runDocument](t, r)
	endpoint := f.s.Etcd.Endpoints[0]
	if r.code != exitFailed || doc.FailedStep != backupset.StepFill || !strings.Contains(doc.Error.Message, endpoint) {
		t.Fatalf("a run with etcd down exited %d at step %q: %s", r.code, doc.FailedStep, doc.Error.Message)
	}
	row.Outcome, row.Detail = outcomeError, firstLine(doc.Error.Message)
	row.Kept = f.kept(t, before)
	if err := lab.StartDaemon(ctx, conn.D, "p1", lab.DaemonEtcd); err != nil {
		t.Fatal(err)
	}
	restarted = true
	assertFree(t, conn, f.s)
}

// TestLabFaultSecondaryGlusterdDown: glusterd on sdsc1, the session's
// secondary host, is stopped. ssh works, but the command gsyncd runs there
// fails; the run fails when gsyncd's retry fails too, naming the node and
// the command, instead of waiting out checkpoint_timeout; the session is
// left stopped.
func TestLabFaultSecondaryGlusterdDown(t *testing.T) {
	row := recordFault(t, "5", "a secondary node's glusterd down")
	conn, f := faultLab(t)
	before := f.newestVerified(t)
	ctx := context.Background()
	if err := lab.StopDaemon(ctx, conn.D, "sdsc1", lab.DaemonGlusterd); err != nil {
		t.Fatal(err)
	}
	restarted := false
	t.Cleanup(func() {
		if !restarted {
			if err := lab.StartDaemon(context.Background(), conn.D, "sdsc1", lab.DaemonGlusterd); err != nil {
				t.Errorf("starting glusterd on sdsc1 again: %v", err)
			}
		}
	})
	sdsc1, err := conn.D.Node("sdsc1")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := runCLI(t, "run", "--schedule", f.file, "--target", "sdsc", "--json")
	row.since(start)
	doc := decode[runDocument](t, r)
	for _, want := range []string{"cannot use the secondary node " + sdsc1.Address, "volume info global-dr",
		"Check that glusterd runs on " + sdsc1.Address} {
		if !strings.Contains(doc.Error.Message, want) {
			t.Errorf("the error does not say %q:\n%s", want, doc.Error.Message)
		}
	}
	if r.code != exitFailed || doc.FailedStep != backupset.StepReplicate || r.took > 3*time.Minute {
		t.Fatalf("exit %d at step %q after %s", r.code, doc.FailedStep, r.took)
	}
	row.Outcome, row.Detail = outcomeError, firstLine(doc.Error.Message)
	if err := lab.StartDaemon(ctx, conn.D, "sdsc1", lab.DaemonGlusterd); err != nil {
		t.Fatal(err)
	}
	restarted = true
	row.Kept = f.kept(t, before)
	assertStopped(t, conn, "sdsc")
	assertFree(t, conn, f.s)
}

// TestLabFaultHungGlusterCommand: the gluster CLI on p1 hangs on status
// queries (a wrapper that sleeps), while sshd answers. Each status call is
// killed at ssh.command_timeout; the run fails naming the node and the
// command, releases the run lock and the lease, and leaves the session
// stopped.
func TestLabFaultHungGlusterCommand(t *testing.T) {
	row := recordFault(t, "11", "a hung remote command (gluster status)")
	conn, f := faultLab(t)
	before := f.newestVerified(t)
	file := f.variant(t, func(s *schedule.Schedule) { s.SSH.CommandTimeout = 10 * time.Second })
	ctx := context.Background()
	p1, err := conn.Runner("p1")
	if err != nil {
		t.Fatal(err)
	}
	files, err := conn.Files("p1")
	if err != nil {
		t.Fatal(err)
	}
	const wrapper = "/usr/local/sbin/gluster"
	script := "#!/bin/sh\n# glusterdr fault test: the gluster CLI hangs on status queries\n" +
		"case \" $* \" in *\" status \"*) exec sleep 3600;; esac\nexec /usr/sbin/gluster \"$@\"\n"
	remove := glusterWrapperOnP1(t, conn.D, files, script)
	if res, err := p1.Run(ctx, execCmd("sh", "-c", "command -v gluster")); err != nil || strings.TrimSpace(string(res.Stdout)) != wrapper {
		t.Fatalf("the wrapper is not the gluster on p1's PATH: %q %v", res.Stdout, err)
	}
	ref, err := conn.D.SessionRef("sdsc")
	must(t, err)
	start := time.Now()
	r := runCLI(t, "run", "--schedule", file, "--target", "sdsc", "--json")
	row.since(start)
	doc := decode[runDocument](t, r)
	for _, want := range []string{"on " + f.s.Primary.Node + " did not finish within 10s and was killed",
		"Command: gluster --xml volume geo-replication global " + ref.Secondary() + " status detail"} {
		if !strings.Contains(doc.Error.Message, want) {
			t.Errorf("the error does not say %q:\n%s", want, doc.Error.Message)
		}
	}
	if r.code != exitFailed || doc.FailedStep != backupset.StepReplicate {
		t.Fatalf("exit %d at step %q", r.code, doc.FailedStep)
	}
	// sshd does not pass signals on to root's sessions: the host's own
	// timeout(1) must have ended every hung call.
	for pid, c := range netnsProcs(t, conn.D, "p1") {
		if c == "sleep 3600" {
			t.Errorf("a hung call is still running on p1 after its timeout: PID %d", pid)
		}
	}
	remove()
	row.Outcome, row.Detail = outcomeError, "status detail killed at 10s on "+f.s.Primary.Node+": "+firstLine(doc.Error.Message)
	assertFree(t, conn, f.s)
	assertStopped(t, conn, "sdsc")
	row.Kept = f.kept(t, before)
}

// TestLabFaultJournalDeleted: the controller's state_dir is lost (a new
// state_dir, the same backup folder). status does not let "no run known"
// pass for "no copy": it rebuilds the history from the sets' records on
// the volume, says so, and names every target's newest verified set; sets
// lists them too.
func TestLabFaultJournalDeleted(t *testing.T) {
	row := recordFault(t, "12", "the controller's journal deleted")
	_, f := faultLab(t)
	before := f.newestVerified(t)
	state := t.TempDir()
	file := f.variant(t, func(s *schedule.Schedule) {
		s.StateDir, s.LockFile, s.MetricsFile = state, path.Join(state, "run.lock"), path.Join(state, "glusterdr.prom")
	})
	start := time.Now()
	st := decode[drrun.Status](t, runCLI(t, "status", "--schedule", file, "--json"))
	if st.Rebuilt == nil {
		t.Fatalf("status without the journal does not say it rebuilt the history: %+v", st)
	}
	for _, ts := range st.Targets {
		if want, ok := before[ts.Name]; ok && (ts.LastVerified == nil || ts.LastVerified.Set != want) {
			t.Errorf("the rebuilt status of %s names %+v as its newest verified set, want %s", ts.Name, ts.LastVerified, want)
		}
	}
	sets := decode[setsResult](t, runCLI(t, "sets", "--schedule", file, "--json"))
	listed := map[string]bool{}
	for _, s := range sets.Sets {
		listed[s.ID] = s.Verified
	}
	for target, id := range before {
		if !listed[id] {
			t.Errorf("sets does not list %s's verified set %s without the journal", target, id)
		}
	}
	row.since(start)
	row.Outcome = outcomeError
	row.Detail = "status rebuilt the history from the sets on the volume and names the " + strconv.Itoa(len(before)) +
		" targets' newest verified sets; sets lists them"
	row.Kept = f.kept(t, before)
}

// assertFree checks that no run lock or lease is left held.
func assertFree(t *testing.T, conn lab.Conn, s *schedule.Schedule) {
	t.Helper()
	if h, held, err := runlock.Inspect(s.LockFile); err != nil || held {
		t.Errorf("the run lock is still held after the run: %+v %v", h, err)
	}
	files, err := conn.Files("p1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := files.Stat(context.Background(), path.Join(s.Primary.BackupDir, lease.DirName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the lease on the backup folder is still there after the run: %v", err)
	}
}

// assertStopped checks that the session to site is stopped.
func assertStopped(t *testing.T, conn lab.Conn, site string) {
	t.Helper()
	if got := sessionRollup(t, conn, site); got != "stopped" {
		t.Errorf("the session to %s is %s after the run, want stopped", site, got)
	}
}
