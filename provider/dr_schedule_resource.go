package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	tfpath "github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
)

var (
	_ resource.Resource                   = (*scheduleResource)(nil)
	_ resource.ResourceWithConfigure      = (*scheduleResource)(nil)
	_ resource.ResourceWithImportState    = (*scheduleResource)(nil)
	_ resource.ResourceWithValidateConfig = (*scheduleResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*scheduleResource)(nil)
)

// NewScheduleResource is dr_schedule, the name users asked for, without the
// provider's prefix: configurations say provider = gluster.
func NewScheduleResource() resource.Resource {
	return &scheduleResource{resourceBase{typeName: "dr_schedule"}}
}

type scheduleResource struct {
	resourceBase
}

// nowFunc is the clock of next_runs and the RPO.
var nowFunc = time.Now

// controller is the node a dr_schedule lives on, where its trigger is
// installed.
func (d *providerData) controller(node string) trigger.Host {
	return trigger.Host{Name: node, Run: d.runner(node), Files: d.files(node)}
}

func (r *scheduleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan scheduleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, scheduleCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	c := r.data.controller(plan.ControllerNode.ValueString())
	id := scheduleID(c.Name, plan.Path.ValueString())
	if _, err := c.Files.Lstat(ctx, plan.Path.ValueString()); err == nil {
		resp.Diagnostics.AddAttributeError(tfpath.Root("path"), "Schedule File Exists",
			fmt.Sprintf("%s exists already on %s. To manage it with Terraform, import it: terraform import <address> %s. "+
				"To replace it, remove it first.", plan.Path.ValueString(), c.Name, id))
		return
	} else if !errors.Is(err, fs.ErrNotExist) {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not check for %s on %s", plan.Path.ValueString(), c.Name), timeoutHint(err, "create"))
		return
	}
	s, content, diags := plan.render()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	warnings, err := r.apply(ctx, c, &plan, s, content, "")
	if err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not install schedule %s. If the file was written before the failure, "+
			"import it: terraform import <address> %s", id, id), timeoutHint(err, "create"))
		return
	}
	plan.ID = types.StringValue(id)
	if r.readBack(ctx, c, &plan, warnings, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *scheduleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state scheduleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, scheduleReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	found := r.observe(ctx, r.data.controller(state.ControllerNode.ValueString()), &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		tflog.Warn(ctx, "schedule file is gone; removing dr_schedule from state so that plan proposes writing it again",
			map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *scheduleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state scheduleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, scheduleUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	s, content, diags := plan.render()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := r.data.controller(plan.ControllerNode.ValueString())
	warnings, err := r.apply(ctx, c, &plan, s, content, state.Trigger.ValueString())
	if err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not update schedule %s", plan.ID.ValueString()), timeoutHint(err, "update"))
		return
	}
	if r.readBack(ctx, c, &plan, warnings, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *scheduleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state scheduleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, scheduleDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	c := r.data.controller(state.ControllerNode.ValueString())
	kinds := trigger.Kinds
	if k := state.Trigger.ValueString(); k != "" {
		kinds = []string{k}
	}
	for _, k := range kinds {
		if _, err := c.Remove(ctx, k); err != nil {
			addError(&resp.Diagnostics, fmt.Sprintf("Could not remove the trigger of schedule %s", state.ID.ValueString()), timeoutHint(err, "delete"))
			return
		}
	}
	if err := c.Files.Remove(ctx, state.Path.ValueString()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not remove the schedule file %s on %s", state.Path.ValueString(), c.Name),
			timeoutHint(err, "delete"))
	}
}

func (r *scheduleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	node, p, err := parseScheduleID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, tfpath.Root("id"), scheduleID(node, p))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, tfpath.Root("controller_node"), node)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, tfpath.Root("path"), p)...)
}

// ValidateConfig checks the schedule the configuration describes with the
// engine's own parser, at plan time.
func (r *scheduleResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg scheduleModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, diags := renderScheduleSource(&cfg).parse()
	resp.Diagnostics.Append(diags...)
}

// apply chooses the trigger and the runner where the configuration leaves
// them to the controller, then puts the schedule file and the trigger
// there; a trigger of another kind (oldKind) is removed. It returns the
// reasons the trigger may not run as meant.
func (r *scheduleResource) apply(ctx context.Context, c trigger.Host, m *scheduleModel, s *schedule.Schedule, content []byte, oldKind string) ([]string, error) {
	spec := m.triggerSpec(s)
	if err := c.Resolve(ctx, &spec); err != nil {
		return nil, err
	}
	m.Trigger, m.Runner = types.StringValue(spec.Kind), types.StringValue(spec.Runner)
	p := m.Path.ValueString()
	if err := c.Files.MkdirAll(ctx, path.Dir(p), 0o755); err != nil {
		return nil, fmt.Errorf("making %s on %s: %w", path.Dir(p), c.Name, err)
	}
	if err := c.Files.WriteFile(ctx, p, bytes.NewReader(content), scheduleFileMode); err != nil {
		return nil, fmt.Errorf("writing %s on %s: %w", p, c.Name, err)
	}
	if oldKind != "" && oldKind != spec.Kind {
		if _, err := c.Remove(ctx, oldKind); err != nil {
			return nil, err
		}
	}
	if _, err := c.Install(ctx, spec); err != nil {
		return nil, err
	}
	tflog.Info(ctx, "schedule written and trigger installed", map[string]any{
		"node": c.Name, "path": p, "trigger": spec.Kind, "runner": spec.Runner})
	return c.Warnings(ctx, spec, s, nowFunc()), nil
}

