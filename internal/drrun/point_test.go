package drrun

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// TestRunMakesAVerifiedRestorePoint: a night ends with a point of the whole
// site volume, named after the set, that holds the set and was checked
// against the manifest and the verification sample.
func TestRunMakesAVerifiedRestorePoint(t *testing.T) {
	h := newHarness(t)
	rep, err := h.eng.Run(context.Background(), RunOptions{})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, h.logs)
	}
	m := rep.Sets[0].Set
	p := m.RestorePoint
	store := filepath.Join(h.root, "points", m.Target)
	if p == nil || p.Method != "link-tree" || p.Location != filepath.Join(store, m.ID) || p.Node != "sdsc2" || p.Files < 30 || p.Bytes == 0 {
		t.Fatalf("restore point: %+v", p)
	}
	if v := p.Verification; v == nil || !v.Verified || v.Entries != m.Verification.Entries || v.Sample != 5 || v.Errors != 0 {
		t.Errorf("point verification: %+v", v)
	}
	if _, err := os.Stat(filepath.Join(p.Location, "backup", m.ID, backupset.EtcdFile)); err != nil {
		t.Errorf("the point lacks the set's etcd snapshot: %v", err)
	}
	if _, err := os.Stat(filepath.Join(p.Location, "data", "d0", "f00.bin")); err != nil {
		t.Errorf("the point lacks volume data: %v", err)
	}
	if got := m.Step(backupset.StepRestorePoint); got.State != backupset.StateDone {
		t.Errorf("step %+v", got)
	}
}

// TestAPointThatDiffersFailsTheNight: the site's copy is damaged after
// verification, before the point: the point is not kept, the set fails and
// retention deletes nothing.
func TestAPointThatDiffersFailsTheNight(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	run := func(o RunOptions) (*Report, error) { return h.eng.Run(ctx, o) }
	first := time.Now().Add(-24 * time.Hour)
	h.eng.Now = func() time.Time { return first }
	if _, err := run(RunOptions{Target: "sdsc"}); err != nil { // an earlier good night
		t.Fatal(err)
	}
	h.eng.Now = nil
	rep, err := run(RunOptions{Step: backupset.StepOpen, Target: "sdsc"})
	if err != nil {
		t.Fatal(err)
	}
	id := rep.Sets[0].Set.ID
	for _, step := range []string{backupset.StepFill, backupset.StepReplicate, backupset.StepVerify} {
		if _, err := run(RunOptions{Step: step, Set: id}); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	write(t, filepath.Join(h.sites["sdsc"], "backup", id, backupset.ProvisioningFile), "tampered")
	_, err = run(RunOptions{Step: backupset.StepRestorePoint, Set: id})
	if err == nil || !strings.Contains(err.Error(), "the restore point of "+id+" at sdsc is not what was verified") ||
		!strings.Contains(err.Error(), "backup/"+id+"/provisioning.json: size 8") {
		t.Fatalf("restore-point step: %v", err)
	}
	m, _ := h.eng.Store().Read(ctx, id)
	if m.Status != retention.Failed || m.RestorePoint != nil || m.Step(backupset.StepRetention).State != backupset.StateSkipped {
		t.Errorf("set after a bad point: %s, point %+v, retention %s", m.Status, m.RestorePoint, m.Step(backupset.StepRetention).State)
	}
	entries, _ := os.ReadDir(filepath.Join(h.root, "points", "sdsc"))
	if len(entries) != 1 || entries[0].Name() == id || strings.HasSuffix(entries[0].Name(), ".part") {
		t.Errorf("store after a bad point: %v", entries)
	}
	if _, err := run(RunOptions{Step: backupset.StepRetention, Set: id}); err == nil {
		t.Error("retention ran after a failed night")
	}
}

// TestRetentionDeletesPointsWithTheirSets: over many nights the store holds
// exactly the points of the sets retention keeps; a point that cannot be
// deleted keeps its set, so that the two go together.
func TestRetentionDeletesPointsWithTheirSets(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.eng.Schedule.Etcd, h.eng.Schedule.Provisioning = nil, nil
	h.eng.Schedule.Retention = retention.Policy{Daily: 2, Weekly: 1}
	first := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)
	night := func(n int) {
		h.eng.Now = func() time.Time { return first.Add(time.Duration(n) * 24 * time.Hour) }
		if _, err := h.eng.Run(ctx, RunOptions{}); err != nil {
			t.Fatalf("night %d: %v", n, err)
		}
	}
	for n := range 12 {
		night(n)
	}
	listing, err := h.eng.Store().List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"sdsc", "tacc"} {
		var kept []string
		for _, m := range listing.Sets {
			if m.Target == target {
				if m.RestorePoint == nil {
					t.Errorf("set %s has no point", m.ID)
				}
				kept = append(kept, m.ID)
			}
		}
		if got := pointsIn(t, filepath.Join(h.root, "points", target)); !slices.Equal(got, kept) {
			t.Errorf("%s: store holds %v, the kept sets are %v", target, got, kept)
		}
	}

	// The oldest sdsc set's point now lives on a node that cannot be reached.
	var stuck *backupset.Meta
	for _, m := range listing.Sets {
		if m.Target == "sdsc" && m.Tier == retention.Daily {
			stuck = m
			break
		}
	}
	stuck.RestorePoint.Node, stuck.RestorePoint.Volume = "gone", "points"
	if err := h.eng.Store().Write(ctx, stuck); err != nil {
		t.Fatal(err)
	}
	for n := 12; n < 16; n++ {
		h.eng.Now = func() time.Time { return first.Add(time.Duration(n) * 24 * time.Hour) }
		_, _ = h.eng.Run(ctx, RunOptions{})
	}
	if m, err := h.eng.Store().Read(ctx, stuck.ID); err != nil || m.RestorePoint == nil {
		t.Errorf("the set whose point could not be deleted was deleted: %v", err)
	}
	if !strings.Contains(h.logs.String(), "deleting the restore point of "+stuck.ID) {
		t.Errorf("the failed deletion is not in the log")
	}
}

