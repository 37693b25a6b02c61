package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/peercluster"
)

// peerClusterModel is gluster_peer_cluster's data.
type peerClusterModel struct {
	ID                 types.String   `tfsdk:"id"`
	Nodes              types.List     `tfsdk:"nodes"`
	Volume             *volumeModel   `tfsdk:"volume"`
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
	s := peercluster.Spec{
		Nodes: listStrings(ctx, m.Nodes, &diags),
		Volume: gluster.VolumeSpec{
			Name:  m.Volume.Name.ValueString(),
			Type:  gluster.VolumeType(m.Volume.Type.ValueString()),
			Force: m.Volume.Force.ValueBool(),
		},
		Options: mapStrings(ctx, m.Volume.Options, &diags),
	}
	if !m.Volume.ReplicaCount.IsNull() {
		s.Volume.Replica = int(m.Volume.ReplicaCount.ValueInt64())
	}
	for _, b := range listStrings(ctx, m.Volume.Bricks, &diags) {
		brick, err := parseBrick(b)
		if err != nil {
			diags.AddAttributeError(pathVolumeBricks, "Invalid Brick", "Attribute volume.bricks: "+plainReason(err))
			continue
		}
		s.Volume.Bricks = append(s.Volume.Bricks, brick)
	}
	return s, diags
}

// observe writes what the site really holds into m; prior is the state
// before (the plan after create or update), whose choices decide what is
// tracked: the order of the nodes and which glusterd-owned and user-defined
// options are reported. adoptAll (right after an import) reports every
// user-defined option.
func (m *peerClusterModel) observe(ctx context.Context, prior *peerClusterModel, st *peercluster.State, adoptAll bool, diags *diag.Diagnostics) {
	priorNodes := listStrings(ctx, prior.Nodes, diags)
	m.Nodes = stringList(observedNodes(priorNodes, st.Peers))

	v := st.Volume
	vm := &volumeModel{
		Name:  types.StringValue(v.Name),
		Type:  types.StringValue(volumeTypeOf(v.Type)),
		Force: types.BoolValue(false),
		State: types.StringValue(volumeStateOf(v.Status)),
	}
	if prior.Volume != nil && !prior.Volume.Force.IsNull() && !prior.Volume.Force.IsUnknown() {
		vm.Force = prior.Volume.Force
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
	if prior.Volume != nil && !prior.Volume.Options.IsNull() && !prior.Volume.Options.IsUnknown() {
		tracked = mapStrings(ctx, prior.Volume.Options, diags)
		priorOptionsSet = true
	}
	if adoptAll {
		tracked = map[string]string{}
		for k, v := range v.Options {
			if isUserOption(k) {
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
	m.Volume = vm
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
		if _, ok := tracked[k]; ok || !slices.Contains(glusterdOwnedOptions, k) && !isUserOption(k) {
			out[k] = v
		}
	}
	return out
}

// isUserOption reports a user-defined option, "user.<anything>".
func isUserOption(k string) bool { return strings.HasPrefix(k, "user.") }

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

// optionChanges lists the options to set (new or changed) and to reset
// (no longer declared) to go from have to want.
func optionChanges(have, want map[string]string) (set map[string]string, reset []string) {
	set = map[string]string{}
	for k, v := range want {
		if cur, ok := have[k]; !ok || cur != v {
			set[k] = v
		}
	}
	for k := range have {
		if _, ok := want[k]; !ok {
			reset = append(reset, k)
		}
	}
	slices.Sort(reset)
	return set, reset
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

// bricksOn lists the bricks of v that live on node.
func bricksOn(v *gluster.Volume, node string) []string {
	var out []string
	for _, b := range v.Bricks {
		if b.Host == node {
			out = append(out, b.String())
		}
	}
	return out
}
