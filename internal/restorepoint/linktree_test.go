package restorepoint

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

type linkTree struct {
	t      *testing.T
	src    string // the secondary volume's contents
	store  string
	mounts *localMounts
	node   *site
	site   Site
}

func newLinkTree(t *testing.T) *linkTree {
	root := t.TempDir()
	lt := &linkTree{t: t, src: filepath.Join(root, "global-dr"), store: filepath.Join(root, "points"), node: newSite()}
	lt.mounts = &localMounts{volumes: map[string]string{"global-dr": lt.src}}
	lt.site = Site{Target: "sdsc", SecondaryVolume: "global-dr", Runner: lt.node, Mounts: lt.mounts,
		Points: schedule.RestorePoints{Method: schedule.PointsLinkTree, Node: "site1", Store: lt.store}}
	for i := range 20 {
		write(t, filepath.Join(lt.src, "data", "d"+string(rune('a'+i%3)), "f"+string(rune('a'+i))), strings.Repeat(string(rune('a'+i)), 1000*(i+1)))
	}
	write(t, filepath.Join(lt.src, "backup", "20261125T020000Z-sdsc", "manifest.json"), "{}")
	return lt
}

func (lt *linkTree) make(id string) *backupset.RestorePoint {
	lt.t.Helper()
	p, err := lt.site.Make(context.Background(), id, func(context.Context, remote.Runner, string) error { return nil })
	if err != nil {
		lt.t.Fatalf("Make %s: %v", id, err)
	}
	return p
}

const (
	idA = "20261125T020000Z-sdsc"
	idB = "20261126T020000Z-sdsc"
	idC = "20261127T020000Z-sdsc"
)

// TestOlderPointsNeverChange: point B, made after content, mode and mtime
// changes, a deletion and an addition at the site, is the whole new tree;
// point A is byte for byte, mode for mode and mtime for mtime what it was;
// B shares A's inodes exactly for the files nothing touched.
func TestOlderPointsNeverChange(t *testing.T) {
	lt := newLinkTree(t)
	a := lt.make(idA)
	if a.Location != filepath.Join(lt.store, idA) || a.Previous != "" || a.Files != 21 || a.BytesNew <= a.Bytes || a.Bytes == 0 || a.StoreBytes != a.BytesNew {
		t.Fatalf("point A: %+v", a)
	}
	before := snapshotTree(t, filepath.Join(lt.store, idA))

	old := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	write(t, filepath.Join(lt.src, "data", "da", "fa"), "garbage")                    // content
	must(t, os.Chmod(filepath.Join(lt.src, "data", "db", "fb"), 0o600))               // mode only
	must(t, os.Chtimes(filepath.Join(lt.src, "data", "dc", "fc"), old, old))          // mtime only
	must(t, os.Remove(filepath.Join(lt.src, "data", "da", "fd")))                     // deleted
	write(t, filepath.Join(lt.src, "data", "new", "added"), strings.Repeat("n", 500)) // added
	b := lt.make(idB)

	if got := snapshotTree(t, filepath.Join(lt.store, idA)); !sameExceptLinks(before, got) {
		t.Errorf("point A changed when B was made:\nbefore %v\nafter  %v", before, got)
	}
	now := snapshotTree(t, lt.src)
	pointB := snapshotTree(t, filepath.Join(lt.store, idB))
	for rel, want := range now {
		got, ok := pointB[rel]
		if !ok || got.sha != want.sha || got.mode != want.mode || !got.mtime.Equal(want.mtime) {
			t.Errorf("point B %s = %+v, want %+v", rel, got, want)
		}
	}
	if _, ok := pointB[filepath.Join("data", "da", "fd")]; ok || len(pointB) != len(now) {
		t.Errorf("point B holds %d paths, the volume %d (the deleted file must be gone)", len(pointB), len(now))
	}
	changed := map[string]bool{"data/da/fa": true, "data/db/fb": true, "data/dc/fc": true, "data/new/added": true}
	var changedBytes, dirBytes int64
	for rel, st := range pointB {
		if st.sha == "" {
			dirBytes += st.size // every point has directories of its own
			continue
		}
		shared := before[rel].inode == st.inode
		if changed[filepath.ToSlash(rel)] {
			changedBytes += st.size
			if shared {
				t.Errorf("%s changed but B links it to A", rel)
			}
		} else if !shared {
			t.Errorf("%s did not change but B holds a copy of its own", rel)
		}
	}
	if b.Previous != idA || b.BytesNew != changedBytes+dirBytes || b.Bytes <= changedBytes {
		t.Errorf("point B: previous %q, %d bytes new (want %d of changed files and %d of folders), %d bytes",
			b.Previous, b.BytesNew, changedBytes, dirBytes, b.Bytes)
	}
	if b.StoreBytes != a.StoreBytes+b.BytesNew {
		t.Errorf("store holds %d bytes after B, want A's %d plus B's new %d", b.StoreBytes, a.StoreBytes, b.BytesNew)
	}
	if lt.mounts.mounted != 0 {
		t.Errorf("%d mounts left", lt.mounts.mounted)
	}
}

