//go:build lab

package main

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/restore"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// treeWriters fill the test's tree on the primary, each into its own
// folder under dir. Kinds of files that must survive a point and a restore
// are added here.
var treeWriters = []func(t *testing.T, p1 remote.Runner, dir string){
	writeRegularFiles,
}

// writeRegularFiles writes 120 files of 10-100 kB in 6 folders, settled an
// hour ago so that verification may sample them.
func writeRegularFiles(t *testing.T, p1 remote.Runner, dir string) {
	t.Helper()
	script := `dir=$1; i=0; while [ "$i" -lt 120 ]; do d="$dir/regular/d$((i % 6))"; mkdir -p "$d" || exit 1
head -c $(( (i % 10 + 1) * 10000 )) /dev/urandom > "$d/f$i.bin" || exit 1; i=$((i + 1)); done
find "$dir/regular" -exec touch -d '1 hour ago' {} +`
	if _, err := p1.Run(context.Background(), execCmd("sh", "-c", script, "sh", dir)); err != nil {
		t.Fatalf("writing the regular files: %v", err)
	}
}

// disaster overwrites 10 files with garbage (half keeping their size),
// deletes 5 and adds 3, on the primary.
func disaster(t *testing.T, p1 remote.Runner, dir string) {
	t.Helper()
	script := `dir=$1/regular
for i in 0 1 2 3 4; do head -c 777 /dev/urandom > "$dir/d$((i % 6))/f$i.bin" || exit 1; done
for i in 6 7 8 9 10; do f="$dir/d$((i % 6))/f$i.bin"; head -c "$(stat -c %s "$f")" /dev/urandom > "$f.new" && mv "$f.new" "$f" || exit 1; done
for i in 20 21 22 23 24; do rm "$dir/d$((i % 6))/f$i.bin" || exit 1; done
mkdir -p "$dir/new" && for i in 1 2 3; do echo "added after A $i" > "$dir/new/n$i.txt" || exit 1; done`
	if _, err := p1.Run(context.Background(), execCmd("sh", "-c", script, "sh", dir)); err != nil {
		t.Fatalf("the disaster: %v", err)
	}
}

// hashTree is every path under dir on r's host with its type, mode, size
// and sha256.
func hashTree(t *testing.T, r remote.Runner, dir string) map[string]string {
	t.Helper()
	entries, err := manifest.Scan(context.Background(), r, dir, manifest.ScanOptions{Hash: true})
	if err != nil {
		t.Fatalf("scanning %s on %s: %v", dir, r.Host(), err)
	}
	out := map[string]string{}
	for _, e := range entries {
		out[e.Path] = fmt.Sprintf("%s %s %d %s", e.Type, e.Mode, e.Size, e.SHA256)
	}
	return out
}

func sameTree(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: %s is %q, want %q", what, p, got[p], w)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s should not exist", what, p)
		}
	}
}

