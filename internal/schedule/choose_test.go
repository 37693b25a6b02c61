package schedule

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestChooseTargets(t *testing.T) {
	night := func(day int) time.Time { return time.Date(2026, 11, day, 2, 0, 0, 0, time.UTC) }
	three := []Target{{Name: "sdsc"}, {Name: "tacc"}, {Name: "ornl"}}
	tests := []struct {
		name     string
		rotation Rotation
		targets  []Target
		history  map[string]TargetHistory
		want     []string
	}{{
		name:     "all: every target in declared order",
		rotation: RotationAll, targets: three,
		history: map[string]TargetHistory{"sdsc": {LastVerified: night(1)}},
		want:    []string{"sdsc", "tacc", "ornl"},
	}, {
		name:     "alternate, no history: the first declared",
		rotation: RotationAlternate, targets: three,
		want: []string{"sdsc"},
	}, {
		name:     "alternate: the oldest verified copy",
		rotation: RotationAlternate, targets: three[:2],
		history: map[string]TargetHistory{
			"sdsc": {LastVerified: night(24), LastAttempt: night(24)},
			"tacc": {LastVerified: night(23), LastAttempt: night(23)},
		},
		want: []string{"tacc"},
	}, {
		name:     "alternate: a site that failed last night is retried",
		rotation: RotationAlternate, targets: three[:2],
		history: map[string]TargetHistory{
			"sdsc": {LastVerified: night(24), LastAttempt: night(24)},
			"tacc": {LastVerified: night(23), LastAttempt: night(25)}, // failed on the 25th
		},
		want: []string{"tacc"},
	}, {
		name:     "alternate: never verified is oldest of all",
		rotation: RotationAlternate, targets: three[:2],
		history: map[string]TargetHistory{
			"sdsc": {LastVerified: night(1), LastAttempt: night(1)},
			"tacc": {LastAttempt: night(25)},
		},
		want: []string{"tacc"},
	}, {
		name:     "alternate: a tie goes to the oldest attempt",
		rotation: RotationAlternate, targets: three,
		history: map[string]TargetHistory{
			"sdsc": {LastAttempt: night(25)},
			"tacc": {LastAttempt: night(24)},
			"ornl": {LastAttempt: night(26)},
		},
		want: []string{"tacc"},
	}, {
		name:     "alternate: never attempted goes before attempted",
		rotation: RotationAlternate, targets: three,
		history: map[string]TargetHistory{
			"sdsc": {LastAttempt: night(25)},
			"tacc": {LastAttempt: night(24)},
		},
		want: []string{"ornl"},
	}, {
		name:     "alternate: a full tie goes to declared order",
		rotation: RotationAlternate, targets: three,
		history: map[string]TargetHistory{
			"sdsc": {LastVerified: night(24), LastAttempt: night(24)},
			"tacc": {LastVerified: night(20), LastAttempt: night(24)},
			"ornl": {LastVerified: night(20), LastAttempt: night(24)},
		},
		want: []string{"tacc"},
	}, {
		name:     "history of an undeclared target is ignored",
		rotation: RotationAlternate, targets: three[:1],
		history: map[string]TargetHistory{"old": {}},
		want:    []string{"sdsc"},
	}, {
		name:     "no targets",
		rotation: RotationAlternate,
		want:     nil,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Schedule{Rotation: tt.rotation, Targets: tt.targets}
			if diff := cmp.Diff(tt.want, ChooseTargets(s, tt.history)); diff != "" {
				t.Errorf("ChooseTargets (-want +got):\n%s", diff)
			}
		})
	}
}

// TestChooseTargetsAlternates plays nights with a flaky site: "alternate"
// takes turns while both succeed and keeps at a site until it succeeds.
func TestChooseTargetsAlternates(t *testing.T) {
	s := &Schedule{Rotation: RotationAlternate, Targets: []Target{{Name: "sdsc"}, {Name: "tacc"}}}
	history := map[string]TargetHistory{}
	fails := map[string]bool{"tacc 4": true, "tacc 5": true}
	var got []string
	for night := 1; night <= 7; night++ {
		at := time.Date(2026, 11, night, 2, 0, 0, 0, time.UTC)
		target := ChooseTargets(s, history)[0]
		got = append(got, target)
		h := history[target]
		h.LastAttempt = at
		if !fails[fmt.Sprint(target, " ", night)] {
			h.LastVerified = at
		}
		history[target] = h
	}
	want := []string{"sdsc", "tacc", "sdsc", "tacc", "tacc", "tacc", "sdsc"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("targets night by night (-want +got):\n%s", diff)
	}
}