// sameExceptLinks compares two recordings, ignoring what hard links to a
// newer point must change (nothing recorded here does).
func sameExceptLinks(a, b map[string]fileState) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestAFailedCheckKeepsNothing: a point that fails its check is not kept,
// nor does it become the base of the next one.
func TestAFailedCheckKeepsNothing(t *testing.T) {
	lt := newLinkTree(t)
	lt.make(idA)
	bad := errors.New("manifest mismatch")
	_, err := lt.site.Make(context.Background(), idB, func(_ context.Context, _ remote.Runner, root string) error {
		if !strings.HasSuffix(root, idB+".part") {
			t.Errorf("checked %s, want the .part tree", root)
		}
		return bad
	})
	if !errors.Is(err, bad) {
		t.Fatalf("Make = %v, want the check's error", err)
	}
	for _, name := range []string{idB, idB + ".part"} {
		if _, err := os.Stat(filepath.Join(lt.store, name)); !os.IsNotExist(err) {
			t.Errorf("%s left in the store: %v", name, err)
		}
	}
	ids, err := lt.site.List(context.Background())
	if err != nil || strings.Join(ids, ",") != idA {
		t.Errorf("List = %v, %v", ids, err)
	}
	if c := lt.make(idC); c.Previous != idA {
		t.Errorf("the next point links to %q, want %s", c.Previous, idA)
	}
}

// TestCrashLeftoverIsRebuilt: a .part left by a killed run never counts
// and never leaks into the point.
func TestCrashLeftoverIsRebuilt(t *testing.T) {
	lt := newLinkTree(t)
	write(t, filepath.Join(lt.store, idA+".part", "junk"), "half a point")
	lt.make(idA)
	if _, err := os.Stat(filepath.Join(lt.store, idA, "junk")); !os.IsNotExist(err) {
		t.Errorf("the leftover's file is in the point: %v", err)
	}
	if _, err := os.Stat(filepath.Join(lt.store, idA+".part")); !os.IsNotExist(err) {
		t.Errorf("the .part is still there: %v", err)
	}
}

func TestStoreInsideABrickIsRefused(t *testing.T) {
	lt := newLinkTree(t)
	lt.site.Points.Store = "/data/glusterfs/sites/site3/bricks/b/points"
	_, err := lt.site.Make(context.Background(), idA, nil)
	if err == nil || !strings.Contains(err.Error(), "inside brick 198.51.100.3:/data/glusterfs/sites/site3/bricks/b of the secondary volume global-dr") {
		t.Fatalf("Make = %v", err)
	}
	for _, c := range lt.node.calls {
		if strings.HasPrefix(c, "mkdir") || strings.HasPrefix(c, "rsync") {
			t.Errorf("%q ran although the store was refused", c)
		}
	}
}

func TestStoreOnAVolumeAndDelete(t *testing.T) {
	lt := newLinkTree(t)
	lt.mounts.volumes["points"] = lt.store
	lt.site.Points.Volume, lt.site.Points.Store = "points", "/sdsc"
	a := lt.make(idA)
	if a.Volume != "points" || a.Location != "/sdsc/"+idA {
		t.Fatalf("point on a volume: %+v", a)
	}
	r := Reader{Runner: lt.node, Mounts: lt.mounts}
	root, closeIt, err := r.Open(context.Background(), a)
	if err != nil || root != filepath.Join(lt.store, "sdsc", idA) {
		t.Fatalf("Open = %s, %v", root, err)
	}
	must(t, closeIt(context.Background()))
	must(t, r.Delete(context.Background(), a))
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("the point is still there: %v", err)
	}
	must(t, r.Delete(context.Background(), a)) // gone already: fine
	if _, _, err := r.Open(context.Background(), a); err == nil {
		t.Error("a deleted point opened")
	}
}

func TestDeleteRefusesWhatIsNotAPoint(t *testing.T) {
	r := Reader{Runner: newSite()}
	for _, p := range []*backupset.RestorePoint{
		{Method: schedule.PointsLinkTree, Node: "n", Location: "/"},
		{Method: schedule.PointsLinkTree, Node: "n", Location: "/srv/points/../etc"},
		{Method: schedule.PointsLinkTree, Node: "n", Location: "relative/" + idA},
		{Method: "zfs", Node: "n", Location: "/srv/" + idA},
	} {
		if err := r.Delete(context.Background(), p); err == nil {
			t.Errorf("Delete(%+v) was accepted", p)
		}
	}
}

func TestPointsOfAnotherTargetAreRefused(t *testing.T) {
	lt := newLinkTree(t)
	if _, err := lt.site.Make(context.Background(), "20261125T020000Z-tacc", nil); err == nil {
		t.Error("a tacc set was made a point of sdsc")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