// TestLabRestorePointsAndRestore is the proof of issue 9: night 1 makes
// point A at sdsc; damage on the primary reaches sdsc's volume with night
// 2 (point B), which costs about the changed bytes and leaves A as it was;
// restore --from sdsc --set A brings every byte of A back, the deleted
// files too, and removes the new ones; the forward cycle then carries the
// restored volume to sdsc again.
func TestLabRestorePointsAndRestore(t *testing.T) {
	conn := labConn(t)
	ensureSession(t, conn, "sdsc")
	name := strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name()))
	store := path.Join("/var/lib/glusterdr/points", fmt.Sprintf("%s-%d", name, time.Now().UnixNano()))
	file := writeLabSchedule(t, conn.D, func(s *schedule.Schedule) {
		for i := range s.Targets {
			s.Targets[i].RestorePoints = schedule.RestorePoints{Method: schedule.PointsLinkTree, Node: s.Targets[i].VerifyNode, Store: store}
		}
	})
	p1, err := conn.Runner("p1")
	if err != nil {
		t.Fatal(err)
	}
	sdsc2, err := conn.Runner("sdsc2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = sdsc2.Run(context.Background(), execCmd("rm", "-rf", "--", store)) })
	rel := path.Join("home", name)
	dir := path.Join(lab.MountPath, rel)
	if _, err := p1.Run(context.Background(), execCmd("rm", "-rf", "--", dir)); err != nil {
		t.Fatal(err)
	}
	for _, w := range treeWriters {
		w(t, p1, dir)
	}
	atA := hashTree(t, p1, dir)

	night := func(n int) *backupset.Meta {
		t.Helper()
		r := runCLI(t, "run", "--schedule", file, "--target", "sdsc", "--json")
		if r.code != 0 {
			t.Fatalf("night %d exited %d:\n%s\n%s", n, r.code, r.stdout, r.stderr)
		}
		m := decode[drrun.Report](t, r).Sets[0].Set
		p := m.RestorePoint
		if p == nil || p.Verification == nil || !p.Verification.Verified || p.Verification.Sample == 0 {
			t.Fatalf("night %d: restore point %+v", n, p)
		}
		t.Logf("night %d: set %s, point %s on %s: %d files, %d bytes, %d bytes new, store %d bytes, made in %.1fs (step %.1fs)",
			n, m.ID, p.Location, p.Node, p.Files, p.Bytes, p.BytesNew, p.StoreBytes, p.Seconds, m.Step(backupset.StepRestorePoint).Seconds)
		return m
	}
	a := night(1)
	pointA := func() map[string]string { return hashTree(t, sdsc2, path.Join(a.RestorePoint.Location, rel)) }
	sameTree(t, "point A", atA, pointA())

	disaster(t, p1, dir)
	b := night(2)
	sameTree(t, "point A after B was made", atA, pointA())
	if damaged := hashTree(t, sdsc2, path.Join(b.RestorePoint.Location, rel)); damaged["regular/new/n1.txt"] == "" {
		t.Errorf("point B does not hold the damage: %v", damaged)
	}
	du := func(flags ...string) []string {
		argv := append(append([]string{"du", "-s"}, flags...), a.RestorePoint.Location, b.RestorePoint.Location)
		res, err := sdsc2.Run(context.Background(), execCmd(argv...))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Fields(string(res.Stdout))
	}
	apparent, blocks := du("-b"), du("-B1")
	t.Logf("du -sb  A B on sdsc2: A %s bytes, B %s more", apparent[0], apparent[2])
	t.Logf("du -sB1 A B on sdsc2: A %s bytes on disk, B %s more", blocks[0], blocks[2])
	sizeA, _ := strconv.ParseFloat(apparent[0], 64)
	sizeB, _ := strconv.ParseFloat(apparent[2], 64)
	if sizeB <= 0 || sizeB > 0.25*sizeA || b.RestorePoint.BytesNew != int64(sizeB) {
		t.Errorf("point B costs %.0f bytes (recorded %d) against A's %.0f: want about the changed bytes", sizeB, b.RestorePoint.BytesNew, sizeA)
	}

	dataDir := filepath.Join(t.TempDir(), "restored", "etcd")
	dry := runCLI(t, "restore", "--schedule", file, "--from", "sdsc", "--set", a.ID, "--dry-run", "--json")
	if dry.code != 0 {
		t.Fatalf("restore --dry-run exited %d:\n%s", dry.code, dry.stderr)
	}
	plan := decode[restore.Result](t, dry)
	if c := plan.Changes; c.FilesRestored != 15 || c.FilesRemoved != 3 || c.BytesRestored == 0 {
		t.Errorf("the dry run would restore %d files (%d bytes) and remove %d, want 15 and 3:\n%+v", c.FilesRestored, c.BytesRestored, c.FilesRemoved, c)
	}
	if after := hashTree(t, p1, dir); after["regular/new/n1.txt"] == "" {
		t.Fatal("the dry run changed the primary")
	}
	r := runCLI(t, "restore", "--schedule", file, "--from", "sdsc", "--set", a.ID, "--yes", "--json",
		"--etcd-data-dir", dataDir, "--etcd-name", "p1", "--etcd-peer-url", "http://198.51.100.10:23800")
	if r.code != 0 {
		t.Fatalf("restore exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	res := decode[restore.Result](t, r)
	sameTree(t, "the primary after the restore", atA, hashTree(t, p1, dir))
	if res.Etcd == nil || res.Etcd.Keys < lab.SeedKeys || res.Copied == nil || len(res.Steps) < 4 {
		t.Errorf("restore result: etcd %+v, copied %+v, steps %q", res.Etcd, res.Copied, res.Steps)
	}
	for _, p := range []string{"etcd/member/snap/db", backupset.MetaFile, backupset.EtcdFile, backupset.DumpDir} {
		if _, err := statLocal(filepath.Join(filepath.Dir(dataDir), p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	t.Logf("restore of %d files (%d bytes), %d removed: copy %.2fs, %.1f MB/s; the whole restore %.1fs",
		res.Changes.FilesRestored, res.Changes.BytesRestored, res.Changes.FilesRemoved, res.Copied.Seconds, res.Copied.BytesPerSecond/1e6, res.Seconds)

	c := night(3)
	sameTree(t, "point C, after the forward cycle", atA, hashTree(t, sdsc2, path.Join(c.RestorePoint.Location, rel)))
}

func statLocal(p string) (bool, error) {
	_, err := os.Stat(p)
	return err == nil, err
}

// TestLabSnapshotPointsRefusedOnPlainBricks: a site that asks for gluster
// snapshots of a volume on plain directories (no thin LV; this kernel has
// no device-mapper) fails the night at the restore-point step, naming the
// bricks, and retention deletes nothing.
func TestLabSnapshotPointsRefusedOnPlainBricks(t *testing.T) {
	conn := labConn(t)
	ensureSession(t, conn, "tacc")
	file := writeLabSchedule(t, conn.D, func(s *schedule.Schedule) {
		for i := range s.Targets {
			s.Targets[i].RestorePoints = schedule.RestorePoints{Method: schedule.PointsSnapshot, Node: s.Targets[i].VerifyNode}
		}
	})
	r := runCLI(t, "run", "--schedule", file, "--target", "tacc", "--json")
	if r.code == 0 {
		t.Fatalf("a snapshot of plain bricks passed:\n%s", r.stdout)
	}
	rep := decode[drrun.Report](t, r)
	m := rep.Sets[0].Set
	if rep.FailedStep != backupset.StepRestorePoint || m.RestorePoint != nil || m.Step(backupset.StepRetention).State != backupset.StateSkipped {
		t.Fatalf("failed step %q, point %+v, retention %s", rep.FailedStep, m.RestorePoint, m.Step(backupset.StepRetention).State)
	}
	tacc1, _ := conn.D.Node("tacc1")
	for _, want := range []string{"cannot be snapshotted", "brick " + tacc1.Address + ":", `use restore_points = "link-tree" for this site instead`} {
		if !strings.Contains(rep.Error, want) {
			t.Errorf("the error does not say %q:\n%s", want, rep.Error)
		}
	}
	t.Logf("refused: %s", rep.Error)
}
