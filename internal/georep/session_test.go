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
			!strings.Contains(a, " volume get ") {
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
	var out string
	switch {
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
	return c, Session{Hosts: c, Primary: "vm", Ref: fixtureRef}
}

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
