//go:build lab

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
)

// TestAccExampleLab applies examples/lab, the whole lab topology (two peer
// clusters, two sessions, the nightly schedule on p1 with its cron entry,
// the provisioning state of day one), then runs on p1 the command that
// cron entry holds, exactly as cron would, and requires a verified nightly
// cycle; the plan that follows is empty, and dr_backup_sets lists the set.
// It also proves that a refresh of it makes one SSH handshake per host, not
// one per resource: by the nodes' own sshd logs, and by the provider's pool
// statistics. Destroy removes the schedule and its trigger, never the set.
func TestAccExampleLab(t *testing.T) {
	l := newAccLab(t)
	l.resetSites()
	t.Cleanup(func() { l.removeBricks("global-dr", "sdsc1", "sdsc2", "tacc1") })
	// What an earlier run that failed may have left on p1; create refuses to
	// overwrite it.
	l.removeAll("p1", "/etc/glusterdr/schedule.hcl", trigger.CronFile, labCaptureDir)
	dir := config.StaticDirectory(l.exampleCopy(filepath.Join("..", "examples", "lab")))
	inventory, err := filepath.Abs(filepath.Join("..", "examples", "lab", "inventory.yml"))
	l.must(err)
	cli := l.glusterdrCLI()
	vars := func(protect bool) config.Variables {
		return config.Variables{
			"lab_json":            config.StringVariable(filepath.Join(l.d.Dir, "lab.json")),
			"deletion_protection": config.BoolVariable(protect),
			"glusterdr_path":      config.StringVariable(cli),
			"inventory_file":      config.StringVariable(inventory),
		}
	}
	var nightly string // the set the nightly run made
	nodes := []string{"p1", "sdsc1", "sdsc2", "tacc1"}
	var before map[string]int

	// A configuration directory with a provider block takes its providers
	// per step, not per test case.
	factories := l.factories()
	resource.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error { return l.checkLabScheduleGone(nightly) },
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: factories,
				ConfigDirectory:          dir,
				ConfigVariables:          vars(true),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("gluster_peer_cluster.sdsc", "nodes.#", "2"),
					resource.TestCheckResourceAttr("gluster_georep_session.sdsc", "pinned_host_keys.#", "2"),
					resource.TestCheckResourceAttr("gluster_georep_session.sdsc", "pinned_host_keys.0", l.pinnedLine("sdsc1")),
					resource.TestCheckResourceAttr("gluster_georep_session.sdsc", "pinned_host_keys.1", l.pinnedLine("sdsc2")),
					resource.TestCheckResourceAttr("gluster_georep_session.tacc", "pinned_host_keys.0", l.pinnedLine("tacc1")),
					resource.TestCheckResourceAttr("gluster_georep_session.tacc", "sync_method", "tarssh"),
					resource.TestCheckResourceAttr("gluster_georep_session.sdsc", "tar_blocking_factor", "256"),
					resource.TestCheckResourceAttr("gluster_georep_session.tacc", "tar_blocking_factor", "256"),
					resource.TestCheckResourceAttr("dr_schedule.lab", "trigger", trigger.Cron),
					resource.TestCheckResourceAttr("dr_schedule.lab", "trigger_command.0", cli),
					resource.TestCheckResourceAttr("gluster_provisioning_state.initial", "status", captureCurrent),
					func(*terraform.State) error { nightly = l.runLabNightly(); return nil },
				),
			},
			// A plan of the unchanged topology is empty; it refreshes all
			// four resources once.
			{
				PreConfig:                func() { before = l.sshdLogins(nodes) },
				ProtoV6ProviderFactories: factories,
				ConfigDirectory:          dir,
				ConfigVariables:          vars(true),
				PlanOnly:                 true,
			},
			{
				PreConfig: func() {
					// That step ran two plans: one without refresh, which
					// reads only the data source (on p1), and one with.
					after := l.sshdLogins(nodes)
					want := map[string]int{"p1": 2, "sdsc1": 1, "sdsc2": 1, "tacc1": 1}
					for _, n := range nodes {
						if d := after[n] - before[n]; d != want[n] {
							t.Errorf("the plans logged in to %s %d times, want %d: one per host and Terraform command", n, d, want[n])
						}
					}
				},
				ProtoV6ProviderFactories: factories,
				ConfigDirectory:          dir,
				ConfigVariables:          vars(false),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr("data.dr_backup_sets.lab", "newest_verified", &nightly),
					resource.TestCheckResourceAttrPtr("dr_schedule.lab", "last_run.set", &nightly),
					resource.TestCheckResourceAttr("dr_schedule.lab", "last_run.result", "verified"),
				),
			},
		},
	})

	maxHandshakes := int64(0)
	for i, s := range l.providerStats() {
		if s.Handshakes > int64(len(nodes)) || s.Redials != 0 {
			t.Errorf("provider instance %d: %+v; want at most one handshake per host (%d hosts) and no redial", i, s, len(nodes))
		}
		maxHandshakes = max(maxHandshakes, s.Handshakes)
	}
	if maxHandshakes != int64(len(nodes)) {
		t.Errorf("no Terraform command reached all %d hosts (most handshakes: %d)", len(nodes), maxHandshakes)
	}
}

// sshdLogins counts the logins from the host (the lab's bridge address) in
// each node's sshd log; gsyncd's own logins come from the nodes.
func (l *accLab) sshdLogins(nodes []string) map[string]int {
	bridge := strings.TrimSuffix(l.addr("p1"), ".10") + ".1"
	out := map[string]int{}
	for _, n := range nodes {
		data, err := os.ReadFile(filepath.Join(l.d.Dir, "nodes", n, "sshd.out"))
		l.must(err)
		out[n] = strings.Count(string(data), fmt.Sprintf("Accepted publickey for %s from %s ", l.d.SSH.User, bridge))
	}
	return out
}

// exampleCopy copies an example's .tf files, and nothing else (no state
// left by a `make tf-demo`), into a folder of the test's own.
func (l *accLab) exampleCopy(dir string) string {
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	l.must(err)
	if len(files) == 0 {
		l.t.Fatalf("no .tf file in %s", dir)
	}
	dst := l.t.TempDir()
	for _, f := range files {
		data, err := os.ReadFile(f)
		l.must(err)
		l.must(os.WriteFile(filepath.Join(dst, filepath.Base(f)), data, 0o644))
	}
	return dst
}
