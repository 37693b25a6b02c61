//go:build lab

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// TestLabRunsAlternateAndVerify: two nightly runs go to sdsc, then tacc,
// and each leaves a set verified by reading it back at the site.
func TestLabRunsAlternateAndVerify(t *testing.T) {
	conn := labConn(t)
	ensureSession(t, conn, "sdsc")
	ensureSession(t, conn, "tacc")
	file := writeLabSchedule(t, conn.D, nil)

	for i, want := range []string{"sdsc", "tacc"} {
		r := runCLI(t, "run", "--schedule", file, "--json")
		if r.code != 0 {
			t.Fatalf("run %d exited %d:\n%s\n%s", i+1, r.code, r.stdout, r.stderr)
		}
		rep := decode[drrun.Report](t, r)
		if len(rep.Sets) != 1 {
			t.Fatalf("run %d worked on %d sets", i+1, len(rep.Sets))
		}
		m := rep.Sets[0].Set
		v := m.Verification
		if m.Target != want || m.Status != retention.Verified || v == nil || !v.Verified {
			t.Fatalf("run %d: set %s at %s is %s, want verified at %s", i+1, m.ID, m.Target, m.Status, want)
		}
		if v.Entries < 5 || v.Sample.Files == 0 || v.Etcd == nil || !v.Etcd.OK || v.Etcd.Keys < 200 {
			t.Errorf("run %d: verification too thin: %d entries, %d sampled, etcd %+v", i+1, v.Entries, v.Sample.Files, v.Etcd)
		}
		t.Logf("run %d to %s: %.1fs wall, gluster sync %.1fs (%d restarts), our overhead %.1fs (fill %.1fs, verify %.1fs)", i+1, want,
			rep.Seconds, rep.SyncSeconds, m.Replication.Restarts, rep.OverheadSeconds, m.Step(backupset.StepFill).Seconds, m.Step(backupset.StepVerify).Seconds)
		for _, s := range labSecrets {
			if strings.Contains(r.stdout+r.stderr, s) {
				t.Errorf("run %d printed the secret %q", i+1, s)
			}
		}
	}

	st := decode[drrun.Status](t, runCLI(t, "status", "--schedule", file, "--json"))
	if st.VerifiedCopies != 2 || st.RPOSeconds == nil || *st.RPOSeconds > 300 || st.NextTarget != "sdsc" {
		t.Errorf("status: %d verified copies, RPO %v, next %q", st.VerifiedCopies, st.RPOSeconds, st.NextTarget)
	}
	sets := decode[setsResult](t, runCLI(t, "sets", "--schedule", file, "--json"))
	if len(sets.Sets) != 2 || !sets.Sets[0].Verified || !sets.Sets[1].Verified || sets.Sets[0].Bytes == 0 {
		t.Errorf("sets: %+v", sets)
	}
	vr := runCLI(t, "verify", "--schedule", file, "--target", "sdsc", "--json")
	if res := decode[verifyResult](t, vr); vr.code != 0 || !res.Verified || res.Target != "sdsc" {
		t.Errorf("verify exited %d: %+v\n%s", vr.code, res, vr.stderr)
	}
}

// TestLabSilentLossFailsVerification reproduces the empty files of
// docs/gluster-facts.md: sync_method rsync with Debian's rsync 3.5.0
// completes the checkpoint while the files arrive empty. The run must fail
// at verify, naming them.
func TestLabSilentLossFailsVerification(t *testing.T) {
	row := recordFault(t, "8", "rsync's silent empty files")
	conn := labConn(t)
	p1, err := conn.Runner("p1")
	if err != nil {
		t.Fatal(err)
	}
	out, err := p1.Run(context.Background(), execCmd("rsync", "--version"))
	if err != nil || !strings.Contains(string(out.Stdout), "version 3.5.0") {
		t.Fatalf("this test reproduces a loss seen with rsync 3.5.0; p1 has %q (%v)", firstLine(string(out.Stdout)), err)
	}
	ref := ensureLossySession(t, conn)
	file := writeLabSchedule(t, conn.D, func(s *schedule.Schedule) {
		s.Targets = append(s.Targets, schedule.Target{Name: "lossy", PrimaryVolume: ref.PrimaryVolume, SecondaryHost: ref.SecondaryHost,
			SecondaryVolume: ref.SecondaryVolume, SecondaryUser: "root", SSHPort: 22, VerifyNode: ref.SecondaryHost})
	})
	r := runCLI(t, "run", "--schedule", file, "--target", "lossy", "--json")
	row.Seconds = r.took.Seconds()
	if r.code != exitDamaged {
		t.Fatalf("a run whose bytes arrived empty exited %d, want %d (copy damaged):\n%s", r.code, exitDamaged, r.stdout)
	}
	doc := decode[runDocument](t, r)
	rep := doc.Report
	m := rep.Sets[0].Set
	if rep.FailedStep != backupset.StepVerify || m.Status != retention.Failed || m.Replication == nil {
		t.Fatalf("failed step %q, set %s, replication %+v; want the checkpoint completed and verification failed\n%s", rep.FailedStep, m.Status, m.Replication, doc.Error.Message)
	}
	if e := doc.Error; e.Kind != kindDamaged || e.ExitCode != exitDamaged || e.Step != backupset.StepVerify || e.Set != m.ID {
		t.Errorf("the error object: %+v", e)
	}
	for _, want := range []string{"step verify of backup set " + m.ID + " failed", "/" + m.ID + "/etcd.snapshot: size 0, want", "(arrived empty)"} {
		if !strings.Contains(doc.Error.Message, want) || !strings.Contains(r.stderr, want) {
			t.Errorf("the error (report and stderr) does not say %q:\n%s", want, doc.Error.Message)
		}
	}
	if m.Step(backupset.StepRetention).State != backupset.StateSkipped {
		t.Errorf("retention ran after a failed verification: %s", m.Step(backupset.StepRetention).State)
	}
	row.Outcome, row.Detail = outcomeError+" (exit 3, damaged)", firstLine(doc.Error.Message)+": the files that arrived empty named"
	row.Kept = m.Step(backupset.StepRetention).State == backupset.StateSkipped // nothing deleted after it
	t.Logf("checkpoint completed at %s (sync %.1fs, %d restarts), and verification found %d errors:\n%s",
		m.Replication.CompletedAt, m.Replication.SyncSeconds, m.Replication.Restarts, m.Verification.Errors, doc.Error.Message)
}

