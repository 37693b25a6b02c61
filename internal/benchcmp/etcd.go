package benchcmp

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
	"github.com/glusterdr/terraform-provider-gluster/internal/etcdsnap"
)

// EtcdSaveMode is the argument that makes the harness's program save one
// snapshot and exit: glusterdr's side of the etcd comparison, a process
// doing only the save, so that its peak memory is the save's.
const EtcdSaveMode = "etcd-save"

// SaveEtcd is that side: etcdsnap.Save from endpoint into path, as the
// nightly run's snapshot step calls it.
func SaveEtcd(ctx context.Context, endpoint, path string) (etcdsnap.Info, error) {
	cli, err := etcdsnap.Connect(ctx, etcdsnap.Config{Endpoints: []string{endpoint}, DialTimeout: 5 * time.Second})
	if err != nil {
		return etcdsnap.Info{}, err
	}
	info, err := etcdsnap.Save(ctx, cli, path)
	return info, errors.Join(err, cli.Close())
}

// The etcd the comparison snapshots is Debian's etcd-server, the one sites
// run, started by the harness on loopback with its data in the scratch
// folder: the lab's own etcd is shared, and a 200 MB database would slow
// every test that snapshots it.
const (
	debianEtcd    = "/usr/bin/etcd"
	debianEtcdctl = "/usr/bin/etcdctl"
	// etcdValueSize is the size of each value: about a Kubernetes object.
	etcdValueSize = 2048
)

func etcdSave() Comparison {
	return Comparison{
		Name:      "etcd snapshot save",
		Ours:      "etcdsnap.Save, a process of its own",
		Reference: "etcdctl snapshot save (Debian etcd-client 3.4)",
		Run:       runEtcdSave,
	}
}

func runEtcdSave(ctx context.Context, env *Env) (Measured, error) {
	if len(env.EtcdMB) == 0 {
		return Measured{}, errors.New("no database sizes (-etcd-mb)")
	}
	sizes := slices.Sorted(slices.Values(env.EtcdMB))
	var metrics []benchtable.Metric
	var rss [][2][]float64 // per size: ours, reference
	var labels []string
	for i, mb := range sizes {
		o, r, db, err := measureEtcdSave(ctx, env, mb)
		if err != nil {
			return Measured{}, fmt.Errorf("%d MB database: %w", mb, err)
		}
		var goal *benchtable.Goal
		if i == len(sizes)-1 {
			goal = benchtable.RatioAtMost(1.1)
		}
		label := fmt.Sprintf("%d MB database", db/1e6)
		metrics = append(metrics,
			benchtable.NewMetric("wall time, "+label, "s", seconds(o), seconds(r), goal),
			benchtable.NewMetric("peak RSS, "+label, "MiB", mib(o), mib(r), nil))
		rss = append(rss, [2][]float64{mib(o), mib(r)})
		labels = append(labels, fmt.Sprint(db/1e6))
	}
	if len(sizes) > 1 {
		first, last := rss[0], rss[len(rss)-1]
		growth := func(side int) []float64 {
			return []float64{benchtable.Median(last[side]) / benchtable.Median(first[side])}
		}
		metrics = append(metrics, benchtable.NewMetric(
			fmt.Sprintf("peak RSS, %s MB database over %s MB", labels[len(labels)-1], labels[0]), "",
			growth(0), growth(1), benchtable.OursAtMost(1.1)))
	}
	return Measured{Metrics: metrics}, nil
}

