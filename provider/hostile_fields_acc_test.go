//go:build lab

package provider

import (
	"fmt"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/hostile"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// tfField is one attribute of the provider, a resource or a data source,
// with the configuration that sets it and the kind of value it takes.
type tfField struct {
	// at is the attribute as the schema names it (list elements and map
	// keys left out); tfFieldsCoverSchema checks the fields against the
	// schemas by it.
	at   string
	kind hostile.Kind
	// bounds of a Count
	bounds hostile.Bounds
	// diag is how the diagnostic names the attribute, e.g. "volume.bricks[0]".
	diag string
	// render is the configuration that gives the attribute the HCL literal
	// lit, alone on its line, in blocks called name.
	render func(name, lit string) string
	// wrap makes the attribute's value from the row's, e.g. a brick from a
	// host; nil: the row's value.
	wrap func(string) string
	// what declares the attribute: "resource", "data" or "provider". A data
	// source is read at plan; a provider attribute needs a resource to use
	// it.
	what string
}

// hclBlock renders a block or an object: a header ("" for an object) and
// "key = value" lines, the values HCL text; a value of "" drops the key.
func hclBlock(header string, kv ...string) string {
	var b strings.Builder
	b.WriteString(header + "{\n")
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			b.WriteString(kv[i] + " = " + kv[i+1] + "\n")
		}
	}
	b.WriteString("}")
	return b.String()
}

// with returns base's key/value pairs with kv's put in: replacing a key
// base has, or added at the end.
func with(base []string, kv ...string) []string {
	out := append([]string(nil), base...)
	for i := 0; i+1 < len(kv); i += 2 {
		found := false
		for j := 0; j+1 < len(out); j += 2 {
			if out[j] == kv[i] {
				out[j+1], found = kv[i+1], true
			}
		}
		if !found {
			out = append(out, kv[i], kv[i+1])
		}
	}
	return out
}

// list renders an HCL list with lit alone on its line at index at.
func list(at int, lit string, others ...string) string {
	elems := append([]string(nil), others...)
	elems = append(elems[:at], append([]string{"\n" + lit + "\n"}, elems[at:]...)...)
	return "[" + strings.Join(elems, ", ") + "]"
}

var (
	peerClusterBase = []string{"nodes", `["203.0.113.21"]`, "volume", ""}
	volumeBase      = []string{"name", `"dr"`, "bricks", `["203.0.113.21:/srv/b/dr"]`}
	storeBase       = []string{"name", `"points"`, "bricks", `["203.0.113.22:/srv/b/points"]`}
	sessionBase     = []string{"primary_node", `"203.0.113.10"`, "primary_volume", `"global"`,
		"secondary_node", `"203.0.113.21"`, "secondary_volume", `"dr"`}
	scheduleBase = []string{"provider", "gluster", "controller_node", `"203.0.113.10"`, "cron", `"0 2 * * *"`,
		"primary", "", "targets", ""}
	primaryBase = []string{"volume", `"global"`, "node", `"203.0.113.10"`}
	targetBase  = []string{"name", `"sdsc"`, "secondary_host", `"203.0.113.21"`, "secondary_volume", `"global-dr"`}
	captureBase = []string{"controller_node", `"203.0.113.10"`, "primary_node", `"203.0.113.10"`}
	setsBase    = []string{"provider", "gluster", "primary_node", `"203.0.113.10"`}
)

