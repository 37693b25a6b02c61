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
	if !strings.HasPrefix(m.Path, baseDir+"/global-dr@"+owner()+".") {
		t.Errorf("mount point %q does not name its volume and owner", m.Path)
	}
	want := []string{"mount", "-t", "glusterfs", "-o", "ro", "198.51.100.21:/global-dr", m.Path}
	n := len(r.argvs)
	if n < 2 || !slices.Equal(r.argvs[n-2], []string{"mkdir", "-p", m.Path}) || !slices.Equal(r.argvs[n-1], want) {
		t.Fatalf("commands %q, want mkdir then %q", r.argvs, want)
	}
	if err := m.Unmount(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.argvs[n], []string{"umount", m.Path}) || !slices.Equal(r.argvs[n+1], []string{"rmdir", m.Path}) {
		t.Errorf("unmount ran %q", r.argvs[n:])
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
	if last := r.argvs[len(r.argvs)-1]; !slices.Equal(last, want) {
		t.Errorf("mount argv %q, want %q", last, want)
	}
	if _, err := Snapshot(context.Background(), r, "198.51.100.31", "../x", "global-dr"); err == nil {
		t.Error("a snapshot name with a slash was accepted")
	}
}
