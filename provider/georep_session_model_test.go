package provider

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// defaultsModel is a session model with every config attribute at
// gluster's default, as the schema's defaults plan it.
func defaultsModel(t *testing.T) *georepSessionModel {
	t.Helper()
	m := &georepSessionModel{}
	if err := m.observeConfig(map[string]string{}); err != nil {
		t.Fatal(err)
	}
	m.ChangelogRolloverTime = types.Int64Value(georep.DefaultRolloverSeconds) // the schema's defaults
	m.TarBlockingFactor = types.Int64Value(georep.DefaultTarBlocking)
	return m
}

func TestSessionConfigDefaultsAreGlustersOwn(t *testing.T) {
	// The defaults in the table match what gsyncd prints for a new session
	// (fixture georep-config.out, GlusterFS 10.3).
	live := map[string]string{
		"sync_method": "rsync", "sync_jobs": "3", "ignore_deletes": "false", "use_meta_volume": "false",
		"rsync_options": "", "connection_timeout": "60", "secondary_timeout": "120", "ssh_port": "22",
	}
	m := &georepSessionModel{}
	if err := m.observeConfig(live); err != nil {
		t.Fatal(err)
	}
	if got := m.spec().Config; len(got) != 0 {
		t.Errorf("a new session's config has non-default values %v", got)
	}
	if m.sshPort() != 22 {
		t.Errorf("ssh port = %d", m.sshPort())
	}
}

// TestSessionConfigChanges: what the model declares, planned by the engine
// against a live config, sets what differs and puts values declared at
// gluster's default back with a reset.
func TestSessionConfigChanges(t *testing.T) {
	live := map[string]string{"sync_method": "tarssh", "rsync_options": "--bwlimit=100", "sync_jobs": "3",
		"ignore_deletes": "false", "ssh_port": "22"}
	have := georep.View{Exists: true, State: georep.Stopped, Config: live, PinsInUse: true, Pinned: true,
		RolloverSeconds: georep.DefaultRolloverSeconds, TarBlocking: georep.DefaultTarBlocking}
	want := defaultsModel(t)
	want.SyncJobs = types.Int64Value(5)
	want.IgnoreDeletes = types.BoolValue(true)
	want.RsyncOptions = types.StringValue("--bwlimit=100")

	set, reset := map[string]string{}, []string{}
	for _, ch := range georep.Plan(have, want.spec()) {
		switch ch.What {
		case georep.ChangeConfig:
			set[ch.Key] = ch.To
		case georep.ChangeReset:
			reset = append(reset, ch.Key)
		default:
			t.Errorf("unexpected change %+v", ch)
		}
	}
	if !maps.Equal(set, map[string]string{"sync_jobs": "5", "ignore_deletes": "true"}) {
		t.Errorf("set = %v", set)
	}
	if !slices.Equal(reset, []string{"sync_method"}) {
		t.Errorf("reset = %v, want sync_method back to gluster's default", reset)
	}
	if got := want.spec().Config; !maps.Equal(got, map[string]string{"sync_jobs": "5", "ignore_deletes": "true", "rsync_options": "--bwlimit=100"}) {
		t.Errorf("a new session is given %v", got)
	}
}

func TestSessionSpecState(t *testing.T) {
	m := defaultsModel(t)
	m.DesiredState = types.StringNull()
	if s := m.spec(); s.State != "" || s.InsecureSkipHostKeyPinning || s.SSHPort != 22 {
		t.Errorf("spec without desired_state = %+v; want the running state left alone", s)
	}
	m.DesiredState = types.StringValue("paused")
	m.InsecureSkipHostKeyPinning = types.BoolValue(true)
	if s := m.spec(); s.State != georep.Paused || !s.InsecureSkipHostKeyPinning {
		t.Errorf("spec = %+v", s)
	}
}

// TestSessionObservePinning: insecure_skip_host_key_pinning reads whether
// pinning is in force, and keeps what state says when it cannot be checked.
func TestSessionObservePinning(t *testing.T) {
	st := &gluster.SessionStatus{Rollup: gluster.RollupStopped}
	for _, tc := range []struct {
		name  string
		view  georep.View
		state types.Bool
		want  bool
	}{
		{"in force", georep.View{PinsInUse: true, Pinned: true, PinnedKeys: []string{"h ssh-ed25519 AAAA"}}, types.BoolNull(), false},
		{"stale keys", georep.View{PinsInUse: true, PinnedKeys: []string{"h ssh-ed25519 AAAA"}}, types.BoolValue(false), true},
		{"not in use", georep.View{}, types.BoolValue(false), true},
		{"unchecked keeps state", georep.View{PinsInUse: true, PinErr: errors.New("refused")}, types.BoolValue(true), true},
		{"unchecked after import", georep.View{PinsInUse: true, PinErr: errors.New("refused")}, types.BoolNull(), false},
	} {
		tc.view.Exists, tc.view.Status, tc.view.Config = true, st, map[string]string{}
		m := &georepSessionModel{InsecureSkipHostKeyPinning: tc.state, DesiredState: types.StringNull()}
		if err := m.observe(tc.view); err != nil {
			t.Fatal(err)
		}
		if got := m.InsecureSkipHostKeyPinning.ValueBool(); got != tc.want {
			t.Errorf("%s: insecure_skip_host_key_pinning = %v, want %v", tc.name, got, tc.want)
		}
		if got := len(m.PinnedHostKeys.Elements()); got != len(tc.view.PinnedKeys) {
			t.Errorf("%s: %d pinned_host_keys, want %d", tc.name, got, len(tc.view.PinnedKeys))
		}
	}
}

