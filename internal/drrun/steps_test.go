package drrun

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// TestStepByStep runs the cycle the way the Ansible collection does: one
// process per step.
func TestStepByStep(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	run := func(o RunOptions) (*Report, error) { return h.eng.Run(ctx, o) }

	if _, err := run(RunOptions{Step: backupset.StepReplicate}); err == nil || !strings.Contains(err.Error(), "no unfinished backup set") {
		t.Fatalf("replicate without a set: %v", err)
	}
	rep, err := run(RunOptions{Step: backupset.StepOpen, Target: "tacc"})
	if err != nil || rep.Sets[0].Set.Target != "tacc" {
		t.Fatalf("open: %v %+v", err, rep)
	}
	id := rep.Sets[0].Set.ID
	_, err = run(RunOptions{Step: backupset.StepReplicate, Set: id})
	if err == nil || !strings.Contains(err.Error(), "needs step fill first, which is pending; run it with --step fill --set "+id) {
		t.Errorf("replicate before fill: %v", err)
	}
	if _, err := run(RunOptions{Step: backupset.StepRetention, Set: id}); err == nil || !strings.Contains(err.Error(), "not verified") {
		t.Errorf("retention before verification: %v", err)
	}
	for _, step := range []string{backupset.StepFill, backupset.StepReplicate} {
		if rep, err := run(RunOptions{Step: step, Set: id}); err != nil || !rep.Changed || rep.Sets[0].Action != ActionStepped {
			t.Fatalf("step %s: %v %+v", step, err, rep)
		}
	}
	// Verification fails (the manifest arrives empty, even when sent once
	// more), and is retried once the copy is sound again.
	manifestAtSite := filepath.Join(h.sites["tacc"], "backup", id, backupset.ManifestFile)
	emptyManifest := func(string) {
		if err := os.WriteFile(manifestAtSite, nil, 0o644); err != nil {
			t.Error(err)
		}
	}
	emptyManifest("tacc")
	h.damage = emptyManifest
	_, err = run(RunOptions{Step: backupset.StepVerify})
	if err == nil || !strings.Contains(err.Error(), "backup/"+id+"/manifest.json: size 0, want") ||
		!strings.Contains(err.Error(), "after sending 1 of the set's files once more") {
		t.Fatalf("verify of a copy whose manifest arrives empty: %v", err)
	}
	if m, _ := h.eng.Store().Read(ctx, id); m.Status != retention.Failed {
		t.Fatalf("set after a failed verification: %s", m.Status)
	}
	h.damage = nil
	for _, step := range []string{backupset.StepVerify, backupset.StepRestorePoint, backupset.StepRetention, backupset.StepRecord} {
		if _, err := run(RunOptions{Step: step, Set: id}); err != nil {
			t.Fatalf("step %s: %v", step, err)
		}
	}
	m, _ := h.eng.Store().Read(ctx, id)
	if m.Status != retention.Verified || m.NextStep() != "" || m.Step(backupset.StepVerify).Attempts != 2 {
		t.Errorf("set: %s, next %q, verify attempts %d", m.Status, m.NextStep(), m.Step(backupset.StepVerify).Attempts)
	}
	rep, err = run(RunOptions{Step: backupset.StepVerify, Set: id})
	if err != nil || rep.Changed || rep.Sets[0].Action != ActionNone {
		t.Errorf("a step that is done: %v %+v", err, rep)
	}
}

// TestPlanChangesNothing checks --plan in every situation against the bytes
// on disk.
func TestPlanChangesNothing(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	before := treeHash(t, h.root)
	rep, err := h.eng.Run(ctx, RunOptions{Plan: true})
	if err != nil || !rep.Plan || len(rep.Planned) != 1 || rep.Planned[0].Action != ActionOpened || rep.Planned[0].Target != "sdsc" {
		t.Fatalf("plan: %v %+v", err, rep)
	}
	if rep.Retention == nil || rep.Retention.Applied {
		t.Errorf("plan's retention: %+v", rep.Retention)
	}
	for _, step := range backupset.Steps[1:] {
		if _, err := h.eng.Run(ctx, RunOptions{Plan: true, Step: step}); err == nil {
			t.Errorf("plan of step %s without a set succeeded", step)
		}
	}
	planned, err := h.eng.Run(ctx, RunOptions{Plan: true, Step: backupset.StepFill, Set: rep.Planned[0].Set})
	if err != nil || !planned.Changed || planned.Planned[0].Set != rep.Planned[0].Set {
		t.Errorf("plan of a step on the set a planned open would make: %v %+v", err, planned)
	}
	if after := treeHash(t, h.root); after != before {
		t.Error("--plan changed files")
	}
}

