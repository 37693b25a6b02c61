package provider

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
)

// Defaults of gluster_georep_session.
const (
	georepSessionCreateTimeout = 15 * time.Minute
	georepSessionReadTimeout   = 3 * time.Minute
	georepSessionUpdateTimeout = 10 * time.Minute
	georepSessionDeleteTimeout = 10 * time.Minute

	defaultSecondaryUser = "root"
	defaultSSHPortGsyncd = 22

	// maxSyncJobs bounds sync_jobs: parallel copies per worker.
	maxSyncJobs = 64
	// maxChangelogBatch bounds changelog_batch_size (bytes of changelogs in
	// one batch): 1 GiB, far above gsyncd's 727040.
	maxChangelogBatch = 1 << 30
	// maxTimeoutSeconds bounds the config values in seconds, as
	// valid.MaxDuration bounds every duration.
	maxTimeoutSeconds = int64(valid.MaxDuration / time.Second)
)

// desiredStates are the values of desired_state.
var desiredStates = func() []string {
	out := make([]string, len(georep.States))
	for i, s := range georep.States {
		out[i] = string(s)
	}
	return out
}()

// sessionConfigAttr is one typed attribute for a gsyncd config key. The
// table drives the schema, the reading of the live config and the update.
type sessionConfigAttr struct {
	name string // attribute name
	key  string // gsyncd config key
	kind attrKind
	// def is gluster's own default, as gsyncd prints it; setting the
	// attribute back to it resets the key (config '!key').
	def string
	// ours is glusterdr's default where it differs from gluster's.
	ours   string
	desc   string
	values []string // allowed values of a string attribute
	min    int64    // smallest value of a number attribute
	max    int64    // largest value of a number attribute; 0: none
}

type attrKind int

const (
	kindString attrKind = iota
	kindInt
	kindBool
)

var (
	syncMethods = []string{"rsync", "tarssh"}

	sessionConfigAttrs = []sessionConfigAttr{
		{name: "sync_method", key: "sync_method", kind: kindString, def: "rsync", ours: "tarssh", values: syncMethods,
			desc: "How gsyncd copies file data: " + quotedList(syncMethods) + ". " +
				"`tarssh` by default: with Debian 12's current rsync (3.5.0+ds1-0+deb12u1), `rsync` delivers files " +
				"of 0 bytes at the secondary while reporting success, and the checkpoint still completes."},
		{name: "sync_jobs", key: "sync_jobs", kind: kindInt, def: "3", min: 1, max: maxSyncJobs,
			desc: "Number of parallel sync jobs (tar or rsync processes) per worker."},
		{name: "sync_xattrs", key: "sync_xattrs", kind: kindBool, def: "true",
			desc: "Copy extended attributes (rsync only: tarssh never copies them)."},
		{name: "sync_acls", key: "sync_acls", kind: kindBool, def: "true",
			desc: "Copy POSIX ACLs (rsync only: tarssh never copies them)."},
		{name: "changelog_batch_size", key: "changelog_batch_size", kind: kindInt, def: "727040", min: 1, max: maxChangelogBatch,
			desc: "Bytes of changelogs gsyncd processes in one batch; a batch is synced before its stime is saved."},
		{name: "ignore_deletes", key: "ignore_deletes", kind: kindBool, def: "false",
			desc: "Keep at the secondary the files deleted at the primary."},
		{name: "use_meta_volume", key: "use_meta_volume", kind: kindBool, def: "false",
			desc: "Elect the Active worker of each replica set through the shared meta volume " +
				"(`gluster_shared_storage`, which must exist and be mounted)."},
		{name: "rsync_options", key: "rsync_options", kind: kindString, def: "",
			desc: "Extra options for rsync, e.g. `--bwlimit=10000`."},
		{name: "connection_timeout", key: "connection_timeout", kind: kindInt, def: "60", min: 1, max: maxTimeoutSeconds,
			desc: "Seconds a worker waits for its connection to the secondary."},
		{name: "secondary_timeout", key: "secondary_timeout", kind: kindInt, def: "120", min: 1, max: maxTimeoutSeconds,
			desc: "Seconds of silence after which the secondary's gsyncd gives up on the primary."},
	}
)

