//go:build lab

package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// noteValue is an option value full of shell metacharacters: it must reach
// gluster as one argument, quoted, and come back byte for byte.
const noteValue = `it's $(touch /tmp/gdr-pwned); ` + "`touch /tmp/gdr-pwned`" + ` | * & "q"`

// hclString quotes s for HCL; Go's escapes are HCL's, and the values used
// here hold no "${" or "%{" template sequence.
func hclString(s string) string { return fmt.Sprintf("%q", s) }

func peerClusterConfig(l *accLab, name string, nodes []string, options map[string]string, protect bool) string {
	var nodeList, optList string
	for _, n := range nodes {
		nodeList += fmt.Sprintf("%q, ", l.addr(n))
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range options {
			if !yield(k) {
				return
			}
		}
	}) {
		optList += fmt.Sprintf("      %q = %s\n", k, hclString(options[k]))
	}
	return l.providerConfig() + fmt.Sprintf(`
resource "gluster_peer_cluster" "test" {
  nodes = [%s]
  volume = {
    name   = %q
    bricks = [%q]
    force  = true
    options = {
%s    }
  }
  deletion_protection = %t
}
`, nodeList, name, l.brick("sdsc1", name), optList, protect)
}

// TestAccPeerCluster runs gluster_peer_cluster through its life on the
// sdsc site: create, import, update in place (options, detach and probe a
// node), drift of every kind the resource reports, deletion protection,
// and destroy.
func TestAccPeerCluster(t *testing.T) {
	l := newAccLab(t)
	l.resetSites()
	ctx := context.Background()
	name := uniqueName("tfacc-pc")
	const addr = "gluster_peer_cluster.test"
	sdsc1 := l.gluster("sdsc1")
	sdsc2Addr := l.addr("sdsc2")
	t.Cleanup(func() { l.removeBricks(name, "sdsc1", "sdsc2") })

	opts := map[string]string{"user.glusterdr-note": noteValue}
	both := []string{"sdsc1", "sdsc2"}
	cfg := peerClusterConfig(l, name, both, opts, true)
	opts2 := map[string]string{"user.glusterdr-note": "second", "performance.quick-read": "off"}
	cfgUpdated := peerClusterConfig(l, name, []string{"sdsc1"}, opts2, true)
	cfgProbed := peerClusterConfig(l, name, both, opts2, true)
	cfgUnprotected := peerClusterConfig(l, name, both, opts2, false)

	drift := func(change func(), before []any, want any, action plancheck.ResourceActionType) resource.TestStep {
		return driftStep(cfgProbed, addr, change, before, want, action)
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: l.factories(),
		CheckDestroy:             l.siteTornDown("sdsc1", name),
		Steps: []resource.TestStep{
			// 1. Create: pool of two, volume started, the metacharacter
			// option stored verbatim and nothing run by a shell.
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "id", l.addr("sdsc1")+"/"+name),
					resource.TestCheckResourceAttr(addr, "nodes.#", "2"),
					resource.TestCheckResourceAttr(addr, "nodes.1", sdsc2Addr),
					resource.TestCheckResourceAttr(addr, "volume.state", "started"),
					resource.TestCheckResourceAttr(addr, "volume.type", "distribute"),
					resource.TestCheckResourceAttr(addr, "volume.options.user.glusterdr-note", noteValue),
					func(*terraform.State) error {
						v, err := sdsc1.VolumeInfo(ctx, name)
						if err != nil {
							return err
						}
						if v.Status != gluster.VolumeStarted || v.Options["user.glusterdr-note"] != noteValue {
							return fmt.Errorf("live volume: %s, note %q", v.Status, v.Options["user.glusterdr-note"])
						}
						for _, n := range []string{"sdsc1", "sdsc2", "p1"} {
							if out := l.run(n, "sh", "-c", "test -e /tmp/gdr-pwned && echo found || true"); out != "" {
								return fmt.Errorf("the option value ran as a command on %s", n)
							}
						}
						return nil
					},
				),
			},
			// 2. Import by id.
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"volume.force", "timeouts"},
			},
			// 3. Update in place: options changed and added, sdsc2 (which
			// holds no brick) detached.
			{
				Config: cfgUpdated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "nodes.#", "1"),
					resource.TestCheckResourceAttr(addr, "volume.options.performance.quick-read", "off"),
					func(*terraform.State) error {
						peers, err := sdsc1.PoolList(ctx)
						if err != nil {
							return err
						}
						if len(peers) != 1 {
							return fmt.Errorf("pool after detach: %+v", peers)
						}
						return nil
					},
				),
			},
			// 4. Update in place: sdsc2 probed again.
			{
				Config: cfgProbed,
				Check:  resource.TestCheckResourceAttr(addr, "nodes.1", sdsc2Addr),
			},
			// 5. Drift: the volume stopped by hand.
			drift(func() { l.must(sdsc1.StopVolume(ctx, name)) },
				[]any{"volume", "state"}, "stopped", plancheck.ResourceActionUpdate),
			{Config: cfgProbed, Check: resource.TestCheckResourceAttr(addr, "volume.state", "started")},
			// 6. Drift: a peer detached by hand.
			drift(func() { l.must(sdsc1.Detach(ctx, sdsc2Addr, false)) },
				[]any{"nodes"}, []any{l.addr("sdsc1")}, plancheck.ResourceActionUpdate),
			{Config: cfgProbed, Check: resource.TestCheckResourceAttr(addr, "nodes.#", "2")},
			// 7. Drift: an option changed, and another one added, by hand.
			drift(func() {
				l.must(sdsc1.SetOptions(ctx, name, map[string]string{"performance.quick-read": "on", "performance.read-ahead": "off"}))
			}, []any{"volume", "options", "performance.quick-read"}, "on", plancheck.ResourceActionUpdate),
			{
				Config: cfgProbed,
				Check: func(*terraform.State) error {
					v, err := sdsc1.VolumeInfo(ctx, name)
					if err != nil {
						return err
					}
					if _, byHand := v.Options["performance.read-ahead"]; v.Options["performance.quick-read"] != "off" || byHand {
						return fmt.Errorf("options after apply: %v", v.Options)
					}
					return nil
				},
			},
			// 8. Drift: a brick added by hand; the bricks cannot change in
			// place, and deletion protection refuses the replacement.
			drift(func() {
				l.run("sdsc1", "gluster", "--mode=script", "volume", "add-brick", name, l.brick("sdsc2", name), "force")
			}, []any{"volume", "bricks", 1}, l.brick("sdsc2", name), plancheck.ResourceActionReplace),
			{
				Config:      cfgProbed,
				ExpectError: regexp.MustCompile(`Deletion Protection Enabled`),
			},
			{
				PreConfig: func() {
					l.run("sdsc1", "gluster", "--mode=script", "volume", "remove-brick", name, l.brick("sdsc2", name), "force")
					l.removeBricks(name, "sdsc2")
				},
				// The failed apply saved the refreshed state; this plan
				// refreshes it again and finds nothing to do.
				Config:           cfgProbed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			// 9. Drift: the volume deleted by hand; plan proposes to create
			// it, and apply does.
			drift(func() {
				l.must(sdsc1.StopVolume(ctx, name))
				l.must(sdsc1.DeleteVolume(ctx, name))
				l.removeBricks(name, "sdsc1")
			}, []any{}, nil, plancheck.ResourceActionCreate),
			{Config: cfgProbed, Check: resource.TestCheckResourceAttr(addr, "volume.state", "started")},
			// 10. Destroy is refused while deletion protection is on...
			{Config: cfgProbed, Destroy: true, ExpectError: regexp.MustCompile(`Deletion Protection Enabled`)},
			// ...and allowed once it is off (the final destroy, checked
			// by CheckDestroy).
			{Config: cfgUnprotected},
		},
	})
}
