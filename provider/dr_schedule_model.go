package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// scheduleModel is dr_schedule's data. The attributes from cron to
// provisioning mirror the schedule file, block for block (the file's
// target blocks are the list targets); internal/schedule is the one
// source of their defaults and checks.
type scheduleModel struct {
	ID             types.String `tfsdk:"id"`
	ControllerNode types.String `tfsdk:"controller_node"`
	Path           types.String `tfsdk:"path"`
	GlusterdrPath  types.String `tfsdk:"glusterdr_path"`
	Trigger        types.String `tfsdk:"trigger"`
	Runner         types.String `tfsdk:"runner"`

	Cron                 types.String `tfsdk:"cron"`
	TimeZone             types.String `tfsdk:"time_zone"`
	Rotation             types.String `tfsdk:"rotation"`
	CheckpointTimeout    types.String `tfsdk:"checkpoint_timeout"`
	CheckpointStallAfter types.String `tfsdk:"checkpoint_stall_after"`
	RunTimeout           types.String `tfsdk:"run_timeout"`
	SampleFiles          types.Int64  `tfsdk:"sample_files"`
	DrillEvery           types.String `tfsdk:"drill_every"`
	StateDir             types.String `tfsdk:"state_dir"`
	LockFile             types.String `tfsdk:"lock_file"`
	MetricsFile          types.String `tfsdk:"metrics_file"`
	Primary              types.Object `tfsdk:"primary"`
	Targets              types.List   `tfsdk:"targets"`
	SSH                  types.Object `tfsdk:"ssh"`
	Retention            types.Object `tfsdk:"retention"`
	Etcd                 types.Object `tfsdk:"etcd"`
	ClusterDump          types.Object `tfsdk:"cluster_dump"`
	Provisioning         types.Object `tfsdk:"provisioning"`

	SHA256         types.String   `tfsdk:"sha256"`
	NextRuns       types.List     `tfsdk:"next_runs"`
	LastRun        types.Object   `tfsdk:"last_run"`
	TriggerCommand types.List     `tfsdk:"trigger_command"`
	TriggerFiles   types.List     `tfsdk:"trigger_files"`
	TriggerSHA256  types.String   `tfsdk:"trigger_sha256"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

type primaryModel struct {
	Volume    types.String `tfsdk:"volume"`
	Mount     types.String `tfsdk:"mount"`
	Node      types.String `tfsdk:"node"`
	BackupDir types.String `tfsdk:"backup_dir"`
}

type targetModel struct {
	Name            types.String `tfsdk:"name"`
	PrimaryVolume   types.String `tfsdk:"primary_volume"`
	SecondaryHost   types.String `tfsdk:"secondary_host"`
	SecondaryVolume types.String `tfsdk:"secondary_volume"`
	SecondaryUser   types.String `tfsdk:"secondary_user"`
	SSHPort         types.Int64  `tfsdk:"ssh_port"`
	VerifyNode      types.String `tfsdk:"verify_node"`
	Points          types.String `tfsdk:"restore_points"`
	PointNode       types.String `tfsdk:"restore_point_node"`
	PointStore      types.String `tfsdk:"restore_point_store"`
	PointVolume     types.String `tfsdk:"restore_point_volume"`
}

type retentionModel struct {
	Daily     types.Int64 `tfsdk:"daily"`
	Weekly    types.Int64 `tfsdk:"weekly"`
	Monthly   types.Int64 `tfsdk:"monthly"`
	FullEvery types.Int64 `tfsdk:"full_every"`
}

type etcdModel struct {
	Endpoints   types.List   `tfsdk:"endpoints"`
	CACert      types.String `tfsdk:"cacert"`
	Cert        types.String `tfsdk:"cert"`
	Key         types.String `tfsdk:"key"`
	DialTimeout types.String `tfsdk:"dial_timeout"`
}

type clusterDumpModel struct {
	Command types.List `tfsdk:"command"`
}

type provisioningModel struct {
	Inventory               types.List   `tfsdk:"inventory"`
	ImageRef                types.String `tfsdk:"image_ref"`
	AnsibleInventoryCommand types.List   `tfsdk:"ansible_inventory_command"`
}

type lastRunModel struct {
	Time       types.String  `tfsdk:"time"`
	Set        types.String  `tfsdk:"set"`
	Target     types.String  `tfsdk:"target"`
	Result     types.String  `tfsdk:"result"`
	FailedStep types.String  `tfsdk:"failed_step"`
	Seconds    types.Float64 `tfsdk:"seconds"`
	RPOSeconds types.Int64   `tfsdk:"rpo_seconds"`
}

var (
	stringListType   = types.ListType{ElemType: types.StringType}
	primaryAttrTypes = map[string]attr.Type{
		"volume": types.StringType, "mount": types.StringType, "node": types.StringType, "backup_dir": types.StringType,
	}
	targetAttrTypes = map[string]attr.Type{
		"name": types.StringType, "primary_volume": types.StringType, "secondary_host": types.StringType,
		"secondary_volume": types.StringType, "secondary_user": types.StringType, "ssh_port": types.Int64Type,
		"verify_node": types.StringType, "restore_points": types.StringType, "restore_point_node": types.StringType,
		"restore_point_store": types.StringType, "restore_point_volume": types.StringType,
	}
	retentionAttrTypes = map[string]attr.Type{
		"daily": types.Int64Type, "weekly": types.Int64Type, "monthly": types.Int64Type, "full_every": types.Int64Type,
	}
	etcdAttrTypes = map[string]attr.Type{
		"endpoints": stringListType, "cacert": types.StringType, "cert": types.StringType, "key": types.StringType,
		"dial_timeout": types.StringType,
	}
	clusterDumpAttrTypes  = map[string]attr.Type{"command": stringListType}
	provisioningAttrTypes = map[string]attr.Type{
		"inventory": stringListType, "image_ref": types.StringType, "ansible_inventory_command": stringListType,
	}
	lastRunAttrTypes = map[string]attr.Type{
		"time": types.StringType, "set": types.StringType, "target": types.StringType, "result": types.StringType,
		"failed_step": types.StringType, "seconds": types.Float64Type, "rpo_seconds": types.Int64Type,
	}
	targetObjectType = types.ObjectType{AttrTypes: targetAttrTypes}
)

// setSchedule writes the effective schedule s into the file attributes of
// m. A duration that prior spells differently but means the same ("120m"
// for "2h") keeps prior's spelling, so that a configuration is never
// rewritten into the file's canonical form.
func (m *scheduleModel) setSchedule(s *schedule.Schedule, prior *scheduleModel) {
	if prior == nil {
		prior = &scheduleModel{}
	}
	m.Cron = types.StringValue(s.Cron)
	m.TimeZone = types.StringValue(s.TimeZone)
	m.Rotation = types.StringValue(string(s.Rotation))
	m.CheckpointTimeout = durationValue(s.CheckpointTimeout, prior.CheckpointTimeout)
	m.CheckpointStallAfter = durationValue(s.CheckpointStallAfter, prior.CheckpointStallAfter)
	m.RunTimeout = durationValue(s.RunTimeout, prior.RunTimeout)
	m.SampleFiles = types.Int64Value(int64(s.SampleFiles))
	m.DrillEvery = durationValue(s.DrillEvery, prior.DrillEvery)
	m.StateDir = types.StringValue(s.StateDir)
	m.LockFile = types.StringValue(s.LockFile)
	m.MetricsFile = types.StringValue(s.MetricsFile)
	m.Primary = types.ObjectValueMust(primaryAttrTypes, map[string]attr.Value{
		"volume": types.StringValue(s.Primary.Volume), "mount": types.StringValue(s.Primary.Mount),
		"node": types.StringValue(s.Primary.Node), "backup_dir": types.StringValue(s.Primary.BackupDir),
	})
	targets := make([]attr.Value, len(s.Targets))
	for i, t := range s.Targets {
		targets[i] = types.ObjectValueMust(targetAttrTypes, map[string]attr.Value{
			"name": types.StringValue(t.Name), "primary_volume": types.StringValue(t.PrimaryVolume),
			"secondary_host": types.StringValue(t.SecondaryHost), "secondary_volume": types.StringValue(t.SecondaryVolume),
			"secondary_user": types.StringValue(t.SecondaryUser), "ssh_port": types.Int64Value(int64(t.SSHPort)),
			"verify_node": types.StringValue(t.VerifyNode), "restore_points": types.StringValue(t.RestorePoints.Method),
			"restore_point_node": types.StringValue(t.RestorePoints.Node), "restore_point_store": optionalString(t.RestorePoints.Store),
			"restore_point_volume": optionalString(t.RestorePoints.Volume),
		})
	}
	m.Targets = types.ListValueMust(targetObjectType, targets)
	m.SSH = scheduleSSHValue(s.SSH)
	m.Retention = types.ObjectValueMust(retentionAttrTypes, map[string]attr.Value{
		"daily": types.Int64Value(int64(s.Retention.Daily)), "weekly": types.Int64Value(int64(s.Retention.Weekly)),
		"monthly": types.Int64Value(int64(s.Retention.Monthly)), "full_every": types.Int64Value(int64(s.Retention.FullEvery)),
	})
	m.Etcd = types.ObjectNull(etcdAttrTypes)
	if e := s.Etcd; e != nil {
		priorTimeout := types.StringNull()
		if p := objectAttr(prior.Etcd, "dial_timeout"); p != nil {
			priorTimeout, _ = p.(types.String)
		}
		m.Etcd = types.ObjectValueMust(etcdAttrTypes, map[string]attr.Value{
			"endpoints": stringList(e.Endpoints), "cacert": types.StringValue(e.CACert), "cert": types.StringValue(e.Cert),
			"key": types.StringValue(e.Key), "dial_timeout": durationValue(e.DialTimeout, priorTimeout),
		})
	}
	m.ClusterDump = types.ObjectValueMust(clusterDumpAttrTypes, map[string]attr.Value{"command": stringList(s.ClusterDump.Command)})
	m.Provisioning = types.ObjectNull(provisioningAttrTypes)
	if p := s.Provisioning; p != nil {
		m.Provisioning = types.ObjectValueMust(provisioningAttrTypes, map[string]attr.Value{
			"inventory": stringList(p.Inventory), "image_ref": types.StringValue(p.ImageRef),
			"ansible_inventory_command": stringList(p.AnsibleInventoryCommand),
		})
	}
}

// durationValue is d as the file writes it, or prior when prior is known
// and means the same duration.
func durationValue(d time.Duration, prior types.String) types.String {
	if !prior.IsNull() && !prior.IsUnknown() {
		if p, err := time.ParseDuration(prior.ValueString()); err == nil && p == d {
			return prior
		}
	}
	return types.StringValue(schedule.FormatDuration(d))
}

// objectAttr is the attribute name of a known object, or nil.
func objectAttr(o types.Object, name string) attr.Value {
	if o.IsNull() || o.IsUnknown() {
		return nil
	}
	return o.Attributes()[name]
}

// setNextRuns fills next_runs with the next 3 runs after now, in the
// schedule's time zone.
func (m *scheduleModel) setNextRuns(s *schedule.Schedule, now time.Time) {
	runs := s.NextRuns(now, 3)
	out := make([]string, len(runs))
	for i, r := range runs {
		out[i] = r.Format(time.RFC3339)
	}
	m.NextRuns = stringList(out)
}

// setLastRun fills last_run from the journal: the newest entry, with the
// RPO, the age at now of the newest verified copy at any target.
func (m *scheduleModel) setLastRun(entries []journal.Entry, now time.Time) {
	last, ok := journal.Last(entries)
	if !ok {
		m.LastRun = types.ObjectNull(lastRunAttrTypes)
		return
	}
	rpo := types.Int64Null()
	if v, ok := journal.LastVerified(entries, ""); ok {
		copyTime := v.CheckpointTime
		if copyTime.IsZero() {
			copyTime = v.Started
		}
		rpo = types.Int64Value(int64(now.Sub(copyTime).Seconds()))
	}
	failed := types.StringNull()
	if last.FailedStep != "" {
		failed = types.StringValue(last.FailedStep)
	}
	m.LastRun = types.ObjectValueMust(lastRunAttrTypes, map[string]attr.Value{
		"time": types.StringValue(last.Time.UTC().Format(time.RFC3339)), "set": types.StringValue(last.Set),
		"target": types.StringValue(last.Target), "result": types.StringValue(last.Result), "failed_step": failed,
		"seconds": types.Float64Value(last.Seconds), "rpo_seconds": rpo,
	})
}

// fillNulls returns cfg with every null leaf replaced by the same leaf of
// eff: the planned value of an Optional+Computed attribute left out of the
// configuration is its effective value. Known objects and lists are
// walked; a list whose length differs is taken from cfg as it is.
func fillNulls(ctx context.Context, cfg, eff attr.Value, diags *diag.Diagnostics) attr.Value {
	if cfg.IsNull() {
		return eff
	}
	if cfg.IsUnknown() || eff.IsNull() || eff.IsUnknown() {
		return cfg
	}
	switch c := cfg.(type) {
	case basetypes.ObjectValue:
		e, ok := eff.(basetypes.ObjectValue)
		if !ok {
			return cfg
		}
		attrs := map[string]attr.Value{}
		for k, v := range c.Attributes() {
			if ev, ok := e.Attributes()[k]; ok {
				v = fillNulls(ctx, v, ev, diags)
			}
			attrs[k] = v
		}
		out, d := types.ObjectValue(c.AttributeTypes(ctx), attrs)
		diags.Append(d...)
		return out
	case basetypes.ListValue:
		e, ok := eff.(basetypes.ListValue)
		if !ok || len(c.Elements()) != len(e.Elements()) {
			return cfg
		}
		elems := make([]attr.Value, len(c.Elements()))
		for i, v := range c.Elements() {
			elems[i] = fillNulls(ctx, v, e.Elements()[i], diags)
		}
		out, d := types.ListValue(c.ElementType(ctx), elems)
		diags.Append(d...)
		return out
	}
	return cfg
}

// scheduleAttrs are the file attributes of m, by name.
func (m *scheduleModel) scheduleAttrs() map[string]attr.Value {
	return map[string]attr.Value{
		"cron": m.Cron, "time_zone": m.TimeZone, "rotation": m.Rotation, "checkpoint_timeout": m.CheckpointTimeout,
		"checkpoint_stall_after": m.CheckpointStallAfter, "run_timeout": m.RunTimeout, "sample_files": m.SampleFiles, "drill_every": m.DrillEvery, "state_dir": m.StateDir,
		"lock_file": m.LockFile, "metrics_file": m.MetricsFile, "primary": m.Primary, "targets": m.Targets,
		"ssh": m.SSH, "retention": m.Retention, "etcd": m.Etcd, "cluster_dump": m.ClusterDump,
		"provisioning": m.Provisioning,
	}
}

// fillFrom sets every null file attribute of m to the one in eff.
func (m *scheduleModel) fillFrom(ctx context.Context, eff *scheduleModel, diags *diag.Diagnostics) {
	e := eff.scheduleAttrs()
	str := func(v types.String, name string) types.String {
		out, _ := fillNulls(ctx, v, e[name], diags).(types.String)
		return out
	}
	obj := func(v types.Object, name string) types.Object {
		out, _ := fillNulls(ctx, v, e[name], diags).(types.Object)
		return out
	}
	m.Cron, m.TimeZone, m.Rotation = str(m.Cron, "cron"), str(m.TimeZone, "time_zone"), str(m.Rotation, "rotation")
	m.CheckpointTimeout = str(m.CheckpointTimeout, "checkpoint_timeout")
	m.CheckpointStallAfter = str(m.CheckpointStallAfter, "checkpoint_stall_after")
	m.RunTimeout = str(m.RunTimeout, "run_timeout")
	if m.SampleFiles.IsNull() {
		m.SampleFiles = eff.SampleFiles
	}
	m.DrillEvery = str(m.DrillEvery, "drill_every")
	m.StateDir, m.LockFile, m.MetricsFile = str(m.StateDir, "state_dir"), str(m.LockFile, "lock_file"), str(m.MetricsFile, "metrics_file")
	m.Primary, m.SSH, m.Retention = obj(m.Primary, "primary"), obj(m.SSH, "ssh"), obj(m.Retention, "retention")
	m.Etcd, m.ClusterDump, m.Provisioning = obj(m.Etcd, "etcd"), obj(m.ClusterDump, "cluster_dump"), obj(m.Provisioning, "provisioning")
	if l, ok := fillNulls(ctx, m.Targets, e["targets"], diags).(types.List); ok {
		m.Targets = l
	}
}
