package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/peercluster"
)

var (
	_ resource.Resource                   = (*peerClusterResource)(nil)
	_ resource.ResourceWithConfigure      = (*peerClusterResource)(nil)
	_ resource.ResourceWithImportState    = (*peerClusterResource)(nil)
	_ resource.ResourceWithValidateConfig = (*peerClusterResource)(nil)
)

// NewPeerClusterResource is gluster_peer_cluster.
func NewPeerClusterResource() resource.Resource {
	return &peerClusterResource{resourceBase{typeName: "gluster_peer_cluster"}}
}

type peerClusterResource struct {
	resourceBase
}

func (r *peerClusterResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan peerClusterModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spec, diags := plan.spec(ctx)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, peerClusterCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	first := spec.Nodes[0]
	id := peerClusterID(first, spec.Volume.Name)
	if err := r.create(ctx, spec, plan.Volume.State.ValueString()); err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not create peer cluster %s (pool %v, volume %q) from %s. "+
			"If the volume was created before the failure, import it: terraform import <address> %s",
			id, spec.Nodes, spec.Volume.Name, first, id), timeoutHint(err, "create"))
		return
	}
	plan.ID = types.StringValue(id)
	if !r.readBack(ctx, &plan, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *peerClusterResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state peerClusterModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, peerClusterReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	// Right after an import, nothing is tracked yet: adopt every option,
	// user-defined ones included.
	imported, diags := req.Private.GetKey(ctx, privateImported)
	resp.Diagnostics.Append(diags...)
	found, diags := r.observe(ctx, &state, imported != nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if imported != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, nil)...)
	}
	if !found {
		tflog.Warn(ctx, "volume is gone; removing gluster_peer_cluster from state so that plan proposes creating it",
			map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *peerClusterResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state peerClusterModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, peerClusterUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	if !r.update(ctx, &plan, &state, &resp.Diagnostics) {
		return
	}
	if !r.readBack(ctx, &plan, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *peerClusterResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state peerClusterModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.DeletionProtection.ValueBool() {
		resp.Diagnostics.AddError("Deletion Protection Enabled",
			fmt.Sprintf("gluster_peer_cluster %s has deletion_protection = true, so its volume %q, its store volumes and its "+
				"pool were left as they are. To destroy them deliberately, set deletion_protection = false, apply, then destroy again.",
				state.ID.ValueString(), state.Volume.Name.ValueString()))
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, peerClusterDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	nodes := listStrings(ctx, state.Nodes, &resp.Diagnostics)
	volumes := append(state.storeNames(ctx, &resp.Diagnostics), state.Volume.Name.ValueString())
	if resp.Diagnostics.HasError() {
		return
	}
	if err := peercluster.Remove(ctx, r.data.gluster(nodes[0]), nodes[1:], volumes...); err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not destroy peer cluster %s", state.ID.ValueString()), timeoutHint(err, "delete"))
	}
}

func (r *peerClusterResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	node, volume, err := parsePeerClusterID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("nodes"), []string{node})...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("volume").AtName("name"), volume)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_protection"), defaultDeletionProtection)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, []byte(`true`))...)
}

// privateImported marks state that an import has just made, for the Read
// that follows it.
const privateImported = "imported"

// ValidateConfig checks what spans attributes: the replica count against
// the type and the bricks, that every brick is on one of the nodes, and
// that the store volumes clash neither with the volume nor with each other.
func (r *peerClusterResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg peerClusterModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.Volume == nil {
		return
	}
	validateVolumeLayout(cfg.Volume, path.Root("volume"), "volume", knownNodes(cfg.Nodes), &resp.Diagnostics)
	validateStores(&cfg, storeModels(ctx, cfg.StoreVolumes, &resp.Diagnostics), &resp.Diagnostics)
}

// create brings the site up: probe, create, start, options and the desired
// state of the volume and the stores. An existing volume is refused (import
// it); an existing store is adopted when laid out as declared.
func (r *peerClusterResource) create(ctx context.Context, spec peercluster.Spec, state string) error {
	c := r.data.gluster(spec.Nodes[0])
	_, err := c.VolumeInfo(ctx, spec.Volume.Name)
	switch {
	case err == nil:
		return fmt.Errorf("volume %q already exists on %s; import it instead: terraform import <address> %s",
			spec.Volume.Name, spec.Nodes[0], peerClusterID(spec.Nodes[0], spec.Volume.Name))
	case !errors.Is(err, gluster.ErrNotFound):
		return err
	}
	if err := peercluster.Ensure(ctx, c, spec); err != nil {
		return err
	}
	if state == "stopped" {
		return c.StopVolume(ctx, spec.Volume.Name)
	}
	return nil
}

