package schedule

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// Parse reads a schedule file. filename is used in diagnostics only, which
// point at "filename:line,column". Warnings come with a schedule; errors come
// without one.
//
// The file is plain HCL with no variables and no functions.
func Parse(filename string, src []byte) (*Schedule, hcl.Diagnostics) {
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, nameSyntaxErrors(file, diags)
	}
	var raw rawFile
	diags = append(diags, gohcl.DecodeBody(file.Body, nil, &raw)...)
	if diags.HasErrors() {
		return nil, diags
	}
	d := &decoder{}
	s := raw.build(d, file.Body.MissingItemRange())
	diags = append(diags, d.diags...)
	if diags.HasErrors() {
		return nil, diags
	}
	return s, diags
}

// nameSyntaxErrors puts the attribute (or block label) that a syntax error
// is in before its detail, as the checks of values name theirs: "Invalid
// character encoding" alone does not say which setting holds the bad bytes.
// The parser leaves a partial body with the attributes it could read.
func nameSyntaxErrors(file *hcl.File, diags hcl.Diagnostics) hcl.Diagnostics {
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return diags
	}
	for _, d := range diags {
		if d.Subject == nil {
			continue
		}
		if name := attributeAt(body, d.Subject.Start, ""); name != "" {
			d.Detail = name + ": " + d.Detail
		}
	}
	return diags
}

// attributeAt names the attribute or block label of body at pos, as the
// checks do ("cron", "primary.node", `target "sdsc" secondary_host`,
// `ssh node "p1" port`, "target name" for a label), or returns "". parent
// names the blocks body is in.
func attributeAt(body *hclsyntax.Body, pos hcl.Pos, parent string) string {
	for name, a := range body.Attributes {
		if inRange(a.SrcRange, pos) {
			return inBlock(parent, name)
		}
	}
	for _, b := range body.Blocks {
		for _, r := range b.LabelRanges {
			if inRange(r, pos) {
				return b.Type + " name"
			}
		}
		if !inRange(b.Range(), pos) {
			continue
		}
		name := strings.TrimSpace(parent + " " + b.Type)
		if len(b.Labels) > 0 {
			name = fmt.Sprintf("%s %q", name, b.Labels[0])
		}
		return attributeAt(b.Body, pos, name)
	}
	return ""
}

// inBlock names attribute attr of the block called parent: "primary.node",
// or `target "sdsc" secondary_host` in a labelled block.
func inBlock(parent, attr string) string {
	switch {
	case parent == "":
		return attr
	case strings.HasSuffix(parent, `"`):
		return parent + " " + attr
	}
	return parent + "." + attr
}

func inRange(r hcl.Range, pos hcl.Pos) bool {
	return pos.Byte >= r.Start.Byte && pos.Byte < r.End.Byte
}

// The raw types mirror the file. Attributes stay expressions until the
// decoder has them, so that every check can point at the value's range.

type rawFile struct {
	Cron              hcl.Expression `hcl:"cron,optional"`
	TimeZone          hcl.Expression `hcl:"time_zone,optional"`
	Rotation          hcl.Expression `hcl:"rotation,optional"`
	CheckpointTimeout hcl.Expression `hcl:"checkpoint_timeout,optional"`
	StallAfter        hcl.Expression `hcl:"checkpoint_stall_after,optional"`
	RunTimeout        hcl.Expression `hcl:"run_timeout,optional"`
	SampleFiles       hcl.Expression `hcl:"sample_files,optional"`
	DrillEvery        hcl.Expression `hcl:"drill_every,optional"`
	StateDir          hcl.Expression `hcl:"state_dir,optional"`
	LockFile          hcl.Expression `hcl:"lock_file,optional"`
	MetricsFile       hcl.Expression `hcl:"metrics_file,optional"`

	Primary      *rawPrimary      `hcl:"primary,block"`
	Targets      []rawTarget      `hcl:"target,block"`
	SSH          *rawSSH          `hcl:"ssh,block"`
	Retention    *rawRetention    `hcl:"retention,block"`
	Etcd         *rawEtcd         `hcl:"etcd,block"`
	ClusterDump  *rawClusterDump  `hcl:"cluster_dump,block"`
	Provisioning *rawProvisioning `hcl:"provisioning,block"`
}

