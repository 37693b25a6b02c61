//go:build lab

package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
)

// TestAccGeorepStatusDataSource reads a running session's status, then
// its checkpoint once one is set, and refuses a session that does not
// exist.
func TestAccGeorepStatusDataSource(t *testing.T) {
	l := newAccLab(t)
	l.resetSites()
	ctx := context.Background()
	volume := uniqueName("tfacc-ds")
	t.Cleanup(func() { l.removeBricks(volume, "tacc1") })
	p1 := l.gluster("p1")
	ref := gluster.SessionRef{PrimaryVolume: lab.PrimaryVolume, SecondaryHost: l.addr("tacc1"), SecondaryVolume: volume}
	const ds = "data.gluster_georep_status.test"

	cfg := sessionConfig(l, volume, `  desired_state = "started"`) + `
data "gluster_georep_status" "test" {
  primary_node     = gluster_georep_session.test.primary_node
  primary_volume   = gluster_georep_session.test.primary_volume
  secondary_node   = gluster_georep_session.test.secondary_node
  secondary_volume = gluster_georep_session.test.secondary_volume
}
`
	missing := l.providerConfig() + fmt.Sprintf(`
data "gluster_georep_status" "missing" {
  primary_node     = %q
  primary_volume   = %q
  secondary_node   = %q
  secondary_volume = "no-such-volume"
}
`, l.addr("p1"), lab.PrimaryVolume, l.addr("tacc1"))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: l.factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPair(ds, "id", "gluster_georep_session.test", "id"),
					resource.TestMatchResourceAttr(ds, "status", regexp.MustCompile(`^(up|initializing|partial|faulty)$`)),
					resource.TestCheckResourceAttr(ds, "workers.#", "1"),
					resource.TestCheckResourceAttr(ds, "workers.0.primary_node", l.addr("p1")),
					resource.TestCheckResourceAttr(ds, "workers.0.brick", lab.BrickPath(l.d.Dir, "p1", lab.PrimaryVolume)),
					resource.TestCheckNoResourceAttr(ds, "checkpoint_time"),
					resource.TestCheckResourceAttr(ds, "checkpoint_completed", "false"),
					resource.TestCheckResourceAttrSet(ds, "pending.entry"),
				),
			},
			{
				PreConfig: func() {
					_, err := p1.SetCheckpoint(ctx, ref)
					l.must(err)
				},
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestMatchResourceAttr(ds, "checkpoint_time", regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)),
					func(s *terraform.State) error {
						cp, err := p1.Checkpoint(ctx, ref)
						if err != nil {
							return err
						}
						got := s.RootModule().Resources[ds].Primary.Attributes["checkpoint_time"]
						if want := cp.Format("2006-01-02T15:04:05Z"); got != want {
							return fmt.Errorf("checkpoint_time = %s, gluster says %s", got, want)
						}
						return nil
					},
				),
			},
			{
				Config:      missing,
				ExpectError: regexp.MustCompile(`Geo-Replication Session Not Found`),
			},
		},
	})
}
