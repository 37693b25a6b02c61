//go:build lab

package georep_test

import (
	"context"
	"errors"
	"path"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/glusterdr/terraform-provider-gluster/internal/bench"
	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab/labtest"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/sitemount"
)

// TestLabTunedSessionDeliversBytes: a session with glusterdr's tuning
// (tarssh, three sync jobs, the primary volume's rollover time, 128 KiB
// records for the secondary's extracting tar) carries a
// tree of small files and one large one to sdsc, byte for byte, in one
// checkpoint cycle each time, without a stall: once as new files, once
// rewritten in place.
func TestLabTunedSessionDeliversBytes(t *testing.T) {
	conn := labtest.Conn(t)
	ctx := context.Background()
	const site = "sdsc"
	primary, err := conn.Gluster("p1")
	if err != nil {
		t.Fatal(err)
	}
	ref := tunedSession(ctx, t, conn, site)
	p1, marker, dir := testTree(t, conn)
	for round := range 2 {
		// Round 0 creates the files; round 1 writes them again in place.
		if err := bench.WriteTree(ctx, p1, path.Join(lab.MountPath, dir, "small"), 300, 50_000, 100); err != nil {
			t.Fatal(err)
		}
		if err := bench.WriteTree(ctx, p1, path.Join(lab.MountPath, dir, "large"), 1, 64<<20, 1); err != nil {
			t.Fatal(err)
		}
		res, err := primary.RunCheckpointCycle(ctx, ref, gluster.CycleOptions{Timeout: 10 * time.Minute,
			StallAfter: lab.StallAfter, Marker: marker.Write})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if res.Stalls != 0 {
			t.Errorf("round %d: %d stalls (restarts %d, nudges %d); the cycle waits for the marker's changelog, so none is expected",
				round, res.Stalls, res.Restarts, res.Nudges)
		}
		if bad := compareAtSite(ctx, t, conn, site, dir); len(bad) > 0 {
			t.Fatalf("round %d: %d files differ at %s:\n%s", round, len(bad), site, manifest.Report(bad))
		}
		t.Logf("round %d: cycle %s, %d polls", round, res.Duration.Round(time.Millisecond), res.Polls)
	}
	st, err := primary.Status(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rollup != gluster.RollupStopped {
		t.Errorf("the cycle must leave the session stopped for the restore point; it is %s", st.Rollup)
	}
}

// TestLabLongRolloverCycleClosesTheChangelog: on a primary volume that
// rolls its changelog over only every ten minutes, a cycle closes the
// marker's changelog itself under a write barrier, carries the files written
// just before it within a timeout shorter than the rollover time, and lifts
// the barrier.
func TestLabLongRolloverCycleClosesTheChangelog(t *testing.T) {
	conn := labtest.Conn(t)
	ctx := context.Background()
	const site = "sdsc"
	primary, _ := conn.Gluster("p1")
	ref := tunedSession(ctx, t, conn, site)
	setRollover := func(ctx context.Context, seconds int) error {
		return primary.SetOptions(ctx, ref.PrimaryVolume, map[string]string{gluster.RolloverOption: strconv.Itoa(seconds)})
	}
	if err := setRollover(ctx, 600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = setRollover(context.Background(), georep.DefaultRolloverSeconds) })
	p1, marker, dir := testTree(t, conn)
	if err := bench.WriteTree(ctx, p1, path.Join(lab.MountPath, dir), 20, 50_000, 10); err != nil {
		t.Fatal(err)
	}
	closes := explicitRollovers(ctx, t, p1)
	res, err := primary.RunCheckpointCycle(ctx, ref, gluster.CycleOptions{Timeout: 4 * time.Minute,
		StallAfter: lab.StallAfter, Marker: marker.Write})
	if err != nil {
		t.Fatalf("a cycle with a ten-minute rollover time: %v", err)
	}
	if n := explicitRollovers(ctx, t, p1); n <= closes {
		t.Error("the brick logged no explicit rollover: the cycle did not close the marker's changelog")
	}
	if res.Stalls != 0 {
		t.Errorf("%d stalls: the marker's changelog was closed before the start", res.Stalls)
	}
	if v, err := primary.GetOption(ctx, ref.PrimaryVolume, "features.barrier"); err != nil || strings.TrimSpace(v) != "disable" {
		t.Errorf("features.barrier = %q, %v after the cycle; want disable (writes to the primary would wait)", v, err)
	}
	if bad := compareAtSite(ctx, t, conn, site, dir); len(bad) > 0 {
		t.Fatalf("%d files differ at %s:\n%s", len(bad), site, manifest.Report(bad))
	}
	t.Logf("cycle %s, %d polls", res.Duration.Round(time.Millisecond), res.Polls)
}

