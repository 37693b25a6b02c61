package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
)

var (
	_ datasource.DataSource              = (*backupSetsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*backupSetsDataSource)(nil)
)

// backupSetsReadTimeout is the default time allowed for a read.
const backupSetsReadTimeout = 2 * time.Minute

// NewBackupSetsDataSource is dr_backup_sets, the name users asked for, like
// dr_schedule: data blocks say provider = gluster.
func NewBackupSetsDataSource() datasource.DataSource {
	return &backupSetsDataSource{dataSourceBase{typeName: "dr_backup_sets"}}
}

type backupSetsDataSource struct {
	dataSourceBase
}

type backupSetsModel struct {
	ID             types.String   `tfsdk:"id"`
	PrimaryNode    types.String   `tfsdk:"primary_node"`
	BackupDir      types.String   `tfsdk:"backup_dir"`
	Target         types.String   `tfsdk:"target"`
	Sets           types.List     `tfsdk:"sets"`
	Unreadable     types.List     `tfsdk:"unreadable"`
	NewestVerified types.String   `tfsdk:"newest_verified"`
	RestorePoints  types.List     `tfsdk:"restore_points"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// backupSetAttrs describe one set, as backupset.Summary does.
var backupSetAttrs = []attrSpec{
	{"id", types.StringType, "The set's folder name, `<UTC timestamp>-<target>`."},
	{"time", types.StringType, "When the set was opened (RFC 3339, UTC)."},
	{"target", types.StringType, "The target site it was replicated to."},
	{"tier", types.StringType, "Its retention level: `daily`, `weekly` or `monthly`."},
	{"kind", types.StringType, "`full` or `incremental`."},
	{"parent", types.StringType, "The set an incremental builds on; null for a full."},
	{"status", types.StringType, "`pending` (its cycle is unfinished), `verified` or `failed`."},
	{"verified", types.BoolType, "Whether reading the set back at its target matched."},
	{"failed_step", types.StringType, "The step that failed it; null otherwise."},
	{"next_step", types.StringType, "Where a run resumes an unfinished set; null when its cycle is complete."},
	{"files", types.Int64Type, "Files in the set."},
	{"bytes", types.Int64Type, "Bytes in the set: its size."},
	{"checkpoint_time", types.StringType, "The point in time the target's copy reflects (RFC 3339, UTC); null before replication."},
	{"verified_at", types.StringType, "When verification matched (RFC 3339, UTC); null when not verified."},
	{"mismatches", types.Int64Type, "What verification found wrong: errors plus warnings."},
	{"problem", types.StringType, "Why the set is not verified; null when it is."},
	{"restore_point", types.StringType, "Where the set's restore point is: `<node>:<folder>` (`<node>:<volume>:<folder>` in a store volume) for a link-tree, the snapshot's name for a gluster snapshot; null without one."},
	{"restore_point_method", types.StringType, "`link-tree` or `gluster-snapshot`; null without a point."},
	{"restore_point_bytes_new", types.Int64Type, "Bytes the point added to its store (the changed files and its folders); null without a point."},
}

// sitePointsAttrs describe one site's restore points, as
// backupset.SitePoints does.
var sitePointsAttrs = []attrSpec{
	{"target", types.StringType, "The target site."},
	{"method", types.StringType, "`link-tree` or `gluster-snapshot`."},
	{"count", types.Int64Type, "Verified restore points the site holds."},
	{"oldest", types.StringType, "The set of the oldest point: how far back a restore can go."},
	{"oldest_time", types.StringType, "The point in time the oldest point reflects (RFC 3339, UTC)."},
	{"newest", types.StringType, "The set of the newest point."},
	{"newest_time", types.StringType, "The point in time the newest point reflects (RFC 3339, UTC)."},
	{"bytes_stored", types.Int64Type, "Bytes the points take together when the newest was made (link-tree; hard-linked files counted once)."},
	{"bytes_new_latest", types.Int64Type, "Bytes the newest point added to the store."},
}

var (
	backupSetAttrTypes  = attrTypes(backupSetAttrs)
	unreadableAttrTypes = map[string]attr.Type{"id": types.StringType, "error": types.StringType}
	sitePointsAttrTypes = attrTypes(sitePointsAttrs)
)

func (d *backupSetsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	setAttrs := computedAttrs(backupSetAttrs)
	resp.Schema = schema.Schema{
		MarkdownDescription: "The backup sets in the backup folder on the primary node, oldest first, with their " +
			"level, target, status, size and what verification at the target found: what `glusterdr sets` lists, read " +
			"over SFTP from each set's `set.json`.\n\n" +
			"**The type is `dr_backup_sets`, like `dr_schedule`:** its prefix is not the provider's, so the block says " +
			"`provider = gluster`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "`<primary_node><backup_dir>`."},
			"primary_node": schema.StringAttribute{Required: true, Validators: []validator.String{host()},
				MarkdownDescription: "The node that mounts the global volume (`dr_schedule`'s `primary.node`)."},
			"backup_dir": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{absolutePath()},
				MarkdownDescription: fmt.Sprintf("The backup folder (`dr_schedule`'s `primary.backup_dir`). Default `%s`.", defaultBackupDir)},
			"target": schema.StringAttribute{Optional: true, Validators: []validator.String{targetName()},
				MarkdownDescription: "Only the sets of this target. Default: every target's."},
			"sets": schema.ListNestedAttribute{Computed: true,
				MarkdownDescription: "The sets, oldest first.",
				NestedObject:        schema.NestedAttributeObject{Attributes: setAttrs}},
			"unreadable": schema.ListNestedAttribute{Computed: true,
				MarkdownDescription: "Folders named like sets whose `set.json` is missing or damaged; retention never deletes them.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":    schema.StringAttribute{Computed: true, MarkdownDescription: "The folder's name."},
					"error": schema.StringAttribute{Computed: true, MarkdownDescription: "Why it could not be read."},
				}}},
			"newest_verified": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The id of the newest verified set (of `target`, when set); null when there is none."},
			"restore_points": schema.ListNestedAttribute{Computed: true,
				MarkdownDescription: "Each site's restore points (of `target`, when set), in target order: how many, how far " +
					"back, and what they cost.",
				NestedObject: schema.NestedAttributeObject{Attributes: computedAttrs(sitePointsAttrs)}},
			"timeouts": dataSourceTimeouts(ctx, backupSetsReadTimeout),
		},
	}
}

func (d *backupSetsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m backupSetsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	ctx, cancel := withTimeout(ctx, m.Timeouts.Read, backupSetsReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	node := m.PrimaryNode.ValueString()
	m.BackupDir = types.StringValue(stringOr(m.BackupDir, defaultBackupDir))
	store := backupset.Store{Files: d.data.files(node), Dir: m.BackupDir.ValueString()}
	listing, err := store.List(ctx)
	if err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not list the backup sets in %s on %s", store.Dir, node), timeoutHint(err, "read"))
		return
	}
	m.ID = types.StringValue(node + store.Dir)
	m.observe(listing)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// observe writes a listing into the model, keeping only target's sets when
// target is set.
func (m *backupSetsModel) observe(l backupset.Listing) {
	target := m.Target.ValueString()
	sets := []attr.Value{}
	m.NewestVerified = types.StringNull()
	for _, meta := range l.Sets {
		s := meta.Summary()
		if target != "" && s.Target != target {
			continue
		}
		if s.Verified {
			m.NewestVerified = types.StringValue(s.ID)
		}
		sets = append(sets, types.ObjectValueMust(backupSetAttrTypes, map[string]attr.Value{
			"id": types.StringValue(s.ID), "time": timeValue(s.Opened), "target": types.StringValue(s.Target),
			"tier": types.StringValue(string(s.Tier)), "kind": types.StringValue(string(s.Kind)),
			"parent": optionalString(s.Parent), "status": types.StringValue(string(s.Status)),
			"verified": types.BoolValue(s.Verified), "failed_step": optionalString(s.FailedStep),
			"next_step": optionalString(s.NextStep), "files": types.Int64Value(int64(s.Files)),
			"bytes": types.Int64Value(s.Bytes), "checkpoint_time": timeValue(s.CheckpointTime),
			"verified_at": timeValue(s.VerifiedAt), "mismatches": types.Int64Value(int64(s.Mismatches)),
			"problem": optionalString(s.Problem), "restore_point": pointLocation(s.RestorePoint),
			"restore_point_method": types.StringNull(), "restore_point_bytes_new": types.Int64Null(),
		}))
		if p := s.RestorePoint; p != nil {
			sets[len(sets)-1] = withAttrs(sets[len(sets)-1], map[string]attr.Value{
				"restore_point_method": types.StringValue(p.Method), "restore_point_bytes_new": types.Int64Value(p.BytesNew)})
		}
	}
	m.Sets = types.ListValueMust(types.ObjectType{AttrTypes: backupSetAttrTypes}, sets)
	m.RestorePoints = sitePoints(l.Sets, target)
	unreadable := []attr.Value{}
	for _, u := range l.Unreadable {
		unreadable = append(unreadable, types.ObjectValueMust(unreadableAttrTypes, map[string]attr.Value{
			"id": types.StringValue(u.ID), "error": types.StringValue(u.Error),
		}))
	}
	m.Unreadable = types.ListValueMust(types.ObjectType{AttrTypes: unreadableAttrTypes}, unreadable)
}

// optionalString is null for "".
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// pointLocation is where a set's point is, for the sets list.
func pointLocation(p *backupset.PointSummary) types.String {
	if p == nil {
		return types.StringNull()
	}
	if p.Method == "gluster-snapshot" {
		return types.StringValue(p.Location)
	}
	return types.StringValue(p.Node + ":" + p.Location)
}

// withAttrs is o with some attributes replaced.
func withAttrs(o attr.Value, repl map[string]attr.Value) attr.Value {
	obj := o.(types.Object)
	attrs := map[string]attr.Value{}
	for k, v := range obj.Attributes() {
		attrs[k] = v
	}
	for k, v := range repl {
		attrs[k] = v
	}
	return types.ObjectValueMust(backupSetAttrTypes, attrs)
}

// sitePoints sums up each site's points, of target only when set.
func sitePoints(sets []*backupset.Meta, target string) types.List {
	out := []attr.Value{}
	for _, p := range backupset.PointsBySite(sets) {
		if target != "" && p.Target != target {
			continue
		}
		out = append(out, types.ObjectValueMust(sitePointsAttrTypes, map[string]attr.Value{
			"target": types.StringValue(p.Target), "method": types.StringValue(p.Method), "count": types.Int64Value(int64(p.Count)),
			"oldest": types.StringValue(p.Oldest.Set), "oldest_time": timeValue(p.Oldest.AsOf),
			"newest": types.StringValue(p.Newest.Set), "newest_time": timeValue(p.Newest.AsOf),
			"bytes_stored": types.Int64Value(p.BytesStored), "bytes_new_latest": types.Int64Value(p.BytesNewLatest),
		}))
	}
	return types.ListValueMust(types.ObjectType{AttrTypes: sitePointsAttrTypes}, out)
}
