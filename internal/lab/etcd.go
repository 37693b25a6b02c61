package lab

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// SeedKeys is how many keys the lab's etcd holds after Up, so that a
// snapshot has something to prove.
const SeedKeys = 200

// startEtcd runs Debian's etcd on p1, listening on the node's address and
// its own loopback, and fills it with SeedKeys keys.
func startEtcd(ctx context.Context, d *Description, p1 *Node) error {
	dataDir := filepath.Join(nodeDir(d.Dir, p1.Name), "etcd")
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	client := fmt.Sprintf("http://%s:%d", p1.Address, EtcdClientPort)
	peer := fmt.Sprintf("http://127.0.0.1:%d", etcdPeerPort)
	argv := []string{"etcd", "--name", p1.Name, "--data-dir", dataDir,
		"--listen-client-urls", client + ",http://127.0.0.1:" + strconv.Itoa(EtcdClientPort),
		"--advertise-client-urls", client,
		"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster", p1.Name + "=" + peer, "--initial-cluster-state", "new"}
	pid, err := startDaemon(d.Dir, *p1, "etcd", argv)
	if err != nil {
		return err
	}
	d.setPID(p1.Name, "etcd", pid)
	d.Etcd = Etcd{Endpoints: []string{client}, DataDir: dataDir}
	if err := waitFor(ctx, "etcd on "+p1.Name, 30*time.Second, func(ctx context.Context) error {
		return etcdHealthy(ctx, client)
	}); err != nil {
		return err
	}
	return seedEtcd(ctx, d.Etcd.Endpoints)
}

func etcdHealthy(ctx context.Context, endpoint string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/health", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("etcd %s/health: %s", endpoint, resp.Status)
	}
	return nil
}

// seedEtcd writes keys shaped like a small Kubernetes registry.
func seedEtcd(ctx context.Context, endpoints []string) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: 5 * time.Second})
	if err != nil {
		return err
	}
	defer cli.Close()
	for i := range SeedKeys {
		key := fmt.Sprintf("/registry/configmaps/lab/cm-%03d", i)
		if _, err := cli.Put(ctx, key, fmt.Sprintf(`{"kind":"ConfigMap","data":{"n":"%d"}}`, i)); err != nil {
			return fmt.Errorf("lab: seeding etcd: %w", err)
		}
	}
	return nil
}

func (d *Description) setPID(node, daemon string, pid int) {
	for i := range d.Nodes {
		if d.Nodes[i].Name == node {
			d.Nodes[i].PIDs[daemon] = pid
		}
	}
}
