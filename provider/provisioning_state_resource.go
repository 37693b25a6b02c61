package provider

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	tfpath "github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/glusterdr/terraform-provider-gluster/internal/provstate"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

var (
	_ resource.Resource                = (*provisioningStateResource)(nil)
	_ resource.ResourceWithConfigure   = (*provisioningStateResource)(nil)
	_ resource.ResourceWithImportState = (*provisioningStateResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*provisioningStateResource)(nil)
)

// NewProvisioningStateResource is gluster_provisioning_state.
func NewProvisioningStateResource() resource.Resource {
	return &provisioningStateResource{resourceBase{typeName: "gluster_provisioning_state"}}
}

type provisioningStateResource struct {
	resourceBase
}

// provisioningStateModel is gluster_provisioning_state's data.
type provisioningStateModel struct {
	ID                      types.String   `tfsdk:"id"`
	ControllerNode          types.String   `tfsdk:"controller_node"`
	PrimaryNode             types.String   `tfsdk:"primary_node"`
	BackupDir               types.String   `tfsdk:"backup_dir"`
	Name                    types.String   `tfsdk:"name"`
	Inventory               types.List     `tfsdk:"inventory"`
	ImageRef                types.String   `tfsdk:"image_ref"`
	AnsibleInventoryCommand types.List     `tfsdk:"ansible_inventory_command"`
	File                    types.String   `tfsdk:"file"`
	Digest                  types.String   `tfsdk:"digest"`
	SHA256                  types.String   `tfsdk:"sha256"`
	CapturedAt              types.String   `tfsdk:"captured_at"`
	Redactions              types.Int64    `tfsdk:"redactions"`
	Status                  types.String   `tfsdk:"status"`
	Timeouts                timeouts.Value `tfsdk:"timeouts"`
}

func (r *provisioningStateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan provisioningStateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, provisioningCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	id := plan.id()
	if _, err := r.data.files(plan.PrimaryNode.ValueString()).Lstat(ctx, plan.file()); err == nil {
		resp.Diagnostics.AddError("Provisioning State Exists",
			fmt.Sprintf("%s exists already on %s. To manage it with Terraform, import it: terraform import <address> %s. "+
				"To capture under another name, set name.", plan.file(), plan.PrimaryNode.ValueString(), id))
		return
	} else if !errors.Is(err, fs.ErrNotExist) {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not check for %s on %s", plan.file(), plan.PrimaryNode.ValueString()),
			timeoutHint(err, "create"))
		return
	}
	st, ok := r.capture(ctx, &plan, &resp.Diagnostics)
	if !ok {
		return
	}
	plan.ID = types.StringValue(id)
	if r.readBack(ctx, &plan, st, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *provisioningStateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state provisioningStateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, provisioningReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	stored, found := r.observe(ctx, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		tflog.Warn(ctx, "provisioning state capture is gone; removing it from state so that plan proposes capturing it again",
			map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if state.Status.ValueString() == captureCurrent {
		r.compareFresh(ctx, &state, stored, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *provisioningStateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan provisioningStateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, provisioningUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	st, ok := r.capture(ctx, &plan, &resp.Diagnostics)
	if ok && r.readBack(ctx, &plan, st, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *provisioningStateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state provisioningStateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, provisioningDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	node := state.PrimaryNode.ValueString()
	if err := r.data.files(node).RemoveAll(ctx, state.dir()); err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not remove the provisioning state %s on %s", state.dir(), node),
			timeoutHint(err, "delete"))
	}
}

func (r *provisioningStateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	node, backupDir, name, err := parseProvisioningID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", err.Error())
		return
	}
	set := func(attr string, v any) {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, tfpath.Root(attr), v)...)
	}
	set("id", provisioningID(node, backupDir, name))
	set("primary_node", node)
	set("backup_dir", backupDir)
	set("name", name)
}