type rawPrimary struct {
	Volume    hcl.Expression `hcl:"volume,optional"`
	Mount     hcl.Expression `hcl:"mount,optional"`
	Node      hcl.Expression `hcl:"node,optional"`
	BackupDir hcl.Expression `hcl:"backup_dir,optional"`
}

type rawTarget struct {
	Name            string         `hcl:"name,label"`
	NameRange       hcl.Range      `hcl:"name,label_range"`
	PrimaryVolume   hcl.Expression `hcl:"primary_volume,optional"`
	SecondaryHost   hcl.Expression `hcl:"secondary_host,optional"`
	SecondaryVolume hcl.Expression `hcl:"secondary_volume,optional"`
	SecondaryUser   hcl.Expression `hcl:"secondary_user,optional"`
	SSHPort         hcl.Expression `hcl:"ssh_port,optional"`
	VerifyNode      hcl.Expression `hcl:"verify_node,optional"`
	Points          hcl.Expression `hcl:"restore_points,optional"`
	PointNode       hcl.Expression `hcl:"restore_point_node,optional"`
	PointStore      hcl.Expression `hcl:"restore_point_store,optional"`
	PointVolume     hcl.Expression `hcl:"restore_point_volume,optional"`
}

type rawRetention struct {
	Daily     hcl.Expression `hcl:"daily,optional"`
	Weekly    hcl.Expression `hcl:"weekly,optional"`
	Monthly   hcl.Expression `hcl:"monthly,optional"`
	FullEvery hcl.Expression `hcl:"full_every,optional"`
}

type rawEtcd struct {
	Endpoints   hcl.Expression `hcl:"endpoints,optional"`
	CACert      hcl.Expression `hcl:"cacert,optional"`
	Cert        hcl.Expression `hcl:"cert,optional"`
	Key         hcl.Expression `hcl:"key,optional"`
	DialTimeout hcl.Expression `hcl:"dial_timeout,optional"`
	DefRange    hcl.Range      `hcl:",def_range"`
}

type rawClusterDump struct {
	Command hcl.Expression `hcl:"command,optional"`
}

type rawProvisioning struct {
	Inventory               hcl.Expression `hcl:"inventory,optional"`
	ImageRef                hcl.Expression `hcl:"image_ref,optional"`
	AnsibleInventoryCommand hcl.Expression `hcl:"ansible_inventory_command,optional"`
}

// orEmpty returns block, or the block decoded from an empty body when it is
// absent, so that every attribute falls back to its default.
func orEmpty[T any](block *T) *T {
	if block != nil {
		return block
	}
	var empty T
	gohcl.DecodeBody(hcl.EmptyBody(), nil, &empty) // only optional attributes: no diagnostics
	return &empty
}

func (r *rawFile) build(d *decoder, endOfFile hcl.Range) *Schedule {
	s := &Schedule{
		Cron:                 required(d, r.Cron, "cron", validCron),
		TimeZone:             attr(d, r.TimeZone, "time_zone", DefaultTimeZone, validTimeZone),
		Rotation:             Rotation(attr(d, r.Rotation, "rotation", string(DefaultRotation), oneOf(Rotations))),
		CheckpointTimeout:    duration(d, r.CheckpointTimeout, "checkpoint_timeout", DefaultCheckpointTimeout),
		CheckpointStallAfter: duration(d, r.StallAfter, "checkpoint_stall_after", DefaultStallAfter),
		SampleFiles:          attr(d, r.SampleFiles, "sample_files", DefaultSampleFiles, atLeast(0), atMost(MaxSampleFiles)),
		DrillEvery:           duration(d, r.DrillEvery, "drill_every", DefaultDrillEvery),
		StateDir:             attr(d, r.StateDir, "state_dir", DefaultStateDir, validPath),
		MetricsFile:          attr(d, r.MetricsFile, "metrics_file", DefaultMetricsFile, validPath),
	}
	s.LockFile = attr(d, r.LockFile, "lock_file", path.Join(s.StateDir, DefaultLockFileName), validPath)
	d.derived(r.LockFile, r.StateDir, "state_dir", s.StateDir, "lock_file", s.LockFile)
	if s.SampleFiles == 0 {
		d.warnAt(r.SampleFiles.Range(), "Verification Sampling Disabled",
			"sample_files = 0: verification will compare the manifest only, not a sample of volume files.")
	}

	if r.Primary == nil {
		d.missingBlock(endOfFile, "primary", `primary {
  volume = "global"
  node   = "gluster-1.example.org"
}`)
	} else {
		s.Primary = r.Primary.build(d)
	}
	s.Targets = buildTargets(d, r.Targets, s.Primary.Volume, endOfFile)
	s.RunTimeout = r.runTimeout(d, s)
	s.SSH = orEmpty(r.SSH).build(d)
	s.Retention = orEmpty(r.Retention).build(d)
	if r.Etcd != nil {
		s.Etcd = r.Etcd.build(d)
	}
	s.ClusterDump = ClusterDump{Command: list(d, orEmpty(r.ClusterDump).Command, "cluster_dump.command",
		DefaultClusterDumpCommand(), validArgv, wholePlaceholder)}
	if r.Provisioning != nil {
		s.Provisioning = r.Provisioning.build(d)
	}
	return s
}

