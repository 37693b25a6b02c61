package provider

import (
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// georepSessionModel is gluster_georep_session's data.
type georepSessionModel struct {
	sessionRefModel
	ID                         types.String   `tfsdk:"id"`
	SSHPort                    types.Int64    `tfsdk:"ssh_port"`
	SyncMethod                 types.String   `tfsdk:"sync_method"`
	SyncJobs                   types.Int64    `tfsdk:"sync_jobs"`
	IgnoreDeletes              types.Bool     `tfsdk:"ignore_deletes"`
	UseMetaVolume              types.Bool     `tfsdk:"use_meta_volume"`
	RsyncOptions               types.String   `tfsdk:"rsync_options"`
	ConnectionTimeout          types.Int64    `tfsdk:"connection_timeout"`
	SecondaryTimeout           types.Int64    `tfsdk:"secondary_timeout"`
	SyncXattrs                 types.Bool     `tfsdk:"sync_xattrs"`
	SyncAcls                   types.Bool     `tfsdk:"sync_acls"`
	ChangelogBatchSize         types.Int64    `tfsdk:"changelog_batch_size"`
	ChangelogRolloverTime      types.Int64    `tfsdk:"changelog_rollover_time"`
	TarBlockingFactor          types.Int64    `tfsdk:"tar_blocking_factor"`
	DesiredState               types.String   `tfsdk:"desired_state"`
	InsecureSkipHostKeyPinning types.Bool     `tfsdk:"insecure_skip_host_key_pinning"`
	ResetSyncTimeOnDelete      types.Bool     `tfsdk:"reset_sync_time_on_delete"`
	PinnedHostKeys             types.List     `tfsdk:"pinned_host_keys"`
	Status                     types.String   `tfsdk:"status"`
	LastSynced                 types.String   `tfsdk:"last_synced"`
	Workers                    types.List     `tfsdk:"workers"`
	Timeouts                   timeouts.Value `tfsdk:"timeouts"`
}

// sessionRefModel holds the attributes that name a session, in
// gluster_georep_session and gluster_georep_status alike.
type sessionRefModel struct {
	PrimaryNode     types.String `tfsdk:"primary_node"`
	PrimaryVolume   types.String `tfsdk:"primary_volume"`
	SecondaryNode   types.String `tfsdk:"secondary_node"`
	SecondaryVolume types.String `tfsdk:"secondary_volume"`
	SecondaryUser   types.String `tfsdk:"secondary_user"`
}

// ref is the session the model names.
func (m *sessionRefModel) ref() gluster.SessionRef {
	ref := gluster.SessionRef{
		PrimaryVolume:   m.PrimaryVolume.ValueString(),
		SecondaryHost:   m.SecondaryNode.ValueString(),
		SecondaryVolume: m.SecondaryVolume.ValueString(),
	}
	if u := m.SecondaryUser.ValueString(); u != "" && u != defaultSecondaryUser {
		ref.SecondaryUser = u
	}
	return ref
}

func (m *georepSessionModel) sshPort() int {
	return int(int64Or(m.SSHPort, defaultSSHPortGsyncd))
}

// configField ties a sessionConfigAttr to its field in a model.
type configField struct {
	sessionConfigAttr
	str  *types.String
	num  *types.Int64
	flag *types.Bool
}

func (m *georepSessionModel) configFields() []configField {
	fields := map[string]configField{
		"sync_method":          {str: &m.SyncMethod},
		"sync_jobs":            {num: &m.SyncJobs},
		"ignore_deletes":       {flag: &m.IgnoreDeletes},
		"use_meta_volume":      {flag: &m.UseMetaVolume},
		"rsync_options":        {str: &m.RsyncOptions},
		"connection_timeout":   {num: &m.ConnectionTimeout},
		"secondary_timeout":    {num: &m.SecondaryTimeout},
		"sync_xattrs":          {flag: &m.SyncXattrs},
		"sync_acls":            {flag: &m.SyncAcls},
		"changelog_batch_size": {num: &m.ChangelogBatchSize},
	}
	out := make([]configField, 0, len(sessionConfigAttrs))
	for _, a := range sessionConfigAttrs {
		f := fields[a.name]
		f.sessionConfigAttr = a
		out = append(out, f)
	}
	return out
}

// text is the value as gsyncd takes it; ok is false for null or unknown.
func (f configField) text() (string, bool) {
	switch {
	case f.str != nil && !f.str.IsNull() && !f.str.IsUnknown():
		return f.str.ValueString(), true
	case f.num != nil && !f.num.IsNull() && !f.num.IsUnknown():
		return strconv.FormatInt(f.num.ValueInt64(), 10), true
	case f.flag != nil && !f.flag.IsNull() && !f.flag.IsUnknown():
		return strconv.FormatBool(f.flag.ValueBool()), true
	}
	return "", false
}

// set writes a live value (as gsyncd prints it) into the field; a key
// missing from the live config means gluster's default.
func (f configField) set(live map[string]string) error {
	v, ok := live[f.key]
	if !ok {
		v = f.def
	}
	switch {
	case f.str != nil:
		*f.str = types.StringValue(v)
	case f.num != nil:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("gsyncd config %s = %q is not a whole number", f.key, v)
		}
		*f.num = types.Int64Value(n)
	case f.flag != nil:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("gsyncd config %s = %q is not true or false", f.key, v)
		}
		*f.flag = types.BoolValue(b)
	}
	return nil
}

