package drrun

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// localNodes is every node as this machine: the fakes of this package work
// at the gluster layer (replication and the read-only mount), and
// everything else (find, sha256sum, the dump command, SFTP-like writes)
// runs for real on local folders.
type localNodes struct{}

func (localNodes) Runner(host string) remote.Runner { return siteRunner{remote.Local{Name: host}} }
func (localNodes) Files(string) remote.Files        { return remote.LocalFiles{} }

// siteRunner answers `gluster volume info` of the sites' volumes, whose
// bricks the restore point store must stay out of, and runs everything
// else for real.
type siteRunner struct{ remote.Local }

func (r siteRunner) Run(ctx context.Context, cmd remote.Cmd) (remote.Result, error) {
	if strings.Join(cmd.Argv, " ") == "gluster --xml volume info global-dr" {
		return remote.Result{Stdout: []byte(siteVolumeInfo)}, nil
	}
	return r.Local.Run(ctx, cmd)
}

const siteVolumeInfo = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/><volInfo><volumes><volume>
<name>global-dr</name><id>6a1f</id><status>1</status><statusStr>Started</statusStr><type>0</type><typeStr>Distribute</typeStr>
<brickCount>1</brickCount><bricks><brick uuid="u1">sdsc1:/bricks/global-dr<name>sdsc1:/bricks/global-dr</name><hostUuid>u1</hostUuid><isArbiter>0</isArbiter></brick></bricks>
<options/></volume><count>1</count></volumes></volInfo></cliOutput>`

// pointMounts mounts a site's volume (by the node that asks) as the
// harness's folder of that site.
type pointMounts struct{ h *harness }

func (m pointMounts) Volume(_ context.Context, _ remote.Runner, host, _ string, _ bool) (string, func(context.Context) error, error) {
	for name, node := range map[string]string{"sdsc": "sdsc2", "tacc": "tacc1"} {
		if host == node {
			return m.h.sites[name], func(context.Context) error { return nil }, nil
		}
	}
	return "", nil, fmt.Errorf("no site volume on %s", host)
}

func (pointMounts) Snapshot(context.Context, remote.Runner, string, string, string) (string, func(context.Context) error, error) {
	return "", nil, fmt.Errorf("the harness keeps link-tree points only")
}

// harness is one primary "volume" and one folder per target "volume".
type harness struct {
	t       *testing.T
	root    string
	primary string // the mount of the global volume
	sites   map[string]string
	eng     *Engine
	logs    *bytes.Buffer

	mu sync.Mutex
	// damage runs on a target's copy after replication, to fake a
	// replication that silently loses bytes.
	damage func(site string)
	// onReplicate runs before the copy, e.g. to cancel the run.
	onReplicate func(ctx context.Context) error
	cycles      int
	// stopped lists the sessions stopped outside a checkpoint cycle.
	stopped []string
}

var (
	etcdOnce     sync.Once
	etcdEndpoint string
	etcdErr      error
)

// sharedEtcd is one embedded etcd on loopback for the package's tests, with
// a few keys in it.
func sharedEtcd(t *testing.T) string {
	t.Helper()
	etcdOnce.Do(func() {
		dir, err := os.MkdirTemp("", "drrun-etcd-")
		if err != nil {
			etcdErr = err
			return
		}
		u, _ := url.Parse("http://127.0.0.1:0")
		cfg := embed.NewConfig()
		cfg.Dir = dir
		cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*u}, []url.URL{*u}
		cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*u}, []url.URL{*u}
		cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
		cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
		cfg.UnsafeNoFsync = true
		e, err := embed.StartEtcd(cfg)
		if err != nil {
			etcdErr = err
			return
		}
		<-e.Server.ReadyNotify()
		etcdEndpoint = "http://" + e.Clients[0].Addr().String()
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{etcdEndpoint}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
		if err != nil {
			etcdErr = err
			return
		}
		defer cli.Close()
		for i := range 20 {
			if _, err := cli.Put(context.Background(), fmt.Sprintf("/registry/cm/%02d", i), "v"); err != nil {
				etcdErr = err
				return
			}
		}
	})
	if etcdErr != nil {
		t.Fatalf("embedded etcd: %v", etcdErr)
	}
	return etcdEndpoint
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	root := t.TempDir()
	h := &harness{t: t, root: root, primary: filepath.Join(root, "primary"),
		sites: map[string]string{"sdsc": filepath.Join(root, "sdsc"), "tacc": filepath.Join(root, "tacc")}, logs: &bytes.Buffer{}}
	for _, d := range []string{h.primary, h.sites["sdsc"], h.sites["tacc"], filepath.Join(root, "vols")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Volume content for the sample, settled well before any checkpoint.
	old := time.Now().Add(-time.Hour)
	for i := range 30 {
		p := filepath.Join(h.primary, "data", fmt.Sprintf("d%d", i%3), fmt.Sprintf("f%02d.bin", i))
		write(t, p, strings.Repeat(fmt.Sprint(i), 1000+i))
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(root, "vols", "global", "info"), "type=Distribute\n")
	abs := func(name string) string { p, _ := filepath.Abs(filepath.Join("testdata", name)); return p }
	s := &schedule.Schedule{
		Cron: "0 2 * * *", TimeZone: "UTC", Rotation: schedule.RotationAlternate, CheckpointTimeout: time.Minute,
		SampleFiles: 5, DrillEvery: 7 * 24 * time.Hour, StateDir: filepath.Join(root, "state"), LockFile: filepath.Join(root, "state", "run.lock"),
		MetricsFile: filepath.Join(root, "metrics", "glusterdr.prom"),
		Primary:     schedule.Primary{Volume: "global", Mount: h.primary, Node: "p1", BackupDir: filepath.Join(h.primary, "backup")},
		Targets: []schedule.Target{
			{Name: "sdsc", PrimaryVolume: "global", SecondaryHost: "sdsc1", SecondaryVolume: "global-dr", SecondaryUser: "root", SSHPort: 22, VerifyNode: "sdsc2",
				RestorePoints: schedule.RestorePoints{Method: schedule.PointsLinkTree, Node: "sdsc2", Store: filepath.Join(root, "points", "sdsc")}},
			{Name: "tacc", PrimaryVolume: "global", SecondaryHost: "tacc1", SecondaryVolume: "global-dr", SecondaryUser: "root", SSHPort: 22, VerifyNode: "tacc1",
				RestorePoints: schedule.RestorePoints{Method: schedule.PointsLinkTree, Node: "tacc1", Store: filepath.Join(root, "points", "tacc")}},
		},
		Retention:   retention.Policy{Daily: 4, Weekly: 2},
		Etcd:        &schedule.Etcd{Endpoints: []string{sharedEtcd(t)}, DialTimeout: 5 * time.Second},
		ClusterDump: schedule.ClusterDump{Command: []string{"cp", "-a", filepath.Join(root, "vols"), schedule.DirPlaceholder}},
		Provisioning: &schedule.Provisioning{AnsibleInventoryCommand: []string{"cat", abs("inventory.json")},
			Inventory: []string{abs("hosts.ini")}, ImageRef: "registry.example.org/platform/node:2026.11"},
	}
	h.eng = &Engine{Schedule: s, Nodes: localNodes{},
		Log:       slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Replicate: h.replicate, Mount: h.mount, Seed: func() int64 { return 42 },
		StopSession: func(_ context.Context, _ remote.Runner, ref gluster.SessionRef) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.stopped = append(h.stopped, ref.String())
			return nil
		}}
	h.eng.PointMounts = pointMounts{h}
	return h
}

// replicate copies the primary's folder to the target's, like a checkpoint
// cycle that completed.
func (h *harness) replicate(ctx context.Context, primary remote.Runner, ref gluster.SessionRef, opts gluster.CycleOptions) (*gluster.CycleResult, error) {
	h.mu.Lock()
	h.cycles++
	h.mu.Unlock()
	start := time.Now()
	cp := start.Add(-time.Millisecond)
	if err := opts.Marker(ctx); err != nil {
		return nil, err
	}
	res := &gluster.CycleResult{CheckpointTime: cp}
	if h.onReplicate != nil {
		if err := h.onReplicate(ctx); err != nil {
			return res, err
		}
	}
	site := h.site(ref)
	if out, err := exec.CommandContext(context.WithoutCancel(ctx), "cp", "-a", h.primary+"/.", site).CombinedOutput(); err != nil {
		return res, fmt.Errorf("cp: %v: %s", err, out)
	}
	if h.damage != nil {
		h.damage(site)
	}
	res.CompletedAt, res.NoticedAt, res.Duration = time.Now(), time.Now(), time.Since(start)
	return res, nil
}

func (h *harness) site(ref gluster.SessionRef) string {
	for name, t := range map[string]string{"sdsc": "sdsc1", "tacc": "tacc1"} {
		if ref.SecondaryHost == t {
			return h.sites[name]
		}
	}
	h.t.Fatalf("no site for %s", ref)
	return ""
}

func (h *harness) mount(ctx context.Context, r remote.Runner, host, volume string) (string, func(context.Context) error, error) {
	return h.site(gluster.SessionRef{SecondaryHost: host}), func(context.Context) error { return nil }, nil
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
