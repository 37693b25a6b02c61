package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/peercluster"
)

// Defaults of gluster_peer_cluster.
const (
	peerClusterCreateTimeout = 10 * time.Minute
	peerClusterReadTimeout   = 2 * time.Minute
	peerClusterUpdateTimeout = 10 * time.Minute
	peerClusterDeleteTimeout = 10 * time.Minute

	defaultVolumeType         = "distribute"
	defaultVolumeState        = "started"
	defaultDeletionProtection = true
)

// Allowed values, used by both the validators and the descriptions.
var (
	volumeTypes  = []string{"distribute", "replicate"}
	volumeStates = []string{"started", "stopped"}
)

func (r *peerClusterResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {

	resp.Schema = schema.Schema{
		MarkdownDescription: "A DR site: its GlusterFS trusted pool (`gluster peer probe`), the volume that holds the " +
			"DR copy, and optionally further volumes of the pool (`store_volumes`, e.g. the store of restore points). " +
			"Commands run on the first of `nodes` over SSH.\n\n" +
			"`terraform plan` reads the site back and shows as drift: a peer that left the pool or is disconnected, " +
			"a volume or store volume that is stopped or gone, an option that differs or was added by hand, a brick " +
			"list that differs.\n\n" +
			"Deletion protection is on by default: destroying a DR copy must be deliberate.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<first node>/<volume name>`, e.g. `203.0.113.21/global-dr`, as given at creation; " +
					"`terraform import` takes the same form.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"nodes": schema.ListAttribute{
				MarkdownDescription: "The pool's nodes, as gluster names them (host names or addresses). The first node " +
					"runs the commands and probes the others. Adding a node probes it; removing one detaches it, which is " +
					"refused while it holds a brick of the volume. No default.",
				ElementType: stringType,
				Required:    true,
				Validators:  distinctStrings(host()),
			},
			"volume": schema.SingleNestedAttribute{
				MarkdownDescription: "The volume that holds the site's copy.",
				Required:            true,
				Attributes:          volumeAttributes(mainVolume),
			},
			"store_volumes": schema.ListNestedAttribute{
				MarkdownDescription: "Further volumes of the same pool, each declared like `volume`: typically the " +
					"store of `link-tree` restore points that `dr_schedule`'s `restore_point_volume` names. They are " +
					"created and started after the pool and `volume`, read back and shown as drift like `volume`, and " +
					"stopped and deleted on destroy before the other nodes are detached. Names must differ from " +
					"`volume.name` and from each other, and no brick may be, or lie inside, a brick of another volume. " +
					"A volume that already exists with the declared layout is adopted. Changing a store's `type`, " +
					"`replica_count` or `bricks`, or removing it from the list, deletes it (refused while " +
					"`deletion_protection` is on); the pool and `volume` stay. Default: none.",
				Optional: true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
				},
				NestedObject: schema.NestedAttributeObject{Attributes: volumeAttributes(storeVolume)},
			},
			"deletion_protection": schema.BoolAttribute{
				MarkdownDescription: "Refuse to destroy the volume, the store volumes and the pool, and to delete a store " +
					"volume removed from `store_volumes` or laid out anew. Default `true`: set it to `false` and apply " +
					"before a destroy or a replacement. With it off, destroy stops and deletes the store volumes and the " +
					"volume, then detaches the other nodes; the data stays in the brick directories.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(defaultDeletionProtection),
			},
			"timeouts": resourceTimeouts(ctx, peerClusterCreateTimeout, peerClusterReadTimeout, peerClusterUpdateTimeout, peerClusterDeleteTimeout),
		},
	}
}

// resourceTimeouts is the timeouts attribute with the resource's defaults
// in its description.
func resourceTimeouts(ctx context.Context, create, read, update, del time.Duration) schema.Attribute {
	a := timeouts.Attributes(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: fmt.Sprintf("Time allowed for create, as a Go duration. Default `%s`.", create),
		ReadDescription:   fmt.Sprintf("Time allowed for a read (refresh). Default `%s`.", read),
		UpdateDescription: fmt.Sprintf("Time allowed for an in-place update. Default `%s`.", update),
		DeleteDescription: fmt.Sprintf("Time allowed for destroy. Default `%s`.", del),
	}).(schema.SingleNestedAttribute)
	a.MarkdownDescription = "How long each operation may take, SSH connections and gluster commands included."
	for name, attr := range a.Attributes {
		if sa, ok := attr.(schema.StringAttribute); ok {
			sa.Validators = append(sa.Validators, duration())
			a.Attributes[name] = sa
		}
	}
	return a
}

