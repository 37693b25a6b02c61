package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// volumeKind tells the volume of a peer cluster from its store volumes:
// changing the layout of the first replaces the whole resource, of a store
// only that store.
type volumeKind int

const (
	mainVolume volumeKind = iota
	storeVolume
)

// replaces is what changing a layout attribute does.
func (k volumeKind) replaces() string {
	if k == storeVolume {
		return "Changing it deletes this store volume and creates it again (the old brick folders keep their files; " +
			"refused while `deletion_protection` is on); the pool and `volume` stay."
	}
	return "Changing it replaces the volume."
}

// renames is what changing the name does.
func (k volumeKind) renames() string {
	if k == storeVolume {
		return "A new name is another store: the one of the old name is deleted (refused while `deletion_protection` " +
			"is on) and the new one created."
	}
	return k.replaces()
}

// requiresReplace is the plan modifier of a layout attribute: the whole
// resource for the main volume; none for a store, which Update replaces.
func requiresReplace[T any](k volumeKind, m T) []T {
	if k == storeVolume {
		return nil
	}
	return []T{m}
}

// volumeAttributes is the shape of `volume` and of each of `store_volumes`.
func volumeAttributes(k volumeKind) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"name": schema.StringAttribute{
			MarkdownDescription: "Volume name: letters, digits, `-` and `_`, not starting with `-`, at most 256 " +
				"characters (gluster's own rules). " + k.renames(),
			Required:      true,
			Validators:    []validator.String{volumeName()},
			PlanModifiers: requiresReplace(k, stringplanmodifier.RequiresReplace()),
		},
		"type": schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("Volume layout: %s. Default `%s`. A replicate volume with more "+
				"bricks than `replica_count` is distributed-replicate. %s",
				quotedList(volumeTypes), defaultVolumeType, k.replaces()),
			Optional:      true,
			Computed:      true,
			Default:       stringdefault.StaticString(defaultVolumeType),
			Validators:    []validator.String{stringvalidator.OneOf(volumeTypes...)},
			PlanModifiers: requiresReplace(k, stringplanmodifier.RequiresReplace()),
		},
		"replica_count": schema.Int64Attribute{
			MarkdownDescription: "Bricks per replica set, at least 2; only with `type = \"replicate\"`, and the " +
				"number of bricks must be a multiple of it. No default. " + k.replaces(),
			Optional:      true,
			Validators:    []validator.Int64{int64validator.AtLeast(2)},
			PlanModifiers: requiresReplace(k, int64planmodifier.RequiresReplace()),
		},
		"bricks": schema.ListAttribute{
			MarkdownDescription: "Bricks as `node:/absolute/path`, in order (for replicate, each run of " +
				"`replica_count` bricks is one replica set). Each node must be one of `nodes`; paths are absolute " +
				"and clean, of letters, digits and `/._+-`. " + k.replaces(),
			ElementType:   stringType,
			Required:      true,
			Validators:    distinctStrings(brick()),
			PlanModifiers: requiresReplace[planmodifier.List](k, listplanmodifier.RequiresReplace()),
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
	}
}

// distinctStrings validates a list of one or more distinct strings, each
// of them by each.
func distinctStrings(each validator.String) []validator.List {
	return []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(), listvalidator.ValueStringsAre(each)}
}
