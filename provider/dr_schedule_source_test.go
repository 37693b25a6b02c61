package provider

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// minimalSchedule is a configuration with only the required values: null
// everywhere else, as the framework hands over what is left out.
func minimalSchedule() *scheduleModel {
	m := &scheduleModel{
		Cron: types.StringValue("0 2 * * *"), TimeZone: types.StringNull(), Rotation: types.StringNull(),
		CheckpointTimeout: types.StringNull(), CheckpointStallAfter: types.StringNull(), SampleFiles: types.Int64Null(), DrillEvery: types.StringNull(),
		StateDir: types.StringNull(), LockFile: types.StringNull(), MetricsFile: types.StringNull(),
		Primary: types.ObjectValueMust(primaryAttrTypes, map[string]attr.Value{
			"volume": types.StringValue("global"), "node": types.StringValue("gluster1"),
			"mount": types.StringNull(), "backup_dir": types.StringNull(),
		}),
		SSH: types.ObjectNull(scheduleSSHAttrTypes), Retention: types.ObjectNull(retentionAttrTypes),
		Etcd: types.ObjectNull(etcdAttrTypes), ClusterDump: types.ObjectNull(clusterDumpAttrTypes),
		Provisioning: types.ObjectNull(provisioningAttrTypes),
	}
	m.Targets = types.ListValueMust(targetObjectType, []attr.Value{target("sdsc", "dr1.sdsc"), target("tacc", "dr1.tacc")})
	return m
}

func target(name, host string) attr.Value {
	return types.ObjectValueMust(targetAttrTypes, map[string]attr.Value{
		"name": types.StringValue(name), "secondary_host": types.StringValue(host), "secondary_volume": types.StringValue("global-dr"),
		"primary_volume": types.StringNull(), "secondary_user": types.StringNull(), "ssh_port": types.Int64Null(),
		"verify_node": types.StringNull(), "restore_points": types.StringNull(), "restore_point_node": types.StringNull(),
		"restore_point_store": types.StringNull(), "restore_point_volume": types.StringNull(),
	})
}

// withAttr returns o with one attribute replaced.
func withAttr(o attr.Value, name string, v attr.Value) types.Object {
	obj := o.(types.Object)
	attrs := map[string]attr.Value{}
	for k, e := range obj.Attributes() {
		attrs[k] = e
	}
	attrs[name] = v
	return types.ObjectValueMust(obj.AttributeTypes(context.Background()), attrs)
}

func retentionDaily(daily int64) types.Object {
	return types.ObjectValueMust(retentionAttrTypes, map[string]attr.Value{
		"daily": types.Int64Value(daily), "weekly": types.Int64Null(), "monthly": types.Int64Null(), "full_every": types.Int64Null(),
	})
}

