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

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

var (
	_ datasource.DataSource              = (*georepStatusDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*georepStatusDataSource)(nil)
)

// georepStatusReadTimeout is the default time allowed for a read.
const georepStatusReadTimeout = 2 * time.Minute

// NewGeorepStatusDataSource is gluster_georep_status.
func NewGeorepStatusDataSource() datasource.DataSource {
	return &georepStatusDataSource{dataSourceBase{typeName: "gluster_georep_status"}}
}

type georepStatusDataSource struct {
	dataSourceBase
}

type georepStatusModel struct {
	sessionRefModel
	ID                  types.String   `tfsdk:"id"`
	Status              types.String   `tfsdk:"status"`
	LastSynced          types.String   `tfsdk:"last_synced"`
	CheckpointTime      types.String   `tfsdk:"checkpoint_time"`
	CheckpointCompleted types.Bool     `tfsdk:"checkpoint_completed"`
	Pending             types.Object   `tfsdk:"pending"`
	Workers             types.List     `tfsdk:"workers"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

// pendingAttrs describe pending, summed over the workers.
var pendingAttrs = []attrSpec{
	{"entry", types.Int64Type, "Pending entry operations (create, rename, delete)."},
	{"data", types.Int64Type, "Pending data operations."},
	{"meta", types.Int64Type, "Pending metadata operations."},
	{"failures", types.Int64Type, "Operations that failed."},
}

var pendingAttrTypes = attrTypes(pendingAttrs)

func (d *georepStatusDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The live status of one geo-replication session, for outputs and checks " +
			"(for example a `check` block that fails when the session is `faulty` or the secondary is too far behind). " +
			"A session that does not exist is an error.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The session's id, as `gluster_georep_session` writes it."},
			"primary_node": schema.StringAttribute{Required: true, Validators: []validator.String{host()},
				MarkdownDescription: "Node of the primary cluster that runs the gluster commands."},
			"primary_volume": schema.StringAttribute{Required: true, Validators: []validator.String{volumeName()},
				MarkdownDescription: "The replicated volume."},
			"secondary_node": schema.StringAttribute{Required: true, Validators: []validator.String{secondaryHost()},
				MarkdownDescription: "Node of the secondary cluster named in the session."},
			"secondary_volume": schema.StringAttribute{Required: true, Validators: []validator.String{volumeName()},
				MarkdownDescription: "The volume that receives the copy."},
			"secondary_user": schema.StringAttribute{Optional: true, Validators: []validator.String{sshUser()},
				MarkdownDescription: fmt.Sprintf("User of the session on the secondary. Default `%s`.", defaultSecondaryUser)},
			"status": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The status rolled up in one word: " + quotedList(rollupNames) + "."},
			"last_synced": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Oldest last-synced time of the Active workers (RFC 3339, UTC); null when none has synced."},
			"checkpoint_time": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The session's checkpoint (RFC 3339, UTC); null when none is set."},
			"checkpoint_completed": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "Whether every Active worker (at least one) has completed that checkpoint."},
			"pending": schema.SingleNestedAttribute{Computed: true,
				MarkdownDescription: "Operations not yet synced, summed over the workers.",
				Attributes:          computedAttrs(pendingAttrs)},
			"workers": schema.ListNestedAttribute{Computed: true,
				MarkdownDescription: "One element per primary brick's gsyncd worker.",
				NestedObject:        schema.NestedAttributeObject{Attributes: computedAttrs(workerAttrs)}},
			"timeouts": dataSourceTimeouts(ctx, georepStatusReadTimeout),
		},
	}
}

func (d *georepStatusDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m georepStatusModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	ctx, cancel := withTimeout(ctx, m.Timeouts.Read, georepStatusReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	ref, node := m.ref(), m.PrimaryNode.ValueString()
	c := d.data.gluster(node)
	st, err := d.data.statuses.status(ctx, node, c, ref)
	if err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not read the status of geo-replication session %s on %s", ref, m.PrimaryNode.ValueString()),
			timeoutHint(err, "read"))
		return
	}
	cp, err := d.data.statuses.checkpoint(ctx, node, c, ref)
	if err != nil {
		addError(&resp.Diagnostics, fmt.Sprintf("Could not read the checkpoint of geo-replication session %s", ref), timeoutHint(err, "read"))
		return
	}
	m.observe(m.PrimaryNode.ValueString(), st, cp)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// observe writes a status into the model.
func (m *georepStatusModel) observe(primaryNode string, st *gluster.SessionStatus, checkpoint time.Time) {
	m.ID = types.StringValue(sessionID(primaryNode, st.Ref))
	m.Status = types.StringValue(string(st.Rollup))
	m.LastSynced = timeValue(st.LastSynced())
	m.CheckpointTime = timeValue(checkpoint)
	done := false
	if !checkpoint.IsZero() {
		done, _ = st.CheckpointReached(checkpoint)
	}
	m.CheckpointCompleted = types.BoolValue(done)
	p := st.Pending()
	m.Pending = types.ObjectValueMust(pendingAttrTypes, map[string]attr.Value{
		"entry": types.Int64Value(int64(p.Entry)), "data": types.Int64Value(int64(p.Data)),
		"meta": types.Int64Value(int64(p.Meta)), "failures": types.Int64Value(int64(p.Failures)),
	})
	m.Workers = workersValue(st.Workers)
}
