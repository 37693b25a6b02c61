//go:build lab

package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab/labtest"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/peercluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/restorepoint"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
	"github.com/glusterdr/terraform-provider-gluster/internal/sitemount"
)

// The tree of the restore point benchmarks: 20,000 files of 4 kB in 100
// folders, 1% of which change between two points.
const (
	pointFiles    = 20_000
	pointFileSize = 4096
	pointChanged  = pointFiles / 100
	// benchVolume is a scratch volume of the sdsc pool standing in for the
	// site's secondary volume (which clients cannot write); deleted after.
	benchVolume = "bench-points"
)

// site is the scratch volume with the tree, mounted writable on sdsc2.
type site struct {
	conn  lab.Conn
	node  remote.Runner // sdsc2
	addr  string
	mount string // writable mount of benchVolume on sdsc2
	tree  string // the tree's folder inside the volume
}

// newSite builds the scratch volume on sdsc1 and sdsc2, writes the tree
// into it, and removes it all when the benchmark ends.
func newSite(b *testing.B, tree string) *site {
	conn := benchLab(b)
	ctx := context.Background()
	si, err := conn.D.Site("sdsc")
	if err != nil {
		b.Fatal(err)
	}
	spec := peercluster.Spec{Volume: gluster.VolumeSpec{Name: benchVolume, Type: gluster.Distribute, Force: true}}
	for _, n := range si.Nodes {
		node, _ := conn.D.Node(n)
		spec.Nodes = append(spec.Nodes, node.Address)
		spec.Volume.Bricks = append(spec.Volume.Bricks, gluster.Brick{Host: node.Address, Path: lab.BrickPath(conn.D.Dir, n, benchVolume)})
	}
	first, _ := conn.Gluster(si.Nodes[0])
	if err := peercluster.Ensure(ctx, first, spec); err != nil {
		b.Fatal(err)
	}
	s := &site{conn: conn, tree: tree}
	s.node, _ = conn.Runner("sdsc2")
	sdsc2, _ := conn.D.Node("sdsc2")
	s.addr = sdsc2.Address
	m, err := sitemount.ReadWrite(ctx, s.node, s.addr, benchVolume)
	if err != nil {
		b.Fatal(err)
	}
	s.mount = m.Path
	b.Cleanup(func() {
		_ = m.Unmount(ctx)
		_ = first.StopVolume(ctx, benchVolume)
		_ = first.DeleteVolume(ctx, benchVolume)
		for _, br := range spec.Volume.Bricks {
			_ = os.RemoveAll(br.Path)
		}
	})
	script := `dir=$1 files=$2 size=$3; i=0; while [ "$i" -lt "$files" ]; do d="$dir/d$((i % 100))"
[ -d "$d" ] || mkdir -p "$d" || exit 1; head -c "$size" /dev/urandom > "$d/f$i" || exit 1; i=$((i + 1)); done`
	start := time.Now()
	if _, err := s.node.Run(ctx, remote.Command("sh", "-c", script, "sh", path.Join(s.mount, s.tree),
		strconv.Itoa(pointFiles), strconv.Itoa(pointFileSize))); err != nil {
		b.Fatal(err)
	}
	b.Logf("wrote %d files of %d bytes into %s in %s", pointFiles, pointFileSize, benchVolume, time.Since(start).Round(time.Second))
	return s
}

// change rewrites n files of the tree with other bytes of the same size.
func (s *site) change(b *testing.B, n int) {
	script := `dir=$1 n=$2 size=$3; i=0; while [ "$i" -lt "$n" ]; do f="$dir/d$(((i * 97) % 100))/f$((i * 97))"
head -c "$size" /dev/urandom > "$f" || exit 1; i=$((i + 1)); done`
	if _, err := s.node.Run(context.Background(), remote.Command("sh", "-c", script, "sh", path.Join(s.mount, s.tree),
		strconv.Itoa(n), strconv.Itoa(pointFileSize))); err != nil {
		b.Fatal(err)
	}
}