// readBack replaces the planned values with what the controller holds
// after create or update.
func (r *scheduleResource) readBack(ctx context.Context, c trigger.Host, m *scheduleModel, warnings []string, diags *diag.Diagnostics) bool {
	for _, w := range warnings {
		diags.AddWarning("Trigger May Not Run", w)
	}
	found := r.observe(ctx, c, m, diags)
	if !found && !diags.HasError() {
		diags.AddError("Schedule Missing After Apply", fmt.Sprintf("%s was not found on %s when it was read back.",
			m.Path.ValueString(), c.Name))
	}
	return found && !diags.HasError()
}

// observe reads the schedule file, the trigger and the journal into m.
// found is false when the file is gone.
func (r *scheduleResource) observe(ctx context.Context, c trigger.Host, m *scheduleModel, diags *diag.Diagnostics) bool {
	p := m.Path.ValueString()
	content, err := c.Files.ReadFile(ctx, p)
	if errors.Is(err, fs.ErrNotExist) {
		return false
	}
	if err != nil {
		addError(diags, fmt.Sprintf("Could not read the schedule file %s on %s", p, c.Name), timeoutHint(err, "read"))
		return false
	}
	m.SHA256 = types.StringValue(sha256Hex(content))
	s, hd := schedule.Parse(p, content)
	if hd.HasErrors() {
		diags.AddWarning("Schedule File Does Not Parse", fmt.Sprintf("The schedule file %s on %s does not parse, so the "+
			"nightly run would fail:\n\n%s\n\nApply writes it again from the configuration.", p, c.Name, hd.Error()))
	} else {
		prior := *m
		m.setSchedule(s, &prior)
		m.setNextRuns(s, nowFunc())
	}

	live, err := c.Read(ctx, m.Trigger.ValueString())
	if err != nil {
		addError(diags, fmt.Sprintf("Could not read the trigger of %s", m.ID.ValueString()), timeoutHint(err, "read"))
		return false
	}
	m.adoptTrigger(live)
	m.TriggerSHA256 = types.StringValue(live.Digest())

	stateDir := m.StateDir.ValueString()
	entries, err := journal.ReadFile(ctx, c.Files, path.Join(stateDir, journal.FileName))
	if err != nil {
		diags.AddWarning("Journal Not Readable", fmt.Sprintf("last_run could not be read from %s on %s: %v",
			path.Join(stateDir, journal.FileName), c.Name, err))
	}
	m.setLastRun(entries, nowFunc())
	if m.NextRuns.IsNull() || m.NextRuns.IsUnknown() {
		m.NextRuns = types.ListNull(stringType)
	}
	return true
}

// adoptTrigger fills what an import leaves unknown (the trigger's kind,
// runner and CLI) from the trigger found, and sets the computed trigger
// attributes from the model.
func (m *scheduleModel) adoptTrigger(live trigger.Live) {
	if m.Trigger.IsNull() || m.Trigger.IsUnknown() {
		m.Trigger = types.StringNull()
		if live.Kind != "" {
			m.Trigger = types.StringValue(live.Kind)
		}
	}
	if (m.Runner.IsNull() || m.Runner.IsUnknown()) && live.Header["runner"] != "" {
		m.Runner = types.StringValue(live.Header["runner"])
	}
	if (m.GlusterdrPath.IsNull() || m.GlusterdrPath.IsUnknown()) && live.Header["binary"] != "" {
		m.GlusterdrPath = types.StringValue(live.Header["binary"])
	}
	m.Runner = nullIfUnknown(m.Runner)
	m.GlusterdrPath = nullIfUnknown(m.GlusterdrPath)
	m.TriggerFiles, m.TriggerCommand = types.ListNull(stringType), types.ListNull(stringType)
	if !m.Trigger.IsNull() {
		m.TriggerFiles = stringList(trigger.Paths(m.Trigger.ValueString()))
	}
	if !m.Runner.IsNull() && !m.GlusterdrPath.IsNull() {
		m.TriggerCommand = stringList(m.triggerSpec(nil).Command())
	}
}

func nullIfUnknown(v types.String) types.String {
	if v.IsUnknown() {
		return types.StringNull()
	}
	return v
}

// triggerSpec is the trigger m describes, for the schedule s when it is
// known; an unknown kind or runner is left empty.
func (m *scheduleModel) triggerSpec(s *schedule.Schedule) trigger.Spec {
	spec := trigger.Spec{Kind: m.Trigger.ValueString(), Runner: m.Runner.ValueString(), Glusterdr: m.GlusterdrPath.ValueString(),
		Schedule: m.Path.ValueString(), Cron: m.Cron.ValueString(), TimeZone: m.TimeZone.ValueString()}
	if s != nil {
		spec.Cron, spec.TimeZone, spec.RunTimeout = s.Cron, s.TimeZone, s.RunTimeout
	} else if d, err := time.ParseDuration(m.RunTimeout.ValueString()); err == nil {
		spec.RunTimeout = d
	}
	return spec
}

// render is the schedule m describes, checked by the engine's parser, and
// its canonical file.
func (m *scheduleModel) render() (*schedule.Schedule, []byte, diag.Diagnostics) {
	src := renderScheduleSource(m)
	if len(src.unknown) > 0 {
		var diags diag.Diagnostics
		diags.AddError("Unknown Schedule Values", fmt.Sprintf("These values are still unknown at apply: %v. This is a bug "+
			"in the provider: please report it.", src.unknown))
		return nil, nil, diags
	}
	s, diags := src.parse()
	if diags.HasError() {
		return nil, nil, diags
	}
	content, _ := encoded(s)
	return s, content, diags
}
