package drrun

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glusterdr/terraform-provider-gluster/internal/history"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// nights runs n nightly cycles, a day apart, with their due drills.
func (h *harness) nights(t *testing.T, first time.Time, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		h.eng.Now = func() time.Time { return first.Add(time.Duration(i) * 24 * time.Hour) }
		rep, err := h.eng.Run(context.Background(), RunOptions{})
		if err != nil {
			t.Fatalf("night %d: %v\n%s", i, err, h.logs)
		}
		ids = append(ids, rep.Sets[0].Set.ID)
	}
	return ids
}

// statusJSON is the status as `glusterdr status --json` prints it, without
// the note that it was rebuilt.
func statusJSON(t *testing.T, st Status) string {
	t.Helper()
	st.Rebuilt = nil
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestHistorySurvivesTheController: after three nights and their drills,
// the controller's state_dir is deleted; status, built from the sets'
// records at the primary, is what it was, says it was rebuilt, and the
// next run puts the history back into the state_dir and adds to it.
func TestHistorySurvivesTheController(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	first := time.Now().Add(-3 * 24 * time.Hour).UTC()
	ids := h.nights(t, first, 3)
	now := first.Add(3 * 24 * time.Hour)

	before, hb, err := h.eng.Status(ctx, now)
	if err != nil || before.Rebuilt != nil {
		t.Fatalf("status with the state_dir: %v, rebuilt %+v", err, before.Rebuilt)
	}
	if len(hb.Entries) != 3 || len(hb.Drills) != 2 {
		t.Fatalf("the nights left %d entries and %d drills, want 3 and 2 (one first drill per site)", len(hb.Entries), len(hb.Drills))
	}
	for _, id := range ids {
		r, err := history.Read(ctx, h.eng.Store().Files, h.eng.Store().Path(id))
		if err != nil || r == nil || len(r.Runs) != 1 || r.Runs[0].Set != id {
			t.Fatalf("record.json of %s: %+v, %v", id, r, err)
		}
	}

	must(t, os.RemoveAll(h.eng.Schedule.StateDir))
	after, ha, err := h.eng.Status(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(statusJSON(t, before), statusJSON(t, after)); diff != "" {
		t.Errorf("status rebuilt from the sets (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(hb.Entries, ha.Entries); diff != "" {
		t.Errorf("journal (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(hb.Drills, ha.Drills); diff != "" {
		t.Errorf("drill log (-before +after):\n%s", diff)
	}
	rb := after.Rebuilt
	if rb == nil || rb.From[0] != "p1:"+h.eng.Schedule.Primary.BackupDir || rb.Sets != 3 || rb.Records != 3 ||
		rb.Entries != 3 || rb.Drills != 2 || len(rb.Unrecorded)+len(rb.FromSetJSON)+len(rb.Problems) != 0 {
		t.Errorf("rebuilt: %+v", rb)
	}
	if _, err := os.Stat(JournalPath(h.eng.Schedule)); err == nil {
		t.Error("status wrote the journal: it must change nothing")
	}

	// The next run restores the state_dir, then records its own night.
	h.nights(t, now, 1)
	entries, err := journal.ReadFile(ctx, remote.LocalFiles{}, JournalPath(h.eng.Schedule))
	if err != nil || len(entries) != 4 || !cmp.Equal(entries[:3], hb.Entries) {
		t.Errorf("the journal after the next run: %d entries, %v", len(entries), err)
	}
}

// TestHistoryFromTheSites: with the primary's backup folder gone, the
// history is rebuilt from the sites' copies. A record reaches a site with
// a later night's cycle, so the newest night is not on record there, and
// the rebuild says so.
func TestHistoryFromTheSites(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	first := time.Now().Add(-3 * 24 * time.Hour).UTC()
	ids := h.nights(t, first, 3) // sdsc, tacc, sdsc
	now := first.Add(3 * 24 * time.Hour)
	_, hb, err := h.eng.Status(ctx, now)
	must(t, err)

	must(t, os.RemoveAll(h.eng.Schedule.StateDir))
	backup := h.eng.Schedule.Primary.BackupDir
	must(t, os.Rename(backup, backup+".away"))
	write(t, backup, "not a folder") // the primary's folder cannot be listed
	st, ha, err := h.eng.Status(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	rb := st.Rebuilt
	if rb == nil || len(rb.From) != 2 || len(rb.Problems) != 1 {
		t.Fatalf("rebuilt: %+v", rb)
	}
	if diff := cmp.Diff(hb.Entries[:2], ha.Entries); diff != "" {
		t.Errorf("the journal from the sites (-the first two nights +rebuilt):\n%s", diff)
	}
	if diff := cmp.Diff([]string{ids[2]}, rb.Unrecorded); diff != "" {
		t.Errorf("unrecorded (-want +got):\n%s", diff)
	}
	if st.Targets[1].LastVerified == nil || st.Targets[1].LastVerified.Set != ids[1] || st.VerifiedCopies != 2 {
		t.Errorf("tacc's verified copy from the sites: %+v, copies %d", st.Targets[1].LastVerified, st.VerifiedCopies)
	}
}

// TestHistoryWithNothingToReadIsEmpty: a controller without a journal that
// reaches nothing shows no history, and says why, rather than failing.
func TestHistoryWithNothingToReadIsEmpty(t *testing.T) {
	h := newHarness(t)
	backup := h.eng.Schedule.Primary.BackupDir
	write(t, backup, "not a folder")
	h.eng.Mount = func(context.Context, remote.Runner, string, string) (string, func(context.Context) error, error) {
		return "", nil, os.ErrPermission
	}
	st, _, err := h.eng.Status(context.Background(), time.Now())
	if err != nil || st.Rebuilt == nil || st.Rebuilt.Failed == "" || st.LastRun != nil {
		t.Fatalf("status: %v, %+v", err, st.Rebuilt)
	}
}

// TestHistoryOfANewDeployment: no journal and no sets is a new deployment,
// not a lost controller: nothing was rebuilt, and status says nothing of it.
func TestHistoryOfANewDeployment(t *testing.T) {
	h := newHarness(t)
	st, _, err := h.eng.Status(context.Background(), time.Now())
	if err != nil || st.Rebuilt != nil || st.LastRun != nil {
		t.Fatalf("status of a new deployment: %v, rebuilt %+v", err, st.Rebuilt)
	}
}
