//go:build lab

package bench

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/restore"
	"github.com/glusterdr/terraform-provider-gluster/internal/restorepoint"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// BenchmarkRestoreTwentyThousandFiles restores a subtree of 20,000 files of
// 4 kB from a restore point on sdsc2 into the primary's global volume with
// `glusterdr restore`'s engine (scan both sides, stop the sessions, stream
// tar from the site through this machine onto p1, read it back and hash
// both sides), and beside it the same tree with a plain
// `ssh sdsc2 tar c | ssh p1 tar x` through this machine.
func BenchmarkRestoreTwentyThousandFiles(b *testing.B) {
	const tree = "bench-restore-tree"
	s := newSite(b, tree)
	ctx := context.Background()
	d := s.conn.D
	p1, _ := d.Node("p1")
	store := "/var/lib/glusterdr/bench-restore-points"
	backup := path.Join(lab.MountPath, "bench-restore-backup")
	ref := path.Join(lab.MountPath, "bench-restore-ref")
	pr, _ := s.conn.Runner("p1")
	clean := func() {
		_, _ = pr.Run(ctx, remote.Command("rm", "-rf", "--", path.Join(lab.MountPath, tree), backup, ref))
	}
	b.Cleanup(func() {
		clean()
		_, _ = s.node.Run(ctx, remote.Command("rm", "-rf", "--", store))
	})
	id := "20261125T020000Z-sdsc"
	pts := restorepoint.Site{Target: "sdsc", SecondaryVolume: benchVolume, Runner: s.node,
		Points: schedule.RestorePoints{Method: schedule.PointsLinkTree, Node: s.addr, Store: store}}
	point, err := pts.Make(ctx, id, func(context.Context, remote.Runner, string) error { return nil })
	if err != nil {
		b.Fatal(err)
	}
	state := b.TempDir()
	sched := &schedule.Schedule{StateDir: state, LockFile: filepath.Join(state, "run.lock"), SSH: schedule.SSH{User: d.SSH.User,
		Port: d.SSH.Port, PrivateKeyFile: d.SSH.PrivateKeyFile, KnownHostsFile: d.SSH.KnownHostsFile},
		Primary: schedule.Primary{Volume: lab.PrimaryVolume, Mount: lab.MountPath, Node: p1.Address, BackupDir: backup},
		Targets: []schedule.Target{{Name: "sdsc", PrimaryVolume: lab.PrimaryVolume, SecondaryHost: s.addr, SecondaryVolume: benchVolume,
			RestorePoints: pts.Points}}}
	e := &drrun.Engine{Schedule: sched, Nodes: remote.PoolNodes{Pool: s.conn.Pool, Base: remote.Config{Port: sched.SSH.Port,
		User: sched.SSH.User, PrivateKeyFile: sched.SSH.PrivateKeyFile, KnownHostsFile: sched.SSH.KnownHostsFile}}}
	m := backupset.New(time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC), "sdsc", retention.Full, "")
	m.Status, m.RestorePoint = retention.Verified, point

	for b.Loop() {
		clean()
		if err := e.Store().Create(ctx, m); err != nil {
			b.Fatal(err)
		}
		var log bytes.Buffer
		res, err := restore.Restorer{Engine: e, Out: &log}.Run(ctx, restore.Request{Site: "sdsc", Set: id, Path: tree, Yes: true})
		if err != nil {
			b.Fatalf("restore: %v\n%s", err, log.String())
		}
		_ = os.Remove(restore.JournalPath(sched, restore.Request{Site: "sdsc", Set: id, Path: tree}))

		start := time.Now()
		ssh := func(host string) string {
			return strings.Join([]string{"ssh", "-i", d.SSH.PrivateKeyFile, "-o", "UserKnownHostsFile=" + d.SSH.KnownHostsFile,
				"-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "root@" + host}, " ")
		}
		script := ssh(s.addr) + ` tar -C "$1" -cf - . | ` + ssh(p1.Address) + ` "mkdir -p $2 && tar -C $2 -xf -"`
		if out, err := exec.Command("sh", "-c", script, "sh", path.Join(point.Location, tree), ref).CombinedOutput(); err != nil {
			b.Fatalf("the reference copy: %v: %s", err, out)
		}
		refSecs := time.Since(start).Seconds()
		mb := float64(res.Changes.BytesRestored) / 1e6
		b.Logf("restore of %d files (%.1f MB): copy %.1fs (%.2f MB/s), whole restore with scans and hashing %.1fs; ssh tar | ssh tar %.1fs (%.2f MB/s)",
			res.Changes.FilesRestored, mb, res.Copied.Seconds, res.Copied.BytesPerSecond/1e6, res.Seconds, refSecs, mb/refSecs)
		b.ReportMetric(res.Copied.BytesPerSecond/1e6, "copy-MB/s")
		b.ReportMetric(mb/res.Seconds, "restore-MB/s")
		b.ReportMetric(mb/refSecs, "ssh-tar-MB/s")
		b.ReportMetric(refSecs/res.Copied.Seconds, "copy/ssh-tar-speed")
		b.ReportMetric(float64(res.Changes.FilesRestored)/res.Seconds, "restore-files/s")
	}
}
