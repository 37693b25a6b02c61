package sitemount

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

type recorder struct{ argvs [][]string }

func (r *recorder) Host() string { return "site1" }

func (r *recorder) Run(_ context.Context, cmd remote.Cmd) (remote.Result, error) {
	r.argvs = append(r.argvs, cmd.Argv)
	return remote.Result{}, nil
}

func TestReadOnlyMountsWithRoAndUnmountCleansUp(t *testing.T) {
	r := &recorder{}
	m, err := ReadOnly(context.Background(), r, "198.51.100.21", "global-dr")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.Path, baseDir+"/global-dr-") {
		t.Errorf("mount point %q", m.Path)
	}
	want := []string{"mount", "-t", "glusterfs", "-o", "ro", "198.51.100.21:/global-dr", m.Path}
	if len(r.argvs) != 2 || !slices.Equal(r.argvs[1], want) {
		t.Fatalf("commands %q, want mkdir then %q", r.argvs, want)
	}
	if err := m.Unmount(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.argvs[2], []string{"umount", m.Path}) || !slices.Equal(r.argvs[3], []string{"rmdir", m.Path}) {
		t.Errorf("unmount ran %q", r.argvs[2:])
	}
}

func TestBadInputRunsNothing(t *testing.T) {
	for _, tc := range []struct{ host, volume string }{
		{"-oProxyCommand=x", "global-dr"},
		{"198.51.100.21", "global;reboot"},
		{"198.51.100.21\nx", "global-dr"},
	} {
		r := &recorder{}
		if _, err := ReadOnly(context.Background(), r, tc.host, tc.volume); err == nil || len(r.argvs) != 0 {
			t.Errorf("%q %q: err %v after running %q; want a refusal before anything runs", tc.host, tc.volume, err, r.argvs)
		}
	}
}

func TestSnapshotMountsTheSnapsPathReadOnly(t *testing.T) {
	r := &recorder{}
	m, err := Snapshot(context.Background(), r, "198.51.100.31", "20261125T020000Z-tacc", "global-dr")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"mount", "-t", "glusterfs", "-o", "ro", "198.51.100.31:/snaps/20261125T020000Z-tacc/global-dr", m.Path}
	if !slices.Equal(r.argvs[1], want) {
		t.Errorf("mount argv %q, want %q", r.argvs[1], want)
	}
	if _, err := Snapshot(context.Background(), r, "198.51.100.31", "../x", "global-dr"); err == nil {
		t.Error("a snapshot name with a slash was accepted")
	}
}