func TestScheduleSourceDiagnosticsNameTheAttribute(t *testing.T) {
	targets := func(second attr.Value) types.List {
		return types.ListValueMust(targetObjectType, []attr.Value{target("sdsc", "dr1.sdsc"), second})
	}
	for _, c := range []struct {
		name     string
		edit     func(*scheduleModel)
		path     string
		severity diag.Severity
		detail   string
	}{
		{"cron", func(m *scheduleModel) { m.Cron = types.StringValue("61 2 * * *") },
			"cron", diag.SeverityError, `Attribute cron: "61 2 * * *": end of range (61) above maximum (59)`},
		{"time zone", func(m *scheduleModel) { m.TimeZone = types.StringValue("Mars/Olympus") },
			"time_zone", diag.SeverityError, `Attribute time_zone: unknown time zone "Mars/Olympus"`},
		{"daily 0", func(m *scheduleModel) { m.Retention = retentionDaily(0) },
			"retention.daily", diag.SeverityError, "Attribute retention.daily: 0 is less than 1."},
		{"daily 2 warns", func(m *scheduleModel) { m.Retention = retentionDaily(2) },
			"retention.daily", diag.SeverityWarning, "Attribute retention.daily: retention.daily = 2 keeps fewer than 4"},
		{"weekly above 1000", func(m *scheduleModel) { m.Retention = withAttr(retentionDaily(7), "weekly", types.Int64Value(1001)) },
			"retention.weekly", diag.SeverityError, "Attribute retention.weekly: 1001 is more than 1000."},
		{"daily above 1000", func(m *scheduleModel) { m.Retention = retentionDaily(5000) },
			"retention.daily", diag.SeverityError, "Attribute retention.daily: 5000 is more than 1000."},
		{"full_every is retired", func(m *scheduleModel) {
			m.Retention = withAttr(retentionDaily(7), "full_every", types.Int64Value(7))
		}, "retention.full_every", diag.SeverityWarning, "Attribute retention.full_every: retention.full_every = 7 is retired and ignored"},
		{"rotation", func(m *scheduleModel) { m.Rotation = types.StringValue("random") },
			"rotation", diag.SeverityError, `Attribute rotation: "random" is not one of "alternate", "all"`},
		{"host", func(m *scheduleModel) { m.Targets = targets(target("tacc", "-oProxyCommand=x")) },
			"targets[1].secondary_host", diag.SeverityError, `Attribute targets[1].secondary_host: host "-oProxyCommand=x" starts with '-'`},
		{"primary node", func(m *scheduleModel) { m.Primary = withAttr(m.Primary, "node", types.StringValue("a;b")) },
			"primary.node", diag.SeverityError, `Attribute primary.node: host name "a;b" contains ';'`},
		{"duplicate target", func(m *scheduleModel) { m.Targets = targets(target("sdsc", "dr2.sdsc")) },
			"targets[1].name", diag.SeverityError, `Attribute targets[1].name: target "sdsc" is already declared`},
		{"target name", func(m *scheduleModel) { m.Targets = targets(target("TACC", "dr1.tacc")) },
			"targets[1].name", diag.SeverityError, `Attribute targets[1].name: the target name "TACC" holds 'T'`},
		{"relative path", func(m *scheduleModel) { m.StateDir = types.StringValue("var/lib/glusterdr") },
			"state_dir", diag.SeverityError, `Attribute state_dir: "var/lib/glusterdr" is not an absolute path`},
		{"duration", func(m *scheduleModel) { m.CheckpointTimeout = types.StringValue("soon") },
			"checkpoint_timeout", diag.SeverityError, `Attribute checkpoint_timeout: "soon" is not a duration`},
		{"sample files", func(m *scheduleModel) { m.SampleFiles = types.Int64Value(0) },
			"sample_files", diag.SeverityWarning, "Attribute sample_files: sample_files = 0: verification will compare the manifest only"},
		{"restore point method", func(m *scheduleModel) {
			m.Targets = targets(withAttr(target("tacc", "dr1.tacc"), "restore_points", types.StringValue("zfs")))
		}, "targets[1].restore_points", diag.SeverityError, `Attribute targets[1].restore_points: "zfs" is not one of "none", "link-tree", "gluster-snapshot"`},
		{"link-tree without a store", func(m *scheduleModel) {
			m.Targets = targets(withAttr(target("tacc", "dr1.tacc"), "restore_points", types.StringValue("link-tree")))
		}, "targets[1].restore_points", diag.SeverityError, `restore_points = "link-tree" keeps a whole tree per point in a store at the site`},
		{"store in the secondary volume", func(m *scheduleModel) {
			t := withAttr(target("tacc", "dr1.tacc"), "restore_points", types.StringValue("link-tree"))
			t = withAttr(t, "restore_point_store", types.StringValue("/points"))
			m.Targets = targets(withAttr(t, "restore_point_volume", types.StringValue("global-dr")))
		}, "targets[1].restore_point_volume", diag.SeverityError, "gsyncd rewrites its files in place"},
		{"drill interval", func(m *scheduleModel) { m.DrillEvery = types.StringValue("0s") },
			"drill_every", diag.SeverityError, `Attribute drill_every: "0s" must be positive`},
		{"ssh jump host", func(m *scheduleModel) { m.SSH = sshWith(types.StringValue("-oProxyCommand=x"), nil) },
			"ssh.jump_host", diag.SeverityError, `Attribute ssh.jump_host: host "-oProxyCommand=x" starts with '-'`},
		{"ssh node name", func(m *scheduleModel) {
			m.SSH = sshWith(types.StringNull(), map[string]attr.Value{"dr_1": sshNode(map[string]attr.Value{})})
		}, `ssh.nodes["dr_1"]`, diag.SeverityError, `ssh node "dr_1": host name "dr_1" contains '_'`},
		{"ssh node port", func(m *scheduleModel) {
			m.SSH = sshWith(types.StringNull(), map[string]attr.Value{"tacc1": sshNode(map[string]attr.Value{"port": types.Int64Value(0)})})
		}, `ssh.nodes["tacc1"].port`, diag.SeverityError, `Attribute ssh.nodes["tacc1"].port: 0 is not between 1 and 65535`},
		{"ssh jump host loop", func(m *scheduleModel) {
			m.SSH = sshWith(types.StringValue("bastion"), map[string]attr.Value{
				"bastion": sshNode(map[string]attr.Value{"jump_host": types.StringValue("tacc1")}),
				"tacc1":   sshNode(map[string]attr.Value{"user": types.StringValue("dr")})})
		}, `ssh.nodes["bastion"].jump_host`, diag.SeverityError, `reaching "bastion" goes through "tacc1" and then "bastion" again`},
		{"etcd cert without key", func(m *scheduleModel) {
			m.Etcd = types.ObjectValueMust(etcdAttrTypes, map[string]attr.Value{
				"endpoints": stringList([]string{"https://10.0.0.11:2379"}), "cert": types.StringValue("/etc/c.crt"),
				"cacert": types.StringNull(), "key": types.StringNull(), "dial_timeout": types.StringNull()})
		}, "etcd", diag.SeverityError, "Attribute etcd: cert and key go together"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := minimalSchedule()
			c.edit(m)
			_, diags := renderScheduleSource(m).parse()
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want 1: %v", len(diags), diags)
			}
			d, ok := diags[0].(diag.DiagnosticWithPath)
			if !ok || d.Path().String() != c.path || d.Severity() != c.severity || !strings.Contains(d.Detail(), c.detail) {
				t.Errorf("diagnostic %T %v %s %q: %q\nwant at %s: %q", diags[0], diags[0].Severity(), pathOf(diags[0]),
					diags[0].Summary(), diags[0].Detail(), c.path, c.detail)
			}
		})
	}
}

