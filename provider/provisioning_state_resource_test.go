//go:build lab

package provider

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/provstate"
)

// provisioningSecrets are in the test's inventory and must never reach the
// capture, the state or a plan.
var provisioningSecrets = []string{"tfacc-hunter2", "tfacc.0123456789abcdef"}

const provisioningInventory = `all:
  hosts:
    p1:
      ansible_password: tfacc-hunter2
  vars:
    kubeadm_token: tfacc.0123456789abcdef
    cluster_name: tfacc
`

// TestAccProvisioningState runs gluster_provisioning_state through its
// life: a capture on p1 (the controller) stored redacted, 0600, in the
// backup folder on p1 (the primary); import; drift when the inventory
// changes, when the stored copy is altered and when it is removed, each
// repaired by apply, which keeps the previous capture; and destroy. Every
// log runs at TRACE into one file, which must not hold the inventory's
// secrets.
func TestAccProvisioningState(t *testing.T) {
	l := newAccLab(t)
	ctx := context.Background()
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	s := strings.ToLower(acctest.RandStringFromCharSet(6, acctest.CharSetAlphaNum))
	root := path.Join(lab.MountPath, "tfacc-"+s)
	backupDir := path.Join(root, "backup")
	inventory := "/root/tfacc-" + s + "/hosts.yml"
	file := path.Join(backupDir, provisioningFolder, defaultCaptureName, provstate.FileName)
	const addr = "gluster_provisioning_state.test"
	t.Cleanup(func() { l.removeAll("p1", root, path.Dir(inventory)) })
	l.writeFile("p1", inventory, provisioningInventory, 0o600)

	cfg := l.providerConfig() + fmt.Sprintf(`
resource "gluster_provisioning_state" "test" {
  controller_node           = %[1]q
  primary_node              = %[1]q
  backup_dir                = %[2]q
  inventory                 = [%[3]q]
  image_ref                 = "registry.example.org/platform/node:tfacc"
  ansible_inventory_command = ["ansible-inventory", "-i", %[3]q, "--list"]
}
`, l.addr("p1"), backupDir, inventory)

	stored := func(check func(content string) error) resource.TestCheckFunc {
		return func(st *terraform.State) error {
			info, err := l.files("p1").Stat(ctx, file)
			if err != nil {
				return err
			}
			data, _ := l.readFile("p1", file)
			if info.Mode().Perm() != provstate.FileMode {
				return fmt.Errorf("%s has mode %v, want 0600", file, info.Mode().Perm())
			}
			if got, want := sha256Hex(data), st.RootModule().Resources[addr].Primary.Attributes["sha256"]; got != want {
				return fmt.Errorf("sha256 of %s is %s, state says %s", file, got, want)
			}
			for _, secret := range provisioningSecrets {
				if strings.Contains(string(data), secret) {
					return fmt.Errorf("the capture holds the secret %q", secret)
				}
			}
			return check(string(data))
		}
	}
	noSecretInState := func(st *terraform.State) error {
		for k, v := range st.RootModule().Resources[addr].Primary.Attributes {
			for _, secret := range provisioningSecrets {
				if strings.Contains(v, secret) {
					return fmt.Errorf("state attribute %s holds the secret %q", k, secret)
				}
			}
		}
		return nil
	}
	drift := func(change func(), want any, action plancheck.ResourceActionType) resource.TestStep {
		step := resource.TestStep{
			PreConfig: change, Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, action),
			}},
		}
		if want != nil {
			step.ConfigPlanChecks.PostApplyPostRefresh = append(step.ConfigPlanChecks.PostApplyPostRefresh,
				expectBefore{addr: addr, path: []any{"status"}, want: want})
		}
		return step
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: l.factories(),
		CheckDestroy: func(*terraform.State) error {
			if _, found := l.readFile("p1", file); found {
				return fmt.Errorf("%s is still on p1 after destroy", file)
			}
			return nil
		},
		Steps: []resource.TestStep{
			// 1. Create: captured on p1, redacted, stored 0600.
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "id", l.addr("p1")+path.Join(backupDir, provisioningFolder, defaultCaptureName)),
					resource.TestCheckResourceAttr(addr, "status", captureCurrent),
					resource.TestCheckResourceAttr(addr, "file", file),
					resource.TestMatchResourceAttr(addr, "digest", regexpMust(`^[0-9a-f]{64}$`)),
					resource.TestMatchResourceAttr(addr, "redactions", regexpMust(`^[2-9]$`)),
					resource.TestCheckResourceAttrSet(addr, "captured_at"),
					noSecretInState,
					stored(func(content string) error {
						st, err := provstate.Decode([]byte(content))
						if err != nil {
							return err
						}
						if st.ImageRef != "registry.example.org/platform/node:tfacc" || len(st.Files) != 1 ||
							!strings.Contains(st.Files[0].Content, provstate.Redacted) || !strings.Contains(content, `"cluster_name": "tfacc"`) {
							return fmt.Errorf("capture:\n%s", content)
						}
						return nil
					}),
				),
			},
			// 2. Import by id: what to capture is read from the capture.
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts"}},
			// 3. Drift: the inventory changed on the controller.
			drift(func() {
				l.writeFile("p1", inventory, strings.Replace(provisioningInventory, "cluster_name: tfacc", "cluster_name: tfacc-2", 1), 0o600)
			}, captureInventoryChanged, plancheck.ResourceActionUpdate),
			// ...apply captures it again and keeps the capture of day one.
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "status", captureCurrent),
					stored(func(content string) error {
						if !strings.Contains(content, `"cluster_name": "tfacc-2"`) {
							return fmt.Errorf("not captured again:\n%s", content)
						}
						return nil
					}),
					func(*terraform.State) error {
						infos, err := l.files("p1").ReadDir(ctx, path.Dir(file))
						if err != nil {
							return err
						}
						var names []string
						previous := 0
						for _, i := range infos {
							names = append(names, i.Name())
							if strings.HasPrefix(i.Name(), "provisioning-") && strings.HasSuffix(i.Name(), ".json") {
								previous++
							}
						}
						if len(names) != 2 || previous != 1 {
							return fmt.Errorf("capture folder holds %v, want the new capture and the previous one", names)
						}
						return nil
					},
				),
			},
			// 4. Drift: the stored copy altered.
			drift(func() {
				data, _ := l.readFile("p1", file)
				l.writeFile("p1", file, strings.Replace(string(data), "tfacc-2", "tfacc-3", 1), 0o600)
			}, captureAltered, plancheck.ResourceActionUpdate),
			{Config: cfg, Check: resource.TestCheckResourceAttr(addr, "status", captureCurrent)},
			// 5. Drift: the stored copy removed; plan proposes to capture it.
			drift(func() { l.removeAll("p1", file) }, nil, plancheck.ResourceActionCreate),
			{Config: cfg, Check: stored(func(string) error { return nil })},
		},
	})

	log, err := os.ReadFile(logPath)
	l.must(err)
	if !strings.Contains(string(log), "provisioning state captured") || !strings.Contains(string(log), "ReadResource") {
		t.Fatalf("the trace log (%d bytes) lacks the capture and the reads: it did not capture what it should", len(log))
	}
	for _, secret := range provisioningSecrets {
		if strings.Contains(string(log), secret) {
			t.Errorf("the trace log holds the inventory's secret %q", secret)
		}
	}
}