// ModifyPlan plans a new capture when the configuration changed or plan
// found drift: status becomes current and what describes the capture is
// known after apply.
func (r *provisioningStateResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan provisioningStateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if known := func(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }; known(plan.BackupDir) && known(plan.Name) {
		plan.File = types.StringValue(plan.file())
	}
	var state *provisioningStateModel
	if !req.State.Raw.IsNull() {
		state = &provisioningStateModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	plan.Status = types.StringValue(captureCurrent)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() || state == nil || resp.Plan.Raw.Equal(req.State.Raw) {
		return
	}
	plan.Digest, plan.SHA256, plan.CapturedAt = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
	plan.Redactions = types.Int64Unknown()
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// capture takes the provisioning state on the controller and stores it on
// the primary node. A capture there already is kept beside the new one.
func (r *provisioningStateResource) capture(ctx context.Context, m *provisioningStateModel, diags *diag.Diagnostics) (*provstate.State, bool) {
	controller, primary := m.ControllerNode.ValueString(), m.PrimaryNode.ValueString()
	st, err := provstate.Capture(ctx, r.data.runner(controller), r.data.files(controller), m.options(ctx, diags))
	if err != nil {
		addError(diags, fmt.Sprintf("Could not capture the provisioning state on %s", controller), timeoutHint(err, "capture"))
		return nil, false
	}
	files := r.data.files(primary)
	if err := files.MkdirAll(ctx, m.dir(), captureDirMode); err != nil {
		addError(diags, fmt.Sprintf("Could not make %s on %s", m.dir(), primary), err)
		return nil, false
	}
	if info, err := files.Stat(ctx, m.file()); err == nil {
		aside := asideName(ctx, files, m.dir(), info.ModTime())
		if err := files.Rename(ctx, m.file(), aside); err != nil {
			addError(diags, fmt.Sprintf("Could not keep the previous capture as %s on %s", aside, primary), err)
			return nil, false
		}
		tflog.Info(ctx, "previous provisioning state kept", map[string]any{"file": aside})
	}
	if err := st.Write(ctx, files, m.file()); err != nil {
		addError(diags, fmt.Sprintf("Could not write the provisioning state to %s on %s", m.file(), primary), err)
		return nil, false
	}
	tflog.Info(ctx, "provisioning state captured", map[string]any{
		"controller": controller, "file": m.file(), "redactions": len(st.Redactions), "files": len(st.Files)})
	return st, true
}

// asideName is where a previous capture, written at t, is kept: a name that
// is not taken yet, so that no kept capture is ever replaced.
func asideName(ctx context.Context, files remote.Files, dir string, t time.Time) string {
	base := path.Join(dir, "provisioning-"+t.UTC().Format("20060102T150405Z"))
	name := base + ".json"
	for n := 2; ; n++ {
		if _, err := files.Lstat(ctx, name); err != nil {
			return name // free; or the rename that follows says what is wrong
		}
		name = fmt.Sprintf("%s-%d.json", base, n)
	}
}

// readBack records what apply wrote: its sha256 as read back, and the
// capture's digest, time and redactions.
func (r *provisioningStateResource) readBack(ctx context.Context, m *provisioningStateModel, st *provstate.State, diags *diag.Diagnostics) bool {
	data, err := r.data.files(m.PrimaryNode.ValueString()).ReadFile(ctx, m.file())
	if err != nil {
		addError(diags, fmt.Sprintf("Could not read back %s on %s", m.file(), m.PrimaryNode.ValueString()), err)
		return false
	}
	m.SHA256 = types.StringValue(sha256Hex(data))
	m.File = types.StringValue(m.file())
	m.setCapture(st)
	m.Status = types.StringValue(captureCurrent)
	return true
}

// observe reads the stored capture. found is false when it is gone; status
// is altered when it is not what apply wrote.
func (r *provisioningStateResource) observe(ctx context.Context, m *provisioningStateModel, diags *diag.Diagnostics) (*provstate.State, bool) {
	node := m.PrimaryNode.ValueString()
	data, err := r.data.files(node).ReadFile(ctx, m.file())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false
	}
	if err != nil {
		addError(diags, fmt.Sprintf("Could not read the provisioning state %s on %s", m.file(), node), timeoutHint(err, "read"))
		return nil, false
	}
	live := sha256Hex(data)
	imported := m.SHA256.IsNull() || m.SHA256.IsUnknown()
	if imported {
		m.SHA256 = types.StringValue(live)
	}
	m.File = types.StringValue(m.file())
	st, err := provstate.Decode(data)
	if err != nil || live != m.SHA256.ValueString() {
		tflog.Warn(ctx, "stored provisioning state is not what apply wrote", map[string]any{"file": m.file(), "node": node})
		m.Status = types.StringValue(captureAltered)
		return nil, true
	}
	if imported {
		m.adopt(st)
	}
	m.setCapture(st)
	m.Status = types.StringValue(captureCurrent)
	return st, true
}

// compareFresh captures the state again and sets status to
// inventory_changed when it differs from the stored one.
func (r *provisioningStateResource) compareFresh(ctx context.Context, m *provisioningStateModel, stored *provstate.State, diags *diag.Diagnostics) {
	controller := m.ControllerNode.ValueString()
	fresh, err := provstate.Capture(ctx, r.data.runner(controller), r.data.files(controller), m.options(ctx, diags))
	if err != nil {
		diags.AddWarning("Provisioning State Not Compared", fmt.Sprintf("The provisioning state could not be captured "+
			"again on %s, so whether it changed is not known:\n\n%v", controller, err))
		return
	}
	if fresh.Digest != stored.Digest {
		tflog.Info(ctx, "provisioning state changed since the capture", map[string]any{"stored": stored.Digest, "now": fresh.Digest})
		m.Status = types.StringValue(captureInventoryChanged)
	}
}

// options are what to capture.
func (m *provisioningStateModel) options(ctx context.Context, diags *diag.Diagnostics) provstate.Options {
	return provstate.Options{
		InventoryCommand: listStrings(ctx, m.AnsibleInventoryCommand, diags),
		InventoryFiles:   listStrings(ctx, m.Inventory, diags),
		ImageRef:         m.ImageRef.ValueString(),
	}
}

// setCapture records a capture's digest, time and redactions.
func (m *provisioningStateModel) setCapture(st *provstate.State) {
	m.Digest = types.StringValue(st.Digest)
	m.CapturedAt = types.StringValue(st.CapturedAt.UTC().Format(time.RFC3339))
	m.Redactions = types.Int64Value(int64(len(st.Redactions)))
}

// adopt takes what to capture from an imported capture.
func (m *provisioningStateModel) adopt(st *provstate.State) {
	if m.ControllerNode.IsNull() || m.ControllerNode.IsUnknown() {
		m.ControllerNode = types.StringValue(st.Host)
	}
	paths := make([]string, len(st.Files))
	for i, f := range st.Files {
		paths[i] = f.Path
	}
	m.Inventory = stringList(paths)
	m.ImageRef = types.StringValue(st.ImageRef)
	m.AnsibleInventoryCommand = stringList(st.InventoryCommand)
}

func (m *provisioningStateModel) dir() string {
	return path.Join(m.BackupDir.ValueString(), provisioningFolder, m.Name.ValueString())
}

func (m *provisioningStateModel) file() string { return path.Join(m.dir(), provstate.FileName) }

func (m *provisioningStateModel) id() string {
	return provisioningID(m.PrimaryNode.ValueString(), m.BackupDir.ValueString(), m.Name.ValueString())
}

// provisioningID is "<primary node><backup_dir>/provisioning/<name>".
func provisioningID(node, backupDir, name string) string {
	return node + path.Join(backupDir, provisioningFolder, name)
}

// parseProvisioningID reads an id back into its node, backup folder and name.
func parseProvisioningID(id string) (node, backupDir, name string, err error) {
	node, folder, err := parseScheduleID(id)
	if err != nil {
		return "", "", "", fmt.Errorf("%q is not <primary node><backup_dir>/%s/<name>, e.g. "+
			"gluster1.example.org/var/glfs/global/backup/%s/%s", id, provisioningFolder, provisioningFolder, defaultCaptureName)
	}
	parent, name := path.Split(folder)
	backupDir, last := path.Split(strings.TrimSuffix(parent, "/"))
	if last != provisioningFolder || !captureNamePattern.MatchString(name) || path.Clean(backupDir) == "/" {
		return "", "", "", fmt.Errorf("%q is not <primary node><backup_dir>/%s/<name>, e.g. "+
			"gluster1.example.org/var/glfs/global/backup/%s/%s", id, provisioningFolder, provisioningFolder, defaultCaptureName)
	}
	return node, path.Clean(backupDir), name, nil
}
