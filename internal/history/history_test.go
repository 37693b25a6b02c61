package history

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

var t0 = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

func entry(set, target, result string, at time.Time) journal.Entry {
	return journal.Entry{Time: at, Set: set, Target: target, Result: result, Started: at.Add(-time.Minute), Seconds: 60}
}

func setDir(t *testing.T, backup, id string) string {
	t.Helper()
	dir := filepath.Join(backup, id)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The records written by AddRun and AddDrill read back, per set, into the
// journal and the drill log in the controller's order.
func TestRecordsReadBackAsTheJournal(t *testing.T) {
	ctx := context.Background()
	files := remote.LocalFiles{}
	backup := t.TempDir()
	a, b := "20261124T020000Z-sdsc", "20261125T020000Z-tacc"
	ea := entry(a, "sdsc", journal.ResultVerified, t0.Add(-24*time.Hour))
	eb1 := entry(b, "tacc", journal.ResultFailed, t0)
	eb2 := entry(b, "tacc", journal.ResultVerified, t0.Add(time.Hour)) // retried
	d := drill.Record{Time: t0.Add(2 * time.Hour), Site: "sdsc", Set: a, Passed: true, RTOSeconds: 12}
	for _, w := range []struct {
		dir string
		en  journal.Entry
	}{{setDir(t, backup, a), ea}, {setDir(t, backup, b), eb1}, {setDir(t, backup, b), eb2}} {
		if err := AddRun(ctx, files, w.dir, w.en); err != nil {
			t.Fatal(err)
		}
	}
	if err := AddDrill(ctx, files, filepath.Join(backup, a), d); err != nil {
		t.Fatal(err)
	}
	setDir(t, backup, "20261123T020000Z-sdsc") // a set from before records
	setDir(t, backup, "not-a-set")

	f, err := ReadFolder(ctx, files, backup)
	if err != nil {
		t.Fatal(err)
	}
	entries, drills := f.Journal()
	if diff := cmp.Diff([]journal.Entry{ea, eb1, eb2}, entries); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]drill.Record{d}, drills); diff != "" {
		t.Errorf("drills (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"20261123T020000Z-sdsc"}, f.Missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
	info, err := os.Stat(filepath.Join(backup, a, FileName))
	if err != nil || info.Mode().Perm() != Mode {
		t.Errorf("record.json: %v, mode %v", err, info.Mode())
	}
}

// A copy of the folder whose records lag (a site's) merges with a fuller
// one; a damaged record is named, never read as empty.
func TestMergeAndDamage(t *testing.T) {
	ctx := context.Background()
	files := remote.LocalFiles{}
	primary, site := t.TempDir(), t.TempDir()
	id := "20261125T020000Z-tacc"
	must(t, AddRun(ctx, files, setDir(t, site, id), entry(id, "tacc", journal.ResultVerified, t0)))
	must(t, AddRun(ctx, files, setDir(t, primary, id), entry(id, "tacc", journal.ResultVerified, t0)))
	must(t, AddDrill(ctx, files, filepath.Join(primary, id), drill.Record{Time: t0, Site: "tacc", Set: id, Passed: true}))
	newer := "20261126T020000Z-sdsc"
	setDir(t, site, newer) // its record has not reached the site yet
	must(t, AddRun(ctx, files, setDir(t, primary, newer), entry(newer, "sdsc", journal.ResultVerified, t0.Add(24*time.Hour))))

	fs, err := ReadFolder(ctx, files, site)
	must(t, err)
	fp, err := ReadFolder(ctx, files, primary)
	must(t, err)
	m := Merge(fs, fp)
	entries, drills := m.Journal()
	if len(entries) != 2 || len(drills) != 1 || len(m.Missing) != 0 {
		t.Errorf("merged: %d entries, %d drills, missing %v", len(entries), len(drills), m.Missing)
	}

	dmg := "20261127T020000Z-sdsc"
	must(t, os.WriteFile(filepath.Join(setDir(t, site, dmg), FileName), []byte(`{"set": "`), 0o644))
	fs, err = ReadFolder(ctx, files, site)
	must(t, err)
	if why := fs.Damaged[dmg]; !strings.Contains(why, "is damaged") {
		t.Errorf("damaged record: %q", why)
	}
	if f, err := ReadFolder(ctx, files, filepath.Join(site, "absent")); err != nil || len(f.Records) != 0 {
		t.Errorf("a missing backup folder: %v, %v", f, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