// sshWith is an ssh attribute with a jump host and nodes, the rest left
// out.
func sshWith(jump types.String, nodes map[string]attr.Value) types.Object {
	m := types.MapNull(scheduleNodeObjectType)
	if nodes != nil {
		m = types.MapValueMust(scheduleNodeObjectType, nodes)
	}
	return types.ObjectValueMust(scheduleSSHAttrTypes, map[string]attr.Value{
		"user": types.StringNull(), "port": types.Int64Null(), "private_key_file": types.StringNull(),
		"known_hosts_file": types.StringNull(), "config_file": types.StringNull(), "jump_host": jump, "nodes": m,
	})
}

// sshNode is a node entry with the given fields, the rest left out.
func sshNode(set map[string]attr.Value) attr.Value {
	attrs := map[string]attr.Value{"address": types.StringNull(), "port": types.Int64Null(), "user": types.StringNull(),
		"private_key_file": types.StringNull(), "known_hosts_file": types.StringNull(), "jump_host": types.StringNull()}
	for k, v := range set {
		attrs[k] = v
	}
	return types.ObjectValueMust(scheduleNodeAttrTypes, attrs)
}

func pathOf(d diag.Diagnostic) path.Path {
	if p, ok := d.(diag.DiagnosticWithPath); ok {
		return p.Path()
	}
	return path.Empty()
}

// A value known only at apply is left to apply: no diagnostic about it or
// about what it would complete, while the others are still checked.
func TestScheduleSourceLeavesUnknownValues(t *testing.T) {
	m := minimalSchedule()
	m.Targets = types.ListValueMust(targetObjectType, []attr.Value{
		target("sdsc", "dr1.sdsc"), withAttr(target("tacc", ""), "secondary_host", types.StringUnknown()),
	})
	m.Primary = withAttr(m.Primary, "volume", types.StringUnknown())
	src := renderScheduleSource(m)
	if len(src.unknown) != 2 {
		t.Errorf("unknown = %v", src.unknown)
	}
	if _, diags := src.parse(); len(diags) != 0 {
		t.Errorf("diagnostics about unknown values: %v", diags)
	}
	m.Cron = types.StringValue("every night")
	if _, diags := renderScheduleSource(m).parse(); len(diags) != 1 || pathOf(diags[0]).String() != "cron" {
		t.Errorf("with a bad cron as well: %v", diags)
	}
}

// The defaults of what is left out are the engine's, derived ones included.
func TestScheduleSourceDefaults(t *testing.T) {
	s, diags := renderScheduleSource(minimalSchedule()).parse()
	if diags.HasError() {
		t.Fatal(diags)
	}
	if s.LockFile != "/var/lib/glusterdr/run.lock" || s.Primary.BackupDir != "/var/glfs/global/backup" ||
		s.Targets[1].VerifyNode != "dr1.tacc" || s.Targets[1].PrimaryVolume != "global" || s.Retention.Daily != schedule.DefaultDaily {
		t.Errorf("defaults: %+v", s)
	}
}

