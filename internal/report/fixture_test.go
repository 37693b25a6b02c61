package report

import (
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// fortnight is two weeks of nights alternating between sdsc and tacc, one
// of tacc's failing, with stalls, a resend, drills (one failed) and a
// bench table: every part of the page has something to show.
func fortnight() Inputs {
	start := time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC)
	var entries []journal.Entry
	var sets []*backupset.Meta
	for day := range 14 {
		target := []string{"sdsc", "tacc"}[day%2]
		at := start.AddDate(0, 0, day)
		m := backupset.New(at, target, retention.Full, "")
		m.Status = retention.Verified
		result := journal.ResultVerified
		if day == 9 {
			m.Status, result = retention.Failed, journal.ResultFailed
		}
		m.Replication = &backupset.Replication{SyncSeconds: 40 + float64(day), Restarts: day % 5 / 4, Nudges: day % 7 / 6}
		m.Verification = &backupset.Verification{Verified: result == journal.ResultVerified}
		if day == 4 {
			m.Verification.Resent = &backupset.Resend{Files: []string{"backup/x", "backup/y"}}
		}
		sets = append(sets, m)
		entries = append(entries, journal.Entry{Time: at.Add(20 * time.Minute), Set: m.ID, Target: target, Result: result,
			Started: at, Seconds: 300, SyncSeconds: m.Replication.SyncSeconds, OverheadSeconds: 20,
			Files: 1000 + day, Bytes: int64(100+day) << 20, CheckpointTime: at.Add(time.Minute)})
	}
	now := start.AddDate(0, 0, 14)
	drills := []drill.Record{
		{Time: start.AddDate(0, 0, 3), Site: "sdsc", Set: sets[2].ID, Passed: true, RTOSeconds: 600},
		{Time: start.AddDate(0, 0, 8), Site: "tacc", Set: sets[7].ID, Passed: false, Problem: "sha256 mismatch", RTOSeconds: 300},
		{Time: start.AddDate(0, 0, 10), Site: "tacc", Set: sets[7].ID, Passed: true, RTOSeconds: 540},
	}
	rpo := 3600.0
	st := drrun.Status{Updated: now, VerifiedCopies: 2, RPOSeconds: &rpo, Targets: []drrun.TargetStatus{
		{Name: "sdsc", LastVerified: &entries[12], CopyTime: &entries[12].CheckpointTime, RPOSeconds: &rpo, LastRun: &entries[12],
			LastDrill: &drills[0], LastPassedDrill: &drills[0]},
		{Name: "tacc", LastVerified: &entries[13], CopyTime: &entries[13].CheckpointTime, RPOSeconds: &rpo, LastRun: &entries[13],
			LastDrill: &drills[2], LastPassedDrill: &drills[2]},
	}}
	var summaries []backupset.Summary
	for _, m := range sets {
		summaries = append(summaries, m.Summary())
	}
	bench := &benchtable.Table{Date: now, Host: "lab", CPUs: 2, Repeats: 5, Rows: []benchtable.Row{
		{Name: "etcd snapshot save", Ours: "etcdsnap.Save", Reference: "etcdctl snapshot save", Status: benchtable.StatusMeasured,
			Metrics: []benchtable.Metric{
				benchtable.NewMetric("wall time, 207 MB database", "s", []float64{1.35}, []float64{1.29}, benchtable.RatioAtMost(1.1)),
				benchtable.NewMetric("peak RSS, 207 MB database", "MiB", []float64{35}, []float64{31}, nil)}},
		{Name: "manifest hashing", Ours: "manifest.Scan", Reference: "sha256sum", Status: benchtable.StatusMeasured,
			Metrics: []benchtable.Metric{benchtable.NewMetric("throughput", "MB/s", []float64{380}, []float64{290}, benchtable.RatioAtLeast(0.8))}},
		{Name: "replication, 100 MB", Ours: "checkpoint cycle", Reference: "tar | ssh | tar", Status: benchtable.StatusPending, Note: "measured elsewhere"},
	}}
	return Inputs{Report: Build(st, entries, summaries, nil), Journal: entries, Drills: drills, Sets: sets,
		Bench: bench, BenchSource: "bench/results/2026-11-24.json"}
}