func pointsIn(t *testing.T, store string) []string {
	t.Helper()
	entries, err := os.ReadDir(store)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.Name())
	}
	return ids
}

func TestSafeToDeleteKeepsTheNewestPoint(t *testing.T) {
	night := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	older, newer := backupset.New(night, "sdsc", "", ""), backupset.New(night.Add(24*time.Hour), "sdsc", "", "")
	older.Status, newer.Status = retention.Verified, retention.Verified
	older.RestorePoint = &backupset.RestorePoint{Method: "link-tree", Node: "n", Location: "/p/" + older.ID}
	byID := map[string]*backupset.Meta{older.ID: older, newer.ID: newer}
	if err := safeToDelete([]Decision{{ID: older.ID}}, byID, nil); err == nil || !strings.Contains(err.Error(), "newest verified restore point of sdsc") {
		t.Errorf("deleting the only point: %v", err)
	}
}

// TestStatusAndMetricsShowThePoints: after two nights to one site, status
// (which reads only the controller) and the metrics show its points.
func TestStatusAndMetricsShowThePoints(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	first := time.Now().Add(-48 * time.Hour)
	for n := range 2 {
		h.eng.Now = func() time.Time { return first.Add(time.Duration(n) * 24 * time.Hour) }
		if _, err := h.eng.Run(ctx, RunOptions{Target: "sdsc"}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := LoadStatus(ctx, h.eng.Schedule, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := st.Targets[0].RestorePoints
	if p == nil || p.Count != 2 || p.Method != "link-tree" || p.Oldest.Set >= p.Newest.Set || p.BytesStored == 0 || p.BytesNewLatest == 0 ||
		p.BytesNewLatest >= p.BytesStored || st.Targets[1].RestorePoints != nil {
		t.Fatalf("status points: %+v (tacc %+v)", p, st.Targets[1].RestorePoints)
	}
	metrics, err := os.ReadFile(h.eng.Schedule.MetricsFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`glusterdr_restore_points{target="sdsc"} 2`, `glusterdr_restore_point_store_bytes{target="sdsc"} `,
		`glusterdr_restore_point_oldest_timestamp_seconds{target="sdsc"} `} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(string(metrics), `glusterdr_restore_points{target="tacc"}`) {
		t.Error("a site without points has a points series")
	}
}