// check reads 20 files of the point back, as the step's check reads the
// verification sample (the set's own files are few).
func (s *site) check(ctx context.Context, r remote.Runner, root string) error {
	var want []manifest.Entry
	for range 20 {
		i := rand.IntN(pointFiles)
		want = append(want, manifest.Entry{Path: fmt.Sprintf("%s/d%d/f%d", s.tree, i%100, i), Type: manifest.TypeFile})
	}
	_, err := manifest.Observe(ctx, r, root, want)
	return err
}

// BenchmarkRestorePointOnePercentChanged makes point A of the tree, changes
// 1% of its files, and times point B (what a night costs: rsync
// --link-dest from a read-only FUSE mount into the store, the check, the
// rename, du) against a plain `cp -a` of the same tree from the same mount
// into the same file system, on the same node. It reports B's storage
// against A's.
func BenchmarkRestorePointOnePercentChanged(b *testing.B) {
	s := newSite(b, "tree")
	ctx := context.Background()
	store := "/var/lib/glusterdr/bench-points"
	cpDir := "/var/lib/glusterdr/bench-cp"
	b.Cleanup(func() { _, _ = s.node.Run(ctx, remote.Command("rm", "-rf", "--", store, cpDir)) })
	pts := restorepoint.Site{Target: "sdsc", SecondaryVolume: benchVolume, Runner: s.node,
		Points: schedule.RestorePoints{Method: schedule.PointsLinkTree, Node: s.addr, Store: store}}
	night := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	for n := 0; b.Loop(); n++ {
		_, _ = s.node.Run(ctx, remote.Command("rm", "-rf", "--", store, cpDir))
		idA := night.AddDate(0, 0, 2*n).Format("20060102T150405Z") + "-sdsc"
		idB := night.AddDate(0, 0, 2*n+1).Format("20060102T150405Z") + "-sdsc"
		start := time.Now()
		a, err := pts.Make(ctx, idA, s.check)
		if err != nil {
			b.Fatal(err)
		}
		aSecs := time.Since(start).Seconds()
		s.change(b, pointChanged)
		start = time.Now()
		pb, err := pts.Make(ctx, idB, s.check)
		if err != nil {
			b.Fatal(err)
		}
		bSecs := time.Since(start).Seconds()

		ro, err := sitemount.ReadOnly(ctx, s.node, s.addr, benchVolume)
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		_, err = s.node.Run(ctx, remote.Command("cp", "-a", ro.Path+"/.", cpDir))
		cpSecs := time.Since(start).Seconds()
		_ = ro.Unmount(ctx)
		if err != nil {
			b.Fatal(err)
		}
		res, err := s.node.Run(ctx, remote.Command("du", "-s", "-B1", path.Join(store, idA), path.Join(store, idB)))
		if err != nil {
			b.Fatal(err)
		}
		du := strings.Fields(string(res.Stdout))
		b.Logf("point A: %d files, %d bytes, %.1fs; point B: %d bytes new of %d, %.1fs; cp -a: %.1fs; du -sB1 A B: %s and %s more",
			a.Files, a.StoreBytes, aSecs, pb.BytesNew, pb.Bytes, bSecs, cpSecs, du[0], du[2])
		b.ReportMetric(bSecs, "pointB-s")
		b.ReportMetric(aSecs, "pointA-s")
		b.ReportMetric(cpSecs, "cp-a-s")
		b.ReportMetric(bSecs/cpSecs, "pointB/cp-a")
		b.ReportMetric(float64(pb.BytesNew)/float64(a.StoreBytes), "B/A-bytes")
		diskA, _ := strconv.ParseFloat(du[0], 64)
		diskB, _ := strconv.ParseFloat(du[2], 64)
		b.ReportMetric(diskB/diskA, "B/A-disk")
	}
}

// benchLab is the running lab, or a failed benchmark.
func benchLab(b *testing.B) lab.Conn {
	conn := labtest.Conn(b)
	if _, err := exec.LookPath("rsync"); err != nil {
		b.Fatal("rsync is needed on the lab's nodes (they share this machine's /usr)")
	}
	return conn
}
