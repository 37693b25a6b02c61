package etcdsnap

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"go.etcd.io/etcd/etcdutl/v3/snapshot"
	"go.uber.org/zap"
)

// Member is the etcd member a restored data directory is made for: what
// `etcdutl snapshot restore` takes as --name, --initial-advertise-peer-urls,
// --initial-cluster and --initial-cluster-token.
type Member struct {
	Name           string
	PeerURL        string
	InitialCluster string // "" means Name=PeerURL: a cluster of one
	ClusterToken   string // "" means etcd's default, "etcd-cluster"
}

// RestoreDataDir verifies the snapshot and restores it into dataDir, in
// etcdutl's layout (member/snap/db, member/wal), for m. It refuses a
// dataDir that exists and is not empty, as etcdutl does.
func RestoreDataDir(snapshotPath, dataDir string, m Member) (Info, error) {
	info, err := Verify(snapshotPath)
	if err != nil {
		return info, err
	}
	entries, err := os.ReadDir(dataDir)
	switch {
	case err == nil && len(entries) > 0:
		return info, fmt.Errorf("the etcd data directory %s exists and is not empty; name a new one", dataDir)
	case err == nil:
		if err := os.Remove(dataDir); err != nil { // etcdutl makes it itself
			return info, err
		}
	case !errors.Is(err, fs.ErrNotExist):
		return info, err
	}
	if m.InitialCluster == "" {
		m.InitialCluster = m.Name + "=" + m.PeerURL
	}
	if m.ClusterToken == "" {
		m.ClusterToken = "etcd-cluster"
	}
	err = snapshot.NewV3(zap.NewNop()).Restore(snapshot.RestoreConfig{
		SnapshotPath: snapshotPath, Name: m.Name, OutputDataDir: dataDir, PeerURLs: []string{m.PeerURL},
		InitialCluster: m.InitialCluster, InitialClusterToken: m.ClusterToken,
	})
	if err != nil {
		return info, fmt.Errorf("restore %s into %s: %w", snapshotPath, dataDir, err)
	}
	return info, nil
}
