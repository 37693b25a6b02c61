//go:build lab

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
)

// sessionConfig is a tacc peer cluster and a session to it from the
// primary's global volume; extra goes into the session block.
func sessionConfig(l *accLab, volume, extra string) string {
	return l.providerConfig() + fmt.Sprintf(`
resource "gluster_peer_cluster" "tacc" {
  nodes = [%q]
  volume = {
    name   = %q
    bricks = [%q]
    force  = true
  }
  deletion_protection = false
}

resource "gluster_georep_session" "test" {
  primary_node     = %q
  primary_volume   = %q
  secondary_node   = gluster_peer_cluster.tacc.nodes[0]
  secondary_volume = gluster_peer_cluster.tacc.volume.name
  sync_method      = "tarssh"
%s
}
`, l.addr("tacc1"), volume, l.brick("tacc1", volume), l.addr("p1"), lab.PrimaryVolume, extra)
}

// pinnedLine is the known_hosts line the session must pin for tacc1: its
// key as the lab recorded it when it made the node.
func (l *accLab) pinnedLine(node string) string {
	n, err := l.d.Node(node)
	l.must(err)
	f := strings.Fields(n.HostKey)
	return n.Address + " " + f[0] + " " + f[1]
}

// TestAccGeorepSession runs gluster_georep_session through its life:
// create with host keys pinned end to end, import, update in place (config,
// desired state, opting out of pinning and back), drift of the config, the
// running state, the pinning, the tar key's forced command and the session
// itself, and destroy.
func TestAccGeorepSession(t *testing.T) {
	l := newAccLab(t)
	l.resetSites()
	ctx := context.Background()
	volume := uniqueName("tfacc-gr")
	const addr = "gluster_georep_session.test"
	t.Cleanup(func() { l.removeBricks(volume, "tacc1") })
	p1 := l.gluster("p1")
	ref := gluster.SessionRef{PrimaryVolume: lab.PrimaryVolume, SecondaryHost: l.addr("tacc1"), SecondaryVolume: volume}
	id := l.addr("p1") + "/" + lab.PrimaryVolume + "/" + l.addr("tacc1") + "::" + volume
	wantLine := l.pinnedLine("tacc1")

	cfgCreate := sessionConfig(l, volume, "")
	cfgStarted := sessionConfig(l, volume, `
  sync_jobs     = 2
  rsync_options = "--bwlimit=10000"
  desired_state = "started"`)
	cfgUnpinned := sessionConfig(l, volume, `
  sync_jobs     = 2
  rsync_options = "--bwlimit=10000"
  desired_state = "started"
  insecure_skip_host_key_pinning = true`)
	cfgPaused := sessionConfig(l, volume, `
  sync_jobs     = 2
  rsync_options = "--bwlimit=10000"
  desired_state = "paused"`)
	cfgStopped := sessionConfig(l, volume, `
  sync_jobs     = 2
  rsync_options = "--bwlimit=10000"
  desired_state = "stopped"`)

	liveConfig := func(key, want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			got, err := p1.ConfigGet(ctx, ref, key)
			if err != nil {
				return err
			}
			if got != want {
				return fmt.Errorf("live config %s = %q, want %q", key, got, want)
			}
			return nil
		}
	}
	livePinned := func(want bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			cfg, err := p1.Config(ctx, ref)
			if err != nil {
				return err
			}
			if georep.Pinned(ref, cfg) != want {
				return fmt.Errorf("gsyncd ssh_options = %q, pinned = %v, want %v", cfg["ssh_options"], !want, want)
			}
			out, _ := l.runner("p1").Run(ctx, remoteCommand("cat", georep.KnownHostsPath(ref)))
			if got := strings.TrimSpace(string(out.Stdout)); want && got != wantLine {
				return fmt.Errorf("pinned file on p1 holds %q, want %q (the key the lab made for tacc1)", got, wantLine)
			}
			return nil
		}
	}
	liveState := func(want georep.State) resource.TestCheckFunc {
		return func(*terraform.State) error {
			st, err := p1.Status(ctx, ref)
			if err != nil {
				return err
			}
			if got := georep.StateOf(st.Rollup); got != want {
				return fmt.Errorf("live session is %s (%s), want %s", got, st.Rollup, want)
			}
			return nil
		}
	}
	tuned := `command="` + gluster.TarCommand(georep.DefaultTarBlocking) + `"`
	liveTarBlocking := func(*terraform.State) error {
		if keys := l.run("tacc1", "cat", "/root/.ssh/authorized_keys"); !strings.Contains(keys, tuned) {
			return fmt.Errorf("no line of tacc1's authorized_keys forces %s:\n%s", tuned, keys)
		}
		return nil
	}
	drift := func(change func(), before []any, want any, action plancheck.ResourceActionType) resource.TestStep {
		return resource.TestStep{
			PreConfig:          change,
			Config:             cfgStarted,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, action),
				expectBefore{addr: addr, path: before, want: want},
			}},
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: l.factories(),
		CheckDestroy: func(*terraform.State) error {
			if _, err := p1.Status(ctx, ref); !errors.Is(err, gluster.ErrNoSession) {
				return fmt.Errorf("session after destroy: %v, want none", err)
			}
			if out := l.run("p1", "sh", "-c", `test -e "$1" && echo left || true`, "sh", georep.KnownHostsPath(ref)); out != "" {
				return fmt.Errorf("the pinned known_hosts file is still on p1")
			}
			return nil
		},
		Steps: []resource.TestStep{
			// 1. Create: keys, push-pem, tarssh, and tacc1's host key pinned
			// for gsyncd, the very key the lab made for it.
			{
				Config: cfgCreate,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "id", id),
					resource.TestCheckResourceAttr(addr, "status", "created"),
					resource.TestCheckNoResourceAttr(addr, "desired_state"),
					resource.TestCheckResourceAttr(addr, "insecure_skip_host_key_pinning", "false"),
					resource.TestCheckResourceAttr(addr, "pinned_host_keys.#", "1"),
					resource.TestCheckResourceAttr(addr, "pinned_host_keys.0", wantLine),
					resource.TestCheckResourceAttr(addr, "workers.#", "1"),
					resource.TestCheckResourceAttr(addr, "ssh_port", "22"),
					resource.TestCheckResourceAttr(addr, "tar_blocking_factor", "256"),
					liveConfig("sync_method", "tarssh"),
					livePinned(true),
					liveTarBlocking,
				),
			},
			// 2. Import by id.
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"status", "workers", "last_synced", "timeouts"},
			},
			// 3. Update in place: config values and a desired state,
			// started as the status shows, not as the exit code says.
			{
				Config: cfgStarted,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "desired_state", "started"),
					liveConfig("sync_jobs", "2"),
					liveConfig("rsync_options", "--bwlimit=10000"),
					liveState(georep.Started),
				),
			},
			// 4. Drift: stopped by hand while desired_state says started.
			drift(func() { l.must(p1.Stop(ctx, ref, false)) }, []any{"desired_state"}, "stopped", plancheck.ResourceActionUpdate),
			{Config: cfgStarted, Check: liveState(georep.Started)},
			// 5. Drift: a config value changed by hand.
			drift(func() { l.must(p1.ConfigSet(ctx, ref, "sync_jobs", "4")) }, []any{"sync_jobs"}, 4, plancheck.ResourceActionUpdate),
			{Config: cfgStarted, Check: liveConfig("sync_jobs", "2")},
			// 6. Drift: gsyncd's ssh options put back to no host key checking.
			drift(func() { l.must(p1.ConfigReset(ctx, ref, "ssh_options")) },
				[]any{"insecure_skip_host_key_pinning"}, true, plancheck.ResourceActionUpdate),
			{Config: cfgStarted, Check: livePinned(true)},
			// 7. Drift: another key written into the pinned file.
			drift(func() {
				l.run("p1", "sh", "-c", `echo "$1" > "$2"`, "sh", l.pinnedLine("sdsc1"), georep.KnownHostsPath(ref))
			}, []any{"insecure_skip_host_key_pinning"}, true, plancheck.ResourceActionUpdate),
			{Config: cfgStarted, Check: livePinned(true)},
			// 8. Drift: tacc1's tar key put back to push-pem's forced command.
			drift(func() {
				l.run("tacc1", "sed", "-i", `s/command="tar -B -b 256 /command="tar /`, "/root/.ssh/authorized_keys")
			}, []any{"tar_blocking_factor"}, 20, plancheck.ResourceActionUpdate),
			{Config: cfgStarted, Check: liveTarBlocking},
			// 9. The documented opt-out, and back.
			{Config: cfgUnpinned, Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(addr, "pinned_host_keys.#", "0"),
				livePinned(false),
			)},
			{Config: cfgStarted, Check: livePinned(true)},
			// 10. Update in place: paused, then stopped.
			{Config: cfgPaused, Check: liveState(georep.Paused)},
			{Config: cfgStopped, Check: liveState(georep.Stopped)},
			// 11. Drift: the session deleted by hand; plan proposes to
			// create it again, and apply does.
			{
				PreConfig: func() {
					l.must(p1.Stop(ctx, ref, true))
					l.must(p1.Delete(ctx, ref, gluster.DeleteOptions{}))
				},
				Config:             cfgStopped,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
			},
			{Config: cfgStopped, Check: resource.ComposeAggregateTestCheckFunc(livePinned(true), liveState(georep.Stopped))},
		},
	})
}
