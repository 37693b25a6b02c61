//go:build lab

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
)

// TestLabScheduleTriggerOnP1 installs the nightly trigger with `glusterdr
// schedule` on p1, which runs no systemd, so it is the cron entry, for
// real: a systemd trigger is refused there, --plan changes nothing,
// install is idempotent and show agrees. The entry's job, run as cron runs
// it, reaches the schedule's run_timeout in the middle of the checkpoint
// wait (held there by a gluster on p1 whose status calls hang once the
// session is started, so that no machine is fast enough to finish the
// cycle first): it fails naming the deadline, the set stays pending at replicate,
// the session is stopped and the lock is free. With a run_timeout fit for
// the lab the trigger changes, and its job resumes the set and verifies it.
// Remove refuses another schedule's trigger and takes its own away once,
// even when its schedule file is gone.
func TestLabScheduleTriggerOnP1(t *testing.T) {
	conn := labConn(t)
	ensureSession(t, conn, "sdsc")
	ctx := context.Background()
	p1, err := conn.Runner("p1")
	if err != nil {
		t.Fatal(err)
	}
	files, err := conn.Files("p1")
	if err != nil {
		t.Fatal(err)
	}
	cliOnP1 := labCLI(t, conn.D)
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	name := "clitest-" + hex.EncodeToString(suffix)
	schedPath := "/etc/glusterdr/" + name + ".hcl"
	s, err := labSchedule(conn.D, "/var/lib/glusterdr-"+name, path.Join(lab.MountPath, "test", name, "backup"))
	if err != nil {
		t.Fatal(err)
	}
	// A deadline the replicate step outlives: holdCheckpointWait below.
	s.RunTimeout = 10 * time.Second
	writeOnP1(t, files, schedPath, schedule.Encode(s))
	keepCronEntry(t, files)
	t.Cleanup(func() {
		for _, p := range []string{schedPath, s.StateDir, path.Dir(s.Primary.BackupDir)} {
			if err := files.RemoveAll(context.Background(), p); err != nil {
				t.Errorf("cleaning up %s on p1: %v", p, err)
			}
		}
	})
	glusterdr := func(args ...string) result {
		return runOn(t, p1, append(append([]string{cliOnP1}, args...), "--log-level", "error")...)
	}
	cronEntry := func() (string, bool) {
		data, err := files.ReadFile(ctx, trigger.CronFile)
		if errors.Is(err, fs.ErrNotExist) {
			return "", false
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(data), true
	}

	r := glusterdr("schedule", "install", "--schedule", schedPath, "--trigger", "systemd", "--json")
	if _, found := cronEntry(); r.code != 1 || found || !strings.Contains(r.stderr,
		`trigger = "systemd", but systemd is not running on p1 (no /run/systemd/system), so nothing was changed there`) {
		t.Fatalf("a systemd trigger on p1: exit %d, entry written %t\n%s", r.code, found, r.stderr)
	}

	plan := decode[scheduleResult](t, glusterdr("schedule", "install", "--schedule", schedPath, "--runner", "glusterdr", "--plan", "--json"))
	if _, found := cronEntry(); !plan.Changed || !plan.Plan || plan.Installed != nil || plan.Wanted == nil || plan.Wanted.Kind != trigger.Cron || found {
		t.Fatalf("install --plan: %+v, entry written %t", plan, found)
	}

	installed := decode[scheduleResult](t, glusterdr("schedule", "install", "--schedule", schedPath, "--runner", "glusterdr", "--json"))
	entry, _ := cronEntry()
	wantJob := "0 2 * * * root timeout -k 180s 310s " + remote.Quote([]string{cliOnP1, "run", "--schedule", schedPath}) + "\n"
	if !installed.Changed || !installed.InSync || installed.Wanted.TimeoutSeconds != 310 || !strings.HasSuffix(entry, wantJob) {
		t.Fatalf("install: %+v\n%s\nwant the job %q", installed, entry, wantJob)
	}
	again := decode[scheduleResult](t, glusterdr("schedule", "install", "--schedule", schedPath, "--json"))
	show := decode[scheduleResult](t, glusterdr("schedule", "show", "--schedule", schedPath, "--json"))
	if again.Changed || !again.InSync || !show.InSync || show.Installed == nil || show.Installed.Runner != trigger.RunnerGlusterdr ||
		show.Installed.Schedule != schedPath || !strings.HasPrefix(show.Installed.Job, "timeout -k 180s 310s ") {
		t.Fatalf("install again: %+v\nshow: %+v", again, show)
	}

	// Open and fill, each a run of its own within its own deadline, as the
	// playbook runs them; the cron job then resumes the set at replicate.
	opened := decode[drrun.Report](t, glusterdr("run", "--schedule", schedPath, "--step", "open", "--target", "sdsc", "--json"))
	id := opened.Sets[0].Set.ID
	if r := glusterdr("run", "--schedule", schedPath, "--step", "fill", "--set", id, "--json"); r.code != 0 {
		t.Fatalf("fill: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	release := holdCheckpointWait(t, conn.D, files, name)
	job := runCronJobOn(t, p1, entry)
	release()
	if job.code == 0 || !strings.Contains(job.stderr, "step replicate of backup set "+id+" was interrupted (the run reached its deadline, run_timeout = 10s") {
		t.Fatalf("the job past its deadline: exit %d after %s\n%s\n%s", job.code, job.took.Round(time.Second), job.stdout, job.stderr)
	}
	t.Logf("the job ended %s after it started, on its 10s deadline", job.took.Round(100*time.Millisecond))
	store := backupset.Store{Files: files, Dir: s.Primary.BackupDir}
	m, err := store.Read(ctx, id)
	if err != nil || m.Status != retention.Pending || m.NextStep() != backupset.StepReplicate {
		t.Fatalf("the set after the deadline: %+v, %v", m, err)
	}
	ref, err := conn.D.SessionRef("sdsc")
	if err != nil {
		t.Fatal(err)
	}
	primary, err := conn.Gluster("p1")
	if err != nil {
		t.Fatal(err)
	}
	if st, err := primary.Status(ctx, ref); err != nil || st.Rollup != gluster.RollupStopped {
		t.Fatalf("the session after the deadline: %+v, %v; want it stopped", st, err)
	}
	resume := decode[drrun.Report](t, glusterdr("run", "--schedule", schedPath, "--plan", "--json"))
	if resume.LockedBy != nil || len(resume.Planned) != 1 || resume.Planned[0].Set != id || resume.Planned[0].Action != drrun.ActionResumed {
		t.Fatalf("after the deadline: lock %+v, plan %+v", resume.LockedBy, resume.Planned)
	}

	// A deadline fit for the lab: a new trigger, whose job finishes the set.
	s.RunTimeout = schedule.DefaultRunTimeout(s.Rotation, s.CheckpointTimeout, len(s.Targets))
	writeOnP1(t, files, schedPath, schedule.Encode(s))
	updated := decode[scheduleResult](t, glusterdr("schedule", "install", "--schedule", schedPath, "--json"))
	entry, _ = cronEntry()
	if !updated.Changed || !strings.Contains(entry, " root timeout -k 180s 5100s ") {
		t.Fatalf("install with run_timeout %s: %+v\n%s", s.RunTimeout, updated, entry)
	}
	if job := runCronJobOn(t, p1, entry); job.code != 0 {
		t.Fatalf("the job: exit %d\n%s\n%s", job.code, job.stdout, job.stderr)
	}
	if m, err := store.Read(ctx, id); err != nil || m.Status != retention.Verified || m.Step(backupset.StepReplicate).Attempts != 2 {
		t.Fatalf("the set after the second job: %+v, %v", m, err)
	}

	other := glusterdr("schedule", "remove", "--schedule", "/etc/glusterdr/other.hcl", "--json")
	if _, found := cronEntry(); other.code != 1 || !found || !strings.Contains(other.stderr, "runs the schedule "+schedPath+", not /etc/glusterdr/other.hcl") {
		t.Fatalf("remove of another schedule's trigger: exit %d, entry kept %t\n%s", other.code, found, other.stderr)
	}
	planned := decode[scheduleResult](t, glusterdr("schedule", "remove", "--schedule", schedPath, "--plan", "--json"))
	if _, found := cronEntry(); !planned.Changed || !found {
		t.Fatalf("remove --plan: %+v, entry kept %t", planned, found)
	}
	for i, want := range []bool{true, false} {
		res := decode[scheduleResult](t, glusterdr("schedule", "remove", "--schedule", schedPath, "--json"))
		if _, found := cronEntry(); res.Changed != want || found {
			t.Fatalf("remove %d: changed %t, want %t; entry still there %t", i+1, res.Changed, want, found)
		}
	}

	// The trigger of a schedule whose file is gone can still be removed;
	// with nothing installed, a missing schedule is an error, as anywhere.
	decode[scheduleResult](t, glusterdr("schedule", "install", "--schedule", schedPath, "--json"))
	if err := files.Remove(ctx, schedPath); err != nil {
		t.Fatal(err)
	}
	gone := decode[scheduleResult](t, glusterdr("schedule", "remove", "--schedule", schedPath, "--json"))
	if _, found := cronEntry(); !gone.Changed || found {
		t.Fatalf("remove of a trigger whose schedule is gone: %+v, entry still there %t", gone, found)
	}
	if r := glusterdr("schedule", "remove", "--schedule", schedPath, "--json"); r.code != 1 || !strings.Contains(r.stderr, "reading the schedule") {
		t.Fatalf("remove with nothing installed and no schedule: exit %d\n%s", r.code, r.stderr)
	}
}

var (
	labCLIOnce sync.Once
	labCLIPath string
	labCLIErr  error
)

// labCLI builds this command once per test binary into the lab's folder,
// which the nodes see (unlike this machine's /tmp).
func labCLI(t *testing.T, d *lab.Description) string {
	t.Helper()
	labCLIOnce.Do(func() {
		labCLIPath = filepath.Join(d.Dir, "clitest", "glusterdr")
		out, err := exec.Command("go", "build", "-o", labCLIPath, ".").CombinedOutput()
		if err != nil {
			labCLIErr = errors.New(string(out))
		}
	})
	if labCLIErr != nil {
		t.Fatalf("building the CLI into the lab: %v", labCLIErr)
	}
	return labCLIPath
}

// runOn runs argv on a node over SSH.
func runOn(t *testing.T, r remote.Runner, argv ...string) result {
	t.Helper()
	start := time.Now()
	res, err := r.Run(context.Background(), remote.Command(argv...))
	out := result{stdout: string(res.Stdout), stderr: string(res.Stderr), code: res.ExitCode, took: time.Since(start)}
	var ce *remote.CommandError
	if err != nil && !errors.As(err, &ce) {
		t.Fatalf("running %q on %s: %v", argv, r.Host(), err)
	}
	return out
}

// runCronJobOn runs the job of a cron entry on a node as cron does: with
// the entry's variables only, its command field through /bin/sh, as root.
func runCronJobOn(t *testing.T, r remote.Runner, entry string) result {
	t.Helper()
	env, command, err := trigger.CronJob(entry)
	if err != nil {
		t.Fatal(err)
	}
	argv := append(append([]string{"env", "-i", "HOME=/root", "LOGNAME=root"}, env...), "/bin/sh", "-c", command)
	return runOn(t, r, argv...)
}

// holdCheckpointWait puts a gluster in front of p1's own (/usr/local is
// the node's own overlay) whose status calls hang once a geo-replication
// session has been started, and returns what takes it away and ends the
// hung calls. A run then stays in its checkpoint wait until its deadline,
// however fast the machine; its stop at the deadline still works.
func holdCheckpointWait(t *testing.T, d *lab.Description, files remote.Files, name string) func() {
	t.Helper()
	started := "/run/" + name + ".started" // p1's own /run
	script := "#!/bin/sh\n# glusterdr schedule test: status hangs once a session is started\n" +
		"case \" $* \" in\n" +
		"*\" geo-replication \"*\" start \"*) /usr/sbin/gluster \"$@\"; rc=$?; : >" + started + "; exit $rc;;\n" +
		"*\" status \"*) [ -e " + started + " ] && exec sleep 3600;;\n" +
		"esac\nexec /usr/sbin/gluster \"$@\"\n"
	return glusterWrapperOnP1(t, d, files, script, started)
}

// glusterWrapperOnP1 puts script in front of p1's gluster (/usr/local is
// the node's own overlay) and returns what takes it away, with the files
// it leaves, and ends its hung calls (`sleep 3600`); cleanup does so too.
func glusterWrapperOnP1(t *testing.T, d *lab.Description, files remote.Files, script string, leaves ...string) func() {
	t.Helper()
	const wrapper = "/usr/local/sbin/gluster"
	if err := files.WriteFile(context.Background(), wrapper, strings.NewReader(script), 0o755); err != nil {
		t.Fatal(err)
	}
	done := false
	release := func() {
		if done {
			return
		}
		done = true
		for _, p := range append([]string{wrapper}, leaves...) {
			if err := files.Remove(context.Background(), p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("removing %s on p1: %v", p, err)
			}
		}
		killIn(t, d, "p1", syscall.SIGKILL, func(c string) bool { return c == "sleep 3600" })
	}
	t.Cleanup(release)
	return release
}

// writeOnP1 writes a file on p1, mode 0640.
func writeOnP1(t *testing.T, files remote.Files, p string, content []byte) {
	t.Helper()
	ctx := context.Background()
	if err := files.MkdirAll(ctx, path.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := files.WriteFile(ctx, p, bytes.NewReader(content), 0o640); err != nil {
		t.Fatal(err)
	}
}

// keepCronEntry puts p1's cron entry (another test's or the demo's) aside
// for the test, and back afterwards: one trigger per controller.
func keepCronEntry(t *testing.T, files remote.Files) {
	t.Helper()
	ctx := context.Background()
	saved, err := files.ReadFile(ctx, trigger.CronFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	if err == nil {
		if err := files.Remove(ctx, trigger.CronFile); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		ctx := context.Background()
		if saved == nil {
			if err := files.Remove(ctx, trigger.CronFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("removing the test's cron entry: %v", err)
			}
			return
		}
		if err := files.WriteFile(ctx, trigger.CronFile, bytes.NewReader(saved), 0o644); err != nil {
			t.Errorf("putting p1's cron entry back: %v", err)
		}
	})
}
