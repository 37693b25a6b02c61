package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/peercluster"
)

// peerClusterModel is gluster_peer_cluster's data.
type peerClusterModel struct {
	ID                 types.String   `tfsdk:"id"`
	Nodes              types.List     `tfsdk:"nodes"`
	Volume             *volumeModel   `tfsdk:"volume"`
	StoreVolumes       types.List     `tfsdk:"store_volumes"`
	DeletionProtection types.Bool     `tfsdk:"deletion_protection"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
}

type volumeModel struct {
	Name         types.String `tfsdk:"name"`
	Type         types.String `tfsdk:"type"`
	ReplicaCount types.Int64  `tfsdk:"replica_count"`
	Bricks       types.List   `tfsdk:"bricks"`
	Force        types.Bool   `tfsdk:"force"`
	Options      types.Map    `tfsdk:"options"`
	State        types.String `tfsdk:"state"`
}

// glusterdOwnedOptions are options that glusterd sets by itself (on every
// new volume, or on a geo-replication primary). They are reported only when
// the configuration lists them.
var glusterdOwnedOptions = []string{
	"transport.address-family", "storage.fips-mode-rchecksum", "nfs.disable",
	"performance.client-io-threads", "cluster.granular-entry-heal",
	"geo-replication.indexing", "geo-replication.ignore-pid-check", "changelog.changelog",
	"features.read-only", // set on a secondary volume when a session to it is created
}

// spec is the engine's view of the planned site.
func (m *peerClusterModel) spec(ctx context.Context) (peercluster.Spec, diag.Diagnostics) {
	var diags diag.Diagnostics
	main := m.Volume.volume(ctx, path.Root("volume"), "volume", &diags)
	s := peercluster.Spec{
		Nodes:   listStrings(ctx, m.Nodes, &diags),
		Volume:  main.VolumeSpec,
		Options: main.Options,
		Stores:  m.storeVolumes(ctx, &diags),
	}
	return s, diags
}

// storeVolumes is the engine's view of store_volumes.
func (m *peerClusterModel) storeVolumes(ctx context.Context, diags *diag.Diagnostics) []peercluster.Volume {
	var out []peercluster.Volume
	for i, st := range storeModels(ctx, m.StoreVolumes, diags) {
		if st != nil {
			at := path.Root("store_volumes").AtListIndex(i)
			out = append(out, st.volume(ctx, at, fmt.Sprintf("store_volumes[%d]", i), diags))
		}
	}
	return out
}

// storeNames are the names of the declared store volumes.
func (m *peerClusterModel) storeNames(ctx context.Context, diags *diag.Diagnostics) []string {
	var out []string
	for _, st := range storeModels(ctx, m.StoreVolumes, diags) {
		if st != nil {
			out = append(out, st.Name.ValueString())
		}
	}
	return out
}

// volume is the engine's view of one declared volume; at and label name it
// in diagnostics.
func (v *volumeModel) volume(ctx context.Context, at path.Path, label string, diags *diag.Diagnostics) peercluster.Volume {
	vol := peercluster.Volume{
		VolumeSpec: gluster.VolumeSpec{
			Name:  v.Name.ValueString(),
			Type:  gluster.VolumeType(v.Type.ValueString()),
			Force: v.Force.ValueBool(),
		},
		Options: mapStrings(ctx, v.Options, diags),
		// A volume read back as "created" (never started) counts as
		// stopped, so that converging it to "started" starts it.
		Stopped: v.State.ValueString() != "started",
	}
	if !v.ReplicaCount.IsNull() {
		vol.Replica = int(v.ReplicaCount.ValueInt64())
	}
	for _, b := range listStrings(ctx, v.Bricks, diags) {
		brick, err := parseBrick(b)
		if err != nil {
			diags.AddAttributeError(at.AtName("bricks"), "Invalid Brick", "Attribute "+label+".bricks: "+plainReason(err))
			continue
		}
		vol.Bricks = append(vol.Bricks, brick)
	}
	return vol
}

// storeObjectType is the type of one element of store_volumes.
var storeObjectType = schema.NestedAttributeObject{Attributes: volumeAttributes(storeVolume)}.Type()

// storeModels reads store_volumes: nil when the list is null or unknown,
// and a nil entry for an element that is not known yet.
func storeModels(ctx context.Context, l types.List, diags *diag.Diagnostics) []*volumeModel {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	out := make([]*volumeModel, len(l.Elements()))
	for i, e := range l.Elements() {
		obj, ok := e.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		out[i] = &volumeModel{}
		diags.Append(obj.As(ctx, out[i], basetypes.ObjectAsOptions{})...)
	}
	return out
}

// storeList is store_volumes from models; null when prior was null and
// there is nothing to list.
func storeList(ctx context.Context, prior types.List, stores []*volumeModel, diags *diag.Diagnostics) types.List {
	switch {
	case prior.IsNull() && len(stores) == 0:
		return types.ListNull(storeObjectType)
	case stores == nil:
		// Every store is gone: an empty list, not a null one (which a nil
		// slice would give), so that plan proposes to create them.
		stores = []*volumeModel{}
	}
	l, d := types.ListValueFrom(ctx, storeObjectType, stores)
	diags.Append(d...)
	return l
}

// observe writes what the site really holds into m; prior is the state
// before (the plan after create or update), whose choices decide what is
// tracked: the order of the nodes and which glusterd-owned and user-defined
// options are reported. adoptAll (right after an import) reports every
// user-defined option. A store volume that is gone leaves the list.
func (m *peerClusterModel) observe(ctx context.Context, prior *peerClusterModel, st *peercluster.State, adoptAll bool, diags *diag.Diagnostics) {
	priorNodes := listStrings(ctx, prior.Nodes, diags)
	m.Nodes = stringList(observedNodes(priorNodes, st.Peers))
	m.Volume = observeVolume(ctx, prior.Volume, st.Volume, adoptAll, diags)
	var stores []*volumeModel
	for _, ps := range storeModels(ctx, prior.StoreVolumes, diags) {
		if ps == nil {
			continue
		}
		if live := st.Stores[ps.Name.ValueString()]; live != nil {
			stores = append(stores, observeVolume(ctx, ps, live, false, diags))
		}
	}
	m.StoreVolumes = storeList(ctx, prior.StoreVolumes, stores, diags)
}

// observeVolume is the model of the live volume v; prior (nil after an
// import) decides what is tracked.
func observeVolume(ctx context.Context, prior *volumeModel, v *gluster.Volume, adoptAll bool, diags *diag.Diagnostics) *volumeModel {
	vm := &volumeModel{
		Name:  types.StringValue(v.Name),
		Type:  types.StringValue(volumeTypeOf(v.Type)),
		Force: types.BoolValue(false),
		State: types.StringValue(volumeStateOf(v.Status)),
	}
	if prior != nil && !prior.Force.IsNull() && !prior.Force.IsUnknown() {
		vm.Force = prior.Force
	}
	vm.ReplicaCount = types.Int64Null()
	if vm.Type.ValueString() == "replicate" {
		vm.ReplicaCount = types.Int64Value(int64(v.Replica))
	}
	bricks := make([]string, len(v.Bricks))
	for i, b := range v.Bricks {
		bricks[i] = b.String()
	}
	vm.Bricks = stringList(bricks)

	var tracked map[string]string
	priorOptionsSet := false
	if prior != nil && !prior.Options.IsNull() && !prior.Options.IsUnknown() {
		tracked = mapStrings(ctx, prior.Options, diags)
		priorOptionsSet = true
	}
	if adoptAll {
		tracked = map[string]string{}
		for k, v := range v.Options {
			if peercluster.IsUserOption(k) {
				tracked[k] = v
			}
		}
	}
	opts := observedOptions(v.Options, tracked)
	switch {
	case len(opts) > 0 || priorOptionsSet:
		vm.Options = stringMap(opts)
	default:
		vm.Options = types.MapNull(stringType)
	}
	return vm
}

// observedNodes keeps the first node, then the prior nodes that are still
// connected peers, then any other peer (sorted): so a peer that left or is
// disconnected disappears from the list, and one probed by hand appears.
func observedNodes(prior []string, peers []gluster.Peer) []string {
	if len(prior) == 0 {
		return nil
	}
	out := []string{prior[0]}
	known := map[string]bool{prior[0]: true}
	for _, n := range prior[1:] {
		known[n] = true
		if len(peercluster.Disconnected(peers, []string{n})) == 0 {
			out = append(out, n)
		}
	}
	var extra []string
	for _, p := range peers {
		if p.Self || slices.ContainsFunc(p.Hostnames, func(h string) bool { return known[h] }) || known[p.Hostname] {
			continue
		}
		extra = append(extra, p.Hostname)
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// observedOptions reports every reconfigured option, except those that
// tracked does not list among glusterd's own ones and the user-defined
// ones (user.*, which hooks such as Samba's set and gluster cannot reset).
func observedOptions(live, tracked map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range live {
		if _, ok := tracked[k]; ok || !slices.Contains(glusterdOwnedOptions, k) && !peercluster.IsUserOption(k) {
			out[k] = v
		}
	}
	return out
}

// volumeTypeOf maps gluster's layout onto the schema's vocabulary; layouts
// the schema cannot declare are reported as gluster names them.
func volumeTypeOf(t gluster.VolumeType) string {
	switch t {
	case gluster.Distribute:
		return "distribute"
	case gluster.Replicate, gluster.DistributedReplicate:
		return "replicate"
	}
	return string(t)
}

func volumeStateOf(s gluster.VolumeState) string {
	switch s {
	case gluster.VolumeStarted:
		return "started"
	case gluster.VolumeStopped:
		return "stopped"
	}
	return strings.ToLower(string(s))
}

// nodeChanges lists the nodes to probe and to detach.
func nodeChanges(have, want []string) (add, remove []string) {
	for _, n := range want {
		if !slices.Contains(have, n) {
			add = append(add, n)
		}
	}
	for _, n := range have {
		if !slices.Contains(want, n) {
			remove = append(remove, n)
		}
	}
	return add, remove
}
