//go:build lab

package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// storeClusterConfig is the sdsc pool with volume name on sdsc1 and the
// store volume store on storeBricks.
func storeClusterConfig(l *accLab, name, store string, storeBricks []string, protect bool) string {
	return l.providerConfig() + fmt.Sprintf(`
resource "gluster_peer_cluster" "test" {
  nodes = [%q, %q]
  volume = {
    name   = %q
    bricks = [%q]
    force  = true
  }
  store_volumes = [{
    name    = %q
    bricks  = ["%s"]
    force   = true
    options = { "performance.quick-read" = "off" }
  }]
  deletion_protection = %t
}
`, l.addr("sdsc1"), l.addr("sdsc2"), name, l.brick("sdsc1", name), store, strings.Join(storeBricks, `", "`), protect)
}

// TestAccPeerClusterStoreVolume declares a restore-point store volume
// beside the site's volume: created and started across both sdsc nodes,
// its drift shown by plan (stopped, option changed, deleted by hand) and
// repaired by apply, a brick added by hand shown, a new layout refused
// under deletion protection, and
// destroy deleting it before the nodes are detached.
func TestAccPeerClusterStoreVolume(t *testing.T) {
	l := newAccLab(t)
	l.resetSites()
	ctx := context.Background()
	name, store := uniqueName("tfacc-sv"), uniqueName("tfacc-pts")
	const addr = "gluster_peer_cluster.test"
	sdsc1 := l.gluster("sdsc1")
	t.Cleanup(func() {
		l.removeBricks(name, "sdsc1")
		l.removeBricks(store, "sdsc1", "sdsc2")
		l.removeBricks(store+"-b", "sdsc1", "sdsc2")
		l.removeBricks(store+"-x", "sdsc1")
	})
	bricks := []string{l.brick("sdsc1", store), l.brick("sdsc2", store)}
	extra := l.brick("sdsc1", store+"-x")
	cfg := storeClusterConfig(l, name, store, bricks, true)
	moved := storeClusterConfig(l, name, store, []string{l.brick("sdsc1", store+"-b"), l.brick("sdsc2", store+"-b")}, true)
	unprotected := storeClusterConfig(l, name, store, bricks, false)

	// started checks with the gluster CLI on sdsc1 that the store is there,
	// started, on both nodes' bricks, with its option.
	started := func(*terraform.State) error {
		out := l.run("sdsc1", "gluster", "volume", "info", store)
		for _, want := range []string{"Volume Name: " + store, "Status: Started", bricks[0], bricks[1], "performance.quick-read: off"} {
			if !strings.Contains(out, want) {
				return fmt.Errorf("gluster volume info %s lacks %q:\n%s", store, want, out)
			}
		}
		return nil
	}
	drift := func(change func(), before []any, want any) resource.TestStep {
		return driftStep(cfg, addr, change, before, want, plancheck.ResourceActionUpdate)
	}
	repaired := resource.TestStep{Config: cfg, Check: resource.ComposeAggregateTestCheckFunc(
		resource.TestCheckResourceAttr(addr, "store_volumes.0.state", "started"),
		started,
	)}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: l.factories(),
		CheckDestroy:             l.siteTornDown("sdsc1", name, store),
		Steps: []resource.TestStep{
			// 1. Create: the pool, the volume, then the store across both
			// nodes, started, with its option.
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "volume.state", "started"),
					resource.TestCheckResourceAttr(addr, "store_volumes.#", "1"),
					resource.TestCheckResourceAttr(addr, "store_volumes.0.name", store),
					resource.TestCheckResourceAttr(addr, "store_volumes.0.state", "started"),
					resource.TestCheckResourceAttr(addr, "store_volumes.0.bricks.1", bricks[1]),
					started,
				),
			},
			// 2. Drift: the store stopped by hand; apply starts it again.
			drift(func() { l.must(sdsc1.StopVolume(ctx, store)) }, []any{"store_volumes", 0, "state"}, "stopped"),
			repaired,
			// 3. Drift: its option changed by hand; apply sets it back.
			drift(func() { l.must(sdsc1.SetOptions(ctx, store, map[string]string{"performance.quick-read": "on"})) },
				[]any{"store_volumes", 0, "options", "performance.quick-read"}, "on"),
			repaired,
			// 4. Drift: the store deleted by hand (its brick folders too, so
			// that gluster takes them again); apply creates it.
			drift(func() {
				l.must(sdsc1.StopVolume(ctx, store))
				l.must(sdsc1.DeleteVolume(ctx, store))
				l.removeBricks(store, "sdsc1", "sdsc2")
			}, []any{"store_volumes"}, []any{}),
			repaired,
			// 5. Drift: a brick added to the store by hand. Its layout can
			// only be made again, which deletes the store: refused while
			// deletion protection is on. Removing the brick by hand leaves
			// nothing to do.
			drift(func() { l.run("sdsc1", "gluster", "--mode=script", "volume", "add-brick", store, extra, "force") },
				[]any{"store_volumes", 0, "bricks", 2}, extra),
			{Config: cfg, ExpectError: regexp.MustCompile(`Deletion Protection Enabled`)},
			{
				PreConfig: func() {
					l.run("sdsc1", "gluster", "--mode=script", "volume", "remove-brick", store, extra, "force")
					l.removeBricks(store+"-x", "sdsc1")
				},
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			// 6. New bricks would delete the store: refused while deletion
			// protection is on, and the store is left alone.
			{
				Config:      moved,
				ExpectError: regexp.MustCompile(`Deletion Protection Enabled`),
			},
			// 7. Protection off, the store untouched by the refused apply;
			// the final destroy (CheckDestroy) deletes the store and the
			// volume, then detaches sdsc2, which held a brick of the store.
			{Config: unprotected, Check: started},
		},
	})
}