// quotedList renders values as `a`, `b` or `c`.
func quotedList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// validateVolumeLayout checks the parts of a volume that only make sense
// together, and that its bricks are on nodes (nil when not known yet); at
// is the volume's attribute and label the name a message gives it.
// Unknown values are left for apply.
func validateVolumeLayout(v *volumeModel, at path.Path, label string, nodes []string, diags *diagnostics) {
	typ := v.Type.ValueString()
	if typ == "" && !v.Type.IsUnknown() {
		typ = defaultVolumeType
	}
	replicaPath, bricksPath := at.AtName("replica_count"), at.AtName("bricks")
	switch {
	case typ == "replicate" && v.ReplicaCount.IsNull():
		diags.AddAttributeError(replicaPath, "Missing Replica Count",
			fmt.Sprintf("Attribute %[1]s.replica_count must be set (at least 2) when %[1]s.type is \"replicate\".", label))
	case typ == "distribute" && !v.ReplicaCount.IsNull():
		diags.AddAttributeError(replicaPath, "Replica Count Without Replicate",
			fmt.Sprintf("Attribute %[1]s.replica_count is set, but %[1]s.type is \"distribute\": set type = \"replicate\" or remove replica_count.", label))
	}
	if v.Bricks.IsUnknown() || v.Bricks.IsNull() {
		return
	}
	bricks := v.Bricks.Elements()
	if typ == "replicate" && !v.ReplicaCount.IsNull() && !v.ReplicaCount.IsUnknown() {
		if n := v.ReplicaCount.ValueInt64(); n > int64(len(bricks)) {
			diags.AddAttributeError(replicaPath, "Replica Count Above The Bricks",
				fmt.Sprintf("Attribute %[1]s.replica_count %[2]d is more than the %[3]d bricks of %[1]s.bricks: each replica set "+
					"needs that many bricks.", label, n, len(bricks)))
		} else if n > 0 && int64(len(bricks))%n != 0 {
			diags.AddAttributeError(bricksPath, "Bricks Do Not Fill Replica Sets",
				fmt.Sprintf("Attribute %[1]s.bricks has %[2]d bricks, which is not a multiple of %[1]s.replica_count %[3]d.", label, len(bricks), n))
		}
	}
	if nodes == nil {
		return
	}
	for i, b := range knownBricks(v) {
		if b.Host != "" && !slices.Contains(nodes, b.Host) {
			diags.AddAttributeError(bricksPath.AtListIndex(i), "Brick Not On A Node",
				fmt.Sprintf("Attribute %s.bricks[%d] %q is on %s, which is not one of nodes %v.", label, i, b, b.Host, nodes))
		}
	}
}

// knownBricks parses the bricks of v that are known and valid, index for
// index; the others are left zero (their own validator reports them).
func knownBricks(v *volumeModel) []gluster.Brick {
	if v.Bricks.IsUnknown() || v.Bricks.IsNull() {
		return nil
	}
	out := make([]gluster.Brick, len(v.Bricks.Elements()))
	for i, e := range v.Bricks.Elements() {
		if s, ok := e.(types.String); ok && !s.IsUnknown() && !s.IsNull() {
			if b, err := parseBrick(s.ValueString()); err == nil {
				out[i] = b
			}
		}
	}
	return out
}

// knownNodes is the list of nodes, or nil while any of it is unknown.
func knownNodes(l types.List) []string {
	if l.IsUnknown() || l.IsNull() {
		return nil
	}
	var nodes []string
	for _, e := range l.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() {
			return nil
		}
		nodes = append(nodes, s.ValueString())
	}
	return nodes
}

// validateStores checks each store volume's layout, and every volume
// against the ones before it (peercluster.Conflict): names and bricks.
func validateStores(cfg *peerClusterModel, stores []*volumeModel, diags *diagnostics) {
	nodes := knownNodes(cfg.Nodes)
	known := []gluster.VolumeSpec{{Name: cfg.Volume.Name.ValueString(), Bricks: knownBricks(cfg.Volume)}}
	for i, st := range stores {
		at := path.Root("store_volumes").AtListIndex(i)
		label := fmt.Sprintf("store_volumes[%d]", i)
		if st == nil {
			known = append(known, gluster.VolumeSpec{})
			continue
		}
		validateVolumeLayout(st, at, label, nodes, diags)
		spec := gluster.VolumeSpec{Name: st.Name.ValueString(), Bricks: knownBricks(st)}
		for j, prev := range known {
			if err := peercluster.Conflict(prev, spec); err != nil {
				other := "volume"
				if j > 0 {
					other = fmt.Sprintf("store_volumes[%d]", j-1)
				}
				diags.AddAttributeError(at, "Store Volume Conflicts",
					fmt.Sprintf("Attribute %s conflicts with %s: %s.", label, other, err))
			}
		}
		known = append(known, spec)
	}
}
