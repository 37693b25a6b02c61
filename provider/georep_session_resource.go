package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

var (
	_ resource.Resource                = (*georepSessionResource)(nil)
	_ resource.ResourceWithConfigure   = (*georepSessionResource)(nil)
	_ resource.ResourceWithImportState = (*georepSessionResource)(nil)
)

// NewGeorepSessionResource is gluster_georep_session.
func NewGeorepSessionResource() resource.Resource { return &georepSessionResource{} }

type georepSessionResource struct {
	data *providerData
}

func (r *georepSessionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_georep_session"
}

func (r *georepSessionResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema(ctx)
}

func (r *georepSessionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *georepSessionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan georepSessionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, georepSessionCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := sessionID(plan.PrimaryNode.ValueString(), plan.ref())
	if err := r.create(ctx, &plan); err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not create geo-replication session %s. If the session was "+
			"created before the failure, import it: terraform import <address> %s", plan.ref(), id), timeoutHint(err, "create"))
		return
	}
	plan.ID = types.StringValue(id)
	if !r.readBack(ctx, &plan, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *georepSessionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state georepSessionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, georepSessionReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	found := r.observe(ctx, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		tflog.Warn(ctx, "geo-replication session is gone; removing it from state so that plan proposes re-creating it",
			map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *georepSessionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state georepSessionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, georepSessionUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if err := r.update(ctx, &plan, &state); err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not update geo-replication session %s", plan.ref()), timeoutHint(err, "update"))
		return
	}
	if !r.readBack(ctx, &plan, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *georepSessionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state georepSessionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, georepSessionDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if err := r.delete(ctx, &state); err != nil {
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

// create sets the session up through the engine, then brings it to the
// desired state.
func (r *georepSessionResource) create(ctx context.Context, m *georepSessionModel) error {
	ref := m.ref()
	c := r.data.gluster(m.PrimaryNode.ValueString())
	_, err := c.Status(ctx, ref)
	switch {
	case err == nil:
		return fmt.Errorf("the session %s already exists on %s; import it instead: terraform import <address> %s",
			ref, m.PrimaryNode.ValueString(), sessionID(m.PrimaryNode.ValueString(), ref))
	case !errors.Is(err, gluster.ErrNoSession):
		return err
	}
	nodes, err := r.nodes(ctx, m)
	if err != nil {
		return err
	}
	spec := georep.Spec{
		Ref:                        ref,
		SSHPort:                    m.sshPort(),
		Config:                     m.nonDefaultConfig(),
		InsecureSkipHostKeyPinning: m.InsecureSkipHostKeyPinning.ValueBool(),
	}
	if !spec.InsecureSkipHostKeyPinning {
		if spec.HostKeys, err = r.expectedHostKeys(ctx, m); err != nil {
			return err
		}
	}
	if err := georep.Create(ctx, nodes, spec); err != nil {
		return err
	}
	return r.applyDesiredState(ctx, c, m)
}

// update sets and resets config values, re-pins or unpins host keys, and
// brings the session to the desired state.
func (r *georepSessionResource) update(ctx context.Context, plan, state *georepSessionModel) error {
	ref := plan.ref()
	c := r.data.gluster(plan.PrimaryNode.ValueString())
	set, reset := configChanges(state, plan)
	for _, k := range sortedKeys(set) {
		if err := c.ConfigSet(ctx, ref, k, set[k]); err != nil {
			return err
		}
	}
	for _, k := range reset {
		if err := c.ConfigReset(ctx, ref, k); err != nil {
			return err
		}
	}
	portChanged := plan.sshPort() != state.sshPort()
	if portChanged {
		if err := c.ConfigSet(ctx, ref, "ssh_port", strconv.Itoa(plan.sshPort())); err != nil {
			return err
		}
	}
	wantPinned := !plan.InsecureSkipHostKeyPinning.ValueBool()
	havePinned := !state.InsecureSkipHostKeyPinning.ValueBool()
	if wantPinned && (!havePinned || portChanged) || !wantPinned && havePinned {
		nodes, err := r.nodes(ctx, plan)
		if err != nil {
			return err
		}
		if !wantPinned {
			if err := georep.Unpin(ctx, nodes, ref); err != nil {
				return err
			}
		} else {
			keys, err := r.expectedHostKeys(ctx, plan)
			if err != nil {
				return err
			}
			if err := georep.PinHostKeys(ctx, nodes, ref, keys); err != nil {
				return err
			}
		}
	}
	return r.applyDesiredState(ctx, c, plan)
}

// delete stops the session (with force when a plain stop fails, e.g. the
// secondary is unreachable), deletes it and removes the pinned keys.
func (r *georepSessionResource) delete(ctx context.Context, m *georepSessionModel) error {
	ref := m.ref()
	c := r.data.gluster(m.PrimaryNode.ValueString())
	if err := c.Stop(ctx, ref, false); err != nil && !errors.Is(err, gluster.ErrNoSession) {
		tflog.Warn(ctx, "stopping the session failed; stopping it with force", map[string]any{"session": ref.String(), "error": err.Error()})
		if err := c.Stop(ctx, ref, true); err != nil && !errors.Is(err, gluster.ErrNoSession) {
			return err
		}
	}
	err := c.Delete(ctx, ref, gluster.DeleteOptions{ResetSyncTime: m.ResetSyncTimeOnDelete.ValueBool()})
	if err != nil && !errors.Is(err, gluster.ErrNoSession) {
		return err
	}
	nodes, err := r.nodes(ctx, m)
	if err != nil {
		return err
	}
	return georep.RemovePinned(ctx, nodes.PrimaryFiles, ref)
}

func (r *georepSessionResource) applyDesiredState(ctx context.Context, c *gluster.Client, m *georepSessionModel) error {
	if m.DesiredState.IsNull() || m.DesiredState.IsUnknown() {
		return nil
	}
	return georep.SetState(ctx, c, m.ref(), georep.State(m.DesiredState.ValueString()))
}

// readBack replaces the planned values with what the session really is
// after create or update.
func (r *georepSessionResource) readBack(ctx context.Context, m *georepSessionModel, diags *diagnostics) bool {
	found := r.observe(ctx, m, diags)
	if diags.HasError() {
		return false
	}
	if !found {
		diags.AddError("Session Missing After Apply",
			fmt.Sprintf("Geo-replication session %s was not found when it was read back on %s.", m.ref(), m.PrimaryNode.ValueString()))
	}
	return found
}
