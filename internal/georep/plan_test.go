package georep

import (
	"errors"
	"slices"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// live is an existing session in state, pinned or not, with gsyncd's
// defaults for three keys and kv on top.
func live(state State, pinned bool, kv ...string) View {
	v := View{Exists: true, State: state, PinsInUse: pinned, Pinned: pinned,
		Config: map[string]string{"ssh_port": "22", "sync_method": "rsync", "sync_jobs": "3"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Config[kv[i]] = kv[i+1]
	}
	return v
}

func TestPlan(t *testing.T) {
	missing := View{Config: map[string]string{}}
	tarssh := map[string]string{"sync_method": "tarssh"}
	unreachable := live(Stopped, false)
	unreachable.PinsInUse, unreachable.PinErr = true, errors.New("dial tcp: connection refused")
	tests := []struct {
		name string
		have View
		want Spec
		plan []Change
	}{
		{name: "missing, state left alone: create, left stopped", have: missing, want: Spec{Config: tarssh},
			plan: []Change{{What: ChangeCreate, To: "stopped"}}},
		{name: "missing, started: create then start", have: missing, want: Spec{State: Started, Config: tarssh},
			plan: []Change{{What: ChangeCreate, To: "stopped"}, {What: ChangeState, From: "stopped", To: "started"}}},
		{name: "missing, stopped: create only", have: missing, want: Spec{State: Stopped},
			plan: []Change{{What: ChangeCreate, To: "stopped"}}},
		{name: "missing, absent: nothing", have: missing, want: Spec{State: Absent}, plan: []Change{}},
		{name: "running, absent: delete", have: live(Started, true), want: Spec{State: Absent},
			plan: []Change{{What: ChangeDelete, From: "started"}}},
		{name: "as declared: nothing", have: live(Stopped, true, "sync_method", "tarssh"), want: Spec{State: Stopped, Config: tarssh},
			plan: []Change{}},
		{name: "no state declared leaves a running session running", have: live(Started, true, "sync_method", "tarssh"),
			want: Spec{Config: tarssh}, plan: []Change{}},
		{name: "config differs", have: live(Stopped, true), want: Spec{Config: map[string]string{"sync_method": "tarssh", "sync_jobs": "3"}},
			plan: []Change{{What: ChangeConfig, Key: "sync_method", From: "rsync", To: "tarssh"}}},
		{name: "key gsyncd does not print yet", have: live(Stopped, true), want: Spec{Config: map[string]string{"log_level": "DEBUG"}},
			plan: []Change{{What: ChangeConfig, Key: "log_level", To: "DEBUG"}}},
		{name: "unpinned, port and state differ, in apply order", have: live(Paused, false),
			want: Spec{State: Started, SSHPort: 2222, Config: tarssh},
			plan: []Change{
				{What: ChangePort, Key: "ssh_port", From: "22", To: "2222"},
				{What: ChangePin, Key: "ssh_options"},
				{What: ChangeConfig, Key: "sync_method", From: "rsync", To: "tarssh"},
				{What: ChangeState, From: "paused", To: "started"},
			}},
		{name: "a new port pins again: the known_hosts lines name it", have: live(Stopped, true), want: Spec{SSHPort: 2222},
			plan: []Change{{What: ChangePort, Key: "ssh_port", From: "22", To: "2222"}, {What: ChangePin, Key: "ssh_options"}}},
		{name: "pinning that could not be checked is left alone", have: unreachable, want: Spec{}, plan: []Change{}},
		{name: "opting out takes the pinning away", have: live(Stopped, true), want: Spec{InsecureSkipHostKeyPinning: true},
			plan: []Change{{What: ChangeUnpin, Key: "ssh_options"}}},
		{name: "opted out and not pinned: nothing", have: live(Stopped, false), want: Spec{InsecureSkipHostKeyPinning: true},
			plan: []Change{}},
		{name: "values back to gluster's defaults are reset, after the sets",
			have: live(Stopped, true, "sync_method", "tarssh", "ignore_deletes", "true"),
			want: Spec{Config: map[string]string{"sync_jobs": "5"},
				Reset: map[string]string{"sync_method": "rsync", "ignore_deletes": "false", "use_meta_volume": "false"}},
			plan: []Change{
				{What: ChangeConfig, Key: "sync_jobs", From: "3", To: "5"},
				{What: ChangeReset, Key: "ignore_deletes", From: "true", To: "false"},
				{What: ChangeReset, Key: "sync_method", From: "tarssh", To: "rsync"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Plan(tt.have, tt.want)
			if !slices.Equal(got, tt.plan) {
				t.Fatalf("plan\n got %+v\nwant %+v", got, tt.plan)
			}
		})
	}
}

func TestPredict(t *testing.T) {
	want := Spec{State: Started, SSHPort: 2222, Config: map[string]string{"sync_method": "tarssh"}}
	missing := View{Config: map[string]string{}}
	after := Predict(missing, want, Plan(missing, want))
	if !after.Exists || after.State != Started || !after.Pinned || after.Config["sync_method"] != "tarssh" || after.Config["ssh_port"] != "2222" {
		t.Fatalf("predicted %+v", after)
	}
	if after.Status == nil || after.Status.Rollup != "" {
		t.Fatalf("predicted status %+v; want the new state's status unknown", after.Status)
	}
	if want.Config["ssh_port"] != "" {
		t.Fatal("predicting changed the spec")
	}
	have := live(Started, true)
	have.Status = &gluster.SessionStatus{Rollup: gluster.RollupUp, Workers: []gluster.Worker{{PrimaryNode: "p1"}}}
	paused := Predict(have, Spec{State: Paused}, Plan(have, Spec{State: Paused}))
	if paused.State != Paused || paused.Status.Rollup != "" || len(paused.Status.Workers) != 1 || have.Status.Rollup != gluster.RollupUp {
		t.Fatalf("predicted %+v (status %+v) from %+v", paused, paused.Status, have.Status)
	}
	gone := Predict(have, Spec{State: Absent}, Plan(have, Spec{State: Absent}))
	if gone.Exists || len(gone.Config) != 0 {
		t.Fatalf("predicted %+v after delete", gone)
	}
	if have.Config["ssh_port"] != "22" || len(have.Config) != 3 {
		t.Fatalf("predicting changed the observed view: %+v", have)
	}
}

func TestSpecValidate(t *testing.T) {
	for _, s := range []Spec{
		{State: "start"},
		{SSHPort: 70000},
		{Config: map[string]string{"ssh_options": "-oStrictHostKeyChecking=no"}},
		{Reset: map[string]string{"ssh_port": "22"}},
	} {
		if err := s.Validate(); err == nil {
			t.Errorf("Validate(%+v) accepted it", s)
		}
	}
	if err := (Spec{State: Absent, Config: map[string]string{"sync_method": "tarssh"}}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestPlanRollover(t *testing.T) {
	have := live(Stopped, true)
	have.RolloverSeconds = 15
	got := Plan(have, Spec{RolloverSeconds: 1})
	want := []Change{{What: ChangeRollover, Key: gluster.RolloverOption, From: "15", To: "1"}}
	if !slices.Equal(got, want) {
		t.Errorf("plan %+v, want %+v", got, want)
	}
	if got := Plan(have, Spec{}); len(got) != 0 {
		t.Errorf("no rollover declared must leave the volume alone, got %+v", got)
	}
	have.RolloverSeconds = 1
	if got := Plan(have, Spec{RolloverSeconds: 1}); len(got) != 0 {
		t.Errorf("rollover already set, got %+v", got)
	}
	if v := Predict(have, Spec{RolloverSeconds: 5}, Plan(have, Spec{RolloverSeconds: 5})); v.RolloverSeconds != 5 {
		t.Errorf("predicted rollover %d, want 5", v.RolloverSeconds)
	}
	for _, bad := range []int{-1, 1, MinRolloverSeconds - 1, MaxRolloverSeconds + 1} {
		if err := (Spec{RolloverSeconds: bad}).Validate(); err == nil {
			t.Errorf("rollover %d accepted", bad)
		}
	}
}
