package etcdsnap

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRestoreDataDirServes: the data directory is etcdutl's layout, and an
// etcd started on it serves every key of the snapshot.
func TestRestoreDataDirServes(t *testing.T) {
	const n = 50
	cli := connectTest(t, startTestEtcd(t))
	rev := putKeys(t, cli, n, 10)
	snap := filepath.Join(t.TempDir(), "etcd.snapshot")
	if _, err := Save(context.Background(), cli, snap); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(t.TempDir(), "etcd-restored")
	info, err := RestoreDataDir(snap, dataDir, Member{Name: embeddedName, PeerURL: embeddedPeerURL, ClusterToken: embeddedToken})
	if err != nil || info.Revision != rev || info.Keys != n {
		t.Fatalf("RestoreDataDir = %+v, %v", info, err)
	}
	for _, p := range []string{"member/snap/db", "member/wal"} {
		if _, err := os.Stat(filepath.Join(dataDir, p)); err != nil {
			t.Errorf("no %s in the data directory: %v", p, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e, err := startEmbedded(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	s := &Served{etcd: e}
	if err := s.check(ctx, info); err != nil {
		t.Fatal(err)
	}
}

func TestRestoreDataDirRefusesADirectoryInUse(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := RestoreDataDir(savedSnapshotFile(t), dir, Member{Name: "m1", PeerURL: "http://10.0.0.11:2380"})
	if err == nil || !strings.Contains(err.Error(), "exists and is not empty") {
		t.Fatalf("err = %v", err)
	}
}

func savedSnapshotFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "etcd.snapshot")
	if err := os.WriteFile(p, savedSnapshot(t, 5), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
