//go:build lab

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/glusterdr/terraform-provider-gluster/internal/hostile"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// fileField is one attribute of the schedule file: where it goes, the kind
// of value it takes, and how the diagnostic names it.
type fileField struct {
	block string // "" (top level), "primary", "target", "ssh", ...; "target label" for the target's name
	attr  string
	kind  hostile.Kind
	// bounds of a Count
	bounds hostile.Bounds
	// list: the value is this list's element, the others valid
	list []string
	at   int
	// extra are lines the field's block needs besides it
	extra []string
}

// fileFields are every attribute of the schedule file. The list is checked
// against the attributes schedule.Encode writes for a schedule that sets
// every optional block (hostileScheduleFile fails when one is missing), so
// a new attribute cannot escape the catalogue.
var fileFields = []fileField{
	{attr: "cron", kind: hostile.Cron},
	{attr: "time_zone", kind: hostile.TimeZone},
	{attr: "rotation", kind: hostile.Enum},
	{attr: "checkpoint_timeout", kind: hostile.Duration},
	{attr: "checkpoint_stall_after", kind: hostile.Duration},
	{attr: "run_timeout", kind: hostile.Duration},
	{attr: "drill_every", kind: hostile.Duration},
	{attr: "sample_files", kind: hostile.Count, bounds: hostile.Bounds{Min: 0, Max: schedule.MaxSampleFiles}},
	{attr: "state_dir", kind: hostile.Path},
	{attr: "lock_file", kind: hostile.Path},
	{attr: "metrics_file", kind: hostile.Path},
	{block: "primary", attr: "volume", kind: hostile.Volume},
	{block: "primary", attr: "mount", kind: hostile.Path},
	{block: "primary", attr: "node", kind: hostile.Host},
	{block: "primary", attr: "backup_dir", kind: hostile.Path},
	{block: "target label", kind: hostile.TargetName},
	{block: "target", attr: "primary_volume", kind: hostile.Volume},
	{block: "target", attr: "secondary_host", kind: hostile.SecondaryHost},
	{block: "target", attr: "secondary_volume", kind: hostile.Volume},
	{block: "target", attr: "secondary_user", kind: hostile.User},
	{block: "target", attr: "ssh_port", kind: hostile.Count, bounds: hostile.Bounds{Min: 1, Max: 65535}},
	{block: "target", attr: "verify_node", kind: hostile.Host},
	{block: "target", attr: "restore_points", kind: hostile.Enum},
	{block: "target", attr: "restore_point_node", kind: hostile.Host},
	{block: "target", attr: "restore_point_store", kind: hostile.Path, extra: []string{`restore_points = "link-tree"`}},
	{block: "target", attr: "restore_point_volume", kind: hostile.Volume,
		extra: []string{`restore_points = "link-tree"`, `restore_point_store = "/srv/points"`}},
	{block: "ssh", attr: "user", kind: hostile.User},
	{block: "ssh", attr: "port", kind: hostile.Count, bounds: hostile.Bounds{Min: 1, Max: 65535}},
	{block: "ssh", attr: "private_key_file", kind: hostile.Path},
	{block: "ssh", attr: "known_hosts_file", kind: hostile.Path},
	{block: "ssh", attr: "jump_host", kind: hostile.Host},
	{block: "ssh", attr: "config_file", kind: hostile.Path},
	{block: "ssh", attr: "command_timeout", kind: hostile.Duration},
	{block: "ssh node label", kind: hostile.Host},
	{block: "ssh node", attr: "address", kind: hostile.Host},
	{block: "ssh node", attr: "port", kind: hostile.Count, bounds: hostile.Bounds{Min: 1, Max: 65535}},
	{block: "ssh node", attr: "user", kind: hostile.User},
	{block: "ssh node", attr: "private_key_file", kind: hostile.Path},
	{block: "ssh node", attr: "known_hosts_file", kind: hostile.Path},
	{block: "ssh node", attr: "jump_host", kind: hostile.Host},
	{block: "retention", attr: "daily", kind: hostile.Count, bounds: hostile.Bounds{Min: 1, Max: retention.MaxCount}},
	{block: "retention", attr: "weekly", kind: hostile.Count, bounds: hostile.Bounds{Min: 0, Max: retention.MaxCount}},
	{block: "retention", attr: "monthly", kind: hostile.Count, bounds: hostile.Bounds{Min: 0, Max: retention.MaxCount}},
	{block: "retention", attr: "full_every", kind: hostile.Count, bounds: hostile.Bounds{Min: 0, Max: retention.MaxCount}},
	{block: "etcd", attr: "endpoints", kind: hostile.Endpoint, list: []string{"http://127.0.0.1:2379", ""}, at: 1},
	{block: "etcd", attr: "cacert", kind: hostile.OptionalPath},
	{block: "etcd", attr: "cert", kind: hostile.OptionalPath},
	{block: "etcd", attr: "key", kind: hostile.OptionalPath},
	{block: "etcd", attr: "dial_timeout", kind: hostile.Duration},
	{block: "cluster_dump", attr: "command", kind: hostile.Program, list: []string{"", "cluster-info"}, at: 0},
	{block: "cluster_dump", attr: "command", kind: hostile.Argument, list: []string{"kubectl", ""}, at: 1},
	{block: "provisioning", attr: "inventory", kind: hostile.Path, list: []string{"/etc/ansible/hosts", ""}, at: 1},
	{block: "provisioning", attr: "image_ref", kind: hostile.Text},
	{block: "provisioning", attr: "ansible_inventory_command", kind: hostile.Program, list: []string{"", "--list"}, at: 0},
	{block: "provisioning", attr: "ansible_inventory_command", kind: hostile.Argument, list: []string{"ansible-inventory", ""}, at: 1},
}

