package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
)

// ModifyPlan fills in what apply will write, so that plan shows it and a
// difference from what the controller holds is drift:
//   - the file settings left out of the configuration, with the engine's
//     defaults (lock_file from state_dir, verify_node from secondary_host, ...);
//   - sha256, of the file apply writes;
//   - trigger_sha256, trigger_files and trigger_command, of the trigger apply
//     installs, once its kind and runner are known.
//
// When anything changes, next_runs and last_run are left to apply.
func (r *scheduleResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var cfg, plan scheduleModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.SHA256 = types.StringUnknown()
	plan.TriggerSHA256 = types.StringUnknown()
	src := renderScheduleSource(&cfg)
	if len(src.unknown) == 0 {
		// ValidateConfig has reported the parser's diagnostics already.
		if s, _ := src.parse(); s != nil {
			var eff scheduleModel
			eff.setSchedule(s, &cfg)
			filled := cfg
			filled.fillFrom(ctx, &eff, &resp.Diagnostics)
			plan.copySchedule(&filled)
			_, sum := encoded(s)
			plan.SHA256 = types.StringValue(sum)
			r.checkSnapshotTargets(ctx, s, &resp.Diagnostics)
		}
	}
	plan.planTrigger()
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() || req.State.Raw.IsNull() || resp.Plan.Raw.Equal(req.State.Raw) {
		return
	}
	plan.NextRuns = types.ListUnknown(stringType)
	plan.LastRun = types.ObjectUnknown(lastRunAttrTypes)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// planTrigger sets the trigger's computed attributes to what apply will
// install, as far as it is known.
func (m *scheduleModel) planTrigger() {
	known := func(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }
	m.TriggerFiles, m.TriggerCommand = types.ListUnknown(stringType), types.ListUnknown(stringType)
	if known(m.Trigger) {
		m.TriggerFiles = stringList(trigger.Paths(m.Trigger.ValueString()))
	}
	if !known(m.Runner) || !known(m.GlusterdrPath) || !known(m.Path) {
		return
	}
	spec := m.triggerSpec(nil)
	m.TriggerCommand = stringList(spec.Command())
	if !known(m.Trigger) || !known(m.Cron) || !known(m.TimeZone) || !known(m.RunTimeout) {
		return
	}
	if sum, err := spec.Digest(); err == nil {
		m.TriggerSHA256 = types.StringValue(sum)
	}
}

// copySchedule sets the file attributes of m to those of from.
func (m *scheduleModel) copySchedule(from *scheduleModel) {
	m.Cron, m.TimeZone, m.Rotation = from.Cron, from.TimeZone, from.Rotation
	m.CheckpointTimeout, m.CheckpointStallAfter, m.RunTimeout = from.CheckpointTimeout, from.CheckpointStallAfter, from.RunTimeout
	m.SampleFiles, m.StateDir, m.LockFile, m.MetricsFile = from.SampleFiles, from.StateDir, from.LockFile, from.MetricsFile
	m.DrillEvery = from.DrillEvery
	m.Primary, m.Targets, m.SSH, m.Retention = from.Primary, from.Targets, from.SSH, from.Retention
	m.Etcd, m.ClusterDump, m.Provisioning = from.Etcd, from.ClusterDump, from.Provisioning
}
