//go:build lab

// Package bench holds the replication comparisons, measured against the lab
// beside their reference commands in the same run:
//
//	GLUSTERDR_LAB_INSTANCE=1 go test -tags lab -run '^$' -bench Replication -benchtime 1x -timeout 60m ./bench/
//
// Each benchmark prints its rows and appends them, one JSON object a line,
// to bench/results/replication-<date>.jsonl (GLUSTERDR_BENCH_OUT names
// another file). The session's settings can be varied to compare them:
// GLUSTERDR_BENCH_SESSION ("sync_jobs=3,sync_method=rsync"),
// GLUSTERDR_BENCH_ROLLOVER (the primary volume's changelog.rollover-time
// in seconds), GLUSTERDR_BENCH_TAR_BLOCKING (the secondary nodes' tar
// blocking factor, 256 by default) and GLUSTERDR_BENCH_REPEATS (3 by
// default).
package bench

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchrepl"
	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab/labtest"
)

func BenchmarkReplication100MBOf50KBFiles(b *testing.B) {
	run(b, func(ctx context.Context, r *benchrepl.Replication) (benchrepl.Row, error) {
		return r.Copy(ctx, "replication, 100 MB in 2000 files of 50 kB, primary to sdsc", 2000, 50_000)
	})
}

func BenchmarkReplication1GiBOneFile(b *testing.B) {
	run(b, func(ctx context.Context, r *benchrepl.Replication) (benchrepl.Row, error) {
		return r.Copy(ctx, "replication, 1 GiB in one file, primary to sdsc", 1, 1<<30)
	})
}

// BenchmarkReplicationGrownFile: 64 MiB appended a piece a second for a
// minute, then one cycle. Vary GLUSTERDR_BENCH_ROLLOVER to see what the
// rollover time costs a file that a long job writes.
func BenchmarkReplicationGrownFile(b *testing.B) {
	run(b, func(ctx context.Context, r *benchrepl.Replication) (benchrepl.Row, error) {
		return r.CopyGrown(ctx, "replication, 64 MiB in one file grown over a minute, primary to sdsc", 64<<20, time.Minute)
	})
}

func BenchmarkReplicationEmptyCycle(b *testing.B) {
	run(b, func(ctx context.Context, r *benchrepl.Replication) (benchrepl.Row, error) { return r.EmptyCycle(ctx) })
}

// BenchmarkReplicationEmptyCycleModes measures the empty cycle kept on
// paused workers against the stop/start cycle and the bare gluster calls,
// in turn in one run (benchrepl.Replication.EmptyCycleModes).
func BenchmarkReplicationEmptyCycleModes(b *testing.B) {
	runRows(b, func(ctx context.Context, r *benchrepl.Replication) ([]benchrepl.Row, error) {
		return r.EmptyCycleModes(ctx)
	})
}

func run(b *testing.B, measure func(context.Context, *benchrepl.Replication) (benchrepl.Row, error)) {
	runRows(b, func(ctx context.Context, r *benchrepl.Replication) ([]benchrepl.Row, error) {
		row, err := measure(ctx, r)
		return []benchrepl.Row{row}, err
	})
}

func runRows(b *testing.B, measure func(context.Context, *benchrepl.Replication) ([]benchrepl.Row, error)) {
	conn := labtest.Conn(b)
	ctx := context.Background()
	r, cleanup := setUp(ctx, b, conn)
	defer cleanup()
	for b.Loop() {
		rows, err := measure(ctx, r)
		if err != nil {
			b.Fatal(err)
		}
		benchrepl.Print(os.Stdout, rows)
		if err := benchrepl.WriteJSON(outFile(b), rows); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(rows[0].OursSeconds, "ours-s")
		b.ReportMetric(rows[0].ReferenceSeconds, "reference-s")
		b.ReportMetric(rows[0].Ratio, "ratio")
	}
}

// setUp brings the session to sdsc to the settings asked for, and makes
// the scratch volume at sdsc1 that the reference writes into.
func setUp(ctx context.Context, b *testing.B, conn lab.Conn) (*benchrepl.Replication, func()) {
	config, err := benchrepl.ParseConfig(os.Getenv("GLUSTERDR_BENCH_SESSION"))
	if err != nil {
		b.Fatalf("GLUSTERDR_BENCH_SESSION: %v", err)
	}
	set := benchrepl.Settings{Config: config, Rollover: envInt(b, "GLUSTERDR_BENCH_ROLLOVER", georep.DefaultRolloverSeconds),
		TarBlocking: envInt(b, "GLUSTERDR_BENCH_TAR_BLOCKING", georep.DefaultTarBlocking)}
	r, closeScratch, err := benchrepl.Setup(ctx, conn, "sdsc", set, envInt(b, "GLUSTERDR_BENCH_REPEATS", 3))
	if err != nil {
		b.Fatal(err)
	}
	return r, func() {
		if err := closeScratch(context.Background()); err != nil {
			b.Error(err)
		}
	}
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q is not a positive number", name, v)
	}
	return n
}

func outFile(b *testing.B) string {
	if p := os.Getenv("GLUSTERDR_BENCH_OUT"); p != "" {
		return p
	}
	dir := "results"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	return filepath.Join(dir, "replication-"+time.Now().UTC().Format("2006-01-02")+".jsonl")
}

func BenchmarkReplicationStalls(b *testing.B) {
	run(b, func(ctx context.Context, r *benchrepl.Replication) (benchrepl.Row, error) {
		return r.Stalls(ctx, envInt(b, "GLUSTERDR_BENCH_CYCLES", 30))
	})
}

func BenchmarkCheckpointAgainstScheduleGeorep(b *testing.B) {
	run(b, func(ctx context.Context, r *benchrepl.Replication) (benchrepl.Row, error) {
		return r.AgainstUpstream(ctx, "one checkpoint cycle, 200 files of 100 kB, primary to sdsc", 200, 100_000)
	})
}
