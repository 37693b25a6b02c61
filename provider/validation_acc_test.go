//go:build lab

package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// errorSaying matches Terraform's rendering of a diagnostic, which wraps
// long lines: every space of want matches any run of white space.
func errorSaying(want string) *regexp.Regexp {
	words := strings.Fields(want)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// TestAccInvalidConfigurationsFailAtPlan: every value that gluster would
// refuse, or that could reach a shell or an ssh command line as something
// else than one argument, is refused by `terraform plan`, with a message
// that names the attribute. No node is contacted: validation runs before
// the provider connects anywhere.
func TestAccInvalidConfigurationsFailAtPlan(t *testing.T) {
	accPreCheck(t)
	header := `
terraform {
  required_providers {
    gluster = { source = "glusterdr/gluster" }
  }
}
provider "gluster" {
  password         = "unused"
  known_hosts_file = "/dev/null"
%s
}
`
	cluster := func(nodes, volume string) string {
		return fmt.Sprintf(header, "") + fmt.Sprintf(`
resource "gluster_peer_cluster" "bad" {
  nodes  = %s
  volume = %s
}
`, nodes, volume)
	}
	goodVolume := `{ name = "dr", bricks = ["203.0.113.21:/srv/b/dr"] }`
	withStores := func(stores string) string {
		c := cluster(`["203.0.113.21", "203.0.113.22"]`, goodVolume)
		return c[:strings.LastIndex(c, "}")] + "  store_volumes = " + stores + "\n}\n"
	}
	session := func(attrs string) string {
		return fmt.Sprintf(header, "") + fmt.Sprintf(`
resource "gluster_georep_session" "bad" {
  primary_node     = "203.0.113.10"
  primary_volume   = "global"
  secondary_node   = "203.0.113.21"
  secondary_volume = "dr"
%s
}
`, attrs)
	}
	provider := func(attrs string) string {
		return fmt.Sprintf(header, attrs) + `
resource "gluster_peer_cluster" "ok" {
  nodes  = ["203.0.113.21"]
  volume = { name = "dr", bricks = ["203.0.113.21:/srv/b/dr"] }
}
`
	}

	cases := []struct{ config, want string }{
		// Volume names and brick paths, by gluster's own rules.
		{cluster(`["203.0.113.21"]`, `{ name = "bad name", bricks = ["203.0.113.21:/srv/b/dr"] }`),
			`Attribute volume.name value must be a gluster volume name: volume name "bad name" contains ' '`},
		{cluster(`["203.0.113.21"]`, `{ name = "-oops", bricks = ["203.0.113.21:/srv/b/dr"] }`),
			`Attribute volume.name value must be a gluster volume name: volume name "-oops" starts with '-'`},
		{cluster(`["203.0.113.21"]`, `{ name = "dr", bricks = ["203.0.113.21:srv/relative"] }`),
			`Attribute volume.bricks[0] value must be a brick as host:/absolute/path`},
		{cluster(`["203.0.113.21"]`, `{ name = "dr", bricks = ["203.0.113.21:/srv/b;rm -rf x"] }`),
			`Attribute volume.bricks[0] value must be a brick as host:/absolute/path: brick path "/srv/b;rm -rf x" contains ';'`},
		{cluster(`["203.0.113.21"]`, `{ name = "dr", bricks = ["203.0.113.21:/srv/../etc"] }`),
			`Attribute volume.bricks[0] value must be a brick as host:/absolute/path: brick path "/srv/../etc" contains a ".." component`},
		// Store volumes: the same rules, and each its own name and bricks.
		{withStores(`[{ name = "-points", bricks = ["203.0.113.21:/srv/b/points"] }]`),
			`Attribute store_volumes[0].name value must be a gluster volume name: volume name "-points" starts with '-'`},
		{withStores(`[{ name = "points", bricks = ["203.0.113.21:/srv/b/points;id"] }]`),
			`Attribute store_volumes[0].bricks[0] value must be a brick as host:/absolute/path: brick path "/srv/b/points;id" contains ';'`},
		{withStores(`[{ name = "dr", bricks = ["203.0.113.21:/srv/b/points"] }]`),
			`Attribute store_volumes[0] conflicts with volume: volume name "dr" is declared twice`},
		{withStores(`[{ name = "points", bricks = ["203.0.113.21:/srv/b/points"] }, { name = "points", bricks = ["203.0.113.22:/srv/b/points"] }]`),
			`Attribute store_volumes[1] conflicts with store_volumes[0]: volume name "points" is declared twice`},
		{withStores(`[{ name = "points", bricks = ["203.0.113.21:/srv/b/dr/points"] }]`),
			`Attribute store_volumes[0] conflicts with volume: brick 203.0.113.21:/srv/b/dr/points of volume "points" and brick 203.0.113.21:/srv/b/dr of volume "dr" overlap`},
		{withStores(`[{ name = "points", type = "replicate", bricks = ["203.0.113.21:/srv/b/points", "203.0.113.22:/srv/b/points"] }]`),
			`Attribute store_volumes[0].replica_count must be set (at least 2) when store_volumes[0].type is "replicate"`},
		{withStores(`[{ name = "points", bricks = ["203.0.113.99:/srv/b/points"] }]`),
			`Attribute store_volumes[0].bricks[0] "203.0.113.99:/srv/b/points" is on 203.0.113.99, which is not one of nodes`},
		{withStores(`[]`), `Attribute store_volumes list must contain at least 1 elements, got: 0`},
		// Hosts: a leading '-', metacharacters, a newline.
		{cluster(`["-oProxyCommand=touch /tmp/x"]`, goodVolume),
			`Attribute nodes[0] value must be a host name or IP address: host "-oProxyCommand=touch /tmp/x" starts with '-'`},
		{cluster(`["203.0.113.21", "sdsc2;reboot"]`, goodVolume),
			`Attribute nodes[1] value must be a host name or IP address: host name "sdsc2;reboot" contains ';'`},
		{cluster(`["sdsc1\nreboot"]`, goodVolume),
			`Attribute nodes[0] value must be a host name or IP address`},
		{cluster(`["203.0.113.21"]`, `{ name = "dr", bricks = ["$(reboot):/srv/b/dr"] }`),
			`Attribute volume.bricks[0] value must be a brick as host:/absolute/path: host name "$(reboot)" contains '$'`},
		// Enums and what only makes sense together.
		{cluster(`["203.0.113.21"]`, `{ name = "dr", type = "disperse", bricks = ["203.0.113.21:/srv/b/dr"] }`),
			`Attribute volume.type value must be one of: ["distribute" "replicate"], got: "disperse"`},
		{cluster(`["203.0.113.21"]`, `{ name = "dr", replica_count = 2, bricks = ["203.0.113.21:/srv/b/dr"] }`),
			`Attribute volume.replica_count is set, but volume.type is "distribute"`},
		{cluster(`["203.0.113.21"]`, `{ name = "dr", type = "replicate", replica_count = 2, bricks = ["203.0.113.21:/srv/b/dr"] }`),
			`Attribute volume.replica_count 2 is more than the 1 bricks of volume.bricks`},
		{cluster(`["203.0.113.21"]`, `{ name = "dr", type = "replicate", replica_count = 2, bricks = ["203.0.113.21:/srv/b/dr1", "203.0.113.21:/srv/b/dr2", "203.0.113.21:/srv/b/dr3"] }`),
			`Attribute volume.bricks has 3 bricks, which is not a multiple of volume.replica_count 2`},
		{cluster(`["203.0.113.21"]`, `{ name = "dr", bricks = ["203.0.113.99:/srv/b/dr"] }`),
			`Attribute volume.bricks[0] "203.0.113.99:/srv/b/dr" is on 203.0.113.99, which is not one of nodes`},
		// Options: names, and values the gluster CLI would take for its own.
		{cluster(`["203.0.113.21"]`, `{ name = "dr", bricks = ["203.0.113.21:/srv/b/dr"], options = { "-x" = "1" } }`),
			`Attribute volume.options["-x"] value must be a gluster option name`},
		{cluster(`["203.0.113.21"]`, `{ name = "dr", bricks = ["203.0.113.21:/srv/b/dr"], options = { "auth.allow" = "--mode=script" } }`),
			`Attribute volume.options["auth.allow"] value must be a single-line option value: "--mode=script" starts with "--"`},
		// The session.
		{session(`  ssh_port = 70000`), `Attribute ssh_port value must be between 1 and 65535, got: 70000`},
		{session(`  ssh_port = 0`), `Attribute ssh_port value must be between 1 and 65535, got: 0`},
		{session(`  sync_method = "scp"`), `Attribute sync_method value must be one of: ["rsync" "tarssh"], got: "scp"`},
		{session(`  desired_state = "running"`), `Attribute desired_state value must be one of: ["started" "stopped" "paused"], got: "running"`},
		{session(`  sync_jobs = 0`), `Attribute sync_jobs value must be between 1 and 64, got: 0`},
		{session(`  changelog_rollover_time = 1`), `Attribute changelog_rollover_time value must be between 3 and 600, got: 1`},
		{session(`  rsync_options = "--bwlimit=1\n--rsh=evil"`), `Attribute rsync_options value must be a single line of text`},
		{session(`  secondary_user = "root;id"`), `Attribute secondary_user value must be a user name`},
		{strings.Replace(session(""), `secondary_node   = "203.0.113.21"`, `secondary_node   = "$(reboot)"`, 1),
			`Attribute secondary_node value must be a host name or IPv4 address: host name "$(reboot)" contains '$'`},
		{strings.Replace(session(""), `secondary_node   = "203.0.113.21"`, `secondary_node   = "2001:db8::1"`, 1),
			`Attribute secondary_node value must be a host name or IPv4 address: host "2001:db8::1": gluster writes the secondary as host::volume, which cannot carry an IPv6 address`},
		{strings.Replace(session(""), `primary_node     = "203.0.113.10"`, `primary_node     = "-oProxyCommand=x"`, 1),
			`Attribute primary_node value must be a host name or IP address`},
		{strings.Replace(session(""), `secondary_volume = "dr"`, `secondary_volume = "all"`, 1),
			`Attribute secondary_volume value must be a gluster volume name: "all" is a reserved word`},
		// The provider block.
		{provider(`  port = 0`), `Attribute port value must be between 1 and 65535, got: 0`},
		{provider(`  host_keys = ["*.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPhBPxW2IoPeeOqnlTRrFuxmMOb5O/hhDbT4h+ArARmz"]`),
			`Attribute host_keys[0] value must be a known_hosts line (host keytype base64): host "*.example"`},
		{provider(`  nodes = { "-oProxyCommand=x" = { port = 2222 } }`), `Attribute nodes["-oProxyCommand=x"] value must be a host name or IP address`},
		{provider(`  connect_timeout = "soon"`), `Attribute connect_timeout value must be a positive duration`},
		{provider(`  user = "-oProxyCommand=x"`), `Attribute user value must be a user name`},
		{provider(`  jump_host = { host = "bastion;id" }`), `Attribute jump_host.host value must be a host name or IP address`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: c.config, PlanOnly: true, ExpectError: errorSaying(c.want)})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"gluster": providerserver.NewProtocol6WithError(newProvider("acc")),
		},
		Steps: steps,
	})
}
