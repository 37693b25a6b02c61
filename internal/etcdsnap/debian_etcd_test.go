package etcdsnap

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestDebianEtcd34SnapshotSavesVerifiesAndRestores checks Save, Verify and
// the restore drill against the etcd that real sites run, Debian's
// etcd-server 3.4, not only the embedded 3.7. It fails, never skips, when
// the binary is missing.
func TestDebianEtcd34SnapshotSavesVerifiesAndRestores(t *testing.T) {
	const n = 250
	cli := connectTest(t, startDebianEtcd(t))
	rev := putKeys(t, cli, n, 100)
	path := filepath.Join(t.TempDir(), "etcd34.db")

	info, err := Save(context.Background(), cli, path)
	if err != nil {
		t.Fatal(err)
	}

	if info.Keys != n || info.Revision != rev {
		t.Errorf("Info has %d keys at revision %d, want %d at %d", info.Keys, info.Revision, n, rev)
	}
	if info.Version != "" {
		t.Errorf("Info.Version = %q; etcd before 3.6 reports no storage version", info.Version)
	}
	if m := fileMode(t, path); m != 0o600 {
		t.Errorf("snapshot mode is %s, want 0600", octal(m))
	}
	verified, err := Verify(path)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if verified != info {
		t.Errorf("Verify says %+v, Save said %+v", verified, info)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	served, err := RestoreAndServe(ctx, path, t.TempDir())
	if err != nil {
		t.Fatalf("restore drill of a 3.4 snapshot into the embedded etcd: %v", err)
	}
	if served.Revision != rev || served.Keys != n {
		t.Errorf("restored etcd reports revision %d with %d keys, want %d with %d", served.Revision, served.Keys, rev, n)
	}
	if err := served.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