// names are how the schedule's diagnostics may name the attribute: a
// check and a syntax error name a block's label differently.
func (f fileField) names() []string {
	switch f.block {
	case "":
		return []string{f.attr + ":"}
	case "target label":
		return []string{"target name"} // "the target name …", "target name: …"
	case "target":
		return []string{`target "sdsc" ` + f.attr + ":"}
	case "ssh node label":
		return []string{"ssh node", "node name:"}
	case "ssh node":
		return []string{`ssh node "n1.example.org" ` + f.attr + ":"}
	}
	return []string{f.block + "." + f.attr + ":"}
}

// source is a schedule file, valid but for the field, which holds literal
// (an HCL expression). It needs no node to be reachable: the face runs
// `glusterdr status`, which reads the file and the journal alone.
func (f fileField) source(state, literal string) []byte {
	if f.list != nil {
		elems := make([]string, len(f.list))
		for i, e := range f.list {
			elems[i] = hostile.HCLString(e)
		}
		elems[f.at] = literal
		literal = "[" + strings.Join(elems, ", ") + "]"
	}
	blocks := map[string][]string{
		"":        {"cron = " + strconv.Quote("0 2 * * *"), "state_dir = " + hostile.HCLString(state)},
		"primary": {`volume = "global"`, `node = "gluster-1.example.org"`},
		"target":  {`secondary_host = "dr-1.sdsc.example.org"`, `secondary_volume = "global-dr"`},
	}
	label, node := `"sdsc"`, `"n1.example.org"`
	var nodeLines []string
	switch f.block {
	case "target label":
		label = literal
	case "ssh node label":
		node = literal
		blocks["ssh"] = nil
	case "ssh node":
		nodeLines = []string{f.attr + " = " + literal}
		blocks["ssh"] = nil
	case "etcd":
		// cert and key go together, but each alone is still checked:
		// empty is none, and a bad path is named.
		if f.attr != "endpoints" {
			blocks["etcd"] = append(blocks["etcd"], `endpoints = ["http://127.0.0.1:2379"]`)
		}
	}
	if f.attr != "" && f.block != "ssh node" {
		kept := slices.DeleteFunc(blocks[f.block], func(l string) bool { return strings.HasPrefix(l, f.attr+" ") })
		blocks[f.block] = append(append(kept, f.extra...), f.attr+" = "+literal)
	}
	var b strings.Builder
	for _, l := range blocks[""] {
		b.WriteString(l + "\n")
	}
	for _, name := range []string{"primary", "target", "ssh", "retention", "etcd", "cluster_dump", "provisioning"} {
		lines, ok := blocks[name]
		if !ok && name != "primary" && name != "target" {
			continue
		}
		header := name
		if name == "target" {
			header = "target " + label
		}
		b.WriteString(header + " {\n")
		for _, l := range lines {
			b.WriteString("  " + l + "\n")
		}
		if name == "ssh" && strings.HasPrefix(f.block, "ssh node") {
			b.WriteString("  node " + node + " {\n")
			for _, l := range nodeLines {
				b.WriteString("    " + l + "\n")
			}
			b.WriteString("  }\n")
		}
		b.WriteString("}\n")
	}
	return []byte(b.String())
}

