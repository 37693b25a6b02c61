//go:build lab

package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab/labtest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Acceptance tests run real Terraform (terraform-plugin-testing) against
// the lab. They need TF_ACC=1, root and the lab up (GLUSTERDR_LAB_INSTANCE
// picks the instance), and fail when any of those is missing: they never
// skip, so a green run means they ran.

// accLab is what an acceptance test works with: the lab, SSH access to its
// nodes for out-of-band changes and checks, and the providers that
// Terraform started, whose pools the test closes and whose handshakes it
// can count.
type accLab struct {
	t    *testing.T
	d    *lab.Description
	conn lab.Conn

	mu        sync.Mutex
	providers []*glusterProvider
}

func newAccLab(t *testing.T) *accLab {
	t.Helper()
	accPreCheck(t)
	l := &accLab{t: t, d: labtest.Require(t), conn: labtest.Conn(t)}
	t.Cleanup(func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, p := range l.providers {
			if err := p.closePool(); err != nil {
				t.Errorf("closing a provider's SSH pool: %v", err)
			}
		}
	})
	return l
}

// accPreCheck fails the test unless real Terraform can run: TF_ACC set and
// a terraform binary. It also points Terraform at a CLI config that exists.
func accPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Fatal("TF_ACC is not set: this acceptance test runs real Terraform against the lab. " +
			"Run it with TF_ACC=1 (make test-lab); it never skips itself into green.")
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		tf, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatalf("TF_ACC_TERRAFORM_PATH is not set and there is no terraform on PATH: %v", err)
		}
		t.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	// The provider under test has its registry address, as in examples/.
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "glusterdr")
	// Terraform gets an empty CLI config that the test owns: the machine's
	// may be missing (a /root/.terraformrc that does not exist), and the
	// project's has dev_overrides for this very provider, which must not
	// compete with the provider served in this process.
	empty := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_CLI_CONFIG_FILE", empty)
}

// factories serve the provider in the test process, once per Terraform
// command, and keep every instance for the checks and the cleanup.
func (l *accLab) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"gluster": func() (tfprotov6.ProviderServer, error) {
			p := newProvider("acc")
			l.mu.Lock()
			l.providers = append(l.providers, p)
			l.mu.Unlock()
			return providerserver.NewProtocol6WithError(p)()
		},
	}
}

// providerStats is the pool statistics of every provider instance so far.
func (l *accLab) providerStats() []remote.Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []remote.Stats
	for _, p := range l.providers {
		if p.pool != nil {
			out = append(out, p.pool.Stats())
		}
	}
	return out
}

// providerConfig is the terraform and provider blocks for the lab, with the
// lab's key file and known_hosts.
func (l *accLab) providerConfig() string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    gluster = { source = "glusterdr/gluster" }
  }
}

