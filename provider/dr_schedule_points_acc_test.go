//go:build lab

package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/peercluster"
)

// TestAccScheduleRefusesSnapshotsOfBricksThatCannotTakeThem: plan looks at
// the bricks of a target that asks for gluster snapshots and refuses the
// lab's tacc, whose bricks are directories on the root file system (no
// thin LV, no device-mapper here), naming the brick.
func TestAccScheduleRefusesSnapshotsOfBricksThatCannotTakeThem(t *testing.T) {
	l := newAccLab(t)
	spec, err := l.d.SiteSpec("tacc")
	if err != nil {
		t.Fatal(err)
	}
	tacc, err := l.conn.Gluster("tacc1")
	if err != nil {
		t.Fatal(err)
	}
	if err := peercluster.Ensure(context.Background(), tacc, spec); err != nil {
		t.Fatalf("tacc's volume: %v", err)
	}
	brick := lab.BrickPath(l.d.Dir, "tacc1", spec.Volume.Name)
	config := l.providerConfig() + fmt.Sprintf(`
resource "dr_schedule" "snap" {
  provider        = gluster
  controller_node = %[1]q
  path            = "/tmp/glusterdr-snapshot-refusal.hcl"
  cron            = "0 2 * * *"
  primary         = { volume = "global", node = %[1]q }
  targets = [{
    name             = "tacc"
    secondary_host   = %[2]q
    secondary_volume = %[3]q
    restore_points   = "gluster-snapshot"
  }]
}
`, l.addr("p1"), l.addr("tacc1"), spec.Volume.Name)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: l.factories(),
		Steps: []resource.TestStep{{
			Config: config, PlanOnly: true,
			ExpectError: errorSaying(fmt.Sprintf("brick %s:%s is on", l.addr("tacc1"), brick)),
		}},
	})
}