// update probes nodes, deletes, creates and changes store volumes, detaches
// nodes, and changes the volume's options and state in place.
func (r *peerClusterResource) update(ctx context.Context, plan, state *peerClusterModel, diags *diagnostics) bool {
	want := listStrings(ctx, plan.Nodes, diags)
	have := listStrings(ctx, state.Nodes, diags)
	wantVol := plan.Volume.volume(ctx, path.Root("volume"), "volume", diags)
	haveVol := state.Volume.volume(ctx, path.Root("volume"), "volume", diags)
	wantStores, haveStores := plan.storeVolumes(ctx, diags), state.storeVolumes(ctx, diags)
	if diags.HasError() {
		return false
	}
	if !storesDeletable(state, peercluster.Replaced(haveStores, wantStores), diags) {
		return false
	}
	c := r.data.gluster(want[0])
	fail := func(what string, err error) bool {
		addError(diags, fmt.Sprintf("Could not update peer cluster %s: %s", plan.ID.ValueString(), what), timeoutHint(err, "update"))
		return false
	}

	add, remove := nodeChanges(have, want)
	if len(add) > 0 {
		if err := peercluster.AddPeers(ctx, c, add); err != nil {
			return fail(fmt.Sprintf("probing %s from %s", strings.Join(add, ", "), want[0]), err)
		}
	}
	left, err := peercluster.UpdateStores(ctx, c, haveStores, wantStores)
	warnLeftOptions(path.Root("store_volumes"), left, diags)
	if err != nil {
		return fail("changing the store volumes", err)
	}
	if len(remove) > 0 {
		err := peercluster.DetachNodes(ctx, c, remove, append(plan.storeNames(ctx, diags), wantVol.Name)...)
		var held *peercluster.HeldError
		if errors.As(err, &held) {
			diags.AddAttributeError(path.Root("nodes"), "Node Still Holds Bricks",
				fmt.Sprintf("Node %s cannot leave the pool of %s: it holds the bricks %s of volume %q. Move them "+
					"first (gluster volume replace-brick or remove-brick), or keep the node in nodes.",
					held.Node, plan.ID.ValueString(), strings.Join(held.Bricks, ", "), held.Volume))
			return false
		}
		if err != nil {
			return fail("detaching "+strings.Join(remove, ", "), err)
		}
	}
	left, err = peercluster.Converge(ctx, c, haveVol, wantVol)
	for i, k := range left {
		left[i] = peercluster.LeftOption(wantVol.Name, k)
	}
	warnLeftOptions(path.Root("volume").AtName("options"), left, diags)
	if err != nil {
		return fail("changing volume "+wantVol.Name, err)
	}
	return true
}

// storesDeletable refuses to delete the stores gone while the state has
// deletion protection on.
func storesDeletable(state *peerClusterModel, gone []string, diags *diagnostics) bool {
	if len(gone) == 0 || !state.DeletionProtection.ValueBool() {
		return true
	}
	diags.AddAttributeError(path.Root("store_volumes"), "Deletion Protection Enabled",
		fmt.Sprintf("Applying this would delete the store volumes %s of %s (removed from store_volumes, or with a new "+
			"type, replica_count or bricks), but deletion_protection is true. Set deletion_protection = false and apply "+
			"first, or keep them as they are.", strings.Join(gone, ", "), state.ID.ValueString()))
	return false
}

// warnLeftOptions says which user-defined options an update left in place.
func warnLeftOptions(at path.Path, left []string, diags *diagnostics) {
	for _, k := range left {
		diags.AddAttributeWarning(at, "User Option Left In Place",
			fmt.Sprintf("gluster cannot reset user-defined options (volume reset says the option does not exist), so %s "+
				"keeps its value; it is no longer managed. Set it to a new value to change it.", k))
	}
}

// observe reads the site into m. found is false when the volume is gone.
func (r *peerClusterResource) observe(ctx context.Context, m *peerClusterModel, adoptAll bool) (found bool, diags diagnostics) {
	nodes := listStrings(ctx, m.Nodes, &diags)
	stores := m.storeNames(ctx, &diags)
	if diags.HasError() {
		return false, diags
	}
	st, err := peercluster.Observe(ctx, r.data.gluster(nodes[0]), m.Volume.Name.ValueString(), stores...)
	if err != nil {
		addError(&diags, fmt.Sprintf("Could not read peer cluster %s from %s", m.ID.ValueString(), nodes[0]), timeoutHint(err, "read"))
		return false, diags
	}
	if st.Volume == nil {
		return false, diags
	}
	prior := *m
	m.observe(ctx, &prior, st, adoptAll, &diags)
	return true, diags
}

// readBack replaces the planned values with what the site really holds
// after create or update.
func (r *peerClusterResource) readBack(ctx context.Context, m *peerClusterModel, diags *diagnostics) bool {
	found, d := r.observe(ctx, m, false)
	diags.Append(d...)
	if diags.HasError() {
		return false
	}
	if !found {
		diags.AddError("Volume Missing After Apply", fmt.Sprintf("Volume %q of %s was not found when it was read back on %s.",
			m.Volume.Name.ValueString(), m.ID.ValueString(), listStrings(ctx, m.Nodes, diags)[0]))
		return false
	}
	return true
}
