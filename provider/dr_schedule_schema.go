package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
)

// Defaults of dr_schedule.
const (
	scheduleCreateTimeout = 5 * time.Minute
	scheduleReadTimeout   = 2 * time.Minute
	scheduleUpdateTimeout = 5 * time.Minute
	scheduleDeleteTimeout = 5 * time.Minute

	defaultSchedulePath  = "/etc/glusterdr/schedule.hcl"
	defaultGlusterdrPath = "/usr/local/bin/glusterdr"
	// scheduleFileMode: the file names key files but holds no secret.
	scheduleFileMode = 0o640
)

func (r *scheduleResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	optional := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Optional: true, Computed: true}
	}
	optionalInt := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Optional: true, Computed: true}
	}
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The nightly DR policy: the schedule file that `glusterdr run` and the `glusterdr.dr.nightly` " +
			"playbook read, written onto the controller node, and the trigger that runs the cycle every night.\n\n" +
			"**The type is `dr_schedule`, the name users asked for.** Its prefix is not the provider's, so every " +
			"`dr_schedule` block says `provider = gluster`; without it Terraform looks for a provider called `dr`.\n\n" +
			"Apply renders the file (canonical HCL, every setting written out) with SFTP, atomically, mode 0640, and " +
			"installs the trigger: a systemd timer where systemd runs (`/run/systemd/system` exists), an `" + trigger.CronFile +
			"` entry otherwise. The trigger runs the collection's nightly playbook when `glusterdr.dr` is installed on " +
			"the controller (`ansible-galaxy collection list`), the CLI otherwise.\n\n" +
			"The attributes from `cron` to `provisioning` mirror the file; their defaults and checks are the engine's " +
			"own, so `terraform plan` refuses exactly what `glusterdr run` would refuse (a cron expression that does not " +
			"parse, an unknown time zone, `retention.daily` below 1, a host starting with `-`, …) and warns where it " +
			"would warn (fewer than 4 dailies).\n\n" +
			"`terraform plan` reads the file and the trigger back. Drift: the file edited (its `sha256` differs; the " +
			"settings changed show too) or removed (plan proposes to create it), the trigger removed, edited or (systemd) " +
			"disabled (`trigger_sha256` differs). Destroy removes the file and the trigger; it never touches the " +
			"backup sets, the journal or anything else in `state_dir`.\n\n" +
			"One schedule per controller: the trigger's names are fixed (`" + trigger.CronFile + "`, `" + trigger.Unit + ".timer`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<controller_node><path>`, e.g. `ctl.example.org/etc/glusterdr/schedule.hcl`; " +
					"`terraform import` takes the same form.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"controller_node": schema.StringAttribute{
				MarkdownDescription: "The DR controller: the node that holds the schedule file and the trigger, and runs " +
					"the nightly cycle (it reaches the other nodes with the `ssh` block's settings). Reached with the " +
					"provider's SSH settings. Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.String{host()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"path": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Where the schedule file goes on the controller. Default `%s`, where "+
					"`glusterdr` and the playbook look. Changing it replaces the resource.", defaultSchedulePath),
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString(defaultSchedulePath),
				Validators:    []validator.String{absolutePath()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"glusterdr_path": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The `glusterdr` CLI on the controller, which the trigger runs (directly, "+
					"or through the playbook). Default `%s`, where the `glusterdr.dr.install` role puts it.", defaultGlusterdrPath),
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(defaultGlusterdrPath),
				Validators: []validator.String{absolutePath()},
			},
			"trigger": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("What starts the cycle: %s. Unset, it is chosen at create: `systemd` "+
					"where systemd is PID 1, else `cron`. `systemd` installs `%s` and `%s` and enables the timer "+
					"(`Persistent=true`: a run missed while the controller was down happens at boot); `cron` installs `%s`, "+
					"whose `CRON_TZ` line cronie honours, while Debian's cron reads the fields in the controller's own time "+
					"zone (apply warns when that differs from `time_zone`).",
					quotedList(trigger.Kinds), trigger.ServiceFile, trigger.TimerFile, trigger.CronFile),
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.OneOf(trigger.Kinds...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"runner": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("What the trigger runs: %s. Unset, it is chosen at create: `playbook` "+
					"(`ansible-playbook -i localhost, -c local %s`, with the schedule and the CLI passed as extra vars) when "+
					"the collection `glusterdr.dr` is installed on the controller, else `glusterdr` "+
					"(`<glusterdr_path> run --schedule <path>`).", quotedList(trigger.Runners), trigger.Playbook),
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.OneOf(trigger.Runners...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},

			"cron": schema.StringAttribute{
				MarkdownDescription: "When the cycle runs: 5 cron fields (minute hour day-of-month month day-of-week), " +
					"or `@daily`, `@weekly`, `@monthly`, `@yearly`, `@hourly`, read in `time_zone`. `@every` and a " +
					"`TZ=` prefix are refused. No default.",
				Required:   true,
				Validators: []validator.String{singleLine()},
			},
			"time_zone": optional(fmt.Sprintf("IANA time zone the cron fields are read in, e.g. `America/Los_Angeles`. "+
				"Default `%s`.", schedule.DefaultTimeZone)),
			"rotation": optional(fmt.Sprintf("Which targets a night replicates to: %s (one target a night, the one whose "+
				"last verified copy is oldest, so a site that failed is retried first) or `all`. Default `%s`.",
				"`alternate`", schedule.DefaultRotation)),
			"checkpoint_timeout": optional(fmt.Sprintf("How long a night waits for the geo-replication checkpoint, as a Go "+
				"duration, at most `%s`. Default `%s`.", schedule.FormatDuration(schedule.MaxRunTimeout),
				schedule.FormatDuration(schedule.DefaultCheckpointTimeout))),
			"checkpoint_stall_after": optional(fmt.Sprintf("A checkpoint wait in which nothing moves for this long stops and "+
				"starts the session once, as a Go duration, at most `%s`. Default `%s`.", schedule.FormatDuration(schedule.MaxRunTimeout),
				schedule.FormatDuration(schedule.DefaultStallAfter))),
			"run_timeout": optional(fmt.Sprintf("The deadline of one `glusterdr run` (each step of the playbook runner "+
				"is a run of its own), as a Go duration, at most `%s`: the engine ends a run that reaches it, the step it was "+
				"in stays pending for the next run to resume, a checkpoint cycle it cuts short stops its session, and the run "+
				"lock is released. The trigger ends a night %s after it (the service's `TimeoutStartSec`, the cron entry's "+
				"`timeout`), with SIGTERM and SIGKILL %s later, as the last resort. Default: every set of the night (1 with "+
				"rotation `alternate`, one per target with `all`) times (2 x `checkpoint_timeout` + %s): a replicate and the "+
				"verify step's one resend may each wait the whole checkpoint timeout. That is `%s` with the defaults. Shorter "+
				"than `checkpoint_timeout`, or not shorter than the gap between two runs of `cron`, warns.",
				schedule.FormatDuration(schedule.MaxRunTimeout), schedule.FormatDuration(trigger.Grace),
				schedule.FormatDuration(trigger.KillAfter), schedule.FormatDuration(schedule.RunOverhead),
				schedule.FormatDuration(schedule.DefaultRunTimeout(schedule.DefaultRotation, schedule.DefaultCheckpointTimeout, 1)))),
			"sample_files": optionalInt(fmt.Sprintf("Volume files compared at the target on top of the manifest, per "+
				"verification, at most %d; 0 warns. Default `%d`.", schedule.MaxSampleFiles, schedule.DefaultSampleFiles)),
			"drill_every": optional(fmt.Sprintf("How often each site that keeps restore points is restore-drilled: the "+
				"nightly run drills a site's newest point when its last passed drill is older than this (a Go duration, at "+
				"most `%s`). A drill that fails fails the run. Default `%s`.", schedule.FormatDuration(schedule.MaxRunTimeout),
				schedule.FormatDuration(schedule.DefaultDrillEvery))),
			"state_dir": optional(fmt.Sprintf("Folder on the controller for the journal (`journal.jsonl`, read for "+
				"`last_run`) and `status.json`. Default `%s`.", schedule.DefaultStateDir)),
			"lock_file": optional(fmt.Sprintf("The run lock on the controller. Default `<state_dir>/%s`.", schedule.DefaultLockFileName)),
			"metrics_file": optional(fmt.Sprintf("Prometheus textfile for node_exporter, on the controller. Default `%s`.",
				schedule.DefaultMetricsFile)),
			"primary":      primaryAttribute(),
			"targets":      targetsAttribute(),
			"ssh":          scheduleSSHAttribute(),
			"retention":    retentionAttribute(),
			"etcd":         etcdAttribute(),
			"cluster_dump": clusterDumpAttribute(),
			"provisioning": scheduleProvisioningAttribute(),

			"sha256": computed("sha256 of the schedule file as read on the controller; plan shows the one apply would " +
				"write, so an edit made by hand shows as a change."),
			"next_runs": schema.ListAttribute{
				MarkdownDescription: "The next 3 run times (RFC 3339, in `time_zone`), as the engine computes them.",
				ElementType:         stringType, Computed: true,
			},
			"last_run": lastRunAttribute(),
			"trigger_command": schema.ListAttribute{MarkdownDescription: "The command the trigger runs each night, as an " +
				"argument list: under `timeout` in the cron entry, with `TimeoutStartSec` in the systemd service (see `run_timeout`).",
				ElementType: stringType, Computed: true},
			"trigger_files": schema.ListAttribute{MarkdownDescription: "The trigger's files on the controller.", ElementType: stringType, Computed: true},
			"trigger_sha256": computed("sha256 of the installed trigger (its files and, for systemd, whether the timer is " +
				"enabled); empty when it is missing. Plan shows the one apply would install, so a trigger removed, edited or " +
				"disabled shows as a change."),
			"timeouts": resourceTimeouts(ctx, scheduleCreateTimeout, scheduleReadTimeout, scheduleUpdateTimeout, scheduleDeleteTimeout),
		},
	}
}

func primaryAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The global volume being protected.",
		Required:            true,
		Attributes: map[string]schema.Attribute{
			"volume": schema.StringAttribute{MarkdownDescription: "The gluster volume. No default.", Required: true},
			"node": schema.StringAttribute{MarkdownDescription: "The node that mounts it; backup sets are opened there. " +
				"No default.", Required: true},
			"mount": schema.StringAttribute{MarkdownDescription: fmt.Sprintf("Where it is mounted on `node`. Default `%s`.",
				schedule.DefaultMount), Optional: true, Computed: true},
			"backup_dir": schema.StringAttribute{MarkdownDescription: fmt.Sprintf("The backup folder, inside the mount so "+
				"that it is replicated. Default `<mount>/%s`.", schedule.DefaultBackupDirName), Optional: true, Computed: true},
		},
	}
}

func targetsAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: "The DR sites, in order (rotation `all` replicates in this order; `alternate` breaks ties " +
			"with it): one geo-replication session from the primary volume to each. At least one.",
		Required:   true,
		Validators: []validator.List{listvalidator.SizeAtLeast(1)},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{MarkdownDescription: "The target's name, `[a-z0-9_-]+`, unique; it ends the " +
				"backup set folders' names. No default.", Required: true},
			"secondary_host": schema.StringAttribute{MarkdownDescription: "The session's secondary node (`host::volume`): " +
				"a host name or IPv4 address. No default.", Required: true},
			"secondary_volume": schema.StringAttribute{MarkdownDescription: "The volume at the site. No default.", Required: true},
			"primary_volume": schema.StringAttribute{MarkdownDescription: "The session's primary volume. Default " +
				"`primary.volume`.", Optional: true, Computed: true},
			"secondary_user": schema.StringAttribute{MarkdownDescription: fmt.Sprintf("The session's user at the site. "+
				"Default `%s`.", schedule.DefaultSecondaryUser), Optional: true, Computed: true},
			"ssh_port": schema.Int64Attribute{MarkdownDescription: fmt.Sprintf("sshd's port at the site, for gsyncd. "+
				"Default `%d`.", schedule.DefaultSSHPort), Optional: true, Computed: true},
			"verify_node": schema.StringAttribute{MarkdownDescription: "The site node that mounts the volume read-only to " +
				"verify each set. Default `secondary_host`.", Optional: true, Computed: true},
			"restore_points": schema.StringAttribute{MarkdownDescription: fmt.Sprintf("How the site keeps a point-in-time "+
				"copy of its volume after each verified set, named after the set and kept or deleted with it: %s. "+
				"`link-tree` writes a whole tree per point into `restore_point_store`, hard-linking the files unchanged "+
				"since the previous point, so a point costs the bytes that changed; `gluster-snapshot` takes a gluster "+
				"snapshot, which needs every brick on a thinly provisioned LV (a site whose bricks cannot be snapshotted "+
				"fails the night, naming the bricks). Default `%s`.", quotedList(schedule.PointMethods), schedule.DefaultPointMethod),
				Optional: true, Computed: true},
			"restore_point_node": schema.StringAttribute{MarkdownDescription: "The site node, of the site's pool, that " +
				"makes, reads and deletes the points (it mounts the volumes from itself). Default `verify_node`.",
				Optional: true, Computed: true},
			"restore_point_store": schema.StringAttribute{MarkdownDescription: "`link-tree` only, and required with it: " +
				"the store's folder, on `restore_point_node`, or inside `restore_point_volume` when that is set. It must " +
				"lie outside the bricks of `secondary_volume`, which the engine checks before every point: gsyncd " +
				"rewrites files there in place. No default.", Optional: true},
			"restore_point_volume": schema.StringAttribute{MarkdownDescription: "`link-tree` only: a volume of the " +
				"site's pool that holds the store, mounted on `restore_point_node`; never `secondary_volume`. Unset: the " +
				"store is a folder of the node.", Optional: true},
		}},
	}
}

func retentionAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "How many backup sets (each with its restore point) are kept, per target, by the calendar " +
			"in UTC: the newest set of each of the last `daily` days that have one, then of each of the last `weekly` ISO " +
			"weeks before those, then of each of the last `monthly` months before those. Each set counts once, so a " +
			"target settles at `daily` + `weekly` + `monthly` sets; its newest verified set is never deleted. The guide " +
			"*Retention by the calendar* has the details. Default: every field's default.",
		Optional: true,
		Computed: true,
		Attributes: map[string]schema.Attribute{
			"daily": schema.Int64Attribute{MarkdownDescription: fmt.Sprintf("Days with a set kept, 1 to %d; fewer than %d "+
				"draws a warning (a 3-day weekend and one failed night). Default `%d`.", retention.MaxCount, schedule.MinSafeDaily,
				schedule.DefaultDaily), Optional: true, Computed: true},
			"weekly": schema.Int64Attribute{MarkdownDescription: fmt.Sprintf("ISO weeks with a set kept, before the dailies' "+
				"weeks, 0 to %d. Default `%d`.", retention.MaxCount, schedule.DefaultWeekly), Optional: true, Computed: true},
			"monthly": schema.Int64Attribute{MarkdownDescription: fmt.Sprintf("Months with a set kept, before the weeklies' "+
				"months, 0 to %d; a week counts in the month of its Thursday. Needs `weekly` >= 1. Default `0`.",
				retention.MaxCount), Optional: true, Computed: true},
			"full_every": schema.Int64Attribute{MarkdownDescription: "Retired and ignored: every set is a full, and restore " +
				"points share unchanged files, so a restore needs one point, never a chain. A value above 0 draws a " +
				"warning. Default `0`.", Optional: true, Computed: true},
		},
	}
}

func etcdAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The etcd to snapshot into each set. Unset: no etcd snapshot.",
		Optional:            true,
		Attributes: map[string]schema.Attribute{
			"endpoints": schema.ListAttribute{MarkdownDescription: "http:// or https:// URLs. No default.",
				ElementType: stringType, Required: true},
			"cacert": schema.StringAttribute{MarkdownDescription: "CA certificate file on the controller. Default: none.",
				Optional: true, Computed: true},
			"cert": schema.StringAttribute{MarkdownDescription: "Client certificate file on the controller; with `key`. " +
				"Default: none.", Optional: true, Computed: true},
			"key": schema.StringAttribute{MarkdownDescription: "Client key file on the controller (a path, never the key). " +
				"Default: none.", Optional: true, Computed: true},
			"dial_timeout": schema.StringAttribute{MarkdownDescription: fmt.Sprintf("Go duration. Default `%s`.",
				schedule.FormatDuration(schedule.DefaultEtcdDialTimeout)), Optional: true, Computed: true},
		},
	}
}

func clusterDumpAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The Kubernetes cluster dump. Default: the default command.",
		Optional:            true,
		Computed:            true,
		Attributes: map[string]schema.Attribute{
			"command": schema.ListAttribute{
				MarkdownDescription: fmt.Sprintf("Argument list run on the primary node (never through a shell); the element "+
					"`%s` is replaced by the dump folder, and only as a whole element. Default `%q`.",
					schedule.DirPlaceholder, schedule.DefaultClusterDumpCommand()),
				ElementType: stringType, Optional: true, Computed: true,
			},
		},
	}
}

func scheduleProvisioningAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The Ansible provisioning state captured into each set, secrets redacted (see also " +
			"`gluster_provisioning_state`, which keeps the state of day one). Unset: no capture.",
		Optional: true,
		Attributes: map[string]schema.Attribute{
			"inventory": schema.ListAttribute{MarkdownDescription: "Inventory files on the controller to copy. Default: none.",
				ElementType: stringType, Optional: true, Computed: true},
			"image_ref": schema.StringAttribute{MarkdownDescription: "The image reference the platform was built from. " +
				"Default: empty.", Optional: true, Computed: true},
			"ansible_inventory_command": schema.ListAttribute{MarkdownDescription: fmt.Sprintf("Argument list run on the "+
				"controller that prints every host's variables as JSON. Default `%q`.", schedule.DefaultAnsibleInventoryCommand()),
				ElementType: stringType, Optional: true, Computed: true},
		},
	}
}

func lastRunAttribute() schema.SingleNestedAttribute {
	c := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The newest entry of the journal (`<state_dir>/journal.jsonl` on the controller); null " +
			"before the first run.",
		Computed: true,
		Attributes: map[string]schema.Attribute{
			"time":        c("When the set was recorded (RFC 3339, UTC)."),
			"set":         c("The backup set's id, `<UTC timestamp>-<target>`."),
			"target":      c("The target it went to."),
			"result":      c(fmt.Sprintf("`%s` or `%s`.", retention.Verified, retention.Failed)),
			"failed_step": c("The step that failed; null when verified."),
			"seconds":     schema.Float64Attribute{MarkdownDescription: "Time spent in the set's steps.", Computed: true},
			"rpo_seconds": schema.Int64Attribute{MarkdownDescription: "The RPO when read: age of the newest verified copy " +
				"at any target (its checkpoint). Null without one.", Computed: true},
		},
	}
}
