package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
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

func (r *peerClusterResource) schema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A DR site: its GlusterFS trusted pool (`gluster peer probe`) and the volume that holds the " +
			"DR copy. Commands run on the first of `nodes` over SSH.\n\n" +
			"`terraform plan` reads the site back and shows as drift: a peer that left the pool or is disconnected, " +
			"a volume that is stopped or gone, an option that differs or was added by hand, a brick list that differs.\n\n" +
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
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(host()),
				},
			},
			"volume": schema.SingleNestedAttribute{
				MarkdownDescription: "The volume that holds the site's copy.",
				Required:            true,
				Attributes: map[string]schema.Attribute{
					"name": schema.StringAttribute{
						MarkdownDescription: "Volume name: letters, digits, `-` and `_`, not starting with `-`, at most 256 " +
							"characters (gluster's own rules). Changing it replaces the volume.",
						Required:      true,
						Validators:    []validator.String{volumeName()},
						PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
					},
					"type": schema.StringAttribute{
						MarkdownDescription: fmt.Sprintf("Volume layout: %s. Default `%s`. A replicate volume with more "+
							"bricks than `replica_count` is distributed-replicate. Changing it replaces the volume.",
							quotedList(volumeTypes), defaultVolumeType),
						Optional:      true,
						Computed:      true,
						Default:       stringdefault.StaticString(defaultVolumeType),
						Validators:    []validator.String{stringvalidator.OneOf(volumeTypes...)},
						PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
					},
					"replica_count": schema.Int64Attribute{
						MarkdownDescription: "Bricks per replica set, at least 2; only with `type = \"replicate\"`, and the " +
							"number of bricks must be a multiple of it. No default. Changing it replaces the volume.",
						Optional:      true,
						Validators:    []validator.Int64{int64validator.AtLeast(2)},
						PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
					},
					"bricks": schema.ListAttribute{
						MarkdownDescription: "Bricks as `node:/absolute/path`, in order (for replicate, each run of " +
							"`replica_count` bricks is one replica set). Each node must be one of `nodes`; paths are absolute " +
							"and clean, of letters, digits and `/._+-`. Changing the list replaces the volume.",
						ElementType: stringType,
						Required:    true,
						Validators: []validator.List{
							listvalidator.SizeAtLeast(1),
							listvalidator.UniqueValues(),
							listvalidator.ValueStringsAre(brick()),
						},
						PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()},
					},
					"force": schema.BoolAttribute{
						MarkdownDescription: "Create with `force`, which gluster needs for bricks on the root file system " +
							"or replica sets on one host. Used at creation only, and not read back. Default `false`.",
						Optional: true,
						Computed: true,
						Default:  booldefault.StaticBool(false),
					},
					"options": schema.MapAttribute{
						MarkdownDescription: "Volume options (`gluster volume set`), e.g. `{ \"auth.allow\" = \"203.0.113.*\" }`. " +
							"This map is authoritative: an option set by hand shows as drift and is reset by apply, except " +
							"the ones glusterd sets by itself (" + quotedList(glusterdOwnedOptions) + ") and user-defined " +
							"`user.*` ones, which are tracked only when listed here. Removing an option resets it to gluster's " +
							"default; a `user.*` option, which gluster cannot reset, keeps its value and is no longer managed. " +
							"Default: none.",
						ElementType: stringType,
						Optional:    true,
						Validators: []validator.Map{
							mapvalidator.KeysAre(optionKey()),
							mapvalidator.ValueStringsAre(optionValue()),
						},
					},
					"state": schema.StringAttribute{
						MarkdownDescription: fmt.Sprintf("Desired state of the volume: %s. Default `%s`. A volume found "+
							"stopped (or `created`, never started) shows as drift.", quotedList(volumeStates), defaultVolumeState),
						Optional:   true,
						Computed:   true,
						Default:    stringdefault.StaticString(defaultVolumeState),
						Validators: []validator.String{stringvalidator.OneOf(volumeStates...)},
					},
				},
			},
			"deletion_protection": schema.BoolAttribute{
				MarkdownDescription: "Refuse to destroy the volume and the pool. Default `true`: set it to `false` and " +
					"apply before a destroy or a replacement. With it off, destroy stops and deletes the volume and " +
					"detaches the other nodes; the data stays in the brick directories.",
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

// validateVolumeLayout checks the parts of the volume that only make sense
// together; unknown values are left for apply.
func validateVolumeLayout(cfg *peerClusterModel, diags *diagnostics) {
	v := cfg.Volume
	typ := v.Type.ValueString()
	if typ == "" && !v.Type.IsUnknown() {
		typ = defaultVolumeType
	}
	replicaPath := path.Root("volume").AtName("replica_count")
	switch {
	case typ == "replicate" && v.ReplicaCount.IsNull():
		diags.AddAttributeError(replicaPath, "Missing Replica Count",
			"Attribute volume.replica_count must be set (at least 2) when volume.type is \"replicate\".")
	case typ == "distribute" && !v.ReplicaCount.IsNull():
		diags.AddAttributeError(replicaPath, "Replica Count Without Replicate",
			"Attribute volume.replica_count is set, but volume.type is \"distribute\": set type = \"replicate\" or remove replica_count.")
	}
	if v.Bricks.IsUnknown() || v.Bricks.IsNull() {
		return
	}
	bricks := v.Bricks.Elements()
	if typ == "replicate" && !v.ReplicaCount.IsNull() && !v.ReplicaCount.IsUnknown() {
		if n := v.ReplicaCount.ValueInt64(); n > int64(len(bricks)) {
			diags.AddAttributeError(replicaPath, "Replica Count Above The Bricks",
				fmt.Sprintf("Attribute volume.replica_count %d is more than the %d bricks of volume.bricks: each replica set "+
					"needs that many bricks.", n, len(bricks)))
		} else if n > 0 && int64(len(bricks))%n != 0 {
			diags.AddAttributeError(pathVolumeBricks, "Bricks Do Not Fill Replica Sets",
				fmt.Sprintf("Attribute volume.bricks has %d bricks, which is not a multiple of volume.replica_count %d.", len(bricks), n))
		}
	}
	if cfg.Nodes.IsUnknown() || cfg.Nodes.IsNull() {
		return
	}
	var nodes []string
	for _, e := range cfg.Nodes.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() {
			return
		}
		nodes = append(nodes, s.ValueString())
	}
	for i, e := range bricks {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() || s.IsNull() {
			continue
		}
		b, err := parseBrick(s.ValueString())
		if err != nil {
			continue // the attribute's own validator reports it
		}
		if !slices.Contains(nodes, b.Host) {
			diags.AddAttributeError(pathVolumeBricks.AtListIndex(i), "Brick Not On A Node",
				fmt.Sprintf("Attribute volume.bricks[%d] %q is on %s, which is not one of nodes %v.", i, s.ValueString(), b.Host, nodes))
		}
	}
}