// TestAbandonedSet: a pending set older than the resume window is failed
// and recorded, and tonight's set is opened as usual.
func TestAbandonedSet(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	now := time.Now().UTC()
	h.eng.Now = func() time.Time { return now.Add(-48 * time.Hour) }
	if _, err := h.eng.Run(ctx, RunOptions{Step: backupset.StepOpen}); err != nil {
		t.Fatal(err)
	}
	h.eng.Now = nil
	rep, err := h.eng.Run(ctx, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sets) != 2 || rep.Sets[0].Action != ActionAbandon || rep.Sets[0].Set.Status != retention.Failed ||
		strings.Join(rep.Sets[0].Ran, ",") != backupset.StepRecord || rep.Sets[1].Action != ActionOpened || rep.Sets[1].Set.Status != retention.Verified {
		t.Errorf("sets: %+v / %+v", rep.Sets[0], rep.Sets[1])
	}
	if e := rep.Sets[0].Set.Step(backupset.StepFill).Error; !strings.Contains(e, "abandoned: interrupted at step fill more than 36h0m0s ago") {
		t.Errorf("abandoned step error: %q", e)
	}
}

// TestRetentionOverSixtyNights runs sixty nights, a day apart, alternating
// between the sites, and checks that each keeps exactly N dailies and M
// weeklies, its newest set verified.
func TestRetentionOverSixtyNights(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.eng.Schedule.Etcd, h.eng.Schedule.Provisioning, h.eng.Schedule.SampleFiles = nil, nil, 0
	for i := range h.eng.Schedule.Targets { // points with their sets: TestRetentionDeletesPointsWithTheirSets
		h.eng.Schedule.Targets[i].RestorePoints.Method = schedule.PointsNone
	}
	first := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)
	for night := range 60 {
		h.eng.Now = func() time.Time { return first.Add(time.Duration(night) * 24 * time.Hour) }
		if _, err := h.eng.Run(ctx, RunOptions{}); err != nil {
			t.Fatalf("night %d: %v", night, err)
		}
	}
	listing, err := h.eng.Store().List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := h.eng.Schedule.Retention
	tiers := map[string]map[retention.Tier]int{}
	for _, m := range listing.Sets {
		if tiers[m.Target] == nil {
			tiers[m.Target] = map[retention.Tier]int{}
		}
		tiers[m.Target][m.Tier]++
		if m.Status != retention.Verified {
			t.Errorf("set %s is %s", m.ID, m.Status)
		}
	}
	for _, target := range []string{"sdsc", "tacc"} {
		got := tiers[target]
		if got[retention.Daily] != p.Daily || got[retention.Weekly] != p.Weekly || len(got) != 2 {
			t.Errorf("%s keeps %v, want %d daily and %d weekly", target, got, p.Daily, p.Weekly)
		}
	}
	if n := len(listing.Sets); n != 2*(p.Daily+p.Weekly) {
		t.Errorf("%d sets kept, want %d", n, 2*(p.Daily+p.Weekly))
	}
	newest := listing.Sets[len(listing.Sets)-1]
	if want := retention.FolderName(first.Add(59*24*time.Hour), "tacc"); newest.ID != want {
		t.Errorf("newest set %s, want %s", newest.ID, want)
	}
}

func TestSafeToDelete(t *testing.T) {
	night := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	older, newer := backupset.New(night, "sdsc", "", ""), backupset.New(night.Add(24*time.Hour), "sdsc", "", "")
	older.Status, newer.Status = retention.Verified, retention.Verified
	byID := map[string]*backupset.Meta{older.ID: older, newer.ID: newer}
	if err := safeToDelete([]Decision{{ID: older.ID}}, byID, nil); err != nil {
		t.Errorf("deleting an older verified set: %v", err)
	}
	if err := safeToDelete([]Decision{{ID: newer.ID}}, byID, nil); err == nil || !strings.Contains(err.Error(), "newest verified set of sdsc") {
		t.Errorf("deleting the newest verified set: %v", err)
	}
	if err := safeToDelete([]Decision{{ID: older.ID}}, byID, older); err == nil || !strings.Contains(err.Error(), "the set this run is working on") {
		t.Errorf("deleting the current set: %v", err)
	}
	if err := safeToDelete([]Decision{{ID: "20200101T000000Z-x"}}, byID, nil); err == nil {
		t.Error("deleting an unlisted set")
	}
}

func TestMetricsParse(t *testing.T) {
	h := newHarness(t)
	if _, err := h.eng.Run(context.Background(), RunOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(h.eng.Schedule.MetricsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(f)
	if err != nil {
		t.Fatalf("the textfile does not parse: %v", err)
	}
	for _, name := range []string{"glusterdr_last_success_timestamp_seconds", "glusterdr_rpo_seconds", "glusterdr_last_run_duration_seconds",
		"glusterdr_last_run_bytes", "glusterdr_last_run_success", "glusterdr_verified_copies"} {
		if families[name] == nil {
			t.Errorf("no %s", name)
		}
	}
	if n := len(families["glusterdr_last_success_timestamp_seconds"].GetMetric()); n != 1 {
		t.Errorf("%d last-success series after one verified set, want 1 (tacc has none)", n)
	}
}

// treeHash hashes every path, mode and content under root.
func treeHash(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %v %d\n", p, info.Mode(), info.Size())
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(data)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
