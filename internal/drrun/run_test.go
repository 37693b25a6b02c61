package drrun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
)

func TestRunVerifiesAndAlternates(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var targets []string
	for range 2 {
		rep, err := h.eng.Run(ctx, RunOptions{})
		if err != nil {
			t.Fatalf("Run: %v\n%s", err, h.logs)
		}
		if !rep.OK || !rep.Changed || len(rep.Sets) != 1 {
			t.Fatalf("report: %+v", rep)
		}
		sr := rep.Sets[0]
		m := sr.Set
		targets = append(targets, m.Target)
		if sr.Action != ActionOpened || strings.Join(sr.Ran, ",") != "open,fill,replicate,verify,restore-point,retention,record" {
			t.Errorf("action %s, ran %v", sr.Action, sr.Ran)
		}
		if m.Status != retention.Verified || m.NextStep() != "" {
			t.Errorf("set %s: status %s, next step %q", m.ID, m.Status, m.NextStep())
		}
		v := m.Verification
		if v == nil || !v.Verified || v.Entries < 4 || v.Sample.Files != 5 || v.Etcd == nil || !v.Etcd.OK || v.Etcd.Keys < 20 {
			t.Errorf("verification: %+v", v)
		}
		for name, mode := range map[string]os.FileMode{backupset.EtcdFile: 0o600, backupset.ProvisioningFile: 0o600,
			backupset.ManifestFile: 0o644, backupset.MetaFile: 0o644} {
			info, err := os.Stat(filepath.Join(h.primary, "backup", m.ID, name))
			if err != nil || info.Mode().Perm() != mode {
				t.Errorf("%s: %v, mode %v, want %v", name, err, info.Mode().Perm(), mode)
			}
		}
		if m.Contents.ClusterDump == nil || m.Contents.ClusterDump.Files != 1 || m.Contents.Provisioning.Redactions == 0 {
			t.Errorf("contents: %+v", m.Contents)
		}
		if rep.SyncSeconds <= 0 || rep.OverheadSeconds <= 0 || rep.Seconds < rep.SyncSeconds {
			t.Errorf("timings: total %v sync %v overhead %v", rep.Seconds, rep.SyncSeconds, rep.OverheadSeconds)
		}
	}
	if strings.Join(targets, ",") != "sdsc,tacc" {
		t.Errorf("targets night by night: %v, want sdsc then tacc", targets)
	}
	entries, err := journal.ReadFile(ctx, remote.LocalFiles{}, JournalPath(h.eng.Schedule))
	if err != nil || len(entries) != 2 || !entries[0].Verified() || !entries[1].Verified() {
		t.Fatalf("journal: %+v %v", entries, err)
	}
	var st Status
	data, err := os.ReadFile(StatusPath(h.eng.Schedule))
	if err != nil || json.Unmarshal(data, &st) != nil {
		t.Fatalf("status.json: %v %s", err, data)
	}
	if st.VerifiedCopies != 2 || st.RPOSeconds == nil || st.NextTarget != "sdsc" || len(st.NextRuns) != 3 {
		t.Errorf("status: %+v", st)
	}
	metrics, err := os.ReadFile(h.eng.Schedule.MetricsFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`glusterdr_last_run_success{target="sdsc"} 1`, `glusterdr_verified_copies 2`,
		`glusterdr_rpo_seconds{target="tacc"}`, `glusterdr_last_run_overhead_seconds{target="sdsc"}`} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("metrics lack %q:\n%s", want, metrics)
		}
	}
	checkNoSecrets(t, h.logs.Bytes(), "the log")
}

// checkNoSecrets fails when a secret of the test inventory shows up.
func checkNoSecrets(t *testing.T, data []byte, where string) {
	t.Helper()
	for _, s := range []string{"hunter2", "S3cr3tBecome", "abcdef.0123456789abcdef", "tok-live-9f8e7d", "$ANSIBLE_VAULT", "b3BlbnNzaC1rZXktdjEAAAAA"} {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("secret %q in %s", s, where)
		}
	}
}

