package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
)

var (
	_ resource.Resource                = (*georepSessionResource)(nil)
	_ resource.ResourceWithConfigure   = (*georepSessionResource)(nil)
	_ resource.ResourceWithImportState = (*georepSessionResource)(nil)
)

// NewGeorepSessionResource is gluster_georep_session.
func NewGeorepSessionResource() resource.Resource {
	return &georepSessionResource{resourceBase{typeName: "gluster_georep_session"}}
}

type georepSessionResource struct {
	resourceBase
}

func (r *georepSessionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan georepSessionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, georepSessionCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	id := sessionID(plan.PrimaryNode.ValueString(), plan.ref())
	defer r.data.changed(plan.PrimaryNode.ValueString())
	if err := r.create(ctx, &plan); err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not create geo-replication session %s. If the session was "+
			"created before the failure, import it: terraform import <address> %s", plan.ref(), id), timeoutHint(err, "create"))
		return
	}
	plan.ID = types.StringValue(id)
	r.readBack(ctx, &plan, &resp.State, &resp.Diagnostics)
}

func (r *georepSessionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state georepSessionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, georepSessionReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	found := r.observe(ctx, &state, &resp.Diagnostics)
	switch {
	case resp.Diagnostics.HasError():
	case !found:
		tflog.Warn(ctx, "geo-replication session is gone; removing it from state so that plan proposes re-creating it",
			map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
	default:
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	}
}

func (r *georepSessionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state georepSessionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, georepSessionUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	want := plan.spec()
	defer r.data.changed(plan.PrimaryNode.ValueString())
	if err := georep.Apply(ctx, r.session(&plan), want, georep.Plan(state.view(), want)); err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not update geo-replication session %s", plan.ref()), timeoutHint(err, "update"))
		return
	}
	r.readBack(ctx, &plan, &resp.State, &resp.Diagnostics)
}

func (r *georepSessionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state georepSessionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, georepSessionDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	defer r.data.changed(state.PrimaryNode.ValueString())
	if err := georep.Delete(ctx, r.session(&state), state.ResetSyncTimeOnDelete.ValueBool()); err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not destroy geo-replication session %s", state.ref()), timeoutHint(err, "delete"))
	}
}

func (r *georepSessionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	node, ref, err := parseSessionID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", err.Error())
		return
	}
	set := func(name string, v any) {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
	set("id", sessionID(node, ref))
	set("primary_node", node)
	set("primary_volume", ref.PrimaryVolume)
	set("secondary_node", ref.SecondaryHost)
	set("secondary_volume", ref.SecondaryVolume)
	set("secondary_user", ref.User())
	set("reset_sync_time_on_delete", false)
}

// create sets the session up through the engine; one that exists already
// is refused: import it instead.
func (r *georepSessionResource) create(ctx context.Context, m *georepSessionModel) error {
	s, want := r.session(m), m.spec()
	have, err := georep.Observe(ctx, s)
	if err != nil {
		return err
	}
	if have.Exists {
		return fmt.Errorf("the session %s already exists on %s; import it instead: terraform import <address> %s",
			s.Ref, s.Primary, sessionID(s.Primary, s.Ref))
	}
	return georep.Apply(ctx, s, want, georep.Plan(have, want))
}

// readBack replaces the planned values with what the session really is
// after create or update, and sets the state.
func (r *georepSessionResource) readBack(ctx context.Context, m *georepSessionModel, state *tfsdk.State, diags *diagnostics) {
	found := r.observe(ctx, m, diags)
	switch {
	case diags.HasError():
	case !found:
		diags.AddError("Session Missing After Apply",
			fmt.Sprintf("Geo-replication session %s was not found when it was read back on %s.", m.ref(), m.PrimaryNode.ValueString()))
	default:
		diags.Append(state.Set(ctx, m)...)
	}
}
