package provider

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

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
	if got := m.nonDefaultConfig(); len(got) != 0 {
		t.Errorf("a new session's config has non-default values %v", got)
	}
	if m.sshPort() != 22 {
		t.Errorf("ssh port = %d", m.sshPort())
	}
}

func TestSessionConfigChanges(t *testing.T) {
	have := defaultsModel(t)
	have.SyncMethod = types.StringValue("tarssh")
	have.RsyncOptions = types.StringValue("--bwlimit=100")
	want := defaultsModel(t)
	want.SyncJobs = types.Int64Value(5)
	want.IgnoreDeletes = types.BoolValue(true)
	want.RsyncOptions = types.StringValue("--bwlimit=100")

	set, reset := configChanges(have, want)
	if !maps.Equal(set, map[string]string{"sync_jobs": "5", "ignore_deletes": "true"}) {
		t.Errorf("set = %v", set)
	}
	if !slices.Equal(reset, []string{"sync_method"}) {
		t.Errorf("reset = %v, want sync_method back to gluster's default", reset)
	}
	if got := want.nonDefaultConfig(); !maps.Equal(got, map[string]string{"sync_jobs": "5", "ignore_deletes": "true", "rsync_options": "--bwlimit=100"}) {
		t.Errorf("nonDefaultConfig = %v", got)
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