// measureEtcdSave runs both sides against a database of about mb MB and
// returns their samples and the snapshot's size.
func measureEtcdSave(ctx context.Context, env *Env, mb int) (ours, ref []Sample, size int64, err error) {
	srv, err := startEtcd(ctx, filepath.Join(env.Scratch, fmt.Sprintf("etcd-%dMB", mb)))
	if err != nil {
		return nil, nil, 0, err
	}
	defer func() { err = errors.Join(err, srv.stop()) }()
	if size, err = fillEtcd(ctx, srv.endpoint, int64(mb)*1e6); err != nil {
		return nil, nil, 0, err
	}
	env.logf("etcd: a %d MB database at %s", size/1e6, srv.endpoint)
	snap := filepath.Join(env.Scratch, "snapshot.db")
	oursSide := func(ctx context.Context) (Sample, error) {
		defer os.Remove(snap)
		return Exec(ctx, os.Environ(), env.Self, EtcdSaveMode, srv.endpoint, snap)
	}
	refSide := func(ctx context.Context) (Sample, error) {
		defer os.Remove(snap)
		return Exec(ctx, append(os.Environ(), "ETCDCTL_API=3"), debianEtcdctl, "--endpoints", srv.endpoint, "snapshot", "save", snap)
	}
	ours, ref, err = Alternate(ctx, env, oursSide, refSide)
	return ours, ref, size, err
}

type etcdServer struct {
	endpoint string
	cmd      *exec.Cmd
	done     chan error
}

// startEtcd runs Debian's etcd with its data in dir (kept, so that a filled
// database is filled once) and waits until it answers.
func startEtcd(ctx context.Context, dir string) (*etcdServer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	client, peer, err := freeLoopbackPorts()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "etcd.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(debianEtcd, "--name", "bench", "--data-dir", filepath.Join(dir, "data"),
		"--listen-client-urls", client, "--advertise-client-urls", client,
		"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster", "bench="+peer, "--initial-cluster-state", "new",
		"--quota-backend-bytes", strconv.Itoa(8<<30),
		// A snapshot of its state every 1000 writes keeps the log it replays
		// when started again short, so that a filled database starts fast.
		"--snapshot-count", "1000")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (make deps installs etcd-server): %w", debianEtcd, err)
	}
	s := &etcdServer{endpoint: client, cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	if err := s.waitReady(ctx); err != nil {
		return nil, errors.Join(err, s.stop())
	}
	return s, nil
}

func (s *etcdServer) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute) // a busy machine replaying a long log
	defer cancel()
	cli, err := newEtcdClient(s.endpoint)
	if err != nil {
		return err
	}
	defer cli.Close()
	for {
		_, err := cli.Status(ctx, s.endpoint)
		if err == nil {
			return nil
		}
		select {
		case err := <-s.done:
			return fmt.Errorf("etcd exited while starting: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("etcd at %s did not answer: %w", s.endpoint, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (s *etcdServer) stop() error {
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		return nil // already gone
	}
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	return nil
}

// fillEtcd puts values until the database is at least size bytes, and
// returns its size.
func fillEtcd(ctx context.Context, endpoint string, size int64) (int64, error) {
	cli, err := newEtcdClient(endpoint)
	if err != nil {
		return 0, err
	}
	defer cli.Close()
	const perTxn = 100 // etcd's --max-txn-ops is 128
	value := make([]byte, etcdValueSize)
	for {
		st, err := cli.Status(ctx, endpoint)
		if err != nil {
			return 0, err
		}
		if st.DbSize >= size {
			return st.DbSize, nil
		}
		base := st.Header.Revision
		var ops []clientv3.Op
		for i := range int64(perTxn) {
			_, _ = rand.Read(value)
			ops = append(ops, clientv3.OpPut(fmt.Sprintf("/registry/bench/%d-%d", base, i), string(value)))
		}
		if _, err := cli.Txn(ctx).Then(ops...).Commit(); err != nil {
			return 0, fmt.Errorf("filling etcd: %w", err)
		}
	}
}

func newEtcdClient(endpoint string) (*clientv3.Client, error) {
	return clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
}

// freeLoopbackPorts returns two URLs on loopback ports that were free.
func freeLoopbackPorts() (client, peer string, err error) {
	var urls []string
	for range 2 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", "", err
		}
		urls = append(urls, "http://"+l.Addr().String())
		defer l.Close()
	}
	return urls[0], urls[1], nil
}