// TestLabConcurrentRunRefused: a second run while the first waits for its
// checkpoint is refused, naming the first one's PID.
func TestLabConcurrentRunRefused(t *testing.T) {
	row := recordFault(t, "7a", "a concurrent run (same controller)")
	conn := labConn(t)
	ensureSession(t, conn, "sdsc")
	file := writeLabSchedule(t, conn.D, nil)
	first, wait := startRun(t, file, "session started")
	second := runCLI(t, "run", "--schedule", file, "--json")
	row.Seconds = second.took.Seconds()
	want := fmt.Sprintf("another run holds the lock %s: PID %d", strings.TrimSuffix(file, "schedule.hcl")+"state/run.lock", first.Process.Pid)
	if second.code != exitLocked || !strings.Contains(second.stderr, want) {
		t.Errorf("the second run exited %d, want %d (EX_TEMPFAIL); want a refusal saying %q:\n%s", second.code, exitLocked, want, second.stderr)
	}
	if doc := decode[runDocument](t, second); doc.OK || doc.Changed || len(doc.Sets) != 0 || doc.Error.Kind != kindLocked ||
		doc.Error.Holder == nil || doc.Error.Holder.PID != first.Process.Pid {
		t.Errorf("the refused run's report: %+v, error %+v", doc.Report, doc.Error)
	}
	if err := wait(); err != nil {
		t.Fatalf("the first run: %v", err)
	}
	msg := second.stderr
	if i := strings.Index(msg, "another run"); i >= 0 {
		msg = msg[i:]
	}
	row.Outcome, row.Detail, row.Kept = outcomeRefused, firstLine(msg), true
}

// TestLabKilledRunResumes kills a run with SIGKILL while it waits for the
// checkpoint; the next run finds no stale lock, stops the session the
// killed run left started, resumes that set from its replicate step and
// verifies it.
func TestLabKilledRunResumes(t *testing.T) {
	row := recordFault(t, "6b", "the runner SIGKILLed mid-checkpoint, resumed by a whole run")
	conn := labConn(t)
	ensureSession(t, conn, "sdsc")
	file := writeLabSchedule(t, conn.D, nil)
	first, wait := startRun(t, file, "session started")
	time.Sleep(2 * time.Second) // mid-checkpoint
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = wait()

	sets := decode[setsResult](t, runCLI(t, "sets", "--schedule", file, "--json"))
	if len(sets.Sets) != 1 || sets.Sets[0].Status != retention.Pending || sets.Sets[0].NextStep != backupset.StepReplicate {
		t.Fatalf("after SIGKILL: %+v", sets.Sets)
	}
	killed := sets.Sets[0].ID
	ref, err := conn.D.SessionRef("sdsc")
	if err != nil {
		t.Fatal(err)
	}
	primary, err := conn.Gluster("p1")
	if err != nil {
		t.Fatal(err)
	}
	if st, err := primary.Status(context.Background(), ref); err == nil {
		t.Logf("the session after SIGKILL: %s", st.Rollup)
	}
	r := runCLI(t, "run", "--schedule", file, "--json")
	row.Seconds = r.took.Seconds()
	if r.code != 0 {
		t.Fatalf("the next run exited %d:\n%s", r.code, r.stderr)
	}
	// The killed run left the session started; the next one stops it first.
	if !strings.Contains(r.stderr, "a killed run left a step running; stopping the session it may have left started") {
		t.Errorf("the next run did not stop the session the killed one left:\n%s", r.stderr)
	}
	rep := decode[drrun.Report](t, r)
	if len(rep.Sets) != 1 || rep.Sets[0].Action != drrun.ActionResumed || rep.Sets[0].Set.ID != killed ||
		strings.Join(rep.Sets[0].Ran, ",") != "replicate,verify,restore-point,retention,record" || rep.Sets[0].Set.Status != retention.Verified {
		t.Fatalf("the next run: %+v", rep.Sets)
	}
	t.Logf("resumed %s from replicate: %.1fs, sync %.1fs", killed, rep.Seconds, rep.SyncSeconds)
	row.Outcome, row.Kept = outcomeResumed, true
	row.Detail = "the next run stopped the session the killed one left started and resumed " + killed + " from replicate; verified"
}

