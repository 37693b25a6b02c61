package georep

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// The fixtures are real GlusterFS 10.3 captures: session gv0 -> vm::gv1,
// both volumes on host "vm". Here gv0 has a second brick on "vm2", so that
// two primary nodes run workers.
var fixtureRef = gluster.SessionRef{PrimaryVolume: "gv0", SecondaryHost: "vm", SecondaryVolume: "gv1"}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../gluster/testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// cluster is the fake's hosts: "vm" answers gluster from the fixtures,
// every host keeps files in memory, and every command is recorded.
type cluster struct {
	t       *testing.T
	mu      sync.Mutex
	calls   []string
	files   map[string]*memFiles
	keys    map[string]ssh.PublicKey
	status  string
	config  string
	volInfo string
	// down lists the hosts that do not answer.
	down map[string]bool
}

func (c *cluster) Runner(host string) remote.Runner { return fakeRunner{c, host} }
func (c *cluster) Files(host string) remote.Files {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files[host] == nil {
		c.files[host] = &memFiles{m: map[string][]byte{}}
	}
	return c.files[host]
}

func (c *cluster) HostKey(_ context.Context, host string) (ssh.PublicKey, error) {
	if k, ok := c.keys[host]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("ssh %s: connection refused", host)
}

func (c *cluster) mutating() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, a := range c.calls {
		if !strings.HasSuffix(a, " status detail") && !strings.HasSuffix(a, " config") && !strings.Contains(a, " volume info ") &&
			!strings.Contains(a, " volume get ") && !strings.Contains(a, ": cat ") {
			out = append(out, a)
		}
	}
	return out
}

type fakeRunner struct {
	c    *cluster
	host string
}

func (r fakeRunner) Host() string { return r.host }

func (r fakeRunner) Run(_ context.Context, cmd remote.Cmd) (remote.Result, error) {
	argv := r.host + ": " + strings.Join(cmd.Argv, " ")
	r.c.mu.Lock()
	r.c.calls = append(r.c.calls, argv)
	r.c.mu.Unlock()
	if r.c.down[r.host] {
		return remote.Result{}, fmt.Errorf("ssh %s: connection refused", r.host)
	}
	var out string
	switch {
	case strings.HasPrefix(argv, r.host+": cat /"):
		data, err := r.c.Files(r.host).ReadFile(context.Background(), strings.TrimPrefix(argv, r.host+": cat "))
		if err != nil {
			return remote.Result{ExitCode: 1}, &remote.CommandError{Host: r.host, Argv: cmd.Argv, ExitCode: 1}
		}
		out = string(data)
	case strings.HasSuffix(argv, "gv0 vm::gv1 status detail"):
		out = r.c.status
	case strings.HasSuffix(argv, "gv0 vm::gv1 config"):
		out = r.c.config
	case strings.HasSuffix(argv, "volume info gv0"), strings.HasSuffix(argv, "volume info gv1"):
		out = r.c.volInfo
	case strings.HasSuffix(argv, "volume get gv0 changelog.rollover-time"):
		out = fixture(r.c.t, "volume-get-rollover-time-default.out")
	case strings.Contains(argv, "gv0 vm::gv1 config "), strings.HasSuffix(argv, "gv0 vm::gv1 stop"),
		strings.HasSuffix(argv, "gv0 vm::gv1 delete reset-sync-time"):
	default:
		r.c.t.Errorf("unexpected command: %s", argv)
		return remote.Result{ExitCode: 1}, &remote.CommandError{Host: r.host, Argv: cmd.Argv, ExitCode: 1}
	}
	return remote.Result{Stdout: []byte(out)}, nil
}

func newKey(t *testing.T) ssh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// pinnedCluster is the fixture session with gsyncd's ssh options pointing
// at the pinned file, which holds vm's key on both primary nodes.
func pinnedCluster(t *testing.T) (*cluster, Session) {
	c := &cluster{t: t, files: map[string]*memFiles{}, keys: map[string]ssh.PublicKey{"vm": newKey(t)}}
	c.config = fixture(t, "georep-config.xml.out")
	for _, k := range []struct{ key, pem string }{{"ssh_options", "secret.pem"}, {"ssh_options_tar", "tar_ssh.pem"}} {
		start, end := strings.Index(c.config, "<"+k.key+">"), strings.Index(c.config, "</"+k.key+">")
		c.config = c.config[:start] + "<" + k.key + ">" + SSHOptions(fixtureRef, k.pem) + c.config[end:]
	}
	c.volInfo = withSecondWorker(fixture(t, "volume-info.xml.out"), "<brick uuid=", "</brick>", "vm:", "vm2:")
	c.status = withSecondWorker(fixture(t, "georep-status-detail-stopped.xml.out"), "<pair>", "</pair>",
		"<primary_node>vm<", "<primary_node>vm2<")
	for _, h := range []string{"vm", "vm2"} {
		pin(t, c, h, KnownHostsLine("vm", 22, c.keys["vm"]))
	}
	c.Files("vm").(*memFiles).m[gluster.CommonSecretPub] = []byte(commonPub)
	for _, h := range []string{"vm", "vm2"} {
		c.Files(h).(*memFiles).m[authorizedKeys] = []byte(commonPub)
	}
	return c, Session{Hosts: c, Primary: "vm", Ref: fixtureRef}
}

