package etcdsnap

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// debianEtcd is the etcd-server package's binary (3.4 on Debian 12).
const debianEtcd = "/usr/bin/etcd"

// startTestEtcd starts an embedded etcd on loopback ports with its data in
// t.TempDir(), stopped when the test ends, and returns its client endpoint.
func startTestEtcd(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e, err := startEmbedded(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	eps, err := clientEndpoints(e)
	if err != nil {
		t.Fatal(err)
	}
	return eps[0]
}

// startDebianEtcd runs Debian's etcd binary on loopback, non-default ports,
// with its data in t.TempDir(), and returns its client endpoint.
func startDebianEtcd(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(debianEtcd); err != nil {
		t.Fatalf("%s is missing (%v): run `make deps`, which installs Debian's etcd-server", debianEtcd, err)
	}
	client, peer := "http://"+freeLoopbackAddr(t), "http://"+freeLoopbackAddr(t)
	var logs bytes.Buffer
	cmd := exec.Command(debianEtcd,
		"--name", "debian-etcd",
		"--data-dir", t.TempDir(),
		"--listen-client-urls", client,
		"--advertise-client-urls", client,
		"--listen-peer-urls", peer,
		"--initial-advertise-peer-urls", peer,
		"--initial-cluster", "debian-etcd="+peer,
		"--initial-cluster-state", "new",
		"--log-level", "error",
	)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", debianEtcd, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			t.Errorf("%s did not stop on SIGINT within 10s; killed it", debianEtcd)
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", debianEtcd, logs.String())
		}
	})
	return client
}

// freeLoopbackAddr returns a loopback address with a port free right now.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// connectTest connects to one endpoint, waiting up to 15s for it to answer
// (a freshly started external etcd may still be electing itself).
func connectTest(t testing.TB, endpoint string) *clientv3.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		cli, err := Connect(ctx, Config{Endpoints: []string{endpoint}, DialTimeout: time.Second})
		if err == nil {
			t.Cleanup(func() { _ = cli.Close() })
			return cli
		}
		if ctx.Err() != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// putKeys writes n keys "key-000000".. with values of valueSize bytes, in
// transactions of up to 128 puts, and returns the last header revision.
func putKeys(t testing.TB, cli *clientv3.Client, n, valueSize int) int64 {
	t.Helper()
	const perTxn = 128 // etcd's default --max-txn-ops
	value := string(bytes.Repeat([]byte("v"), valueSize))
	var rev int64
	for start := 0; start < n; start += perTxn {
		var ops []clientv3.Op
		for i := start; i < min(start+perTxn, n); i++ {
			ops = append(ops, clientv3.OpPut(testKey(i), value))
		}
		resp, err := cli.Txn(context.Background()).Then(ops...).Commit()
		if err != nil {
			t.Fatal(err)
		}
		rev = resp.Header.Revision
	}
	return rev
}

func testKey(i int) string { return fmt.Sprintf("key-%06d", i) }

// fileMode returns the permission bits of path, failing the test if absent.
func fileMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func assertMissing(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("%s should not exist (stat error: %v)", path, err)
	}
}

func octal(m os.FileMode) string { return "0" + strconv.FormatUint(uint64(m), 8) }