func TestRunFailsVerificationNamingTheFiles(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	// The copy arrives with the etcd snapshot and a volume file empty, as
	// rsync 3.5.0 left them while gluster reported success.
	h.damage = func(site string) {
		matches, _ := filepath.Glob(filepath.Join(site, "backup", "*", backupset.EtcdFile))
		for _, p := range append(matches, filepath.Join(site, "data", "d0", "f00.bin")) {
			if err := os.Truncate(p, 0); err != nil {
				t.Error(err)
			}
		}
	}
	h.eng.Schedule.SampleFiles = 100 // every volume file
	rep, err := h.eng.Run(ctx, RunOptions{})
	var se *StepError
	if !errors.As(err, &se) || se.Step != backupset.StepVerify {
		t.Fatalf("Run: %v, want a failed verify step", err)
	}
	var damaged *DamagedError
	if !errors.As(err, &damaged) || damaged.Target != "sdsc" {
		t.Errorf("Run: %T, want a DamagedError for sdsc: the CLI exits 3 on it", se.Err)
	}
	m := rep.Sets[0].Set
	msg := err.Error()
	for _, want := range []string{"step verify of backup set " + m.ID + " failed",
		"backup/" + m.ID + "/etcd.snapshot: size 0, want", "(arrived empty)", "data/d0/f00.bin: size 0, want 1000 (arrived empty)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not say %q:\n%s", want, msg)
		}
	}
	if rep.OK || rep.FailedStep != backupset.StepVerify || m.Status != retention.Failed || m.FailedStep != backupset.StepVerify {
		t.Errorf("report ok %v failed step %q; set %s failed at %q", rep.OK, rep.FailedStep, m.Status, m.FailedStep)
	}
	if got := m.Step(backupset.StepRetention).State; got != backupset.StateSkipped {
		t.Errorf("retention after a failed verification is %s, want skipped", got)
	}
	if h.cycles != 1 || m.Verification.Resent != nil {
		t.Errorf("a copy that lost user data was sent again (%d cycles): nothing of the set can cure it", h.cycles)
	}
	if m.Verification.Etcd.OK || m.Verification.Errors < 2 {
		t.Errorf("verification: %+v", m.Verification)
	}
	entries, _ := journal.ReadFile(ctx, remote.LocalFiles{}, JournalPath(h.eng.Schedule))
	if len(entries) != 1 || entries[0].Verified() || entries[0].FailedStep != backupset.StepVerify {
		t.Errorf("journal: %+v", entries)
	}
}

// TestRunResendsSetFilesLostInTransit: when only files of the set arrive
// damaged (gsyncd has left one short in a session's first cycle), the verify
// step rewrites just those on the primary, runs one more cycle and passes.
func TestRunResendsSetFilesLostInTransit(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.damage = func(site string) {
		h.damage = nil // the first cycle only
		// The sets, not the lease.
		sets, _ := filepath.Glob(filepath.Join(site, "backup", "2*"))
		if len(sets) != 1 {
			t.Fatalf("sets at the site: %v", sets)
		}
		must(t, os.WriteFile(filepath.Join(sets[0], backupset.MetaFile), nil, 0o644))
		must(t, os.Truncate(filepath.Join(sets[0], backupset.EtcdFile), 100))
		must(t, os.Remove(filepath.Join(sets[0], backupset.ProvisioningFile)))
	}
	var before map[string]os.FileInfo
	h.onReplicate = func(context.Context) error {
		if before == nil {
			before = statSet(t, h.primary)
		}
		return nil
	}
	rep, err := h.eng.Run(ctx, RunOptions{})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, h.logs)
	}
	m := rep.Sets[0].Set
	v := m.Verification
	if !rep.OK || m.Status != retention.Verified || h.cycles != 2 || v.Resent == nil {
		t.Fatalf("ok %v, set %s after %d cycles, verification %+v", rep.OK, m.Status, h.cycles, v)
	}
	rel := "backup/" + m.ID + "/"
	// In the order the first verification reported them.
	want := []string{rel + backupset.EtcdFile, rel + backupset.ProvisioningFile, rel + backupset.MetaFile}
	if strings.Join(v.Resent.Files, " ") != strings.Join(want, " ") {
		t.Errorf("resent %v, want %v", v.Resent.Files, want)
	}
	for _, say := range []string{rel + "set.json: not readable at the target (0 bytes)", rel + "etcd.snapshot: size 100, want",
		rel + "provisioning.json: missing at the target"} {
		if !strings.Contains(v.Resent.FirstProblem, say) {
			t.Errorf("the first problem does not say %q:\n%s", say, v.Resent.FirstProblem)
		}
	}
	// Only the damaged files were rewritten on the primary; the one missing
	// at the site was re-created, keeping its private mode.
	after := statSet(t, h.primary)
	for name, b := range before {
		a := after[name]
		rewritten := !a.ModTime().Equal(b.ModTime()) || !os.SameFile(a, b)
		if damaged := name == backupset.EtcdFile || name == backupset.ProvisioningFile; rewritten != damaged && name != backupset.MetaFile {
			t.Errorf("%s rewritten %v on the primary", name, rewritten)
		}
	}
	if os.SameFile(before[backupset.ProvisioningFile], after[backupset.ProvisioningFile]) || after[backupset.ProvisioningFile].Mode().Perm() != 0o600 {
		t.Errorf("provisioning.json on the primary: same inode %v, mode %v",
			os.SameFile(before[backupset.ProvisioningFile], after[backupset.ProvisioningFile]), after[backupset.ProvisioningFile].Mode())
	}
	if !strings.Contains(h.logs.String(), "sending them once more") {
		t.Errorf("the resend is not in the log:\n%s", h.logs)
	}
}