// runTimeout decodes run_timeout, whose default derives from
// checkpoint_timeout, the rotation and the targets (DefaultRunTimeout).
func (r *rawFile) runTimeout(d *decoder, s *Schedule) time.Duration {
	def := DefaultRunTimeout(s.Rotation, s.CheckpointTimeout, len(s.Targets))
	if !d.isSet(r.RunTimeout) {
		return def
	}
	v := duration(d, r.RunTimeout, "run_timeout", def)
	where := r.RunTimeout.Range()
	switch {
	case v <= 0, v > MaxRunTimeout: // duration has said so
	case v < s.CheckpointTimeout:
		d.warnAt(where, "Run Deadline Shorter Than Checkpoint Wait", fmt.Sprintf("run_timeout = %s is shorter than "+
			"checkpoint_timeout = %s: the run's deadline ends a slow checkpoint before its own timeout does, and the "+
			"next run resumes it.", formatDuration(v), formatDuration(s.CheckpointTimeout)))
	default:
		if gap, ok := shortestGap(s); ok && v >= gap {
			d.warnAt(where, "Run Deadline Longer Than The Gap Between Runs", fmt.Sprintf("run_timeout = %s is not "+
				"shorter than the %s between two runs of cron %q: a run that takes that long still holds the run lock "+
				"when the next one starts, which is then refused.", formatDuration(v), formatDuration(gap), s.Cron))
		}
	}
	return v
}

func (r *rawPrimary) build(d *decoder) Primary {
	p := Primary{
		Volume: required(d, r.Volume, "primary.volume", validVolume),
		Mount:  attr(d, r.Mount, "primary.mount", DefaultMount, validPath),
		Node:   required(d, r.Node, "primary.node", validHost),
	}
	p.BackupDir = attr(d, r.BackupDir, "primary.backup_dir", path.Join(p.Mount, DefaultBackupDirName),
		validPath, inside(p.Mount))
	d.derived(r.BackupDir, r.Mount, "primary.mount", p.Mount, "primary.backup_dir", p.BackupDir)
	return p
}

func buildTargets(d *decoder, raws []rawTarget, primaryVolume string, endOfFile hcl.Range) []Target {
	if len(raws) == 0 {
		d.missingBlock(endOfFile, `target "<name>"`, `target "sdsc" {
  secondary_host   = "dr-1.sdsc.example.org"
  secondary_volume = "global-dr"
}`)
		return nil
	}
	declared := map[string]hcl.Range{}
	targets := make([]Target, 0, len(raws))
	for _, r := range raws {
		if err := validTargetName(r.Name); err != nil {
			d.errorAt(r.NameRange, "Invalid Target Name", err.Error()+".")
		} else if first, dup := declared[r.Name]; dup {
			d.errorAt(r.NameRange, "Duplicate Target",
				fmt.Sprintf("target %q is already declared at %s; target names must be unique.", r.Name, first))
		}
		declared[r.Name] = r.NameRange
		targets = append(targets, r.build(d, primaryVolume))
	}
	return targets
}