// spec is the session m declares, as the engine takes it. Every config
// attribute has a value (its default, when not configured): one at
// gluster's default is reset rather than set, and a new session is only
// given the others.
func (m *georepSessionModel) spec() georep.Spec {
	s := georep.Spec{SSHPort: m.sshPort(), Config: map[string]string{}, Reset: map[string]string{},
		InsecureSkipHostKeyPinning: m.InsecureSkipHostKeyPinning.ValueBool(),
		RolloverSeconds:            int(int64Or(m.ChangelogRolloverTime, georep.DefaultRolloverSeconds)),
		TarBlocking:                int(int64Or(m.TarBlockingFactor, georep.DefaultTarBlocking))}
	if !m.DesiredState.IsNull() && !m.DesiredState.IsUnknown() {
		s.State = georep.State(m.DesiredState.ValueString())
	}
	for _, f := range m.configFields() {
		switch v, ok := f.text(); {
		case !ok:
		case v == f.def:
			s.Reset[f.key] = v
		default:
			s.Config[f.key] = v
		}
	}
	return s
}

// view is the session as the refresh before an update read it into state,
// for the engine to plan the update from without reading it again.
func (m *georepSessionModel) view() georep.View {
	v := georep.View{Exists: true, State: georep.StateOf(gluster.Rollup(m.Status.ValueString())),
		Config:          map[string]string{"ssh_port": strconv.Itoa(m.sshPort())},
		RolloverSeconds: int(m.ChangelogRolloverTime.ValueInt64()), TarBlocking: int(m.TarBlockingFactor.ValueInt64())}
	for _, f := range m.configFields() {
		if t, ok := f.text(); ok {
			v.Config[f.key] = t
		}
	}
	v.PinsInUse = !m.InsecureSkipHostKeyPinning.ValueBool()
	v.Pinned = v.PinsInUse
	return v
}

// observe writes what the engine read into the model. When the pinning
// could not be checked (PinErr), insecure_skip_host_key_pinning keeps what
// state says; so does tar_blocking_factor when it could not be read
// (TarErr).
func (m *georepSessionModel) observe(v georep.View) error {
	if err := m.observeConfig(v.Config); err != nil {
		return err
	}
	m.ChangelogRolloverTime = types.Int64Value(int64(v.RolloverSeconds))
	if v.TarErr == nil || m.TarBlockingFactor.IsUnknown() {
		m.TarBlockingFactor = types.Int64Value(int64(v.TarBlocking))
	}
	m.observeStatus(v.Status)
	m.PinnedHostKeys = stringList(v.PinnedKeys)
	switch {
	case v.PinErr == nil:
		m.InsecureSkipHostKeyPinning = types.BoolValue(!v.Pinned)
	case m.InsecureSkipHostKeyPinning.IsNull() || m.InsecureSkipHostKeyPinning.IsUnknown():
		m.InsecureSkipHostKeyPinning = types.BoolValue(false)
	}
	return nil
}

// observeConfig writes the live config into the model.
func (m *georepSessionModel) observeConfig(live map[string]string) error {
	for _, f := range m.configFields() {
		if err := f.set(live); err != nil {
			return err
		}
	}
	port := defaultSSHPortGsyncd
	if v, ok := live["ssh_port"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("gsyncd config ssh_port = %q is not a port number", v)
		}
		port = n
	}
	m.SSHPort = types.Int64Value(int64(port))
	return nil
}

// observeStatus writes the status, and the running state when the model
// enforces one.
func (m *georepSessionModel) observeStatus(st *gluster.SessionStatus) {
	m.Status = types.StringValue(string(st.Rollup))
	m.LastSynced = timeValue(st.LastSynced())
	m.Workers = workersValue(st.Workers)
	if !m.DesiredState.IsNull() && !m.DesiredState.IsUnknown() {
		m.DesiredState = types.StringValue(string(georep.StateOf(st.Rollup)))
	}
}

// rollupNames are the values of status.
var rollupNames = []string{
	string(gluster.RollupUp), string(gluster.RollupInitializing), string(gluster.RollupPartial),
	string(gluster.RollupFaulty), string(gluster.RollupCreated), string(gluster.RollupStopped),
	string(gluster.RollupPaused), string(gluster.RollupDown), string(gluster.RollupUnknown),
}

// workerAttrTypes is the object type of one element of workers.
var workerAttrTypes = attrTypes(workerAttrs)

func workersValue(ws []gluster.Worker) types.List {
	objType := types.ObjectType{AttrTypes: workerAttrTypes}
	elems := make([]attr.Value, 0, len(ws))
	for _, w := range ws {
		elems = append(elems, types.ObjectValueMust(workerAttrTypes, map[string]attr.Value{
			"primary_node":         types.StringValue(w.PrimaryNode),
			"brick":                types.StringValue(w.PrimaryBrick),
			"status":               types.StringValue(w.Status),
			"crawl_status":         types.StringValue(w.CrawlStatus),
			"last_synced":          timeValue(w.LastSynced),
			"checkpoint_time":      timeValue(w.CheckpointTime),
			"checkpoint_completed": types.BoolValue(w.CheckpointCompleted),
		}))
	}
	return types.ListValueMust(objType, elems)
}

// timeValue renders a time as RFC 3339 in UTC; the zero time (gluster's
// N/A) is null.
func timeValue(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}
