package provider

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/provstate"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// Defaults of gluster_provisioning_state.
const (
	provisioningCreateTimeout = 5 * time.Minute
	provisioningReadTimeout   = 3 * time.Minute
	provisioningUpdateTimeout = 5 * time.Minute
	provisioningDeleteTimeout = 2 * time.Minute

	defaultCaptureName = "initial"
	// provisioningFolder is the sub-folder of the backup folder that holds
	// the captures; backup sets never use it (their names are timestamps).
	provisioningFolder = "provisioning"
	// captureDirMode keeps others from listing the captures.
	captureDirMode = 0o750
)

// Values of status.
const (
	captureCurrent          = "current"
	captureInventoryChanged = "inventory_changed"
	captureAltered          = "altered"
)

var (
	captureStatuses    = []string{captureCurrent, captureInventoryChanged, captureAltered}
	defaultBackupDir   = path.Join(schedule.DefaultMount, schedule.DefaultBackupDirName)
	captureNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
)

func (r *provisioningStateResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	defaultCommand := provstate.DefaultInventoryCommand()
	commandElems := make([]attr.Value, len(defaultCommand))
	for i, a := range defaultCommand {
		commandElems[i] = types.StringValue(a)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Ansible provisioning state of the platform as it was on day one: at apply, the " +
			"controller node runs the inventory command (`ansible-inventory --list`: every host's variables) and reads " +
			"the inventory files, over SSH as the nightly engine does; everything is redacted (vault blobs, and values " +
			"of keys named like password, secret, token or key) and stored as `provisioning.json`, mode 0600, in " +
			"`<backup_dir>/" + provisioningFolder + "/<name>/` on the primary node. Being on the global volume, it is " +
			"replicated to the DR sites with everything else.\n\n" +
			"`terraform plan` captures the state again and compares. Drift (`status`): `inventory_changed` when the " +
			"fresh capture's digest differs from the stored one, `altered` when the stored copy no longer matches what " +
			"apply wrote; a copy that is gone makes plan propose to capture it again. Apply of a drift captures anew " +
			"and keeps the previous capture beside it, as `provisioning-<UTC time>.json`: the state of day one is never " +
			"overwritten. Destroy removes the folder, previous captures included.\n\n" +
			"No secret reaches the state, the plan or a log: only the digest, the time and the number of redactions.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<primary_node><backup_dir>/" + provisioningFolder + "/<name>`, e.g. " +
					"`gluster1.example.org/var/glfs/global/backup/provisioning/initial`; `terraform import` takes the same form.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"controller_node": schema.StringAttribute{
				MarkdownDescription: "The node that holds the Ansible inventory and runs the inventory command, usually " +
					"the DR controller (`dr_schedule`'s `controller_node`). No default.",
				Required:   true,
				Validators: []validator.String{host()},
			},
			"primary_node": schema.StringAttribute{
				MarkdownDescription: "The node that mounts the global volume, where the backup folder is " +
					"(`dr_schedule`'s `primary.node`). No default. Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.String{host()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"backup_dir": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The backup folder on the primary node (`dr_schedule`'s "+
					"`primary.backup_dir`). Default `%s`. Changing it replaces the resource.", defaultBackupDir),
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString(defaultBackupDir),
				Validators:    []validator.String{absolutePath()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The capture's folder under `<backup_dir>/%s/`: lower-case letters, digits, "+
					"`_` and `-`, at most 64. Default `%s`. Changing it replaces the resource.", provisioningFolder, defaultCaptureName),
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString(defaultCaptureName),
				Validators:    []validator.String{captureName()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"inventory": schema.ListAttribute{
				MarkdownDescription: "Inventory files on the controller, copied redacted (JSON files as JSON, others line " +
					"by line). Default: none.",
				ElementType: stringType,
				Optional:    true,
				Computed:    true,
				Default:     listdefault.StaticValue(types.ListValueMust(stringType, []attr.Value{})),
				Validators:  []validator.List{listvalidator.ValueStringsAre(absolutePath()), listvalidator.UniqueValues()},
			},
			"image_ref": schema.StringAttribute{
				MarkdownDescription: "The image reference the platform's nodes were built from. Default: empty.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				Validators:          []validator.String{singleLine()},
			},
			"ansible_inventory_command": schema.ListAttribute{
				MarkdownDescription: fmt.Sprintf("Argument list run on the controller (never through a shell) that prints "+
					"what `ansible-inventory --list` prints. Default `%q`.", defaultCommand),
				ElementType: stringType,
				Optional:    true,
				Computed:    true,
				Default:     listdefault.StaticValue(types.ListValueMust(stringType, commandElems)),
				Validators:  []validator.List{argv()},
			},
			"file":        computed("Path of the capture on the primary node: `<backup_dir>/" + provisioningFolder + "/<name>/" + provstate.FileName + "`."),
			"digest":      computed("The capture's digest (sha256 of its content without the capture time), as stored."),
			"sha256":      computed("sha256 of `" + provstate.FileName + "` as apply wrote it."),
			"captured_at": computed("When the stored capture was made (RFC 3339, UTC)."),
			"redactions": schema.Int64Attribute{
				MarkdownDescription: "How many secrets were redacted (their names are in the file, never their values).",
				Computed:            true,
			},
			"status": computed("What plan found: " + quotedList(captureStatuses) + ". Apply makes it `current`."),
			"timeouts": resourceTimeouts(ctx, provisioningCreateTimeout, provisioningReadTimeout,
				provisioningUpdateTimeout, provisioningDeleteTimeout),
		},
	}
}