func hostileScheduleFile(t *testing.T, bin string) {
	checkFileFieldsCoverEncode(t)
	dir := t.TempDir()
	state, file := filepath.Join(dir, "state"), filepath.Join(dir, "schedule.hcl")
	var refused, accepted int
	for _, f := range fileFields {
		try := func(name, literal string, valid bool) {
			if err := os.WriteFile(file, f.source(state, literal), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr, err := runBinary(bin, []string{"status", "--schedule", file})
			switch {
			case err != nil:
				t.Errorf("%s: %v", name, err)
			case valid && code != exitOK:
				t.Errorf("%s: a value the attribute takes was refused: exit %d\n%.800s", name, code, stderr)
			case !valid && (code != exitFailed || !strings.Contains(stderr, "the schedule has errors") ||
				!slices.ContainsFunc(f.names(), func(n string) bool { return strings.Contains(stderr, n) })):
				t.Errorf("%s: exit %d, want %d with a diagnostic naming %q; stderr:\n%.800s", name, code, exitFailed, f.names(), stderr)
			}
			if valid {
				accepted++
			} else {
				refused++
			}
		}
		where := strings.TrimSpace(f.block + " " + f.attr)
		for _, v := range hostile.Values {
			try(fmt.Sprintf("%s %s", where, v.Name), hostile.HCLString(v.Text), f.kind != hostile.Count && v.ValidFor(f.kind))
		}
		if f.kind == hostile.Count {
			for _, n := range hostile.Counts {
				try(fmt.Sprintf("%s %s", where, n.Name), strconv.FormatInt(n.N, 10), f.bounds.Takes(n.N))
			}
		}
	}
	t.Logf("schedule file face: %d attributes, %d string values and %d numbers: %d refused, %d accepted",
		len(fileFields), len(hostile.Values), len(hostile.Counts), refused, accepted)
}

// checkFileFieldsCoverEncode fails for an attribute that schedule.Encode
// writes, for a schedule with every optional block, and fileFields lacks.
func checkFileFieldsCoverEncode(t *testing.T) {
	t.Helper()
	src := []byte(`cron = "0 2 * * *"
primary {
  volume = "global"
  node   = "p1"
}
target "sdsc" {
  secondary_host       = "dr1"
  secondary_volume     = "global-dr"
  restore_points       = "link-tree"
  restore_point_store  = "/srv/points"
  restore_point_volume = "points"
}
ssh {
  jump_host   = "bastion"
  config_file = "/root/.ssh/config"
  node "p1" {
    address          = "198.51.100.10"
    port             = 2222
    user             = "admin"
    private_key_file = "/k"
    known_hosts_file = "/kh"
    jump_host        = "none"
  }
}
etcd {
  endpoints = ["http://127.0.0.1:2379"]
  cert      = "/c"
  key       = "/k"
  cacert    = "/ca"
}
provisioning {
  image_ref = "x"
}
`)
	s, diags := schedule.Parse("full.hcl", src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s.RunTimeout = time.Hour
	f, diags := hclsyntax.ParseConfig(schedule.Encode(s), "encoded.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	covered := func(block, attr string) bool {
		return slices.ContainsFunc(fileFields, func(ff fileField) bool { return ff.block == block && ff.attr == attr })
	}
	body := f.Body.(*hclsyntax.Body)
	for name := range body.Attributes {
		if !covered("", name) {
			t.Errorf("the schedule file's %s is not in the catalogue's attributes (fileFields)", name)
		}
	}
	var walk func(prefix string, blocks hclsyntax.Blocks)
	walk = func(prefix string, blocks hclsyntax.Blocks) {
		for _, b := range blocks {
			kind := strings.TrimSpace(prefix + " " + b.Type)
			if len(b.Labels) > 0 && !covered(kind+" label", "") {
				t.Errorf("the name of the schedule file's %s blocks is not in the catalogue's attributes (fileFields)", kind)
			}
			for name := range b.Body.Attributes {
				if !covered(kind, name) {
					t.Errorf("the schedule file's %s.%s is not in the catalogue's attributes (fileFields)", kind, name)
				}
			}
			walk(kind, b.Body.Blocks)
		}
	}
	walk("", body.Blocks)
}