provider "gluster" {
  user             = %q
  private_key_file = %q
  known_hosts_file = %q
}
`, l.d.SSH.User, l.d.SSH.PrivateKeyFile, l.d.SSH.KnownHostsFile)
}

func (l *accLab) addr(node string) string {
	n, err := l.d.Node(node)
	if err != nil {
		l.t.Fatal(err)
	}
	return n.Address
}

// brick is a brick of volume on node, under the lab's brick folder.
func (l *accLab) brick(node, volume string) string {
	return l.addr(node) + ":" + lab.BrickPath(l.d.Dir, node, volume)
}

func (l *accLab) gluster(node string) *gluster.Client {
	c, err := l.conn.Gluster(node)
	if err != nil {
		l.t.Fatal(err)
	}
	return c
}

func (l *accLab) runner(node string) remote.Runner {
	r, err := l.conn.Runner(node)
	if err != nil {
		l.t.Fatal(err)
	}
	return r
}

// run runs argv on node, for out-of-band changes; a failure fails the test.
func (l *accLab) run(node string, argv ...string) string {
	res, err := l.runner(node).Run(context.Background(), remote.Command(argv...))
	if err != nil {
		l.t.Fatalf("on %s: %v", node, err)
	}
	return string(res.Stdout)
}

// must fails the test on err; for PreConfig and cleanup functions.
func (l *accLab) must(err error) {
	l.t.Helper()
	if err != nil {
		l.t.Fatal(err)
	}
}

// volumeName is a fresh volume name, so that tests never meet each other's
// leftovers.
func uniqueName(prefix string) string {
	return prefix + "-" + acctest.RandStringFromCharSet(6, acctest.CharSetAlphaNum)
}

// removeBricks deletes brick folders of volume from the lab's nodes, so
// that a name can be used again and nothing is left behind.
func (l *accLab) removeBricks(volume string, nodes ...string) {
	for _, n := range nodes {
		p := lab.BrickPath(l.d.Dir, n, volume)
		if !strings.HasPrefix(p, filepath.Join(l.d.Dir, "bricks")+"/") {
			l.t.Fatalf("refusing to remove %s, outside the lab's bricks", p)
		}
		l.run(n, "rm", "-rf", "--", p)
	}
}

// resetSites brings the DR sites back to how `lab up` leaves them: no
// session from the primary, no volume at the sites, every site node alone
// in its pool. Other lab tests (and `make demo`) leave such things behind.
func (l *accLab) resetSites() {
	ctx := context.Background()
	p1 := l.gluster("p1")
	sessions, err := p1.StatusAll(ctx)
	if err != nil {
		// With no session at all, `--xml ... status` exits 2 with no XML
		// (StatusAll does not recognise that yet); the plain form says so.
		res, _ := l.runner("p1").Run(ctx, remote.Command("gluster", "volume", "geo-replication", "status"))
		if !strings.Contains(string(res.Stdout)+string(res.Stderr), "No active geo-replication sessions") {
			l.t.Fatalf("reset: listing sessions: %v", err)
		}
	}
	for _, s := range sessions {
		_ = p1.Stop(ctx, s.Ref, true)
		if err := p1.Delete(ctx, s.Ref, gluster.DeleteOptions{ResetSyncTime: true}); err != nil && !errors.Is(err, gluster.ErrNoSession) {
			l.t.Fatalf("reset: deleting session %s: %v", s.Ref, err)
		}
	}
	for _, site := range []string{"sdsc", "tacc"} {
		s, err := l.d.Site(site)
		l.must(err)
		c := l.gluster(s.Nodes[0])
		vols, err := c.ListVolumes(ctx)
		l.must(err)
		for _, v := range vols {
			info, err := c.VolumeInfo(ctx, v)
			l.must(err)
			_ = c.StopVolume(ctx, v)
			l.must(c.DeleteVolume(ctx, v))
			for _, b := range info.Bricks {
				for _, n := range l.d.Nodes {
					if n.Address == b.Host && strings.HasPrefix(b.Path, filepath.Join(l.d.Dir, "bricks")+"/") {
						l.run(n.Name, "rm", "-rf", "--", b.Path)
					}
				}
			}
		}
		peers, err := c.PoolList(ctx)
		l.must(err)
		for _, p := range peers {
			if !p.Self {
				l.must(c.Detach(ctx, p.Hostname, true))
			}
		}
	}
}

// waitFor polls cond until it holds, for out-of-band changes that gluster
// applies asynchronously.
func (l *accLab) waitFor(what string, timeout time.Duration, cond func() bool) {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			l.t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// expectBefore is a plan check: the resource's prior value (what Read
// found) at path is want. It shows which live change a drift plan reacts
// to, not only that the plan is not empty.
type expectBefore struct {
	addr string
	path []any // map keys (string) and list indexes (int)
	want any   // or a func() string, called when the plan is checked
}

var _ plancheck.PlanCheck = expectBefore{}

func (e expectBefore) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.addr {
			continue
		}
		v := rc.Change.Before
		for _, step := range e.path {
			switch s := step.(type) {
			case string:
				m, ok := v.(map[string]any)
				if !ok {
					resp.Error = fmt.Errorf("%s: %v: not an object at %q", e.addr, e.path, s)
					return
				}
				v = m[s]
			case int:
				l, ok := v.([]any)
				if !ok || s >= len(l) {
					resp.Error = fmt.Errorf("%s: %v: no element %d", e.addr, e.path, s)
					return
				}
				v = l[s]
			}
		}
		want := e.want
		if f, ok := want.(func() string); ok { // known only once the step's PreConfig ran
			want = f()
		}
		if fmt.Sprint(v) != fmt.Sprint(want) {
			resp.Error = fmt.Errorf("%s: prior %v = %v, want %v", e.addr, e.path, v, want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: not in the plan", e.addr)
}

// driftStep is a plan-only step of cfg after change, made behind
// Terraform's back: the plan must propose action on addr, and Read must
// have found want at path (expectBefore).
func driftStep(cfg, addr string, change func(), path []any, want any, action plancheck.ResourceActionType) resource.TestStep {
	return resource.TestStep{
		PreConfig:          change,
		Config:             cfg,
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(addr, action),
			expectBefore{addr: addr, path: path, want: want},
		}},
	}
}

// siteTornDown is a CheckDestroy for gluster_peer_cluster: the volumes are
// gone from node's pool, and node is alone in it again.
func (l *accLab) siteTornDown(node string, volumes ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		c := l.gluster(node)
		for _, v := range volumes {
			if _, err := c.VolumeInfo(ctx, v); !errors.Is(err, gluster.ErrNotFound) {
				return fmt.Errorf("volume %s after destroy: %v, want not found", v, err)
			}
		}
		peers, err := c.PoolList(ctx)
		if err != nil {
			return err
		}
		for _, p := range peers {
			if !p.Self {
				return fmt.Errorf("peer %s is still in the pool after destroy", p.Hostname)
			}
		}
		return nil
	}
}

func remoteCommand(argv ...string) remote.Cmd { return remote.Command(argv...) }

func regexpMust(expr string) *regexp.Regexp { return regexp.MustCompile(expr) }