func TestSessionObserveConfigRefusesGarbage(t *testing.T) {
	for _, live := range []map[string]string{{"sync_jobs": "many"}, {"ignore_deletes": "perhaps"}, {"ssh_port": "x"}} {
		if err := (&georepSessionModel{}).observeConfig(live); err == nil {
			t.Errorf("observeConfig(%v) accepted it", live)
		}
	}
}

func TestSessionObserveStatusEnforcesStateOnlyWhenDeclared(t *testing.T) {
	st := &gluster.SessionStatus{Rollup: gluster.RollupStopped, Workers: []gluster.Worker{{
		PrimaryNode: "203.0.113.10", PrimaryBrick: "/b/global", Status: gluster.WorkerStopped, CrawlStatus: "N/A",
	}}}
	m := &georepSessionModel{DesiredState: types.StringNull()}
	m.observeStatus(st)
	if !m.DesiredState.IsNull() {
		t.Errorf("unset desired_state became %s: report, don't enforce", m.DesiredState)
	}
	if m.Status.ValueString() != "stopped" || !m.LastSynced.IsNull() || len(m.Workers.Elements()) != 1 {
		t.Errorf("status = %s, last_synced = %s, workers = %s", m.Status, m.LastSynced, m.Workers)
	}

	m.DesiredState = types.StringValue("started")
	m.observeStatus(st)
	if m.DesiredState.ValueString() != "stopped" {
		t.Errorf("declared desired_state reads %s, want the live stopped", m.DesiredState)
	}
}

func TestTimeValue(t *testing.T) {
	if !timeValue(time.Time{}).IsNull() {
		t.Error("zero time is not null")
	}
	at := time.Date(2026, 11, 25, 17, 30, 58, 0, time.FixedZone("x", 3600))
	if got := timeValue(at).ValueString(); got != "2026-11-25T16:30:58Z" {
		t.Errorf("timeValue = %s", got)
	}
}

// TestSessionUpdatePlansFromState: an update is planned from what the
// refresh put into state, as the engine's view of it.
func TestSessionUpdatePlansFromState(t *testing.T) {
	state := defaultsModel(t)
	state.Status = types.StringValue(string(gluster.RollupUp))
	state.DesiredState = types.StringNull()
	state.InsecureSkipHostKeyPinning = types.BoolValue(true) // the refresh found the pins stale
	plan := defaultsModel(t)
	plan.DesiredState = types.StringValue("paused")
	plan.InsecureSkipHostKeyPinning = types.BoolValue(false)
	plan.SSHPort = types.Int64Value(2222)
	want := []georep.Change{
		{What: georep.ChangePort, Key: "ssh_port", From: "22", To: "2222"},
		{What: georep.ChangePin, Key: "ssh_options"},
		{What: georep.ChangeState, From: "started", To: "paused"},
	}
	if got := georep.Plan(state.view(), plan.spec()); !slices.Equal(got, want) {
		t.Errorf("plan\n got %+v\nwant %+v", got, want)
	}
	if got := georep.Plan(state.view(), state.spec()); len(got) != 0 {
		t.Errorf("state planned against itself: %+v; want no change", got)
	}
}

// TestSessionTunedDefaults: the attributes whose default is glusterdr's
// rather than gluster's set it, and the rollover time reaches the spec.
func TestSessionTunedDefaults(t *testing.T) {
	var method sessionConfigAttr
	for _, a := range sessionConfigAttrs {
		if a.name == "sync_method" {
			method = a
		}
	}
	if method.defaultValue() != "tarssh" || method.def != "rsync" {
		t.Fatalf("sync_method default %q over gluster's %q, want tarssh over rsync", method.defaultValue(), method.def)
	}
	m := defaultsModel(t)
	m.SyncMethod = types.StringValue(method.defaultValue())
	m.ChangelogRolloverTime = types.Int64Value(5)
	s := m.spec()
	if s.Config["sync_method"] != "tarssh" || s.RolloverSeconds != 5 {
		t.Errorf("spec config %v rollover %d, want sync_method tarssh and 5", s.Config, s.RolloverSeconds)
	}
	m.SyncMethod = types.StringValue("rsync")
	if s := m.spec(); s.Reset["sync_method"] != "rsync" {
		t.Errorf("rsync is gluster's own default and must reset the key: %v", s.Reset)
	}
}

// TestSessionTarBlockingDrift: a secondary node put back to push-pem's line
// reads as GNU tar's factor and plans the change to the declared one; a
// read that failed keeps what state says, so that it plans nothing.
func TestSessionTarBlockingDrift(t *testing.T) {
	state := defaultsModel(t)
	state.Status = types.StringValue(string(gluster.RollupStopped))
	v := state.view()
	v.TarBlocking = gluster.DefaultTarBlocking
	if err := state.observe(withStatus(v)); err != nil {
		t.Fatal(err)
	}
	if got := state.TarBlockingFactor.ValueInt64(); got != gluster.DefaultTarBlocking {
		t.Fatalf("observed %d", got)
	}
	want := []georep.Change{{What: georep.ChangeTarBlocking, Key: georep.ChangeTarBlocking, From: "20", To: "256"}}
	if got := georep.Plan(state.view(), defaultsModel(t).spec()); !slices.Equal(got, want) {
		t.Errorf("plan %+v, want %+v", got, want)
	}
	v.TarBlocking, v.TarErr = gluster.TarKeyMissing, errors.New("ssh sdsc2: connection refused")
	if err := state.observe(withStatus(v)); err != nil {
		t.Fatal(err)
	}
	if got := state.TarBlockingFactor.ValueInt64(); got != gluster.DefaultTarBlocking {
		t.Errorf("after a failed read: %d; want the last known %d", got, gluster.DefaultTarBlocking)
	}
}

func withStatus(v georep.View) georep.View {
	v.Status = &gluster.SessionStatus{Rollup: gluster.RollupStopped}
	return v
}
