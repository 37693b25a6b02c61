package etcdsnap

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// The benchmark keyspace: about 50 MB of values.
const benchKeys, benchValueSize = 50 * 1024, 1024

// BenchmarkSave measures Save's throughput from an embedded etcd holding
// about 50 MB of values (51,200 keys of 1 KiB). Run it with
//
//	go test -run '^$' -bench BenchmarkSave ./internal/etcdsnap/
func BenchmarkSave(b *testing.B) {
	cli := connectTest(b, startTestEtcd(b))
	putKeys(b, cli, benchKeys, benchValueSize)
	path := filepath.Join(b.TempDir(), "etcd.db")
	var bytes int64
	var took time.Duration

	for b.Loop() {
		start := time.Now()
		info, err := Save(context.Background(), cli, path)
		took += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		bytes += info.Size
	}

	b.ReportMetric(float64(bytes)/1e6/took.Seconds(), "MB/s")
	b.ReportMetric(float64(bytes)/1e6/float64(b.N), "MB/snapshot")
}

// BenchmarkVerify measures reading the same snapshot back: the hash pass
// and the bbolt walk, which Save also runs before the rename.
func BenchmarkVerify(b *testing.B) {
	cli := connectTest(b, startTestEtcd(b))
	putKeys(b, cli, benchKeys, benchValueSize)
	path := filepath.Join(b.TempDir(), "etcd.db")
	info, err := Save(context.Background(), cli, path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(info.Size)

	for b.Loop() {
		if _, err := Verify(path); err != nil {
			b.Fatal(err)
		}
	}
}