// TestLabTarBlockingDriftIsPlannedAndMended: the tuned session's tar key
// forces 128 KiB records on both sdsc nodes; a node put back to push-pem's
// line shows as a planned change, which Apply mends; and a later push-pem,
// which appends its own line again, does not undo the tuning, because sshd
// uses a key's first line.
func TestLabTarBlockingDriftIsPlannedAndMended(t *testing.T) {
	conn := labtest.Conn(t)
	ctx := context.Background()
	const site = "sdsc"
	ref := tunedSession(ctx, t, conn, site)
	s := georep.Session{Hosts: labHosts{conn}, Primary: "p1", Ref: ref}
	want := georep.Spec{TarBlocking: georep.DefaultTarBlocking}
	sdsc2, _ := conn.Runner("sdsc2")
	if _, err := sdsc2.Run(ctx, remote.Command("sed", "-i", `s/command="tar -B -b 256 /command="tar /`, "/root/.ssh/authorized_keys")); err != nil {
		t.Fatal(err)
	}
	have, err := georep.Observe(ctx, s)
	if err != nil || have.TarErr != nil {
		t.Fatal(err, have.TarErr)
	}
	changes := georep.Plan(have, want)
	if len(changes) != 1 || changes[0].What != georep.ChangeTarBlocking || changes[0].From != "other" {
		t.Fatalf("sdsc2 back at push-pem's line: plan %+v; want the tar blocking factor changed from other", changes)
	}
	if err := georep.Apply(ctx, s, want, changes); err != nil {
		t.Fatal(err)
	}
	const record = georep.DefaultTarBlocking * 512
	for _, node := range []string{"sdsc1", "sdsc2"} {
		if n := tarRecordAt(ctx, t, conn, ref, node); n != record {
			t.Errorf("through gsyncd's tar key, tar on %s writes records of %d bytes; want %d", node, n, record)
		}
	}
	p1, _ := conn.Runner("p1")
	if _, err := p1.Run(ctx, remote.Command("gluster", "volume", "geo-replication", ref.PrimaryVolume, ref.Secondary(),
		"create", "push-pem", "force")); err != nil {
		t.Fatal(err)
	}
	if err := gluster.New(p1).WaitForKeys(ctx, ref, sdsc2); err != nil {
		t.Fatal(err)
	}
	if have, err = georep.Observe(ctx, s); err != nil || have.TarBlocking != georep.DefaultTarBlocking {
		t.Errorf("after a new push-pem: tar blocking factor %d (%v, %v); want %d, the first line's",
			have.TarBlocking, err, have.TarErr, georep.DefaultTarBlocking)
	}
	if n := tarRecordAt(ctx, t, conn, ref, "sdsc2"); n != record {
		t.Errorf("after a new push-pem, tar on sdsc2 writes records of %d bytes; want %d", n, record)
	}
}

// tarRecordAt logs in to a secondary node from p1 as gsyncd does, with its
// tar key and pinned host keys, and has the forced command write an empty
// archive: one record, whose size is the blocking factor sshd really runs
// tar with.
func tarRecordAt(ctx context.Context, t *testing.T, conn lab.Conn, ref gluster.SessionRef, node string) int {
	t.Helper()
	n, _ := conn.D.Node(node)
	p1, _ := conn.Runner("p1")
	argv := append([]string{"ssh"}, strings.Fields(georep.SSHOptions(ref, "tar_ssh.pem"))...)
	argv = append(argv, "root@"+n.Address, "tar", "-cf", "-", "--files-from", "/dev/null")
	res, err := p1.Run(ctx, remote.Command(argv...))
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Stdout)
}

// testTree is p1, a marker for the test's cycles, and a folder of the
// primary's mount for its files, removed after the test.
func testTree(t *testing.T, conn lab.Conn) (remote.Runner, gluster.Marker, string) {
	t.Helper()
	p1, _ := conn.Runner("p1")
	p1files, _ := conn.Files("p1")
	marker := gluster.Marker{Files: p1files, Mount: lab.MountPath, By: t.Name()}
	dir := path.Join(".glusterdr-labtest", strconv.FormatInt(time.Now().UnixNano(), 36))
	t.Cleanup(func() {
		_, _ = p1.Run(context.Background(), remote.Command("rm", "-rf", "--", path.Join(lab.MountPath, dir)))
	})
	return p1, marker, dir
}

// explicitRollovers counts the changelogs p1's bricks closed on a barrier.
func explicitRollovers(ctx context.Context, t *testing.T, p1 remote.Runner) int {
	t.Helper()
	res, err := p1.Run(ctx, remote.Command("grep", "-rhc", "--include=*.log", "Explicit rollover changelog", "/var/log/glusterfs/bricks"))
	var none *remote.CommandError
	if err != nil && !(errors.As(err, &none) && none.ExitCode == 1) { // 1: no file has a match
		t.Fatal(err)
	}
	n := 0
	for _, f := range strings.Fields(string(res.Stdout)) {
		c, _ := strconv.Atoi(f)
		n += c
	}
	return n
}

