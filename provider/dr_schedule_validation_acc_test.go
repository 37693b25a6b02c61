//go:build lab

package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccScheduleInvalidConfigurationsFailAtPlan: dr_schedule refuses at
// plan what the nightly engine would refuse in its file (the engine's own
// parser checks it), and gluster_provisioning_state and dr_backup_sets
// refuse bad names and paths, each with a message naming the attribute. No
// node is contacted.
func TestAccScheduleInvalidConfigurationsFailAtPlan(t *testing.T) {
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
}
`
	valid := map[string]string{
		"controller_node": `"203.0.113.10"`,
		"cron":            `"0 2 * * *"`,
		"primary":         `{ volume = "global", node = "203.0.113.10" }`,
		"targets":         `[{ name = "sdsc", secondary_host = "203.0.113.21", secondary_volume = "global-dr" }]`,
	}
	schedule := func(overrides ...string) string {
		attrs := map[string]string{}
		for k, v := range valid {
			attrs[k] = v
		}
		for i := 0; i+1 < len(overrides); i += 2 {
			attrs[overrides[i]] = overrides[i+1]
		}
		var b strings.Builder
		for _, k := range []string{"controller_node", "path", "trigger", "runner", "cron", "time_zone", "rotation",
			"checkpoint_timeout", "run_timeout", "state_dir", "primary", "targets", "retention", "etcd", "cluster_dump", "ssh"} {
			if v, ok := attrs[k]; ok {
				fmt.Fprintf(&b, "  %s = %s\n", k, v)
			}
		}
		return header + "resource \"dr_schedule\" \"bad\" {\n  provider = gluster\n" + b.String() + "}\n"
	}
	capture := func(attrs string) string {
		return header + fmt.Sprintf(`
resource "gluster_provisioning_state" "bad" {
  controller_node = "203.0.113.10"
  primary_node    = "203.0.113.10"
%s
}
`, attrs)
	}
	sets := func(attrs string) string {
		return header + fmt.Sprintf(`
