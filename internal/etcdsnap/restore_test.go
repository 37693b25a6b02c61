package etcdsnap

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRestoreAndServeServesTheSnapshotRevisionAndCloseCleansUp(t *testing.T) {
	const n = 200
	cli := connectTest(t, startTestEtcd(t))
	rev := putKeys(t, cli, n, 100)
	path := filepath.Join(t.TempDir(), "etcd.db")
	if _, err := Save(context.Background(), cli, path); err != nil {
		t.Fatal(err)
	}
	scratch := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	served, err := RestoreAndServe(ctx, path, scratch)
	if err != nil {
		t.Fatal(err)
	}

	if served.Revision != rev || served.Keys != n {
		t.Errorf("restored etcd reports revision %d with %d keys, want %d with %d", served.Revision, served.Keys, rev, n)
	}
	restored := connectTest(t, served.Endpoints[0])
	got, err := restored.Get(ctx, testKey(n-1))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Kvs) != 1 || got.Kvs[0].ModRevision != rev {
		t.Errorf("restored %s = %v, want one key written at revision %d", testKey(n-1), got.Kvs, rev)
	}
	if err := served.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	assertMissing(t, served.Dir)
	assertEmptyDir(t, scratch)
}

func TestRestoreAndServeRefusesADamagedSnapshotAndLeavesNoScratch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "etcd.db")
	if err := os.WriteFile(path, flipped(savedSnapshot(t, 20), 5000), 0o600); err != nil {
		t.Fatal(err)
	}
	scratch := t.TempDir()

	_, err := RestoreAndServe(context.Background(), path, scratch)

	var ce *CheckError
	if !errors.As(err, &ce) || ce.Check != CheckSHA256 {
		t.Fatalf("err = %v, want a failed %q check", err, CheckSHA256)
	}
	assertEmptyDir(t, scratch)
}

func TestRestoreAndServeGivesUpWhenContextEnds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "etcd.db")
	if err := os.WriteFile(path, savedSnapshot(t, 20), 0o600); err != nil {
		t.Fatal(err)
	}
	scratch := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := RestoreAndServe(ctx, path, scratch)

	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	assertEmptyDir(t, scratch)
}

func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s was left behind in %s", e.Name(), dir)
	}
}