func (r *georepSessionResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "`<primary node>/<primary volume>/[<user>@]<secondary node>::<secondary volume>`, e.g. " +
				"`203.0.113.10/global/203.0.113.21::global-dr` (the user part only when it is not root). " +
				"`terraform import` takes the same form.",
			Computed:      true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"primary_node": schema.StringAttribute{
			MarkdownDescription: "Node of the primary cluster that runs the gluster commands. Changing it replaces the resource.",
			Required:            true,
			Validators:          []validator.String{host()},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"primary_volume": schema.StringAttribute{
			MarkdownDescription: "The replicated volume. Changing it replaces the session.",
			Required:            true,
			Validators:          []validator.String{volumeName()},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"secondary_node": schema.StringAttribute{
			MarkdownDescription: "Node of the secondary cluster named in the session (`host::volume`); a host name or IPv4 " +
				"address, since gluster's syntax cannot carry IPv6. Changing it replaces the session.",
			Required:      true,
			Validators:    []validator.String{secondaryHost()},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"secondary_volume": schema.StringAttribute{
			MarkdownDescription: "The volume that receives the copy. Changing it replaces the session.",
			Required:            true,
			Validators:          []validator.String{volumeName()},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"secondary_user": schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("User that gsyncd logs in as on the secondary nodes; a user other than root "+
				"needs a mountbroker set up there. Default `%s`. Changing it replaces the session.", defaultSecondaryUser),
			Optional:      true,
			Computed:      true,
			Default:       stringdefault.StaticString(defaultSecondaryUser),
			Validators:    []validator.String{sshUser()},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"ssh_port": schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("Port of sshd on the secondary nodes, for gsyncd (saved with `config ssh_port`, "+
				"since `create ssh-port` alone does not keep it). Default `%d`.", defaultSSHPortGsyncd),
			Optional:   true,
			Computed:   true,
			Default:    int64default.StaticInt64(defaultSSHPortGsyncd),
			Validators: []validator.Int64{int64validator.Between(1, 65535)},
		},
		"changelog_rollover_time": schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("Seconds between the changelogs of the primary volume's bricks "+
				"(the volume option `%s`, %d-%d; gluster's own default is 15). Up to %d s, a checkpoint cycle waits "+
				"this long after its marker before it starts the session; above, it closes the marker's changelog at once "+
				"with `gluster volume barrier` enable and disable, which holds writes to the primary volume for a second "+
				"or two (and waits instead if gluster refuses the barrier). Each rollover adds about 90 bytes to a brick's "+
				"changelog index. Below 3 s GlusterFS 10.3 was seen to lose changelogs. It belongs to the primary volume: "+
				"give every session from one volume the same value. Default `%d`.",
				gluster.RolloverOption, georep.MinRolloverSeconds, georep.MaxRolloverSeconds,
				int(gluster.CloseChangelogAbove/time.Second), georep.DefaultRolloverSeconds),
			Optional: true, Computed: true,
			Default:    int64default.StaticInt64(georep.DefaultRolloverSeconds),
			Validators: []validator.Int64{int64validator.Between(georep.MinRolloverSeconds, georep.MaxRolloverSeconds)},
		},
		"tar_blocking_factor": schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("Record size, in blocks of 512 bytes, of the `tar` that writes the files "+
				"on the secondary nodes when `sync_method` is `tarssh`. gsyncd takes no option for it, so the provider "+
				"sets it in the forced command of gsyncd's tar key in the secondary user's `authorized_keys`, on the "+
				"secondary node and on every node with a brick of the secondary volume: `%s`. At GNU tar's default of "+
				"%d (push-pem's own line, `%s`) a large file reaches the secondary's FUSE mount in 10 KiB writes; in "+
				"the lab, 1 GiB took about 24.6 s to copy that way and about 9 s at 256. Other lines of the file are "+
				"left as they are. Read reports the factor the secondary nodes force: `0` when a node lacks the key's "+
				"line (push-pem has not reached it), `-1` when the nodes differ or force a command the provider does "+
				"not write. The line belongs to the primary cluster's tar key, so every session from the primary "+
				"cluster to the same secondary user shares it: give them the same value. %d-%d, default `%d`.",
				gluster.TarCommand(georep.DefaultTarBlocking), gluster.DefaultTarBlocking,
				gluster.TarCommand(gluster.DefaultTarBlocking), 1, gluster.MaxTarBlocking, georep.DefaultTarBlocking),
			Optional: true, Computed: true,
			Default:    int64default.StaticInt64(georep.DefaultTarBlocking),
			Validators: []validator.Int64{int64validator.Between(1, gluster.MaxTarBlocking)},
		},
		"desired_state": schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("State to enforce: %s. **Unset by default, which means report, don't enforce**: "+
				"a nightly schedule starts and stops the session, and that must not show as drift. When set, a session "+
				"found in another state shows as drift, and apply brings it back (starting is checked by reading the "+
				"status, not by trusting the exit code).", quotedList(desiredStates)),
			Optional:   true,
			Validators: []validator.String{stringvalidator.OneOf(desiredStates...)},
		},
		"insecure_skip_host_key_pinning": schema.BoolAttribute{
			MarkdownDescription: "gsyncd's own SSH defaults to `StrictHostKeyChecking=no`. By default (`false`) the provider " +
				"pins the host keys of the secondary node and of every node that holds a brick of the secondary volume — " +
				"the keys its own SSH connections verified — in `/var/lib/glusterd/geo-replication/<session>/glusterdr_known_hosts` " +
				"on every primary node, and points `ssh_options` and `ssh_options_tar` at that file with " +
				"`StrictHostKeyChecking=yes`. Set `true` to opt out and leave gsyncd unverified. Read reports `true` when " +
				"the pinning is not in force (the options were changed, or the file is missing or holds other keys), so " +
				"that plan proposes to restore it.",
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(false),
		},
		"reset_sync_time_on_delete": schema.BoolAttribute{
			MarkdownDescription: "On destroy, delete with `reset-sync-time`, so that a new session to the same secondary " +
				"starts with a full crawl. Default `false`.",
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(false),
		},
		"pinned_host_keys": schema.ListAttribute{
			MarkdownDescription: "The known_hosts lines pinned for gsyncd, as read from the first primary node; empty when " +
				"pinning is off.",
			ElementType: stringType,
			Computed:    true,
		},
		"status": schema.StringAttribute{
			MarkdownDescription: "The session's status rolled up in one word: " + quotedList(rollupNames) + ".",
			Computed:            true,
		},
		"last_synced": schema.StringAttribute{
			MarkdownDescription: "Oldest last-synced time of the Active workers (RFC 3339, UTC): how far behind the " +
				"secondary is, conservatively. Null when no worker has synced.",
			Computed: true,
		},
		"workers": workersAttribute(),
		"timeouts": resourceTimeouts(ctx, georepSessionCreateTimeout, georepSessionReadTimeout,
			georepSessionUpdateTimeout, georepSessionDeleteTimeout),
	}
	for _, a := range sessionConfigAttrs {
		attrs[a.name] = a.schemaAttribute()
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One geo-replication session from a primary volume to a secondary `host::volume`: the keys " +
			"(`gsec_create`, `create push-pem`, waiting until they reached the secondary), `ssh_port`, host keys pinned for " +
			"gsyncd, the config values users change, and an optional desired state.\n\n" +
			"`terraform plan` reads the session back: a deleted session leaves state, so plan proposes to re-create it; " +
			"a config value or host key pinning changed by hand shows as an update. The running state is only compared " +
			"when `desired_state` is set.",
		Attributes: attrs,
	}
}

