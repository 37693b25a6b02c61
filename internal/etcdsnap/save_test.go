package etcdsnap

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

func TestSaveWritesCheckedSnapshotWithPrivateMode(t *testing.T) {
	const n = 300
	cli := connectTest(t, startTestEtcd(t))
	rev := putKeys(t, cli, n, 100)
	path := filepath.Join(t.TempDir(), "etcd.db")
	// A leftover from an interrupted run, readable by all: Save must replace it.
	if err := os.WriteFile(path+partSuffix, []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}

	info, err := Save(context.Background(), cli, path)
	if err != nil {
		t.Fatal(err)
	}

	if m := fileMode(t, path); m != 0o600 {
		t.Errorf("snapshot mode is %s, want 0600", octal(m))
	}
	assertMissing(t, path+partSuffix)
	if info.Keys != n {
		t.Errorf("Info.Keys = %d, want %d", info.Keys, n)
	}
	if info.Revision != rev {
		t.Errorf("Info.Revision = %d, want the last put's revision %d", info.Revision, rev)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if info.SHA256 != hex.EncodeToString(sum[:]) || info.Size != int64(len(data)) {
		t.Errorf("Info says %d bytes sha256 %s; the file has %d bytes sha256 %x", info.Size, info.SHA256, len(data), sum)
	}
	if info.Version == "" || info.ConsistentIndex == 0 {
		t.Errorf("Info.Version %q and Info.ConsistentIndex %d should be set by an etcd 3.7 server", info.Version, info.ConsistentIndex)
	}

	verified, err := Verify(path)
	if err != nil {
		t.Fatalf("Verify of a fresh snapshot: %v", err)
	}
	if verified != info {
		t.Errorf("Verify says %+v, Save said %+v", verified, info)
	}
}

func TestSaveCountsOnlyLiveKeys(t *testing.T) {
	cli := connectTest(t, startTestEtcd(t))
	putKeys(t, cli, 10, 10)
	putKeys(t, cli, 3, 20) // overwrites key-000000..2: still 10 keys
	del, err := cli.Delete(context.Background(), "key-000006", clientv3.WithFromKey())
	if err != nil {
		t.Fatal(err)
	}
	if del.Deleted != 4 {
		t.Fatalf("deleted %d keys, want 4", del.Deleted)
	}

	info, err := Save(context.Background(), cli, filepath.Join(t.TempDir(), "etcd.db"))
	if err != nil {
		t.Fatal(err)
	}

	if info.Keys != 6 || info.Revision != del.Header.Revision {
		t.Errorf("Info has %d keys at revision %d, want 6 keys at the delete's revision %d", info.Keys, info.Revision, del.Header.Revision)
	}
}

func TestSaveIntoMissingDirectoryFailsAndLeavesNothing(t *testing.T) {
	cli := connectTest(t, startTestEtcd(t))
	dir := filepath.Join(t.TempDir(), "no-such-dir")
	path := filepath.Join(dir, "etcd.db")

	_, err := Save(context.Background(), cli, path)

	if err == nil || !strings.Contains(err.Error(), path+partSuffix) {
		t.Fatalf("Save into a missing directory: err = %v, want one naming %s", err, path+partSuffix)
	}
	assertMissing(t, dir)
}

func TestSaveCancelledMidStreamRemovesPartAndKeepsOldSnapshot(t *testing.T) {
	cli := connectTest(t, startTestEtcd(t))
	putKeys(t, cli, 1000, 1000) // about 1 MB: many 32 KiB chunks
	path := filepath.Join(t.TempDir(), "etcd.db")
	previous := []byte("yesterday's snapshot")
	if err := os.WriteFile(path, previous, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var partSeen bool

	_, err := saveSnapshot(ctx, cli, path, func(written int64) {
		_, statErr := os.Stat(path + partSuffix)
		partSeen = statErr == nil
		cancel()
	})

	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Save after cancel: err = %v, want context.Canceled", err)
	}
	if !partSeen {
		t.Error("the .part file did not exist while streaming")
	}
	assertMissing(t, path+partSuffix)
	if got, _ := os.ReadFile(path); !bytes.Equal(got, previous) {
		t.Errorf("the existing snapshot was changed to %d bytes", len(got))
	}
}

func TestSaveRefusesAClientWithSeveralEndpoints(t *testing.T) {
	ep := startTestEtcd(t)
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{ep, ep}, DialTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	path := filepath.Join(t.TempDir(), "etcd.db")

	_, err = Save(context.Background(), cli, path)

	if err == nil || !strings.Contains(err.Error(), "exactly one endpoint") {
		t.Fatalf("err = %v, want a refusal asking for exactly one endpoint", err)
	}
	assertMissing(t, path+partSuffix)
}