func (r *rawTarget) build(d *decoder, primaryVolume string) Target {
	name := func(attr string) string { return fmt.Sprintf("target %q %s", r.Name, attr) }
	t := Target{
		Name:            r.Name,
		PrimaryVolume:   attr(d, r.PrimaryVolume, name("primary_volume"), primaryVolume, validVolume),
		SecondaryHost:   required(d, r.SecondaryHost, name("secondary_host"), validSecondaryHost),
		SecondaryVolume: required(d, r.SecondaryVolume, name("secondary_volume"), validVolume),
		SecondaryUser:   attr(d, r.SecondaryUser, name("secondary_user"), DefaultSecondaryUser, validUser),
		SSHPort:         attr(d, r.SSHPort, name("ssh_port"), DefaultSSHPort, between(1, 65535)),
	}
	t.VerifyNode = attr(d, r.VerifyNode, name("verify_node"), t.SecondaryHost, validHost)
	t.RestorePoints = r.buildPoints(d, t)
	return t
}

func (r *rawSSH) commandTimeout(d *decoder) time.Duration {
	v := duration(d, r.CommandTimeout, "ssh.command_timeout", DefaultCommandTimeout)
	if v > 0 && (v < MinCommandTimeout || v > MaxCommandTimeout) {
		d.errorAt(r.CommandTimeout.Range(), "Invalid Schedule Setting", fmt.Sprintf("ssh.command_timeout: %s is not between %s and %s.",
			formatDuration(v), formatDuration(MinCommandTimeout), formatDuration(MaxCommandTimeout)))
	}
	return v
}

func (r *rawRetention) build(d *decoder) retention.Policy {
	p := retention.Policy{
		Daily:     attr(d, r.Daily, "retention.daily", DefaultDaily, atLeast(1), atMost(retention.MaxCount)),
		Weekly:    attr(d, r.Weekly, "retention.weekly", DefaultWeekly, atLeast(0), atMost(retention.MaxCount)),
		Monthly:   attr(d, r.Monthly, "retention.monthly", 0, atLeast(0), atMost(retention.MaxCount)),
		FullEvery: attr(d, r.FullEvery, "retention.full_every", 0, atLeast(0), atMost(retention.MaxCount)),
	}
	if p.Daily >= 1 && p.Daily < MinSafeDaily {
		d.warnAt(r.Daily.Range(), "Short Daily Stack", fmt.Sprintf(
			"retention.daily = %d keeps fewer than %d daily copies: after a 3-day weekend and one failed night "+
				"no copy may be newer than the weekend. Use daily = %d or more.", p.Daily, MinSafeDaily, MinSafeDaily))
	}
	if p.Monthly > 0 && p.Weekly == 0 {
		d.errorAt(r.Monthly.Range(), "Invalid Schedule Setting",
			"retention.monthly: monthlies are promoted from weeklies, so retention.weekly must be at least 1.")
	}
	if p.FullEvery > 0 {
		d.warnAt(r.FullEvery.Range(), "Deprecated Schedule Setting", fmt.Sprintf(
			"retention.full_every = %d is retired and ignored: every backup set is a full (each always held whole "+
				"copies of its own files), and the restore points of the volume share unchanged files, so a restore "+
				"needs one point, never a chain. Remove the line, or set it to 0; see the guide docs/guides/retention.md.", p.FullEvery))
	}
	return p
}

func (r *rawEtcd) build(d *decoder) *Etcd {
	e := &Etcd{
		Endpoints:   required(d, r.Endpoints, "etcd.endpoints", validEndpoints),
		CACert:      attr(d, r.CACert, "etcd.cacert", "", optionalPath),
		Cert:        attr(d, r.Cert, "etcd.cert", "", optionalPath),
		Key:         attr(d, r.Key, "etcd.key", "", optionalPath),
		DialTimeout: duration(d, r.DialTimeout, "etcd.dial_timeout", DefaultEtcdDialTimeout),
	}
	if (e.Cert == "") != (e.Key == "") {
		d.errorAt(r.DefRange, "Incomplete Etcd Client Certificate",
			"etcd: cert and key go together; set both or neither.")
	}
	return e
}

func (r *rawProvisioning) build(d *decoder) *Provisioning {
	return &Provisioning{
		Inventory: list(d, r.Inventory, "provisioning.inventory", nil, eachPath),
		ImageRef:  attr(d, r.ImageRef, "provisioning.image_ref", "", validLine),
		AnsibleInventoryCommand: list(d, r.AnsibleInventoryCommand, "provisioning.ansible_inventory_command",
			DefaultAnsibleInventoryCommand(), validArgv),
	}
}
