package restore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/etcdsnap"
	"github.com/glusterdr/terraform-provider-gluster/internal/etcdsnap/etcdtest"
	"github.com/glusterdr/terraform-provider-gluster/internal/failover"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// nodes are this machine, but for gluster, whose session stops are
// recorded and answered with success.
type nodes struct {
	mu    sync.Mutex
	stops []string
}

func (n *nodes) Runner(host string) remote.Runner {
	return &node{Local: remote.Local{Name: host}, n: n}
}
func (n *nodes) Files(string) remote.Files { return remote.LocalFiles{} }

type node struct {
	remote.Local
	n *nodes
}

// sessions is `gluster volume geo-replication status` with one running
// session of the global volume (the captured fixture, renamed), and one of
// another volume, which a restore of global leaves alone.
var sessions = func() string {
	b, err := os.ReadFile("../gluster/testdata/georep-status-running.xml.out")
	if err != nil {
		panic(err)
	}
	one := strings.NewReplacer("<name>gv0</name>", "<name>global</name>", "vm::gv1", "sdsc1::global-dr").Replace(string(b))
	other := strings.Replace(string(b), "<volume>", "<volume>", 1)
	i, j := strings.Index(other, "<volume>"), strings.LastIndex(other, "</volume>")+len("</volume>")
	return strings.Replace(one, "</volume>", "</volume>\n    "+other[i:j], 1)
}()

func (r *node) Run(ctx context.Context, cmd remote.Cmd) (remote.Result, error) {
	if strings.Join(cmd.Argv, " ") == "gluster --xml volume geo-replication status" {
		return remote.Result{Stdout: []byte(sessions)}, nil
	}
	if cmd.Argv[0] == "gluster" {
		r.n.mu.Lock()
		r.n.stops = append(r.n.stops, strings.Join(cmd.Argv, " "))
		r.n.mu.Unlock()
		return remote.Result{Stdout: []byte("<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/></cliOutput>")}, nil
	}
	return r.Local.Run(ctx, cmd)
}

type lab struct {
	t       *testing.T
	root    string
	primary string // the global volume's mount
	point   string
	nodes   *nodes
	r       Restorer
	out     *bytes.Buffer
}

const set = "20261125T020000Z-sdsc"

