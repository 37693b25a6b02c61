package schedule

import (
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// header opens every encoded file.
const header = "# glusterdr schedule, written by the dr_schedule Terraform resource.\n" +
	"# Edits here show up as drift in terraform plan.\n\n"

// Encode renders s as canonical HCL: every setting written out, defaults
// included, in a fixed order. The same schedule always gives the same bytes,
// so a hash of the file detects edits; and Parse(Encode(s)) gives s back for
// any s that Parse returned.
func Encode(s *Schedule) []byte {
	f := hclwrite.NewEmptyFile()
	root := f.Body()
	root.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte(header)}})

	setString(root, "cron", s.Cron)
	setString(root, "time_zone", s.TimeZone)
	setString(root, "rotation", string(s.Rotation))
	setString(root, "checkpoint_timeout", formatDuration(s.CheckpointTimeout))
	setString(root, "checkpoint_stall_after", formatDuration(s.CheckpointStallAfter))
	setString(root, "run_timeout", formatDuration(runTimeout(s)))
	setInt(root, "sample_files", s.SampleFiles)
	setString(root, "drill_every", formatDuration(s.DrillEvery))
	setString(root, "state_dir", s.StateDir)
	setString(root, "lock_file", s.LockFile)
	setString(root, "metrics_file", s.MetricsFile)

	primary := appendBlock(root, "primary")
	setString(primary, "volume", s.Primary.Volume)
	setString(primary, "mount", s.Primary.Mount)
	setString(primary, "node", s.Primary.Node)
	setString(primary, "backup_dir", s.Primary.BackupDir)

	for _, t := range s.Targets {
		target := appendBlock(root, "target", t.Name)
		setString(target, "primary_volume", t.PrimaryVolume)
		setString(target, "secondary_host", t.SecondaryHost)
		setString(target, "secondary_volume", t.SecondaryVolume)
		setString(target, "secondary_user", t.SecondaryUser)
		setInt(target, "ssh_port", t.SSHPort)
		setString(target, "verify_node", t.VerifyNode)
		points := t.RestorePoints.withDefaults(t)
		setString(target, "restore_points", points.Method)
		setString(target, "restore_point_node", points.Node)
		setOptionalString(target, "restore_point_store", t.RestorePoints.Store)
		setOptionalString(target, "restore_point_volume", t.RestorePoints.Volume)
	}

	ssh := appendBlock(root, "ssh")
	setString(ssh, "user", s.SSH.User)
	setInt(ssh, "port", s.SSH.Port)
	setString(ssh, "private_key_file", s.SSH.PrivateKeyFile)
	setString(ssh, "known_hosts_file", s.SSH.KnownHostsFile)
	setOptionalString(ssh, "jump_host", s.SSH.JumpHost)
	setOptionalString(ssh, "config_file", s.SSH.ConfigFile)
	for _, n := range s.SSH.Nodes {
		node := appendBlock(ssh, "node", n.Name)
		setOptionalString(node, "address", n.Address)
		if n.Port != 0 {
			setInt(node, "port", n.Port)
		}
		setOptionalString(node, "user", n.User)
		setOptionalString(node, "private_key_file", n.PrivateKeyFile)
		setOptionalString(node, "known_hosts_file", n.KnownHostsFile)
		setOptionalString(node, "jump_host", n.JumpHost)
	}

	ret := appendBlock(root, "retention")
	setInt(ret, "daily", s.Retention.Daily)
	setInt(ret, "weekly", s.Retention.Weekly)
	setInt(ret, "monthly", s.Retention.Monthly)
	setInt(ret, "full_every", s.Retention.FullEvery)

	if e := s.Etcd; e != nil {
		etcd := appendBlock(root, "etcd")
		setStrings(etcd, "endpoints", e.Endpoints)
		setOptionalString(etcd, "cacert", e.CACert)
		setOptionalString(etcd, "cert", e.Cert)
		setOptionalString(etcd, "key", e.Key)
		setString(etcd, "dial_timeout", formatDuration(e.DialTimeout))
	}

	setStrings(appendBlock(root, "cluster_dump"), "command", s.ClusterDump.Command)

	if p := s.Provisioning; p != nil {
		prov := appendBlock(root, "provisioning")
		setStrings(prov, "inventory", p.Inventory)
		setOptionalString(prov, "image_ref", p.ImageRef)
		setStrings(prov, "ansible_inventory_command", p.AnsibleInventoryCommand)
	}
	return hclwrite.Format(f.Bytes())
}

// runTimeout is s's run_timeout, or its default for a schedule built
// without one (not by Parse, which always fills it in).
func runTimeout(s *Schedule) time.Duration {
	if s.RunTimeout > 0 {
		return s.RunTimeout
	}
	return DefaultRunTimeout(s.Rotation, s.CheckpointTimeout, len(s.Targets))
}

func appendBlock(parent *hclwrite.Body, kind string, labels ...string) *hclwrite.Body {
	parent.AppendNewline()
	return parent.AppendNewBlock(kind, labels).Body()
}

func setString(b *hclwrite.Body, name, v string) { b.SetAttributeValue(name, cty.StringVal(v)) }

func setOptionalString(b *hclwrite.Body, name, v string) {
	if v != "" {
		setString(b, name, v)
	}
}

func setInt(b *hclwrite.Body, name string, v int) {
	b.SetAttributeValue(name, cty.NumberIntVal(int64(v)))
}

func setStrings(b *hclwrite.Body, name string, vs []string) {
	if len(vs) == 0 {
		b.SetAttributeValue(name, cty.ListValEmpty(cty.String))
		return
	}
	vals := make([]cty.Value, len(vs))
	for i, v := range vs {
		vals[i] = cty.StringVal(v)
	}
	b.SetAttributeValue(name, cty.ListVal(vals))
}

// formatDuration writes d as Go's time.ParseDuration reads it, without the
// zero units that time.Duration.String leaves in: "2h", not "2h0m0s".
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// FormatDuration is d as Encode writes it ("2h", "1h30m", "90s"), for
// callers that show a schedule's durations the way its file spells them.
func FormatDuration(d time.Duration) string { return formatDuration(d) }