// tfFields are every attribute that reaches a host (or, for the provider's
// own paths, the file system of the machine that runs Terraform). The list
// was written from the schemas and is checked against them: the test fails
// when an attribute a user sets is neither here nor in
// tfWithoutHostileInput.
var tfFields = func() []tfField {
	var fs []tfField
	type opt func(*tfField)
	add := func(at string, kind hostile.Kind, diag string, render func(name, lit string) string, opts ...opt) {
		f := tfField{at: at, kind: kind, diag: diag, render: render, what: "resource"}
		for _, o := range opts {
			o(&f)
		}
		fs = append(fs, f)
	}
	bounds := func(lo, hi int64) opt { return func(f *tfField) { f.bounds = hostile.Bounds{Min: lo, Max: hi} } }
	wrap := func(w func(string) string) opt { return func(f *tfField) { f.wrap = w } }
	what := func(w string) opt { return func(f *tfField) { f.what = w } }
	resource := func(typ string, attrs func(lit string) []string) func(name, lit string) string {
		return func(name, lit string) string {
			return hclBlock(fmt.Sprintf("resource %q %q ", typ, name), attrs(lit)...)
		}
	}
	data := func(typ string, attrs func(lit string) []string) func(name, lit string) string {
		return func(name, lit string) string { return hclBlock(fmt.Sprintf("data %q %q ", typ, name), attrs(lit)...) }
	}
	timeouts := func(prefix string, render func(attrs func(string) []string) func(name, lit string) string, base func() []string, w string, ops ...string) {
		for _, op := range ops {
			add(prefix+".timeouts."+op, hostile.Duration, "timeouts."+op, render(func(lit string) []string {
				return with(base(), "timeouts", hclBlock("", op, lit))
			}), what(w))
		}
	}

	// gluster_peer_cluster
	pc := func(vol []string, kv ...string) []string {
		return with(with(peerClusterBase, "volume", hclBlock("", vol...)), kv...)
	}
	peer := func(attrs func(lit string) []string) func(name, lit string) string {
		return resource("gluster_peer_cluster", attrs)
	}
	add("gluster_peer_cluster.nodes", hostile.Host, "nodes[1]", peer(func(lit string) []string {
		return pc(volumeBase, "nodes", list(1, lit, `"203.0.113.21"`))
	}))
	// The volume and a store volume take the same values; the store's
	// bricks are on a node of their own, so that no value makes them
	// overlap the volume's.
	sv := func(vol []string, kv ...string) []string {
		return with(pc(volumeBase, "nodes", `["203.0.113.21", "203.0.113.22"]`), append([]string{"store_volumes", "[\n" + hclBlock("", vol...) + "\n]"}, kv...)...)
	}
	for _, v := range []struct {
		at, diag, host string
		base           []string
		render         func(vol []string, kv ...string) []string
	}{
		{"volume", "volume", "203.0.113.21", volumeBase, pc},
		{"store_volumes", "store_volumes[0]", "203.0.113.22", storeBase, sv},
	} {
		at, diag := "gluster_peer_cluster."+v.at, v.diag
		add(at+".name", hostile.Volume, diag+".name", peer(func(lit string) []string {
			return v.render(with(v.base, "name", lit))
		}))
		add(at+".bricks", hostile.Host, diag+".bricks[0]", peer(func(lit string) []string {
			return v.render(with(v.base, "bricks", list(0, lit)),
				"nodes", `["203.0.113.21", "203.0.113.22", `+strings.Replace(lit, `:/srv/b/x"`, `"`, 1)+`]`)
		}), wrap(func(s string) string { return s + ":/srv/b/x" }))
		add(at+".bricks", hostile.BrickPath, diag+".bricks[0]", peer(func(lit string) []string {
			return v.render(with(v.base, "bricks", list(0, lit)))
		}), wrap(func(s string) string { return v.host + ":" + s }))
		add(at+".options", hostile.OptionKey, diag+".options[", peer(func(lit string) []string {
			return v.render(with(v.base, "options", "{\n"+lit+" = \"on\"\n}"))
		}))
		add(at+".options", hostile.OptionValue, diag+`.options["performance.quick-read"]`, peer(func(lit string) []string {
			return v.render(with(v.base, "options", hclBlock("", `"performance.quick-read"`, lit)))
		}))
		for _, enum := range []string{"type", "state"} {
			add(at+"."+enum, hostile.Enum, diag+"."+enum, peer(func(lit string) []string {
				return v.render(with(v.base, enum, lit))
			}))
		}
		add(at+".replica_count", hostile.Count, diag+".replica_count", peer(func(lit string) []string {
			return v.render(with(v.base, "bricks", fmt.Sprintf(`["%[1]s:/srv/b/r1", "%[1]s:/srv/b/r2"]`, v.host), "type", `"replicate"`,
				"replica_count", lit))
		}), bounds(2, 2))
	}
	timeouts("gluster_peer_cluster", peer, func() []string { return pc(volumeBase) }, "resource", "create", "read", "update", "delete")

	// gluster_georep_session
	session := func(attrs func(lit string) []string) func(name, lit string) string {
		return resource("gluster_georep_session", attrs)
	}
	for _, a := range []struct {
		attr   string
		kind   hostile.Kind
		lo, hi int64
	}{{"primary_node", hostile.Host, 0, 0}, {"primary_volume", hostile.Volume, 0, 0}, {"secondary_node", hostile.SecondaryHost, 0, 0},
		{"secondary_volume", hostile.Volume, 0, 0}, {"secondary_user", hostile.User, 0, 0}, {"ssh_port", hostile.Count, 1, 65535},
		{"sync_method", hostile.Enum, 0, 0}, {"sync_jobs", hostile.Count, 1, maxSyncJobs}, {"rsync_options", hostile.Text, 0, 0},
		{"connection_timeout", hostile.Count, 1, maxTimeoutSeconds}, {"secondary_timeout", hostile.Count, 1, maxTimeoutSeconds},
		{"desired_state", hostile.Enum, 0, 0}, {"changelog_rollover_time", hostile.Count, georep.MinRolloverSeconds, georep.MaxRolloverSeconds},
		{"changelog_batch_size", hostile.Count, 1, maxChangelogBatch}, {"tar_blocking_factor", hostile.Count, 1, gluster.MaxTarBlocking}} {
		add("gluster_georep_session."+a.attr, a.kind, a.attr, session(func(lit string) []string {
			return with(sessionBase, a.attr, lit)
		}), bounds(a.lo, a.hi))
	}
	timeouts("gluster_georep_session", session, func() []string { return sessionBase }, "resource", "create", "read", "update", "delete")

	// dr_schedule: the file's attributes go through the engine's parser.
	sched := func(attrs func(lit string) []string) func(name, lit string) string {
		return resource("dr_schedule", attrs)
	}
	sb := func(kv ...string) []string {
		return with(with(scheduleBase, "primary", hclBlock("", primaryBase...), "targets", "["+hclBlock("", targetBase...)+"]"), kv...)
	}
	for _, a := range []struct {
		attr   string
		kind   hostile.Kind
		lo, hi int64
	}{{"controller_node", hostile.Host, 0, 0}, {"cron", hostile.Cron, 0, 0}, {"path", hostile.Path, 0, 0},
		{"glusterdr_path", hostile.Path, 0, 0}, {"trigger", hostile.Enum, 0, 0}, {"runner", hostile.Enum, 0, 0},
		{"time_zone", hostile.TimeZone, 0, 0}, {"rotation", hostile.Enum, 0, 0}, {"checkpoint_timeout", hostile.Duration, 0, 0},
		{"checkpoint_stall_after", hostile.Duration, 0, 0}, {"run_timeout", hostile.Duration, 0, 0},
		{"drill_every", hostile.Duration, 0, 0},
		{"sample_files", hostile.Count, 0, schedule.MaxSampleFiles}, {"state_dir", hostile.Path, 0, 0},
		{"lock_file", hostile.Path, 0, 0}, {"metrics_file", hostile.Path, 0, 0}} {
		add("dr_schedule."+a.attr, a.kind, a.attr, sched(func(lit string) []string { return sb(a.attr, lit) }), bounds(a.lo, a.hi))
	}
	for _, a := range []struct {
		attr string
		kind hostile.Kind
	}{{"volume", hostile.Volume}, {"node", hostile.Host}, {"mount", hostile.Path}, {"backup_dir", hostile.Path}} {
		add("dr_schedule.primary."+a.attr, a.kind, "primary."+a.attr, sched(func(lit string) []string {
			return sb("primary", hclBlock("", with(primaryBase, a.attr, lit)...))
		}))
	}
	for _, a := range []struct {
		attr   string
		kind   hostile.Kind
		lo, hi int64
	}{{"name", hostile.TargetName, 0, 0}, {"secondary_host", hostile.SecondaryHost, 0, 0}, {"secondary_volume", hostile.Volume, 0, 0},
		{"primary_volume", hostile.Volume, 0, 0}, {"secondary_user", hostile.User, 0, 0}, {"ssh_port", hostile.Count, 1, 65535},
		{"verify_node", hostile.Host, 0, 0}, {"restore_points", hostile.Enum, 0, 0}, {"restore_point_node", hostile.Host, 0, 0}} {
		add("dr_schedule.targets."+a.attr, a.kind, "targets[0]."+a.attr, sched(func(lit string) []string {
			return sb("targets", "["+hclBlock("", with(targetBase, a.attr, lit)...)+"]")
		}), bounds(a.lo, a.hi))
	}
	linkTree := with(targetBase, "restore_points", `"link-tree"`)
	add("dr_schedule.targets.restore_point_store", hostile.Path, "targets[0].restore_point_store", sched(func(lit string) []string {
		return sb("targets", "["+hclBlock("", with(linkTree, "restore_point_store", lit)...)+"]")
	}))
	add("dr_schedule.targets.restore_point_volume", hostile.Volume, "targets[0].restore_point_volume", sched(func(lit string) []string {
		return sb("targets", "["+hclBlock("", with(linkTree, "restore_point_store", `"/srv/points"`, "restore_point_volume", lit)...)+"]")
	}))
	nested := func(obj, attr string, kind hostile.Kind, base []string, opts ...opt) {
		add("dr_schedule."+obj+"."+attr, kind, obj+"."+attr, sched(func(lit string) []string {
			return sb(obj, hclBlock("", with(base, attr, lit)...))
		}), opts...)
	}
	nested("ssh", "user", hostile.User, nil)
	nested("ssh", "port", hostile.Count, nil, bounds(1, 65535))
	nested("ssh", "private_key_file", hostile.Path, nil)
	nested("ssh", "known_hosts_file", hostile.Path, nil)
	nested("ssh", "jump_host", hostile.Host, nil)
	nested("ssh", "config_file", hostile.Path, nil)
	nested("ssh", "command_timeout", hostile.Duration, nil)
	add("dr_schedule.ssh.nodes", hostile.Host, "ssh.nodes[", sched(func(lit string) []string {
		return sb("ssh", hclBlock("", "nodes", "{\n"+lit+" = { port = 2222 }\n}"))
	}))
	for _, a := range []struct {
		attr   string
		kind   hostile.Kind
		lo, hi int64
	}{{"address", hostile.Host, 0, 0}, {"port", hostile.Count, 1, 65535}, {"user", hostile.User, 0, 0},
		{"private_key_file", hostile.Path, 0, 0}, {"known_hosts_file", hostile.Path, 0, 0}, {"jump_host", hostile.Host, 0, 0}} {
		add("dr_schedule.ssh.nodes."+a.attr, a.kind, `ssh.nodes["n1.example.org"].`+a.attr, sched(func(lit string) []string {
			return sb("ssh", hclBlock("", "nodes", hclBlock("", `"n1.example.org"`, hclBlock("", a.attr, lit))))
		}), bounds(a.lo, a.hi))
	}
	nested("retention", "daily", hostile.Count, nil, bounds(1, retention.MaxCount))
	nested("retention", "weekly", hostile.Count, nil, bounds(0, retention.MaxCount))
	nested("retention", "monthly", hostile.Count, nil, bounds(0, retention.MaxCount))
	nested("retention", "full_every", hostile.Count, nil, bounds(0, retention.MaxCount))
	endpoints := []string{"endpoints", `["http://127.0.0.1:2379"]`}
	add("dr_schedule.etcd.endpoints", hostile.Endpoint, "etcd.endpoints", sched(func(lit string) []string {
		return sb("etcd", hclBlock("", "endpoints", list(1, lit, `"http://127.0.0.1:2379"`)))
	}))
	// cert and key go together, but each alone is still checked: empty is
	// none, and a bad path is named.
	nested("etcd", "cacert", hostile.OptionalPath, endpoints)
	nested("etcd", "cert", hostile.OptionalPath, endpoints)
	nested("etcd", "key", hostile.OptionalPath, endpoints)
	nested("etcd", "dial_timeout", hostile.Duration, endpoints)
	argv := func(obj, attr, program, arg string) {
		add("dr_schedule."+obj+"."+attr, hostile.Program, obj+"."+attr, sched(func(lit string) []string {
			return sb(obj, hclBlock("", attr, list(0, lit, arg)))
		}))
		add("dr_schedule."+obj+"."+attr, hostile.Argument, obj+"."+attr, sched(func(lit string) []string {
			return sb(obj, hclBlock("", attr, list(1, lit, program)))
		}))
	}
	argv("cluster_dump", "command", `"kubectl"`, `"cluster-info"`)
	add("dr_schedule.provisioning.inventory", hostile.Path, "provisioning.inventory", sched(func(lit string) []string {
		return sb("provisioning", hclBlock("", "inventory", list(1, lit, `"/etc/ansible/hosts"`)))
	}))
	nested("provisioning", "image_ref", hostile.Text, nil)
	argv("provisioning", "ansible_inventory_command", `"ansible-inventory"`, `"--list"`)
	timeouts("dr_schedule", sched, func() []string { return sb() }, "resource", "create", "read", "update", "delete")

	// gluster_provisioning_state
	capture := func(attrs func(lit string) []string) func(name, lit string) string {
		return resource("gluster_provisioning_state", attrs)
	}
	for _, a := range []struct {
		attr, diag string
		kind       hostile.Kind
		value      func(lit string) string
	}{{"controller_node", "controller_node", hostile.Host, nil}, {"primary_node", "primary_node", hostile.Host, nil},
		{"backup_dir", "backup_dir", hostile.Path, nil}, {"name", "name", hostile.CaptureName, nil},
		{"image_ref", "image_ref", hostile.Text, nil},
		{"inventory", "inventory[1]", hostile.Path, func(lit string) string { return list(1, lit, `"/etc/ansible/hosts"`) }}} {
		add("gluster_provisioning_state."+a.attr, a.kind, a.diag, capture(func(lit string) []string {
			if a.value != nil {
				lit = a.value(lit)
			}
			return with(captureBase, a.attr, lit)
		}))
	}
	add("gluster_provisioning_state.ansible_inventory_command", hostile.Program, "ansible_inventory_command", capture(func(lit string) []string {
		return with(captureBase, "ansible_inventory_command", list(0, lit, `"--list"`))
	}))
	add("gluster_provisioning_state.ansible_inventory_command", hostile.Argument, "ansible_inventory_command", capture(func(lit string) []string {
		return with(captureBase, "ansible_inventory_command", list(1, lit, `"ansible-inventory"`))
	}))
	timeouts("gluster_provisioning_state", capture, func() []string { return captureBase }, "resource", "create", "read", "update", "delete")

	// The data sources.
	status := func(attrs func(lit string) []string) func(name, lit string) string {
		return data("gluster_georep_status", attrs)
	}
	for _, a := range []struct {
		attr string
		kind hostile.Kind
	}{{"primary_node", hostile.Host}, {"primary_volume", hostile.Volume}, {"secondary_node", hostile.SecondaryHost},
		{"secondary_volume", hostile.Volume}, {"secondary_user", hostile.User}} {
		add("gluster_georep_status."+a.attr, a.kind, a.attr, status(func(lit string) []string {
			return with(sessionBase, a.attr, lit)
		}), what("data"))
	}
	timeouts("gluster_georep_status", status, func() []string { return sessionBase }, "data", "read")
	sets := func(attrs func(lit string) []string) func(name, lit string) string {
		return data("dr_backup_sets", attrs)
	}
	for _, a := range []struct {
		attr string
		kind hostile.Kind
	}{{"primary_node", hostile.Host}, {"backup_dir", hostile.Path}, {"target", hostile.TargetName}} {
		add("dr_backup_sets."+a.attr, a.kind, a.attr, sets(func(lit string) []string { return with(setsBase, a.attr, lit) }), what("data"))
	}
	timeouts("dr_backup_sets", sets, func() []string { return setsBase }, "data", "read")

	// The provider block, aliased, with a resource that uses it.
	provider := func(attrs func(lit string) []string) func(name, lit string) string {
		return func(name, lit string) string {
			base := []string{"alias", fmt.Sprintf("%q", name), "password", `"unused"`, "known_hosts_file", `"/dev/null"`}
			return hclBlock(`provider "gluster" `, with(base, attrs(lit)...)...) + "\n" +
				hclBlock(fmt.Sprintf("resource %q %q ", "gluster_peer_cluster", name), with(pc(volumeBase), "provider", "gluster."+name)...)
		}
	}
	for _, a := range []struct {
		attr, diag string
		kind       hostile.Kind
		lo, hi     int64
		value      func(lit string) string
	}{
		{"user", "user", hostile.User, 0, 0, nil},
		{"port", "port", hostile.Count, 1, 65535, nil},
		{"private_key_file", "private_key_file", hostile.LocalPath, 0, 0, nil},
		{"agent_socket", "agent_socket", hostile.LocalPath, 0, 0, nil},
		{"known_hosts_file", "known_hosts_file", hostile.LocalPath, 0, 0, nil},
		{"connect_timeout", "connect_timeout", hostile.Duration, 0, 0, nil},
		{"host_keys", "host_keys[0]", hostile.KnownHost, 0, 0, func(lit string) string { return list(0, lit) }},
		{"jump_host.host", "jump_host.host", hostile.Host, 0, 0, func(lit string) string { return hclBlock("", "host", lit) }},
		{"jump_host.port", "jump_host.port", hostile.Count, 1, 65535, func(lit string) string { return hclBlock("", "host", `"bastion"`, "port", lit) }},
		{"jump_host.user", "jump_host.user", hostile.User, 0, 0, func(lit string) string { return hclBlock("", "host", `"bastion"`, "user", lit) }},
		{"nodes", "nodes[", hostile.Host, 0, 0, func(lit string) string { return "{\n" + lit + " = { port = 2222 }\n}" }},
	} {
		key, _, _ := strings.Cut(a.attr, ".")
		f := tfField{at: "provider." + a.attr, kind: a.kind, diag: a.diag, bounds: hostile.Bounds{Min: a.lo, Max: a.hi}, what: "provider",
			render: provider(func(lit string) []string {
				if a.value != nil {
					lit = a.value(lit)
				}
				return []string{key, lit}
			})}
		if a.attr == "host_keys" {
			f.wrap = func(s string) string { return s + tfPinnedKey }
		}
		fs = append(fs, f)
	}
	for _, a := range []struct {
		attr   string
		kind   hostile.Kind
		lo, hi int64
	}{{"address", hostile.Host, 0, 0}, {"port", hostile.Count, 1, 65535}, {"user", hostile.User, 0, 0},
		{"private_key_file", hostile.LocalPath, 0, 0}, {"known_hosts_file", hostile.LocalPath, 0, 0}} {
		fs = append(fs, tfField{at: "provider.nodes." + a.attr, kind: a.kind, diag: `nodes["203.0.113.21"].` + a.attr,
			bounds: hostile.Bounds{Min: a.lo, Max: a.hi}, what: "provider",
			render: provider(func(lit string) []string {
				return []string{"nodes", hclBlock("", `"203.0.113.21"`, hclBlock("", a.attr, lit))}
			})})
	}
	return fs
}()

const tfPinnedKey = " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPhBPxW2IoPeeOqnlTRrFuxmMOb5O/hhDbT4h+ArARmz"

// tfWithoutHostileInput are the attributes a user sets that take no value
// reaching a host or a command line: switches, and secrets, which only the
// SSH client reads (a password goes into the SSH protocol, never a command).
var tfWithoutHostileInput = []string{
	"gluster_peer_cluster.deletion_protection", "gluster_peer_cluster.volume.force", "gluster_peer_cluster.store_volumes.force",
	"gluster_georep_session.ignore_deletes", "gluster_georep_session.use_meta_volume",
	"gluster_georep_session.sync_xattrs", "gluster_georep_session.sync_acls",
	"gluster_georep_session.insecure_skip_host_key_pinning", "gluster_georep_session.reset_sync_time_on_delete",
	"provider.agent", "provider.trust_on_first_use",
	"provider.private_key", "provider.passphrase", "provider.password", "provider.nodes.private_key",
}
