package gluster

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// published is a success answer written from GlusterFS's cli-xml-output.c
// (testdata/published/README.md): thin LVM cannot be had on this machine.
func published(t *testing.T, name string) reply {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "published", name+".xml"))
	if err != nil {
		t.Fatal(err)
	}
	return ok(string(b))
}

const snapName = "20261125T020000Z-tacc"

func TestCreateSnapshot(t *testing.T) {
	f := newFake(t).on(glusterArgv(true, true, "snapshot", "create", snapName, "global-dr", "no-timestamp"), published(t, "snapshot-create"))
	uuid, err := New(f).CreateSnapshot(context.Background(), snapName, "global-dr")
	if err != nil || uuid != "3b9e1c4e-5a59-4c35-8d55-2f1c0f0d7a11" {
		t.Fatalf("CreateSnapshot = %q, %v", uuid, err)
	}
}

// TestCreateSnapshotRefusedByBricks replays the refusals captured in the
// lab, whose bricks are plain directories: with the LVM tools installed and
// without them.
func TestCreateSnapshotRefusedByBricks(t *testing.T) {
	for _, fx := range []string{"err-snapshot-create-not-thin.xml", "err-snapshot-create-no-lvm.xml"} {
		t.Run(fx, func(t *testing.T) {
			f := newFake(t).on(glusterArgv(true, true, "snapshot", "create", snapName, "snapcheck", "no-timestamp"), fixture(t, fx))
			_, err := New(f).CreateSnapshot(context.Background(), snapName, "snapcheck")
			if !errors.Is(err, ErrSnapshotUnsupported) {
				t.Fatalf("err = %v, want ErrSnapshotUnsupported", err)
			}
			for _, want := range []string{"create snapshot", "thinly provisioned LVM logical volume", `restore_points = "link-tree"`, "Command: gluster '--mode=script' --xml snapshot create"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
		})
	}
}

func TestListSnapshots(t *testing.T) {
	f := newFake(t).
		on(glusterArgv(false, true, "snapshot", "list", "global-dr"), published(t, "snapshot-list")).
		on(glusterArgv(false, true, "snapshot", "list", "snapcheck"), fixture(t, "snapshot-list-empty.xml")).
		on(glusterArgv(false, true, "snapshot", "list", "nosuchvol"), fixture(t, "err-snapshot-list-missing-volume.xml"))
	c := New(f)
	got, err := c.ListSnapshots(context.Background(), "global-dr")
	if err != nil || strings.Join(got, ",") != "20261124T020000Z-tacc,"+snapName {
		t.Errorf("list = %v, %v", got, err)
	}
	if got, err := c.ListSnapshots(context.Background(), "snapcheck"); err != nil || len(got) != 0 {
		t.Errorf("empty list = %v, %v", got, err)
	}
	if _, err := c.ListSnapshots(context.Background(), "nosuchvol"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing volume: %v", err)
	}
}

func TestSnapshotInfoAndStatus(t *testing.T) {
	f := newFake(t).
		on(glusterArgv(false, true, "snapshot", "info", snapName), published(t, "snapshot-info")).
		on(glusterArgv(false, true, "snapshot", "info", "nosuchsnap"), fixture(t, "err-snapshot-info-missing.xml")).
		on(glusterArgv(false, true, "snapshot", "status", snapName), published(t, "snapshot-status")).
		on(glusterArgv(false, true, "snapshot", "status", "nosuchsnap"), fixture(t, "err-snapshot-status-missing.xml"))
	c := New(f)
	s, err := c.SnapshotInfo(context.Background(), snapName)
	if err != nil || s.Origin != "global-dr" || s.Activated || s.Volume != "9f0a4c1b7e2d4a64b1c3e5f70a2b4c6d" || s.Created != "2026-11-25 02:14:07" {
		t.Errorf("info = %+v, %v", s, err)
	}
	if _, err := c.SnapshotInfo(context.Background(), "nosuchsnap"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing snapshot: %v", err)
	}
	bricks, err := c.SnapshotStatus(context.Background(), snapName)
	if err != nil || len(bricks) != 1 || !bricks[0].Running || bricks[0].VolumeGroup != "vg_bricks" || bricks[0].DataPercent != "3.52" {
		t.Errorf("status = %+v, %v", bricks, err)
	}
	if bricks, err := c.SnapshotStatus(context.Background(), "nosuchsnap"); err != nil || len(bricks) != 0 {
		t.Errorf("status of a missing snapshot = %+v, %v", bricks, err)
	}
}

func TestActivateOnlyWhatIsStopped(t *testing.T) {
	started := strings.Replace(published(t, "snapshot-info").stdout, "<status>Stopped</status>", "<status>Started</status>", 1)
	f := newFake(t).
		on(glusterArgv(false, true, "snapshot", "info", snapName), published(t, "snapshot-info"), ok(started)).
		on(glusterArgv(true, true, "snapshot", "activate", snapName), published(t, "snapshot-activate"))
	c := New(f)
	ctx := context.Background()
	if err := c.ActivateSnapshot(ctx, snapName); err != nil {
		t.Fatal(err)
	}
	if err := c.ActivateSnapshot(ctx, snapName); err != nil { // now Started: nothing to do
		t.Fatal(err)
	}
	activations := 0
	for _, call := range f.calls {
		if strings.Contains(strings.Join(call, " "), "snapshot activate") {
			activations++
		}
	}
	if activations != 1 {
		t.Errorf("activated %d times, want once: %v", activations, f.calls)
	}
}

func TestDeleteSnapshot(t *testing.T) {
	f := newFake(t).
		on(glusterArgv(true, true, "snapshot", "delete", "20261124T020000Z-tacc"), published(t, "snapshot-delete")).
		on(glusterArgv(true, true, "snapshot", "delete", "nosuchsnap"), fixture(t, "err-snapshot-delete-missing.xml"))
	c := New(f)
	if err := c.DeleteSnapshot(context.Background(), "20261124T020000Z-tacc"); err != nil {
		t.Error(err)
	}
	if err := c.DeleteSnapshot(context.Background(), "nosuchsnap"); err != nil {
		t.Errorf("a snapshot already gone: %v", err)
	}
	if err := c.DeleteSnapshot(context.Background(), "-rf"); !errors.Is(err, ErrInvalid) {
		t.Errorf("a name starting with '-': %v", err)
	}
}
