//go:build lab

package lab_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/sitemount"
)

func instance(t *testing.T) lab.Instance {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("the lab tests need root: run them as root through `make test-lab`")
	}
	inst, err := lab.InstanceFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func logger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// TestLab brings a fresh lab up, replicates to both sites through the real
// geo-replication path, and takes it down again, checking that nothing of
// it is left on the host.
func TestLab(t *testing.T) {
	inst := instance(t)
	ctx := context.Background()
	opts := lab.Options{Instance: inst, Log: logger(t)}
	if err := lab.Down(ctx, opts); err != nil {
		t.Fatalf("clearing the lab before the test: %v", err)
	}
	before := snapshotHost(t, inst)

	start := time.Now()
	d, err := lab.Up(ctx, opts)
	if err != nil {
		t.Fatalf("lab up: %v", err)
	}
	t.Logf("lab up from scratch took %s", time.Since(start).Round(time.Millisecond))
	t.Cleanup(func() { _ = lab.Down(context.Background(), opts) })

	t.Run("up again keeps the running lab", func(t *testing.T) {
		again, err := lab.Up(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		for i, n := range again.Nodes {
			if n.HolderPID != d.Nodes[i].HolderPID || n.PIDs["glusterd"] != d.Nodes[i].PIDs["glusterd"] {
				t.Errorf("node %s was rebuilt by a second up (holder %d -> %d)", n.Name, d.Nodes[i].HolderPID, n.HolderPID)
			}
		}
	})

	t.Run("status is healthy", func(t *testing.T) {
		if st := lab.Inspect(ctx, d); !st.Healthy() {
			t.Fatalf("problems: %v", st.Problems())
		}
	})

	pool := remote.NewPool(slog.New(slog.DiscardHandler))
	conn := lab.Conn{D: d, Pool: pool}

	t.Run("nodes are separate hosts reached over SSH", func(t *testing.T) {
		for _, n := range d.Nodes {
			r, _ := conn.Runner(n.Name)
			res, err := r.Run(ctx, remote.Command("hostname"))
			if err != nil {
				t.Fatalf("%s: %v", n.Name, err)
			}
			if got := strings.TrimSpace(string(res.Stdout)); got != n.Name {
				t.Errorf("hostname at %s = %q, want %q", n.Address, got, n.Name)
			}
		}
		p1, _ := conn.Runner("p1")
		if _, err := p1.Run(ctx, remote.Command("mountpoint", "-q", lab.MountPath)); err != nil {
			t.Errorf("the global volume is not mounted on p1: %v", err)
		}
	})

	t.Run("a cycle to each site delivers the bytes", func(t *testing.T) {
		for _, site := range []string{"sdsc", "tacc"} {
			replicateAndCompare(t, conn, site)
		}
	})

	t.Run("tacc1 isolated behind the bastion", func(t *testing.T) {
		tacc1, _ := d.Node("tacc1")
		bastion, err := d.Node(lab.Bastion)
		if err != nil {
			t.Fatal(err)
		}
		if err := lab.Isolate(ctx, d, "tacc1"); err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := lab.Reopen(ctx, d, "tacc1"); err != nil {
				t.Fatal(err)
			}
		}()
		if st := lab.Inspect(ctx, d); !st.Healthy() {
			t.Errorf("isolated lab: %v", st.Problems())
		}
		direct := d.SSHConfig(tacc1)
		direct.ConnectTimeout = 2 * time.Second
		if c, err := remote.Dial(ctx, direct); err == nil {
			c.Close()
			t.Fatal("this host reached tacc1 directly")
		}
		jump := d.SSHConfig(bastion)
		via := d.SSHConfig(tacc1)
		via.JumpHost = &jump
		c, err := remote.Dial(ctx, via)
		if err != nil {
			t.Fatalf("through the bastion: %v", err)
		}
		res, err := c.Run(ctx, remote.Command("hostname"))
		c.Close()
		if err != nil || strings.TrimSpace(string(res.Stdout)) != "tacc1" {
			t.Errorf("hostname through the bastion: %q, %v", res.Stdout, err)
		}
		// p1 still reaches tacc1's sshd and glusterd: geo-replication works.
		p1, _ := conn.Runner("p1")
		for _, port := range []string{"22", "24007"} {
			if _, err := p1.Run(ctx, remote.Command("timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/"+tacc1.Address+"/"+port)); err != nil {
				t.Errorf("p1 cannot reach tacc1:%s: %v", port, err)
			}
		}
	})

	t.Run("orphans go to the lab's reaper, not to PID 1", func(t *testing.T) {
		// A session that leaves a child behind orphans it, as glusterd's
		// bricks and gsyncd's workers are orphaned all the time. PID 1 of
		// these machines may not reap: the lab's own reaper must adopt it.
		for _, n := range d.Nodes {
			r, _ := conn.Runner(n.Name)
			res, err := r.Run(ctx, remote.Command("sh", "-c", "sleep 3 >/dev/null 2>&1 & echo $!"))
			if err != nil {
				t.Fatalf("%s: %v", n.Name, err)
			}
			orphan := strings.TrimSpace(string(res.Stdout))
			var parent string
			for range 20 { // sshd's session ends a moment after the command
				parent = parentComm(t, n, orphan)
				if parent == "tini" {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if parent != "tini" {
				t.Errorf("%s: the orphaned process %s went to %q, not to the lab's reaper (tini)", n.Name, orphan, parent)
			}
		}
		time.Sleep(3500 * time.Millisecond)
		if z := zombies(t, d); len(z) > 0 {
			t.Errorf("zombies in the lab's namespaces: %v", z)
		}
	})

	if err := pool.Close(); err != nil {
		t.Errorf("closing the pool: %v", err)
	}
	t.Run("down leaves nothing behind", func(t *testing.T) {
		pids := labPIDs(t, d)
		if err := lab.Down(ctx, opts); err != nil {
			t.Fatalf("lab down: %v", err)
		}
		assertNothingLeft(t, inst, before, pids)
	})
}

// TestDownAfterCrashHalfwayThroughUp interrupts Up while nodes are being
// built and checks that Down still removes everything.
func TestDownAfterCrashHalfwayThroughUp(t *testing.T) {
	inst := instance(t)
	opts := lab.Options{Instance: inst, Log: logger(t)}
	if err := lab.Down(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	before := snapshotHost(t, inst)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	if _, err := lab.Up(ctx, opts); err == nil {
		t.Fatal("up finished within 1.5 s; the test needs it interrupted halfway")
	}
	// The interruption must have left something for Down to clear.
	netnses, _ := exec.Command("ip", "netns", "list").Output()
	if !strings.Contains(string(netnses), netnsPrefixOf(inst)) {
		t.Fatalf("the interrupted up left no namespace; the test did not interrupt it halfway: %q", netnses)
	}
	if err := lab.Down(context.Background(), opts); err != nil {
		t.Fatalf("down after an interrupted up: %v", err)
	}
	assertNothingLeft(t, inst, before, nil)
}

func replicateAndCompare(t *testing.T, conn lab.Conn, site string) {
	t.Helper()
	ctx := context.Background()
	start := time.Now()
	ref, err := lab.SetUpReplication(ctx, conn, site, map[string]string{"sync_method": "tarssh"})
	if err != nil {
		t.Fatalf("setting up replication to %s: %v", site, err)
	}
	t.Logf("%s: site and session set up in %s", site, time.Since(start).Round(time.Millisecond))

	files, _ := conn.Files("p1")
	dir := path.Join(lab.MountPath, "labtest-"+site)
	if err := files.MkdirAll(ctx, dir, 0o755); err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for i := range 8 {
		data := make([]byte, 64<<10*(i+1))
		_, _ = rand.Read(data)
		name := fmt.Sprintf("file %d 'quoted' $(x)", i)
		want[name] = data
		if err := files.WriteFile(ctx, path.Join(dir, name), bytes.NewReader(data), 0o640); err != nil {
			t.Fatal(err)
		}
	}

	primary, _ := conn.Gluster("p1")
	res, err := primary.RunCheckpointCycle(ctx, ref, gluster.CycleOptions{
		Timeout:    5 * time.Minute,
		StallAfter: lab.StallAfter,
		Marker:     gluster.Marker{Files: files, Mount: lab.MountPath, By: "TestLab"}.Write,
	})
	if err != nil {
		t.Fatalf("checkpoint cycle to %s: %v", site, err)
	}
	t.Logf("%s: checkpoint cycle %s; completion noticed %s after gluster's checkpoint_completion_time (%d polls)",
		site, res.Duration.Round(time.Millisecond), res.NoticedAt.Sub(res.CompletedAt).Round(time.Millisecond), res.Polls)
	st, err := primary.Status(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rollup != gluster.Rollup("stopped") {
		t.Errorf("after the cycle the session is %s, want stopped", st.Rollup)
	}

	s, _ := conn.D.Site(site)
	node, _ := conn.D.Node(s.Nodes[0])
	r, _ := conn.Runner(node.Name)
	m, err := sitemount.ReadOnly(ctx, r, node.Address, s.Volume)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := m.Unmount(ctx); err != nil {
			t.Error(err)
		}
	}()
	siteFiles, _ := conn.Files(node.Name)
	for name, data := range want {
		got, err := siteFiles.ReadFile(ctx, path.Join(m.Path, "labtest-"+site, name))
		if err != nil {
			t.Errorf("%s at %s: %v", name, site, err)
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s at %s: %d bytes (sha256 %x), want %d bytes (sha256 %x)",
				name, site, len(got), sha256.Sum256(got), len(data), sha256.Sum256(data))
		}
	}
	// The read-only mount really is read-only.
	if _, err := r.Run(ctx, remote.Command("touch", path.Join(m.Path, "written-at-site"))); err == nil {
		t.Errorf("writing through the verification mount at %s succeeded; it must be read-only", site)
	}
	p1, _ := conn.Runner("p1")
	entries, err := manifest.Scan(ctx, p1, dir, manifest.ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		t.Errorf("scan of the primary found %d entries, want %d", len(entries), len(want))
	}
}

// hostState is what the lab must leave as it found it.
type hostState struct {
	files map[string]string // path -> sha256, or "absent"
}

var watchedFiles = []string{"/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/root/.ssh/authorized_keys",
	"/root/.ssh/known_hosts", "/var/glfs", "/var/lib/glusterd/glusterd.info", "/var/log/glusterfs/glusterd.log"}

func snapshotHost(t *testing.T, inst lab.Instance) hostState {
	t.Helper()
	st := hostState{files: map[string]string{}}
	for _, f := range watchedFiles {
		st.files[f] = fileDigest(f)
	}
	return st
}

func fileDigest(p string) string {
	fi, err := os.Stat(p)
	if err != nil {
		return "absent"
	}
	if fi.IsDir() {
		return "dir"
	}
	f, err := os.Open(p)
	if err != nil {
		return "unreadable"
	}
	defer f.Close()
	h := sha256.New()
	_, _ = io.Copy(h, f)
	return fmt.Sprintf("%x", h.Sum(nil))
}

// labPIDs lists the live processes in the lab's namespaces.
func labPIDs(t *testing.T, d *lab.Description) []string {
	t.Helper()
	var pids []string
	for _, n := range d.Nodes {
		out, err := exec.Command("ip", "netns", "pids", n.Netns).Output()
		if err != nil {
			t.Fatalf("ip netns pids %s: %v", n.Netns, err)
		}
		pids = append(pids, strings.Fields(string(out))...)
	}
	want := 0
	for _, n := range d.Nodes {
		want += 1 + len(n.PIDs) // the holder and the node's daemons
	}
	if len(pids) < want {
		t.Fatalf("only %d processes in the lab's namespaces; expected at least the holder and the daemons of each node, %d", len(pids), want)
	}
	return pids
}

func assertNothingLeft(t *testing.T, inst lab.Instance, before hostState, pids []string) {
	t.Helper()
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, netnsPrefixOf(inst)) {
			t.Errorf("namespace left behind: %s", line)
		}
	}
	if err := exec.Command("ip", "link", "show", inst.Bridge()).Run(); err == nil {
		t.Errorf("bridge %s left behind", inst.Bridge())
	}
	links, _ := exec.Command("ip", "-o", "link").Output()
	if strings.Contains(string(links), netnsPrefixOf(inst)) {
		t.Errorf("veth left behind:\n%s", links)
	}
	if _, err := os.Stat(inst.Dir()); !os.IsNotExist(err) {
		t.Errorf("state folder %s left behind (stat: %v)", inst.Dir(), err)
	}
	mounts, _ := os.ReadFile("/proc/self/mounts")
	for _, line := range strings.Split(string(mounts), "\n") {
		if strings.Contains(line, inst.Dir()) || strings.Contains(line, "/var/glfs") || strings.Contains(line, "netns/"+netnsPrefixOf(inst)) {
			t.Errorf("mount left behind: %s", line)
		}
	}
	for _, pid := range pids {
		stat, err := os.ReadFile("/proc/" + pid + "/stat")
		if err == nil && !strings.Contains(string(stat), ") Z ") {
			t.Errorf("process %s of the lab still runs: %s", pid, stat)
		}
	}
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		cmdline, err := os.ReadFile("/proc/" + p.Name() + "/cmdline")
		if err == nil && bytes.Contains(cmdline, []byte(inst.Dir()+"/")) {
			t.Errorf("process %s still refers to the lab: %q", p.Name(), bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}))
		}
	}
	after := snapshotHost(t, inst)
	for f, digest := range before.files {
		if after.files[f] != digest {
			t.Errorf("the lab changed the host's %s (%s -> %s)", f, digest, after.files[f])
		}
	}
}