// newLab is a primary volume as it was on night 1, with set's point taken
// of it at sdsc (the site's volume holds the backup folder too).
func newLab(t *testing.T) *lab {
	root := t.TempDir()
	l := &lab{t: t, root: root, primary: filepath.Join(root, "global"), nodes: &nodes{}, out: &bytes.Buffer{}}
	store := filepath.Join(root, "points")
	l.point = filepath.Join(store, set)
	for i := range 12 {
		write(t, filepath.Join(l.primary, "home", "u"+string(rune('a'+i%3)), "f"+string(rune('a'+i))), strings.Repeat("x", 100*(i+1)))
	}
	write(t, filepath.Join(l.primary, "apps", "db", "data"), strings.Repeat("d", 5000))
	setDir := filepath.Join(l.primary, "backup", set)
	write(t, filepath.Join(setDir, backupset.ProvisioningFile), `{"inventory":"redacted"}`)
	write(t, filepath.Join(setDir, backupset.DumpDir, "vols", "info"), "type=Distribute\n")
	snap := saveEtcd(t, filepath.Join(setDir, backupset.EtcdFile))
	write(t, filepath.Join(l.primary, gluster.MarkerName), "night 1")

	s := &schedule.Schedule{StateDir: filepath.Join(root, "state"), LockFile: filepath.Join(root, "state", "run.lock"),
		Primary: schedule.Primary{Volume: "global", Mount: l.primary, Node: "p1", BackupDir: filepath.Join(l.primary, "backup")},
		Targets: []schedule.Target{{Name: "sdsc", PrimaryVolume: "global", SecondaryHost: "sdsc1", SecondaryVolume: "global-dr",
			VerifyNode: "sdsc2", RestorePoints: schedule.RestorePoints{Method: schedule.PointsLinkTree, Node: "sdsc2", Store: store}}}}
	e := &drrun.Engine{Schedule: s, Nodes: l.nodes}
	m := backupset.New(time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC), "sdsc", retention.Full, "")
	m.Status, m.Contents.Etcd = retention.Verified, &backupset.EtcdInfo{SHA256: snap.SHA256, Revision: snap.Revision, Keys: snap.Keys}
	m.RestorePoint = &backupset.RestorePoint{Method: schedule.PointsLinkTree, Node: "sdsc2", Location: l.point}
	if err := os.MkdirAll(setDir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := e.Store().Write(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	must(t, os.MkdirAll(store, 0o700))
	if out, err := exec.Command("cp", "-a", l.primary, l.point).CombinedOutput(); err != nil {
		t.Fatalf("cp: %s", out)
	}
	l.r = Restorer{Engine: e, Out: l.out}
	return l
}

func saveEtcd(t *testing.T, dst string) etcdsnap.Info {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{etcdtest.Start(t, 30)}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	info, err := etcdsnap.Save(context.Background(), cli, dst)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// disaster overwrites files with garbage, deletes some, adds some, and
// changes a mode, on the primary; a newer set appears in the backup folder.
func (l *lab) disaster() {
	for _, f := range []string{"home/ua/fa", "home/ub/fb", "apps/db/data"} {
		write(l.t, filepath.Join(l.primary, f), "garbage")
	}
	for _, f := range []string{"home/uc/fc", "home/ua/fd"} {
		must(l.t, os.Remove(filepath.Join(l.primary, f)))
	}
	write(l.t, filepath.Join(l.primary, "home", "ua", "new"), "new")
	write(l.t, filepath.Join(l.primary, "tmp", "junk", "x"), "junk")
	must(l.t, os.Chmod(filepath.Join(l.primary, "home", "ub", "fe"), 0o600))
	write(l.t, filepath.Join(l.primary, "backup", "20261126T020000Z-sdsc", "set.json"), "{}")
	write(l.t, filepath.Join(l.primary, gluster.MarkerName), "night 2")
}

// tree maps every path under root, but the backup folder and the marker,
// to its sha256 (or "dir") and mode.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "backup" || rel == gluster.MarkerName {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, _ := d.Info()
		v := info.Mode().String()
		if d.Type().IsRegular() {
			data, _ := os.ReadFile(p)
			sum := sha256.Sum256(data)
			v += " " + hex.EncodeToString(sum[:]) + " " + info.ModTime().UTC().Format(time.RFC3339Nano)
		}
		out[rel] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDryRunShowsTheChangesAndChangesNothing(t *testing.T) {
	l := newLab(t)
	l.disaster()
	before := tree(t, l.primary)
	res, err := l.r.Run(context.Background(), Request{Site: "sdsc", Set: set, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Changes
	// 3 overwritten, 2 deleted, 1 mode changed; home/ua/new and tmp/ removed.
	if c.FilesRestored != 6 || c.BytesRestored != 100+200+300+400+500+5000 || c.FilesRemoved != 2 || c.PathsRemoved != 2 {
		t.Errorf("changes: %+v", c)
	}
	if !strings.Contains(l.out.String(), "delete 2 paths under "+l.primary+" (2 files)") || !strings.Contains(l.out.String(), "copy 6 files (6500 bytes)") {
		t.Errorf("the plan does not say what will change:\n%s", l.out)
	}
	if after := tree(t, l.primary); !equal(before, after) || len(l.nodes.stops) != 0 {
		t.Errorf("a dry run changed the primary or stopped sessions: %v", l.nodes.stops)
	}
	res, err = l.r.Run(context.Background(), Request{Site: "sdsc", Set: set})
	if !errors.Is(err, failover.ErrNotConfirmed) || !strings.Contains(err.Error(), "overwrites and deletes files") {
		t.Errorf("without --yes: %v", err)
	}
}

// TestRestoreBringsThePointBack: every byte, mode and mtime of the point is
// back, what did not exist then is gone, the backup folder and the marker
// are untouched, and the operator has etcd, the dump and the provisioning
// state beside each other.
func TestRestoreBringsThePointBack(t *testing.T) {
	l := newLab(t)
	want := tree(t, l.point)
	l.disaster()
	dataDir := filepath.Join(l.root, "restored", "etcd")
	res, err := l.r.Run(context.Background(), Request{Site: "sdsc", Set: set, Yes: true, EtcdDataDir: dataDir,
		EtcdMember: etcdsnap.Member{Name: "cp-1", PeerURL: "https://10.0.0.11:2380"}})
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, l.out)
	}
	if got := tree(t, l.primary); !equal(want, got) {
		t.Errorf("the primary is not the point:\nwant %v\ngot  %v", want, got)
	}
	if _, err := os.Stat(filepath.Join(l.primary, "backup", "20261126T020000Z-sdsc")); err != nil {
		t.Errorf("the newer set in the backup folder was touched: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(l.primary, gluster.MarkerName)); string(b) != "night 2" {
		t.Errorf("the marker was restored: %q", b)
	}
	if len(l.nodes.stops) != 1 || !strings.Contains(l.nodes.stops[0], "geo-replication global sdsc1::global-dr stop force") {
		t.Errorf("session stops: %v", l.nodes.stops)
	}
	if res.Etcd == nil || res.Etcd.Keys != 30 {
		t.Errorf("etcd: %+v", res.Etcd)
	}
	for _, p := range []string{"etcd/member/snap/db", backupset.ProvisioningFile, backupset.MetaFile, "cluster-dump/vols/info", backupset.EtcdFile} {
		if _, err := os.Stat(filepath.Join(l.root, "restored", p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if res.Journal == nil || res.Journal.Finished.IsZero() || len(res.Steps) < 4 || !strings.Contains(strings.Join(res.Steps, "\n"), "--initial-cluster cp-1=https://10.0.0.11:2380") {
		t.Errorf("journal %+v, steps %q", res.Journal, res.Steps)
	}
	if res.Copied == nil || res.Copied.ArchiveBytes < 6500 {
		t.Errorf("copied: %+v", res.Copied)
	}
	again, err := l.r.Run(context.Background(), Request{Site: "sdsc", Set: set, DryRun: true})
	if err != nil || !again.Changes.Empty() {
		t.Errorf("after the restore a dry run still finds changes: %+v, %v", again.Changes, err)
	}
}

func TestRestoreOneSubtree(t *testing.T) {
	l := newLab(t)
	want := tree(t, filepath.Join(l.point, "home"))
	l.disaster()
	if _, err := l.r.Run(context.Background(), Request{Site: "sdsc", Set: set, Path: "/home/", Yes: true}); err != nil {
		t.Fatalf("restore: %v\n%s", err, l.out)
	}
	if got := tree(t, filepath.Join(l.primary, "home")); !equal(want, got) {
		t.Errorf("home is not the point's:\nwant %v\ngot  %v", want, got)
	}
	if b, _ := os.ReadFile(filepath.Join(l.primary, "apps", "db", "data")); string(b) != "garbage" {
		t.Error("a restore of home changed apps")
	}
	if _, err := os.Stat(filepath.Join(l.primary, "tmp", "junk", "x")); err != nil {
		t.Error("a restore of home removed tmp")
	}
}

// TestInterruptedRestoreResumes: a restore whose copy failed resumes,
// skipping what was done, and blocks the nightly run until it is finished.
func TestInterruptedRestoreResumes(t *testing.T) {
	l := newLab(t)
	want := tree(t, l.point)
	l.disaster()
	// Nothing can be removed from or written into home/ua, root or not.
	locked := filepath.Join(l.primary, "home", "ua")
	if out, err := exec.Command("chattr", "+i", locked).CombinedOutput(); err != nil {
		t.Fatalf("this test makes a folder immutable (chattr +i, as root): %s", out)
	}
	defer func() { _ = exec.Command("chattr", "-i", locked).Run() }()
	req := Request{Site: "sdsc", Set: set, Yes: true}
	_, err := l.r.Run(context.Background(), req)
	if err == nil || !strings.Contains(err.Error(), `failed at step "remove"`) {
		t.Fatalf("the restore did not fail at remove: %v", err)
	}
	eng := l.r.Engine
	if _, rerr := eng.Run(context.Background(), drrun.RunOptions{}); rerr == nil || !strings.Contains(rerr.Error(), "restore") {
		t.Errorf("a nightly run during an unfinished restore: %v", rerr)
	}
	must(t, exec.Command("chattr", "-i", locked).Run())
	l.out.Reset()
	_, err = l.r.Run(context.Background(), req)
	if err != nil {
		t.Fatalf("resumed restore: %v\n%s", err, l.out)
	}
	if !strings.Contains(l.out.String(), "already done: on p1 stop every geo-replication session") {
		t.Errorf("the resumed restore did not skip the steps done:\n%s", l.out)
	}
	if got := tree(t, l.primary); !equal(want, got) {
		t.Errorf("the primary is not the point after the resume")
	}
}

func TestBadRequestsAreRefused(t *testing.T) {
	l := newLab(t)
	for _, tt := range []struct {
		req  Request
		want string
	}{
		{Request{Site: "tacc", Set: set}, `target "tacc" is not in the schedule`},
		{Request{Site: "sdsc", Set: "20261125T020000Z-tacc"}, "was replicated to tacc, not sdsc"},
		{Request{Site: "sdsc", Set: set, Path: "backup/" + set}, "is the backup folder"},
		{Request{Site: "sdsc", Set: set, Path: "nosuchdir"}, "is not a folder in restore point"},
		{Request{Site: "sdsc", Set: "20261124T020000Z-sdsc"}, "restore point"},
	} {
		if _, err := l.r.Run(context.Background(), tt.req); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.req, err, tt.want)
		}
	}
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func write(t *testing.T, p, content string) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(p), 0o755))
	must(t, os.WriteFile(p, []byte(content), 0o644))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
