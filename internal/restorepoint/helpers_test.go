package restorepoint

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// site is a node whose commands run on this machine for real (rsync, find,
// du, mv), except gluster, whose answers are fixtures: the bricks of the
// secondary volume (site2-volume-info-gvdr, bricks under
// /data/glusterfs/sites) and scripted snapshot replies.
type site struct {
	remote.Local
	gluster map[string]string // argv after "gluster" -> stdout
	// scripted answers other commands by their whole argv; an answer
	// starting with "!" fails with that stderr.
	scripted map[string]string
	calls    []string
}

func newSite() *site {
	return &site{Local: remote.Local{Name: "site1"}, gluster: map[string]string{
		"--xml volume info global-dr": fixtureFile("../gluster/testdata/site2-volume-info-gvdr.xml.out", "gvdr", "global-dr"),
	}}
}

func fixtureFile(name string, replace ...string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return strings.NewReplacer(replace...).Replace(string(b))
}

func (s *site) Run(ctx context.Context, cmd remote.Cmd) (remote.Result, error) {
	line := strings.Join(cmd.Argv, " ")
	s.calls = append(s.calls, line)
	if out, ok := s.scripted[line]; ok {
		if msg, failed := strings.CutPrefix(out, "!"); failed {
			return remote.Result{ExitCode: 5}, &remote.CommandError{Host: "site1", Argv: cmd.Argv, ExitCode: 5, Stderr: msg}
		}
		return remote.Result{Stdout: []byte(out)}, nil
	}
	if cmd.Argv[0] == "gluster" {
		out, ok := s.gluster[strings.Join(cmd.Argv[1:], " ")]
		if !ok {
			return remote.Result{ExitCode: 1}, &remote.CommandError{Host: "site1", Argv: cmd.Argv, ExitCode: 1, Stderr: "not scripted"}
		}
		return remote.Result{Stdout: []byte(out)}, nil
	}
	return s.Local.Run(ctx, cmd)
}

// localMounts "mounts" a volume or snapshot as a local folder.
type localMounts struct {
	volumes   map[string]string
	snapshots map[string]string
	mounted   int
}

func (m *localMounts) Volume(_ context.Context, _ remote.Runner, _, volume string, _ bool) (string, func(context.Context) error, error) {
	dir, ok := m.volumes[volume]
	if !ok {
		return "", nil, fmt.Errorf("no volume %s", volume)
	}
	m.mounted++
	return dir, func(context.Context) error { m.mounted--; return nil }, nil
}

func (m *localMounts) Snapshot(_ context.Context, _ remote.Runner, _, snapshot, _ string) (string, func(context.Context) error, error) {
	dir, ok := m.snapshots[snapshot]
	if !ok {
		return "", nil, fmt.Errorf("no snapshot %s", snapshot)
	}
	m.mounted++
	return dir, func(context.Context) error { m.mounted--; return nil }, nil
}

// fileState is what must not change in an older point.
type fileState struct {
	sha, mode string
	size      int64
	mtime     time.Time
	uid, gid  uint32
	inode     uint64
}

// snapshotTree records every path under root.
func snapshotTree(t *testing.T, root string) map[string]fileState {
	t.Helper()
	out := map[string]fileState{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		fsState := fileState{mode: info.Mode().String(), size: info.Size(), uid: st.Uid, gid: st.Gid, inode: st.Ino}
		if info.Mode().IsRegular() {
			fsState.mtime = info.ModTime()
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			fsState.sha = hex.EncodeToString(sum[:])
		}
		rel, _ := filepath.Rel(root, p)
		out[rel] = fsState
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
