package etcdsnap

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/etcdutl/v3/snapshot"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// Served is an etcd restored from a snapshot and serving it on loopback,
// for a restore drill.
type Served struct {
	// Endpoints are the client URLs, e.g. "http://127.0.0.1:40123".
	Endpoints []string
	// Revision and Keys are what the running server reports.
	Revision int64
	Keys     int64
	// Dir holds the restored data directory; Close removes it.
	Dir string

	etcd *embed.Etcd
}

// Close stops etcd and removes its data.
func (s *Served) Close() error {
	s.etcd.Close()
	if err := os.RemoveAll(s.Dir); err != nil {
		return fmt.Errorf("remove restore drill data %s: %w", s.Dir, err)
	}
	return nil
}

// RestoreAndServe verifies the snapshot, restores it with etcdutl into a
// new directory under scratchDir (which must exist), starts an embedded
// etcd on loopback ports and waits, bounded by ctx, until it serves. It
// fails unless the server reports the snapshot's revision and key count.
// The caller must Close the result.
func RestoreAndServe(ctx context.Context, snapshotPath, scratchDir string) (_ *Served, err error) {
	want, err := Verify(snapshotPath)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(scratchDir, "etcd-restore-drill-")
	if err != nil {
		return nil, fmt.Errorf("restore drill: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, os.RemoveAll(dir))
		}
	}()
	dataDir := filepath.Join(dir, "data")
	if err := restore(snapshotPath, dataDir); err != nil {
		return nil, err
	}
	e, err := startEmbedded(ctx, dataDir)
	if err != nil {
		return nil, fmt.Errorf("restore drill: %w", err)
	}
	s := &Served{Dir: dir, etcd: e}
	if err := s.check(ctx, want); err != nil {
		e.Close()
		return nil, fmt.Errorf("restore drill of %s: %w", snapshotPath, err)
	}
	return s, nil
}

func restore(snapshotPath, dataDir string) error {
	err := snapshot.NewV3(zap.NewNop()).Restore(snapshot.RestoreConfig{
		SnapshotPath:        snapshotPath,
		Name:                embeddedName,
		OutputDataDir:       dataDir,
		PeerURLs:            []string{embeddedPeerURL},
		InitialCluster:      embeddedName + "=" + embeddedPeerURL,
		InitialClusterToken: embeddedToken,
	})
	if err != nil {
		return fmt.Errorf("restore %s into %s: %w", snapshotPath, dataDir, err)
	}
	return nil
}

// check asks the running server for its revision and key count and
// compares them with what the snapshot file holds.
func (s *Served) check(ctx context.Context, want Info) error {
	eps, err := clientEndpoints(s.etcd)
	if err != nil {
		return err
	}
	s.Endpoints = eps
	cli, err := clientv3.New(clientv3.Config{Endpoints: eps, DialTimeout: DefaultDialTimeout, Logger: zap.NewNop()})
	if err != nil {
		return fmt.Errorf("client for %v: %w", eps, err)
	}
	defer cli.Close() // a local client; nothing to flush
	resp, err := cli.Get(ctx, "\x00", clientv3.WithFromKey(), clientv3.WithCountOnly())
	if err != nil {
		return fmt.Errorf("count keys at %v: %w", eps, err)
	}
	s.Revision, s.Keys = resp.Header.Revision, resp.Count
	if s.Revision != want.Revision || s.Keys != want.Keys {
		return fmt.Errorf("restored etcd serves revision %d with %d keys, the snapshot holds revision %d with %d keys",
			s.Revision, s.Keys, want.Revision, want.Keys)
	}
	return nil
}