// statSet stats the files of the one set on the primary, by name.
func statSet(t *testing.T, primary string) map[string]os.FileInfo {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(primary, "backup", "2*", "*")) // not the lease
	infos := map[string]os.FileInfo{}
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		infos[filepath.Base(f)] = info
	}
	return infos
}

func TestSecondRunIsRefused(t *testing.T) {
	h := newHarness(t)
	lock, err := runlock.Acquire(h.eng.Schedule.LockFile, "glusterdr run --schedule x")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	rep, err := h.eng.Run(context.Background(), RunOptions{})
	var held *runlock.HeldError
	if !errors.As(err, &held) || held.Holder.PID != os.Getpid() {
		t.Fatalf("Run while locked: %v", err)
	}
	if rep.OK || !strings.Contains(rep.Error, "another run holds the lock") || rep.Changed {
		t.Errorf("report: %+v", rep)
	}
	if entries, _ := os.ReadDir(filepath.Join(h.primary, "backup")); len(entries) != 0 {
		t.Errorf("a refused run opened a set: %v", entries)
	}
}

func TestInterruptedRunIsResumed(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	h.onReplicate = func(ctx context.Context) error {
		cancel() // SIGTERM in the middle of the checkpoint wait
		return ctx.Err()
	}
	rep, err := h.eng.Run(ctx, RunOptions{})
	var se *StepError
	if !errors.As(err, &se) || !se.Interrupted || se.Step != backupset.StepReplicate {
		t.Fatalf("interrupted Run: %v", err)
	}
	id := rep.Sets[0].Set.ID
	m, err := h.eng.Store().Read(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != retention.Pending || m.NextStep() != backupset.StepReplicate {
		t.Fatalf("after the interruption: %s, next %s", m.Status, m.NextStep())
	}

	h.onReplicate = nil
	rep, err = h.eng.Run(context.Background(), RunOptions{})
	if err != nil {
		t.Fatalf("resumed Run: %v\n%s", err, h.logs)
	}
	if len(rep.Sets) != 1 || rep.Sets[0].Set.ID != id || rep.Sets[0].Action != ActionResumed ||
		strings.Join(rep.Sets[0].Ran, ",") != "replicate,verify,restore-point,retention,record" {
		t.Fatalf("resumed: %+v", rep.Sets)
	}
	if m := rep.Sets[0].Set; m.Status != retention.Verified || m.Step(backupset.StepReplicate).Attempts != 2 {
		t.Errorf("resumed set: %s, attempts %d", m.Status, m.Step(backupset.StepReplicate).Attempts)
	}
	entries, _ := journal.ReadFile(context.Background(), remote.LocalFiles{}, JournalPath(h.eng.Schedule))
	if len(entries) != 1 || !entries[0].Resumed {
		t.Errorf("journal: %+v", entries)
	}
}

// TestKilledRunIsResumed leaves set.json as SIGKILL leaves it: a step
// running, nothing after it.
func TestKilledRunIsResumed(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.eng.Run(ctx, RunOptions{Step: backupset.StepOpen}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.Run(ctx, RunOptions{Step: backupset.StepFill}); err != nil {
		t.Fatal(err)
	}
	listing, _ := h.eng.Store().List(ctx)
	m := listing.Sets[0]
	m.Begin(backupset.StepReplicate, h.eng.now())
	if err := h.eng.Store().Write(ctx, m); err != nil {
		t.Fatal(err)
	}
	plan, err := h.eng.Run(ctx, RunOptions{Plan: true})
	if err != nil || len(plan.Planned) != 1 || plan.Planned[0].Action != ActionResumed || plan.Planned[0].Set != m.ID {
		t.Fatalf("plan: %+v %v", plan.Planned, err)
	}
	rep, err := h.eng.Run(ctx, RunOptions{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rep.Sets[0].Action != ActionResumed || rep.Sets[0].Set.Status != retention.Verified || h.cycles != 1 {
		t.Errorf("resumed %+v, cycles %d", rep.Sets[0], h.cycles)
	}
	// The killed run may have left the session started: it is stopped
	// before anything else, once.
	if len(h.stopped) != 1 || !strings.Contains(h.stopped[0], "::global-dr") {
		t.Errorf("sessions stopped after the killed run: %q", h.stopped)
	}
}

// TestKilledRunLeavesNoSessionStarted: a set abandoned after a run was
// killed in its replicate step still gets its session stopped, and a step
// run on its own after such a kill stops it first; a set whose steps ended
// any other way is not touched.
func TestKilledRunLeavesNoSessionStarted(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	now := time.Now().UTC()
	h.eng.Now = func() time.Time { return now.Add(-48 * time.Hour) }
	for _, step := range []string{backupset.StepOpen, backupset.StepFill} {
		if _, err := h.eng.Run(ctx, RunOptions{Step: step, Target: "tacc"}); err != nil {
			t.Fatal(err)
		}
	}
	h.eng.Now = nil
	listing, _ := h.eng.Store().List(ctx)
	m := listing.Sets[0]
	m.Begin(backupset.StepReplicate, now.Add(-47*time.Hour))
	must(t, h.eng.Store().Write(ctx, m))
	rep, err := h.eng.Run(ctx, RunOptions{})
	if err != nil || rep.Sets[0].Action != ActionAbandon {
		t.Fatalf("run after the kill: %v %+v", err, rep.Sets)
	}
	if len(h.stopped) != 1 || !strings.Contains(h.stopped[0], "tacc1::global-dr") {
		t.Fatalf("sessions stopped for the abandoned set: %q", h.stopped)
	}

	// The run went on to tonight's set, whose steps all ended cleanly.
	if len(rep.Sets) != 2 || rep.Sets[1].Set.Status != retention.Verified || len(h.stopped) != 1 {
		t.Fatalf("tonight's set: %+v, sessions stopped %q", rep.Sets, h.stopped)
	}

	h.stopped = nil
	for _, step := range []string{backupset.StepOpen, backupset.StepFill} {
		if _, err := h.eng.Run(ctx, RunOptions{Step: step, Target: "tacc"}); err != nil {
			t.Fatal(err)
		}
	}
	listing, _ = h.eng.Store().List(ctx)
	m = backupset.Newest(listing.Sets, func(m *backupset.Meta) bool { return m.Target == "tacc" })
	m.Begin(backupset.StepReplicate, h.eng.now())
	must(t, h.eng.Store().Write(ctx, m))
	if _, err := h.eng.Run(ctx, RunOptions{Step: backupset.StepReplicate, Set: m.ID}); err != nil {
		t.Fatal(err)
	}
	if len(h.stopped) != 1 || !strings.Contains(h.stopped[0], "tacc1::global-dr") {
		t.Errorf("sessions stopped before the step run again: %q", h.stopped)
	}
}

// TestRunDeadline: a run that reaches run_timeout in the middle of a
// checkpoint wait that never ends by itself ends with an error naming the
// deadline; the step stays pending, the lock is free, and the next run
// resumes the set and verifies it.
func TestRunDeadline(t *testing.T) {
	h := newHarness(t)
	h.eng.Schedule.RunTimeout = 500 * time.Millisecond
	h.onReplicate = func(ctx context.Context) error {
		<-ctx.Done() // a wait that only the deadline ends
		return fmt.Errorf("waiting for the checkpoint: %w", ctx.Err())
	}
	rep, err := h.eng.Run(context.Background(), RunOptions{})
	var se *StepError
	var de *DeadlineError
	if !errors.As(err, &se) || !se.Interrupted || se.Step != backupset.StepReplicate || !errors.As(err, &de) {
		t.Fatalf("Run past its deadline: %v", err)
	}
	if want := "was interrupted (the run reached its deadline, run_timeout = 500ms: waiting for the checkpoint: context deadline exceeded); the next run resumes it there"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
	if rep.OK || rep.FailedStep != backupset.StepReplicate {
		t.Errorf("report: ok %t, failed step %q", rep.OK, rep.FailedStep)
	}
	id := rep.Sets[0].Set.ID
	m, err := h.eng.Store().Read(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != retention.Pending || m.NextStep() != backupset.StepReplicate ||
		!strings.Contains(m.Step(backupset.StepReplicate).Error, "run_timeout = 500ms") {
		t.Fatalf("after the deadline: %s, next %s, error %q", m.Status, m.NextStep(), m.Step(backupset.StepReplicate).Error)
	}
	lock, err := runlock.Acquire(h.eng.Schedule.LockFile, "test")
	if err != nil {
		t.Fatalf("the lock after the deadline: %v", err)
	}
	must(t, lock.Release())

	h.onReplicate = nil
	h.eng.Schedule.RunTimeout = time.Minute
	rep, err = h.eng.Run(context.Background(), RunOptions{})
	if err != nil || rep.Sets[0].Set.ID != id || rep.Sets[0].Action != ActionResumed || rep.Sets[0].Set.Status != retention.Verified {
		t.Fatalf("resumed after the deadline: %v %+v", err, rep.Sets)
	}
}

// TestRunDeadlineOutsideAStep: a deadline that passes while no step runs
// (here before the run starts listing the sets) still names itself.
func TestRunDeadlineOutsideAStep(t *testing.T) {
	h := newHarness(t)
	h.eng.Schedule.RunTimeout = time.Nanosecond
	_, err := h.eng.Run(context.Background(), RunOptions{})
	var de *DeadlineError
	if !errors.As(err, &de) || !strings.HasPrefix(err.Error(), "the run reached its deadline, run_timeout = 1ns: ") {
		t.Fatalf("Run: %v", err)
	}
}

// TestRunDeadlineBetweenSteps: a deadline that passes as a step completes
// interrupts the next step before it does anything, naming the deadline,
// and leaves it pending (here the lab saw it in retention).
func TestRunDeadlineBetweenSteps(t *testing.T) {
	h := newHarness(t)
	h.eng.Schedule.RunTimeout = 3 * time.Second // open and fill fit in it even on a loaded machine
	h.onReplicate = func(ctx context.Context) error {
		<-ctx.Done() // the cycle completes just as the deadline passes
		return nil
	}
	rep, err := h.eng.Run(context.Background(), RunOptions{})
	var se *StepError
	var de *DeadlineError
	if !errors.As(err, &se) || !se.Interrupted || se.Step != backupset.StepVerify || !errors.As(err, &de) {
		t.Fatalf("Run past its deadline: %v", err)
	}
	m, err := h.eng.Store().Read(context.Background(), rep.Sets[0].Set.ID)
	if err != nil || m.Step(backupset.StepReplicate).State != backupset.StateDone || m.NextStep() != backupset.StepVerify ||
		m.Status != retention.Pending {
		t.Fatalf("the set after the deadline: %+v, %v", m, err)
	}
}

// TestVerifyThatCouldNotRunIsNotDamage: a verification that could not be
// carried out (the mount at the target refused) fails the step, but does
// not say the copy is damaged: the CLI exits 1 for it, not 3.
func TestVerifyThatCouldNotRunIsNotDamage(t *testing.T) {
	h := newHarness(t)
	h.eng.Mount = func(context.Context, remote.Runner, string, string) (string, func(context.Context) error, error) {
		return "", nil, errors.New("mount.glusterfs: transport endpoint is not connected")
	}
	_, err := h.eng.Run(context.Background(), RunOptions{})
	var se *StepError
	var damaged *DamagedError
	if !errors.As(err, &se) || se.Step != backupset.StepVerify || errors.As(err, &damaged) {
		t.Fatalf("Run: %v (%T), want a failed verify step that is no DamagedError", err, err)
	}
	if !strings.Contains(err.Error(), "transport endpoint is not connected") {
		t.Errorf("the error does not say why: %v", err)
	}
}