data "dr_backup_sets" "bad" {
  provider = gluster
%s
}
`, attrs)
	}

	cases := []struct{ config, want string }{
		// The engine's checks, through its parser.
		{schedule("cron", `"61 2 * * *"`), `Attribute cron: "61 2 * * *": end of range (61) above maximum (59)`},
		{schedule("cron", `"every night"`), `Attribute cron: "every night": expected exactly 5 fields`},
		{schedule("cron", `"@every 24h"`), `Attribute cron: "@every 24h": @every is not supported`},
		{schedule("time_zone", `"Mars/Olympus"`), `Attribute time_zone: unknown time zone "Mars/Olympus"`},
		{schedule("retention", `{ daily = 0 }`), `Attribute retention.daily: 0 is less than 1.`},
		{schedule("retention", `{ daily = 7, weekly = 0, monthly = 3 }`), `Attribute retention.monthly: monthlies are promoted from weeklies`},
		{schedule("retention", `{ daily = 7, weekly = 1001 }`), `Attribute retention.weekly: 1001 is more than 1000.`},
		{schedule("retention", `{ daily = 1001 }`), `Attribute retention.daily: 1001 is more than 1000.`},
		{schedule("targets", `[{ name = "sdsc", secondary_host = "-oProxyCommand=touch /tmp/x", secondary_volume = "global-dr" }]`),
			`Attribute targets[0].secondary_host: host "-oProxyCommand=touch /tmp/x" starts with '-'`},
		{schedule("targets", `[{ name = "sdsc", secondary_host = "2001:db8::21", secondary_volume = "global-dr" }]`),
			`Attribute targets[0].secondary_host: host "2001:db8::21": gluster writes the secondary as host::volume`},
		{schedule("targets", `[{ name = "sdsc", secondary_host = "a", secondary_volume = "v", verify_node = "-x" }]`),
			`Attribute targets[0].verify_node: host "-x" starts with '-'`},
		{schedule("targets", `[{ name = "sdsc", secondary_host = "a", secondary_volume = "v" }, { name = "sdsc", secondary_host = "b", secondary_volume = "v" }]`),
			`Attribute targets[1].name: target "sdsc" is already declared`},
		{schedule("targets", `[{ name = "sdsc", secondary_host = "a", secondary_volume = "v", restore_points = "link-tree" }]`),
			`Attribute targets[0].restore_points: target "sdsc" restore_point_store: restore_points = "link-tree" keeps a whole tree per point`},
		{schedule("targets", `[{ name = "sdsc", secondary_host = "a", secondary_volume = "v", restore_points = "link-tree", restore_point_store = "/p", restore_point_volume = "v" }]`),
			`Attribute targets[0].restore_point_volume: "v" is the geo-replication secondary volume`},
		{schedule("primary", `{ volume = "global", node = "-oProxyCommand=x" }`), `Attribute primary.node: host "-oProxyCommand=x" starts with '-'`},
		{schedule("primary", `{ volume = "global", node = "p1", backup_dir = "backup" }`), `Attribute primary.backup_dir: "backup" is not an absolute path`},
		{schedule("rotation", `"random"`), `Attribute rotation: "random" is not one of "alternate", "all"`},
		{schedule("checkpoint_timeout", `"-5m"`), `Attribute checkpoint_timeout: "-5m" must be positive`},
		{schedule("run_timeout", `"0s"`), `Attribute run_timeout: "0s" must be positive`},
		{schedule("run_timeout", `"5 hours"`), `Attribute run_timeout: "5 hours" is not a duration`},
		{schedule("run_timeout", `"200h"`), `Attribute run_timeout: 200h is longer than 168h`},
		{schedule("etcd", `{ endpoints = ["10.0.0.11:2379"] }`), `Attribute etcd.endpoints: "10.0.0.11:2379" is not an http:// or https:// URL`},
		{schedule("cluster_dump", `{ command = ["kubectl", "--output-directory={dir}"] }`), `Attribute cluster_dump.command: "--output-directory={dir}" holds {dir} inside a longer argument`},
		{schedule("ssh", `{ jump_host = "-oProxyCommand=x" }`), `Attribute ssh.jump_host: host "-oProxyCommand=x" starts with '-'`},
		{schedule("ssh", `{ nodes = { "tacc1" = { port = 0 } } }`), `Attribute ssh.nodes["tacc1"].port: 0 is not between 1 and 65535`},
		{schedule("ssh", `{ nodes = { "tacc1" = { user = "a b" } } }`), `Attribute ssh.nodes["tacc1"].user: the user name "a b" holds ' '`},
		{schedule("ssh", `{ config_file = "~/.ssh/config" }`), `Attribute ssh.config_file: "~/.ssh/config" is not an absolute path`},
		{schedule("ssh", `{ jump_host = "bastion", nodes = { "bastion" = { jump_host = "p1" } } }`),
			`Attribute ssh.nodes["bastion"].jump_host: ssh node "bastion": reaching "bastion" goes through "p1" and then "bastion" again`},
		// What only the resource has.
		{schedule("controller_node", `"-oProxyCommand=x"`), `Attribute controller_node value must be a host name or IP address: host "-oProxyCommand=x" starts with '-'`},
		{schedule("path", `"etc/glusterdr/schedule.hcl"`), `Attribute path value must be a clean absolute path: "etc/glusterdr/schedule.hcl" is not an absolute path`},
		{schedule("trigger", `"at"`), `Attribute trigger value must be one of: ["systemd" "cron"], got: "at"`},
		{schedule("runner", `"make"`), `Attribute runner value must be one of: ["playbook" "glusterdr"], got: "make"`},
		{schedule("cron", `"0 2 * *\n*"`), `Attribute cron value must be a single line of text`},
		{schedule("targets", `[]`), `Attribute targets list must contain at least 1 elements, got: 0`},
		// gluster_provisioning_state and dr_backup_sets.
		{capture(`  name = "Day One"`), `Attribute name value must be lower-case letters, digits, '_' and '-'`},
		{capture(`  backup_dir = "/var/glfs/global/../backup"`), `Attribute backup_dir value must be a clean absolute path`},
		{capture(`  inventory = ["hosts.yml"]`), `Attribute inventory[0] value must be a clean absolute path: "hosts.yml" is not an absolute path`},
		{capture(`  ansible_inventory_command = []`), `Attribute ansible_inventory_command value must be an argument list: the command is empty`},
		{sets(`  primary_node = "-oProxyCommand=x"`), `Attribute primary_node value must be a host name or IP address`},
		{sets("  primary_node = \"p1\"\n  backup_dir = \"relative/backup\""), `Attribute backup_dir value must be a clean absolute path`},
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
