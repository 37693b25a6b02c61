//go:build lab

// Package bench holds the replication baselines, measured against the lab:
//
//	GLUSTERDR_LAB_INSTANCE=0 go test -tags lab -run '^$' -bench . -benchtime 1x ./bench/
//
// Each benchmark is one measurement (a cycle takes tens of seconds), and
// reports MB/s over the whole cycle and net of a cycle's fixed cost.
package bench

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/bench"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab/labtest"
)

func BenchmarkReplication100MBOf50KBFiles(b *testing.B) { measure(b, 2000, 50_000) }

func BenchmarkReplication1GiBOneFile(b *testing.B) { measure(b, 1, 1<<30) }

func measure(b *testing.B, files int, size int64) {
	conn := labtest.Conn(b)
	ctx := context.Background()
	const site = "sdsc"
	primary, _ := conn.Gluster("p1")
	ref, _ := conn.D.SessionRef(site)
	if _, err := primary.Status(ctx, ref); errors.Is(err, gluster.ErrNoSession) {
		if _, err := lab.SetUpReplication(ctx, conn, site, map[string]string{"sync_method": "tarssh"}); err != nil {
			b.Fatal(err)
		}
	}
	p1, _ := conn.Runner("p1")
	p1files, _ := conn.Files("p1")
	marker := gluster.Marker{Files: p1files, Mount: lab.MountPath, By: "BenchmarkReplication"}
	mount := bench.Mount{Runner: p1, Path: lab.MountPath, Marker: marker.Write}
	for b.Loop() {
		res, err := bench.Run(ctx, primary, ref, mount, bench.Options{Files: files, FileSize: size,
			Cycle: gluster.CycleOptions{Timeout: 20 * time.Minute, StallAfter: lab.StallAfter}})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.MBPerSecond, "MB/s")
		b.ReportMetric(res.NetMBPerSecond, "net-MB/s")
		b.ReportMetric(res.FilesPerSecond, "files/s")
		b.ReportMetric(res.CycleSeconds, "cycle-s")
		b.ReportMetric(res.EmptyCycleSeconds, "empty-cycle-s")
		b.ReportMetric(res.NoticedAfterSec, "noticed-after-s")
		b.ReportMetric(res.DeleteCycleSeconds, "delete-cycle-s")
	}
}
