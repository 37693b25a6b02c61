package restorepoint

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

const snapID = "20261125T020000Z-tacc"

func snapshotSite(t *testing.T) (Site, *site, *localMounts) {
	node := newSite()
	pub := func(name string) string {
		return fixtureFile(filepath.Join("../gluster/testdata/published", name+".xml"))
	}
	node.gluster["--mode=script --xml snapshot create "+snapID+" global-dr no-timestamp"] = pub("snapshot-create")
	node.gluster["--xml snapshot info "+snapID] = pub("snapshot-info")
	node.gluster["--mode=script --xml snapshot activate "+snapID] = pub("snapshot-activate")
	node.gluster["--mode=script --xml snapshot delete "+snapID] = pub("snapshot-delete")
	dir := t.TempDir()
	write(t, filepath.Join(dir, "data", "f"), "12345")
	mounts := &localMounts{snapshots: map[string]string{snapID: dir}}
	return Site{Target: "tacc", SecondaryVolume: "global-dr", Runner: node, Mounts: mounts,
		Points: schedule.RestorePoints{Method: schedule.PointsSnapshot, Node: "site1"}}, node, mounts
}

// TestSnapshotPoint follows the success path against the XML that
// GlusterFS's CLI writes (testdata/published: thin LVM cannot be had here):
// create, activate to read it, check, and leave it as it was.
func TestSnapshotPoint(t *testing.T) {
	s, node, mounts := snapshotSite(t)
	var checked string
	p, err := s.Make(context.Background(), snapID, func(_ context.Context, _ remote.Runner, root string) error {
		checked = root
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.Method != schedule.PointsSnapshot || p.Location != snapID || p.Volume != "global-dr" || p.Files != 1 || p.Bytes != 5 || checked == "" {
		t.Errorf("point %+v, checked %q", p, checked)
	}
	if mounts.mounted != 0 {
		t.Errorf("%d mounts left", mounts.mounted)
	}
	want := []string{"snapshot create " + snapID + " global-dr no-timestamp", "snapshot activate " + snapID}
	for _, w := range want {
		if !strings.Contains(strings.Join(node.calls, "\n"), w) {
			t.Errorf("no %q among %v", w, node.calls)
		}
	}
}

func TestSnapshotPointFailingItsCheckIsDeleted(t *testing.T) {
	s, node, _ := snapshotSite(t)
	bad := errors.New("sample differs")
	_, err := s.Make(context.Background(), snapID, func(context.Context, remote.Runner, string) error { return bad })
	if !errors.Is(err, bad) || !strings.Contains(strings.Join(node.calls, "\n"), "snapshot delete "+snapID) {
		t.Errorf("Make = %v; calls %v", err, node.calls)
	}
}

// TestSnapshotRefusedByTheBricks replays the refusal captured in the lab.
func TestSnapshotRefusedByTheBricks(t *testing.T) {
	s, node, _ := snapshotSite(t)
	node.gluster["--mode=script --xml snapshot create "+snapID+" global-dr no-timestamp"] =
		fixtureFile("../gluster/testdata/err-snapshot-create-not-thin.xml.out", "snapcheck", "global-dr")
	_, err := s.Make(context.Background(), snapID, nil)
	if !errors.Is(err, gluster.ErrSnapshotUnsupported) || !strings.Contains(err.Error(), "Snapshot is supported only for thin provisioned LV") {
		t.Fatalf("Make = %v", err)
	}
}

// TestSnapshotCapableNamesEachBrick: before asking gluster, each brick's
// device is looked at on its node, and every brick that is not on a thin
// LV is named with why.
func TestSnapshotCapableNamesEachBrick(t *testing.T) {
	node := newSite()
	node.scripted = map[string]string{
		"findmnt -n -o SOURCE --target /data/glusterfs/sites/site2/bricks/b": "/dev/vda\n",
		"lvs --noheadings -o pool_lv -- /dev/vda":                            "!  Failed to find logical volume \"/dev/vda\"",
		"findmnt -n -o SOURCE --target /data/glusterfs/sites/site3/bricks/b": "/dev/mapper/vg-thick\n",
		"lvs --noheadings -o pool_lv -- /dev/mapper/vg-thick":                "   \n",
	}
	err := SnapshotCapable(context.Background(), gluster.New(node), func(string) remote.Runner { return node }, "global-dr")
	if !errors.Is(err, gluster.ErrSnapshotUnsupported) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"brick 198.51.100.2:/data/glusterfs/sites/site2/bricks/b is on /dev/vda, which the LVM tools",
		"brick 198.51.100.3:/data/glusterfs/sites/site3/bricks/b is on /dev/mapper/vg-thick, a logical volume outside any thin pool"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	node.scripted["lvs --noheadings -o pool_lv -- /dev/vda"] = "  thinpool\n"
	node.scripted["lvs --noheadings -o pool_lv -- /dev/mapper/vg-thick"] = "  thinpool\n"
	if err := SnapshotCapable(context.Background(), gluster.New(node), func(string) remote.Runner { return node }, "global-dr"); err != nil {
		t.Errorf("thin bricks refused: %v", err)
	}
}