// TestLabNewSessionFirstCycleDeliversBytes: the short file seen twice in an
// earlier round came in a new session's first cycle with three sync jobs.
// Here a session is deleted with its sync time and made anew, files are
// written before its first cycle (as the demo does), and that first cycle,
// gsyncd's hybrid crawl over the whole volume, must deliver them byte for
// byte.
func TestLabNewSessionFirstCycleDeliversBytes(t *testing.T) {
	conn := labtest.Conn(t)
	ctx := context.Background()
	const site = "sdsc"
	primary, _ := conn.Gluster("p1")
	ref, err := conn.D.SessionRef(site)
	if err != nil {
		t.Fatal(err)
	}
	if err := georep.Delete(ctx, georep.Session{Hosts: labHosts{conn}, Primary: "p1", Ref: ref}, true); err != nil {
		t.Fatal(err)
	}
	p1, marker, dir := testTree(t, conn)
	if err := bench.WriteTree(ctx, p1, path.Join(lab.MountPath, dir, "small"), 300, 50_000, 100); err != nil {
		t.Fatal(err)
	}
	if err := bench.WriteTree(ctx, p1, path.Join(lab.MountPath, dir, "large"), 1, 64<<20, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := lab.SetUpReplication(ctx, conn, site, nil); err != nil {
		t.Fatal(err)
	}
	res, err := primary.RunCheckpointCycle(ctx, ref, gluster.CycleOptions{Timeout: 15 * time.Minute,
		StallAfter: lab.StallAfter, Marker: marker.Write})
	if err != nil {
		t.Fatal(err)
	}
	if bad := compareAtSite(ctx, t, conn, site, dir); len(bad) > 0 {
		t.Fatalf("the first cycle left %d files differing at %s:\n%s", len(bad), site, manifest.Report(bad))
	}
	t.Logf("first cycle %s, %d stalls", res.Duration.Round(time.Millisecond), res.Stalls)
}

// tunedSession makes sure the session to site exists and has glusterdr's
// tuning, through georep's own Observe, Plan and Apply.
func tunedSession(ctx context.Context, t *testing.T, conn lab.Conn, site string) gluster.SessionRef {
	t.Helper()
	primary, _ := conn.Gluster("p1")
	ref, err := conn.D.SessionRef(site)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := primary.Status(ctx, ref); errors.Is(err, gluster.ErrNoSession) {
		if _, err := lab.SetUpReplication(ctx, conn, site, nil); err != nil {
			t.Fatal(err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	s := georep.Session{Hosts: labHosts{conn}, Primary: "p1", Ref: ref}
	want := georep.Spec{State: georep.Stopped, Config: georep.DefaultTuning(), RolloverSeconds: georep.DefaultRolloverSeconds,
		TarBlocking: georep.DefaultTarBlocking}
	keys, err := conn.D.HostKeys(site)
	if err != nil {
		t.Fatal(err)
	}
	want.HostKeys = keys
	have, err := georep.Observe(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := georep.Apply(ctx, s, want, georep.Plan(have, want)); err != nil {
		t.Fatal(err)
	}
	have, err = georep.Observe(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if have.RolloverSeconds != georep.DefaultRolloverSeconds || have.Config["sync_method"] != "tarssh" ||
		have.TarBlocking != georep.DefaultTarBlocking {
		t.Fatalf("after Apply: rollover %d s, sync_method %q, tar blocking factor %d (%v)",
			have.RolloverSeconds, have.Config["sync_method"], have.TarBlocking, have.TarErr)
	}
	return ref
}

// compareAtSite reads dir back at the site's first node, through a
// read-only mount of its volume, against the primary's copy.
func compareAtSite(ctx context.Context, t *testing.T, conn lab.Conn, site, dir string) []manifest.Mismatch {
	t.Helper()
	p1, _ := conn.Runner("p1")
	want, err := manifest.Scan(ctx, p1, path.Join(lab.MountPath, dir), manifest.ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := conn.D.Site(site)
	node, _ := conn.D.Node(s.Nodes[0])
	r, _ := conn.Runner(node.Name)
	m, err := sitemount.ReadOnly(ctx, r, node.Address, s.Volume)
	if err != nil {
		t.Fatal(err)
	}
	got, obsErr := manifest.Observe(ctx, r, path.Join(m.Path, dir), want)
	if err := errors.Join(obsErr, m.Unmount(ctx)); err != nil {
		t.Fatal(err)
	}
	return manifest.Compare(want, got)
}

// labHosts reaches the lab's nodes by name or address.
type labHosts struct{ conn lab.Conn }

func (h labHosts) config(host string) remote.Config {
	for _, n := range h.conn.D.Nodes {
		if n.Name == host || n.Address == host {
			return h.conn.D.SSHConfig(n)
		}
	}
	return remote.Config{Host: host, Port: h.conn.D.SSH.Port, User: h.conn.D.SSH.User,
		PrivateKeyFile: h.conn.D.SSH.PrivateKeyFile, KnownHostsFile: h.conn.D.SSH.KnownHostsFile}
}

func (h labHosts) Runner(host string) remote.Runner { return h.conn.Pool.Runner(h.config(host)) }
func (h labHosts) Files(host string) remote.Files   { return h.conn.Pool.Files(h.config(host)) }
func (h labHosts) HostKey(ctx context.Context, host string) (ssh.PublicKey, error) {
	return h.conn.Pool.HostKey(ctx, h.config(host))
}