func (a sessionConfigAttr) schemaAttribute() schema.Attribute {
	desc := a.desc
	switch a.kind {
	case kindInt:
		def, _ := strconv.ParseInt(a.def, 10, 64)
		var v validator.Int64 = int64validator.AtLeast(a.min)
		bounds := fmt.Sprintf(" At least %d.", a.min)
		if a.max > 0 {
			v = int64validator.Between(a.min, a.max)
			bounds = fmt.Sprintf(" From %d to %d.", a.min, a.max)
		}
		return schema.Int64Attribute{
			MarkdownDescription: desc + bounds + fmt.Sprintf(" Default `%d`, gluster's own. gsyncd config `%s`.", def, a.key),
			Optional:            true, Computed: true,
			Default:    int64default.StaticInt64(def),
			Validators: []validator.Int64{v},
		}
	case kindBool:
		return schema.BoolAttribute{
			MarkdownDescription: desc + fmt.Sprintf(" Default `%s`, gluster's own. gsyncd config `%s`.", a.def, a.key),
			Optional:            true, Computed: true,
			Default: booldefault.StaticBool(a.def == "true"),
		}
	}
	validators := []validator.String{singleLine()}
	if len(a.values) > 0 {
		validators = append(validators, stringvalidator.OneOf(a.values...))
	}
	defDesc := "`" + a.def + "`, gluster's own"
	switch {
	case a.ours != "":
		defDesc = fmt.Sprintf("`%s` (gluster's own is `%s`)", a.ours, a.def)
	case a.def == "":
		defDesc = "empty, gluster's own"
	}
	return schema.StringAttribute{
		MarkdownDescription: desc + fmt.Sprintf(" Default %s. gsyncd config `%s`.", defDesc, a.key),
		Optional:            true, Computed: true,
		Default:    stringdefault.StaticString(a.defaultValue()),
		Validators: validators,
	}
}

// defaultValue is the attribute's default: glusterdr's, else gluster's.
func (a sessionConfigAttr) defaultValue() string {
	if a.ours != "" {
		return a.ours
	}
	return a.def
}

// workersAttribute is the computed per-worker status of a session.
func workersAttribute() schema.ListNestedAttribute {
	attrs := map[string]schema.Attribute{}
	for _, a := range workerAttrs {
		if a.typ == types.BoolType {
			attrs[a.name] = schema.BoolAttribute{Computed: true, MarkdownDescription: a.desc}
		} else {
			attrs[a.name] = schema.StringAttribute{Computed: true, MarkdownDescription: a.desc}
		}
	}
	return schema.ListNestedAttribute{
		MarkdownDescription: "One element per primary brick's gsyncd worker, as `status detail` reports it.",
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: attrs},
	}
}

// workerAttrs describe one element of workers, in the resource and in the
// data source alike.
var workerAttrs = []attrSpec{
	{"primary_node", types.StringType, "Primary node that runs the worker."},
	{"brick", types.StringType, "Path of the primary brick the worker replicates."},
	{"status", types.StringType, "`Active`, `Passive`, `Faulty`, `Created`, `Stopped`, `Paused`, `Initializing...` or `Offline`."},
	{"crawl_status", types.StringType, "`Changelog Crawl`, `History Crawl`, `Hybrid Crawl`, or `N/A`."},
	{"last_synced", types.StringType, "When the worker last synced (RFC 3339, UTC); null when never."},
	{"checkpoint_time", types.StringType, "The checkpoint the worker measures against (RFC 3339, UTC); null when none is set."},
	{"checkpoint_completed", types.BoolType, "Whether the worker has reached that checkpoint."},
}