// startRun starts `glusterdr run` and returns once its stderr says ready.
func startRun(t *testing.T, file, ready string) (*exec.Cmd, func() error) {
	t.Helper()
	cmd := exec.Command(cli(t), "run", "--schedule", file, "--json")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	seen := make(chan struct{})
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		once := false
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if !once && strings.Contains(sc.Text(), ready) {
				once = true
				close(seen)
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case <-seen:
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("the run never said %q", ready)
	}
	return cmd, func() error {
		err := cmd.Wait()
		if err != nil {
			return fmt.Errorf("%w\n%s", err, log.String())
		}
		if testing.Verbose() {
			t.Logf("the first run's log:\n%s", log.String())
		}
		return nil
	}
}

// TestLabVerifyResendsDamagedSetFiles damages the copy at sdsc between the
// replicate and verify steps, on the site's bricks: set.json emptied (as a
// new session's first cycle once left it) and a byte of provisioning.json
// flipped. The verify step sends the two files once more through gsyncd,
// and the copy at the site is whole again.
func TestLabVerifyResendsDamagedSetFiles(t *testing.T) {
	row := recordFault(t, "9", "a flipped byte (and an emptied set.json) in a set at a site")
	conn := labConn(t)
	ensureSession(t, conn, "sdsc")
	file := writeLabSchedule(t, conn.D, nil)
	src, _ := os.ReadFile(file)
	s, diags := schedule.Parse(file, src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var id string
	for _, step := range []string{backupset.StepOpen, backupset.StepFill, backupset.StepReplicate} {
		args := []string{"run", "--schedule", file, "--step", step, "--target", "sdsc", "--json"}
		if id != "" { // the open step makes the set
			args = append(args, "--set", id)
		}
		r := runCLI(t, args...)
		if r.code != 0 {
			t.Fatalf("step %s exited %d:\n%s\n%s", step, r.code, r.stdout, r.stderr)
		}
		id = decode[drrun.Report](t, r).Sets[0].Set.ID
	}
	metaAtSite := onSiteBrick(t, conn.D, "sdsc", s, id, backupset.MetaFile)
	provAtSite := onSiteBrick(t, conn.D, "sdsc", s, id, backupset.ProvisioningFile)
	if err := os.Truncate(metaAtSite, 0); err != nil {
		t.Fatal(err)
	}
	prov, err := os.ReadFile(provAtSite)
	if err != nil {
		t.Fatal(err)
	}
	flipped := slices.Clone(prov)
	flipped[len(flipped)/2] ^= 0x20
	if err := os.WriteFile(provAtSite, flipped, 0o600); err != nil {
		t.Fatal(err)
	}

	r := runCLI(t, "run", "--schedule", file, "--step", backupset.StepVerify, "--set", id, "--json")
	row.Seconds = r.took.Seconds()
	if r.code != 0 {
		t.Fatalf("verify exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	m := decode[drrun.Report](t, r).Sets[0].Set
	v := m.Verification
	if m.Status != retention.Verified || v.Resent == nil {
		t.Fatalf("set %s, verification %+v", m.Status, v)
	}
	rel := strings.TrimPrefix(s.Primary.BackupDir, s.Primary.Mount+"/") + "/" + id + "/"
	got := slices.Sorted(slices.Values(v.Resent.Files))
	if want := []string{rel + backupset.ProvisioningFile, rel + backupset.MetaFile}; !slices.Equal(got, want) {
		t.Errorf("resent %v, want %v", got, want)
	}
	for _, say := range []string{backupset.MetaFile + ": not readable at the target (0 bytes)", backupset.ProvisioningFile + ": content differs"} {
		if !strings.Contains(v.Resent.FirstProblem, say) {
			t.Errorf("the first verification does not say %q:\n%s", say, v.Resent.FirstProblem)
		}
	}
	if now, err := os.ReadFile(provAtSite); err != nil || !bytes.Equal(now, prov) {
		t.Errorf("provisioning.json on the site's brick is not the bytes sent (%v)", err)
	}
	data, err := os.ReadFile(onSiteBrick(t, conn.D, "sdsc", s, id, backupset.MetaFile))
	if site, err := backupset.Decode(data); err != nil || site.ID != id {
		t.Errorf("set.json at the site: %v", err)
	}
	t.Logf("resent %d files in %.1fs after: %s", len(v.Resent.Files), v.Resent.Seconds, v.Resent.FirstProblem)
	row.Outcome, row.Kept = outcomeResumed, true
	row.Detail = "verify named both files, sent them once more through gsyncd and verified the set; the site's bytes are whole again"
}