// commonPub is the primary's two keys as gsec_create writes them, each with
// its forced command; push-pem's hook appends the same lines to every
// secondary node's authorized_keys.
const (
	gsyncdLine = `command="/usr/lib/x86_64-linux-gnu/glusterfs/gsyncd" ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDgsyncd root@vm`
	tarLine    = `command="tar ${SSH_ORIGINAL_COMMAND#* }" ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDtarssh root@vm`
	commonPub  = gsyncdLine + "\n" + tarLine + "\n"

	authorizedKeys = "/root/.ssh/authorized_keys"
)

// withSecondWorker repeats the first element from start to end in doc,
// with old replaced by new in the copy.
func withSecondWorker(doc, start, end, old, new string) string {
	i := strings.Index(doc, start)
	elem := doc[i : i+strings.Index(doc[i:], end)+len(end)]
	return strings.Replace(doc, elem, elem+strings.ReplaceAll(elem, old, new), 1)
}

func pin(t *testing.T, c *cluster, host string, lines ...string) {
	t.Helper()
	content, err := knownHostsContent(lines)
	if err != nil {
		t.Fatal(err)
	}
	c.Files(host).(*memFiles).m[KnownHostsPath(fixtureRef)] = []byte(content)
}

func TestObservePinnedOnEveryWorkerNode(t *testing.T) {
	c, s := pinnedCluster(t)
	v, err := Observe(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Exists || v.State != Stopped || !v.PinsInUse || !v.Pinned || v.PinErr != nil || len(v.PinnedKeys) != 1 {
		t.Fatalf("observed %+v", v)
	}
	if got := Plan(v, Spec{}); len(got) != 0 {
		t.Fatalf("plan of a session as declared: %+v", got)
	}
	if m := c.mutating(); len(m) != 0 {
		t.Fatalf("Observe ran commands that change things: %q", m)
	}
	reads := 0
	for _, call := range c.calls {
		if strings.HasSuffix(call, "volume info gv1") {
			reads++
		}
	}
	if reads != 1 {
		t.Errorf("Observe read the secondary volume %d times; the pins and the tar key share one read", reads)
	}
}

func TestObserveCatchesAStaleCopyOnAnotherWorkerNode(t *testing.T) {
	c, s := pinnedCluster(t)
	pin(t, c, "vm2", KnownHostsLine("vm", 22, newKey(t)))
	ctx := context.Background()
	v, err := Observe(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if v.Pinned || v.PinErr != nil || !v.PinsInUse {
		t.Fatalf("vm2 holds another key, yet observed pinned %v (error %v)", v.Pinned, v.PinErr)
	}
	changes := Plan(v, Spec{})
	if !slices.Equal(changes, []Change{{What: ChangePin, Key: "ssh_options"}}) {
		t.Fatalf("plan %+v; want the keys pinned again", changes)
	}
	if err := Apply(ctx, s, Spec{}, changes); err != nil {
		t.Fatal(err)
	}
	if v, err = Observe(ctx, s); err != nil || !v.Pinned {
		t.Fatalf("after pinning again: pinned %v, %v", v.Pinned, err)
	}
}

func TestObserveSaysWhenThePinsCannotBeChecked(t *testing.T) {
	c, s := pinnedCluster(t)
	delete(c.keys, "vm")
	v, err := Observe(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if v.Pinned || v.PinErr == nil || !strings.Contains(v.PinErr.Error(), "connection refused") || len(v.PinnedKeys) != 1 {
		t.Fatalf("observed pinned %v, error %v, keys %q", v.Pinned, v.PinErr, v.PinnedKeys)
	}
	if got := Plan(v, Spec{}); len(got) != 0 {
		t.Fatalf("plan %+v; pinning that cannot be checked is left alone", got)
	}
}

func TestApplyUnpinsFromEveryWorkerNode(t *testing.T) {
	c, s := pinnedCluster(t)
	ctx := context.Background()
	v, err := Observe(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	spec := Spec{InsecureSkipHostKeyPinning: true}
	if err := Apply(ctx, s, spec, Plan(v, spec)); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"vm", "vm2"} {
		if _, ok := c.files[h].m[KnownHostsPath(fixtureRef)]; ok {
			t.Errorf("the pinned file is still on %s", h)
		}
	}
	m := c.mutating()
	if len(m) != 2 || !strings.HasSuffix(m[0], "config !ssh_options") || !strings.HasSuffix(m[1], "config !ssh_options_tar") {
		t.Fatalf("commands %q; want both ssh options reset", m)
	}
}

func TestDeleteRemovesThePinsFromEveryWorkerNode(t *testing.T) {
	c, s := pinnedCluster(t)
	if err := Delete(context.Background(), s, true); err != nil {
		t.Fatal(err)
	}
	m := c.mutating()
	if len(m) != 2 || !strings.HasSuffix(m[0], "gv0 vm::gv1 stop") || !strings.HasSuffix(m[1], "gv0 vm::gv1 delete reset-sync-time") {
		t.Fatalf("commands %q; want stop, then delete with reset-sync-time", m)
	}
	for _, h := range []string{"vm", "vm2"} {
		if _, ok := c.files[h].m[KnownHostsPath(fixtureRef)]; ok {
			t.Errorf("the pinned file is still on %s", h)
		}
	}
}

func TestApplyRefusesABadSpec(t *testing.T) {
	c, s := pinnedCluster(t)
	err := Apply(context.Background(), s, Spec{Config: map[string]string{"ssh_port": "2222"}}, []Change{{What: ChangeConfig, Key: "ssh_port", To: "2222"}})
	if err == nil || !strings.Contains(err.Error(), "managed by glusterdr") {
		t.Fatalf("error = %v", err)
	}
	if len(c.calls) != 0 {
		t.Fatalf("ran %q", c.calls)
	}
	if !errors.Is(Apply(context.Background(), Session{Hosts: c, Primary: "vm"}, Spec{}, nil), gluster.ErrInvalid) {
		t.Error("an empty session reference was accepted")
	}
}

// twoSecondaryNodes gives the fixture's secondary volume gv1 a second
// brick, on vm2, whose host key is pinned as well.
func twoSecondaryNodes(t *testing.T, c *cluster) {
	i := strings.Index(c.volInfo, "<name>gv1</name>")
	c.volInfo = c.volInfo[:i] + withSecondWorker(c.volInfo[i:], "<brick uuid=", "</brick>", "vm:", "vm2:")
	c.keys["vm2"] = newKey(t)
	for _, h := range []string{"vm", "vm2"} {
		pin(t, c, h, KnownHostsLine("vm", 22, c.keys["vm"]), KnownHostsLine("vm2", 22, c.keys["vm2"]))
	}
}

func TestPlanAndApplyTheTarBlockingOnEverySecondaryNode(t *testing.T) {
	c, s := pinnedCluster(t)
	twoSecondaryNodes(t, c)
	ctx := context.Background()
	v, err := Observe(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if v.TarBlocking != gluster.DefaultTarBlocking || v.TarErr != nil {
		t.Fatalf("as push-pem leaves it: observed %d, %v; want GNU tar's default", v.TarBlocking, v.TarErr)
	}
	if got := Plan(v, Spec{}); len(got) != 0 {
		t.Fatalf("a spec without a blocking factor leaves it: plan %+v", got)
	}
	want := Spec{TarBlocking: 256}
	changes := Plan(v, want)
	if !slices.Equal(changes, []Change{{What: ChangeTarBlocking, Key: ChangeTarBlocking, From: "20", To: "256"}}) {
		t.Fatalf("plan %+v", changes)
	}
	if err := Apply(ctx, s, want, changes); err != nil {
		t.Fatal(err)
	}
	tuned := strings.Replace(tarLine, "tar ${", "tar -B -b 256 ${", 1)
	for _, h := range []string{"vm", "vm2"} {
		if got := string(c.files[h].m[authorizedKeys]); got != gsyncdLine+"\n"+tuned+"\n" {
			t.Errorf("authorized_keys on %s:\n%s", h, got)
		}
	}
	if v, err = Observe(ctx, s); err != nil || v.TarBlocking != 256 {
		t.Fatalf("read back %d, %v", v.TarBlocking, err)
	}
	if got := Plan(v, want); len(got) != 0 {
		t.Fatalf("plan after apply %+v", got)
	}
}

func TestPlanLeavesTheTarBlockingOfAnUnreachableNode(t *testing.T) {
	c, s := pinnedCluster(t)
	twoSecondaryNodes(t, c)
	c.down = map[string]bool{"vm2": true}
	v, err := Observe(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if v.TarErr == nil || !strings.Contains(v.TarErr.Error(), "vm2") {
		t.Fatalf("TarErr = %v; want one naming vm2", v.TarErr)
	}
	if got := Plan(v, Spec{TarBlocking: 256}); len(got) != 0 {
		t.Fatalf("plan %+v; a factor that could not be read is left alone", got)
	}
}

func TestPlanShowsATarKeyMissingOnANode(t *testing.T) {
	c, s := pinnedCluster(t)
	twoSecondaryNodes(t, c)
	c.files["vm2"].m[authorizedKeys] = []byte(gsyncdLine + "\n")
	v, err := Observe(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	changes := Plan(v, Spec{TarBlocking: 256})
	if len(changes) != 1 || changes[0].From != "missing" {
		t.Fatalf("plan %+v; want the change from missing", changes)
	}
}