// A schedule written into a model and rendered back is the same schedule,
// for the example that spells out every setting.
func TestScheduleModelRoundTrip(t *testing.T) {
	src, err := os.ReadFile("../internal/schedule/testdata/schedule.hcl")
	if err != nil {
		t.Fatal(err)
	}
	want, hd := schedule.Parse("schedule.hcl", src)
	if hd.HasErrors() {
		t.Fatal(hd)
	}
	var m scheduleModel
	m.setSchedule(want, nil)
	got, diags := renderScheduleSource(&m).parse()
	if diags.HasError() {
		t.Fatal(diags)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if m.CheckpointTimeout.ValueString() != "3h" {
		t.Errorf("checkpoint_timeout = %s, want the file's spelling 3h", m.CheckpointTimeout)
	}
}

// A configuration's spelling of a duration survives a read of the file.
func TestScheduleModelKeepsDurationSpelling(t *testing.T) {
	cfg := minimalSchedule()
	cfg.CheckpointTimeout = types.StringValue("120m")
	s, _ := renderScheduleSource(cfg).parse()
	var m scheduleModel
	m.setSchedule(s, cfg)
	if m.CheckpointTimeout.ValueString() != "120m" || m.CheckpointStallAfter.ValueString() != "3m" {
		t.Errorf("checkpoint_timeout %s, checkpoint_stall_after %s", m.CheckpointTimeout, m.CheckpointStallAfter)
	}
}

// The plan of a configuration that leaves things out holds the effective
// values, and the configured ones as they are written.
func TestScheduleFillFrom(t *testing.T) {
	ctx := context.Background()
	cfg := minimalSchedule()
	cfg.Retention = retentionDaily(9)
	cfg.Etcd = types.ObjectValueMust(etcdAttrTypes, map[string]attr.Value{
		"endpoints": stringList([]string{"http://10.0.0.11:2379"}), "cacert": types.StringNull(), "cert": types.StringNull(),
		"key": types.StringNull(), "dial_timeout": types.StringNull()})
	cfg.Provisioning = types.ObjectValueMust(provisioningAttrTypes, map[string]attr.Value{
		"inventory": types.ListNull(stringType), "image_ref": types.StringNull(), "ansible_inventory_command": types.ListNull(stringType)})
	s, _ := renderScheduleSource(cfg).parse()
	var eff scheduleModel
	eff.setSchedule(s, cfg)
	var diags diag.Diagnostics
	filled := *cfg
	filled.fillFrom(ctx, &eff, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	r := filled.Retention.Attributes()
	tacc := filled.Targets.Elements()[1].(types.Object).Attributes()
	// What apply renders from such a plan is the same schedule.
	again, diags := renderScheduleSource(&filled).parse()
	if diags.HasError() {
		t.Fatalf("the filled plan does not render: %v", diags)
	}
	if diff := cmp.Diff(s, again); diff != "" {
		t.Errorf("filled plan (-config +filled):\n%s", diff)
	}
	if r["daily"].(types.Int64).ValueInt64() != 9 || r["weekly"].(types.Int64).ValueInt64() != schedule.DefaultWeekly ||
		tacc["verify_node"].(types.String).ValueString() != "dr1.tacc" || filled.TimeZone.ValueString() != "UTC" ||
		filled.SSH.IsNull() || filled.Etcd.IsNull() {
		t.Errorf("filled: retention %v, tacc %v, tz %s, ssh %v, etcd %v", r, tacc, filled.TimeZone, filled.SSH, filled.Etcd)
	}
	// run_timeout left out is planned as the engine derives it.
	if filled.RunTimeout.ValueString() != "5h" {
		t.Errorf("run_timeout planned as %s, want 2 x 2h + 1h", filled.RunTimeout)
	}
}

// An ssh attribute with a jump host and nodes is planned with the defaults
// filled in around them, and renders the schedule the engine reads.
func TestScheduleFillFromKeepsTheNodes(t *testing.T) {
	ctx := context.Background()
	cfg := minimalSchedule()
	cfg.SSH = sshWith(types.StringNull(), map[string]attr.Value{
		"bastion":  sshNode(map[string]attr.Value{"user": types.StringValue("jump"), "private_key_file": types.StringValue("/k/jump")}),
		"dr1.tacc": sshNode(map[string]attr.Value{"jump_host": types.StringValue("bastion"), "port": types.Int64Value(2222)}),
	})
	s, diags := renderScheduleSource(cfg).parse()
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := []schedule.SSHNode{{Name: "bastion", User: "jump", PrivateKeyFile: "/k/jump"}, {Name: "dr1.tacc", Port: 2222, JumpHost: "bastion"}}
	if diff := cmp.Diff(want, s.SSH.Nodes); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	var eff scheduleModel
	eff.setSchedule(s, cfg)
	filled := *cfg
	filled.fillFrom(ctx, &eff, &diags)
	again, diags := renderScheduleSource(&filled).parse()
	if diags.HasError() {
		t.Fatal(diags)
	}
	if diff := cmp.Diff(s, again); diff != "" {
		t.Errorf("filled plan (-config +filled):\n%s", diff)
	}
	ssh := filled.SSH.Attributes()
	if ssh["user"].(types.String).ValueString() != schedule.DefaultNodeUser || !ssh["jump_host"].IsNull() ||
		!ssh["nodes"].Equal(cfg.SSH.Attributes()["nodes"]) {
		t.Errorf("filled ssh: %v", ssh)
	}
	if !eff.SSH.Attributes()["nodes"].Equal(cfg.SSH.Attributes()["nodes"]) {
		t.Errorf("the schedule read back gives other nodes: %v", eff.SSH.Attributes()["nodes"])
	}
}