func netnsPrefixOf(inst lab.Instance) string {
	if inst == 0 {
		return "gdr-"
	}
	return fmt.Sprintf("gdr%d-", int(inst))
}

// zombies lists the zombie processes in the lab's network namespaces, as
// "node: pid (command)".
func zombies(t *testing.T, d *lab.Description) []string {
	t.Helper()
	var out []string
	for _, n := range d.Nodes {
		pids, err := exec.Command("ip", "netns", "pids", n.Netns).Output()
		if err != nil {
			t.Fatalf("ip netns pids %s: %v", n.Netns, err)
		}
		for _, pid := range strings.Fields(string(pids)) {
			stat, _ := os.ReadFile("/proc/" + pid + "/stat")
			if strings.Contains(string(stat), ") Z ") {
				comm, _ := os.ReadFile("/proc/" + pid + "/comm")
				out = append(out, fmt.Sprintf("%s: %s (%s)", n.Name, pid, strings.TrimSpace(string(comm))))
			}
		}
	}
	return out
}

// parentComm is the command name of the parent of pid, a process inside
// node n (its PID as the host sees it: the lab shares the host's PID
// namespace).
func parentComm(t *testing.T, n lab.Node, pid string) string {
	t.Helper()
	status, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		t.Fatalf("%s: process %s: %v", n.Name, pid, err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if ppid, ok := strings.CutPrefix(line, "PPid:"); ok {
			comm, _ := os.ReadFile("/proc/" + strings.TrimSpace(ppid) + "/comm")
			return strings.TrimSpace(string(comm))
		}
	}
	return ""
}
