package journal

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

func at(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }

func TestAppendAndRead(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state", FileName)
	if got, err := ReadFile(ctx, remote.LocalFiles{}, path); err != nil || got != nil {
		t.Fatalf("a missing journal: %v, %v", got, err)
	}
	entries := []Entry{
		{Time: at(24, 3), Set: "20261124T020000Z-sdsc", Target: "sdsc", Result: ResultVerified, Started: at(24, 2), CheckpointTime: at(24, 2)},
		{Time: at(25, 3), Set: "20261125T020000Z-tacc", Target: "tacc", Result: ResultFailed, FailedStep: "verify", Started: at(25, 2)},
	}
	for _, e := range entries {
		if err := Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadFile(ctx, remote.LocalFiles{}, path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(entries, got); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o640 {
		t.Errorf("journal mode %v", info.Mode().Perm())
	}
}

func TestParseToleratesATornLastLine(t *testing.T) {
	data := "{\"set\":\"a\",\"target\":\"sdsc\"}\n\n{\"set\":\"b\",\"tar"
	got, err := Parse([]byte(data))
	if err != nil || len(got) != 1 || got[0].Set != "a" {
		t.Errorf("Parse: %+v, %v", got, err)
	}
	_, err = Parse([]byte("{\"set\":\"a\"}\nnot json\n{\"set\":\"c\"}\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a damaged middle line: %v", err)
	}
}

func TestHistoryAndLast(t *testing.T) {
	entries := []Entry{
		{Time: at(23, 3), Target: "sdsc", Result: ResultVerified, Started: at(23, 2), Set: "s23"},
		{Time: at(24, 3), Target: "tacc", Result: ResultVerified, Started: at(24, 2), Set: "t24"},
		{Time: at(25, 3), Target: "sdsc", Result: ResultVerified, Started: at(25, 2), Set: "s25"},
		{Time: at(26, 3), Target: "tacc", Result: ResultFailed, Started: at(26, 2), Set: "t26"},
	}
	want := map[string]schedule.TargetHistory{
		"sdsc": {LastVerified: at(25, 3), LastAttempt: at(25, 2)},
		"tacc": {LastVerified: at(24, 3), LastAttempt: at(26, 2)},
	}
	if diff := cmp.Diff(want, History(entries)); diff != "" {
		t.Errorf("History (-want +got):\n%s", diff)
	}
	// The failed site is retried before the other is refreshed.
	s := &schedule.Schedule{Rotation: schedule.RotationAlternate, Targets: []schedule.Target{{Name: "sdsc"}, {Name: "tacc"}}}
	if got := schedule.ChooseTargets(s, History(entries)); got[0] != "tacc" {
		t.Errorf("ChooseTargets = %v, want tacc", got)
	}
	if e, ok := Last(entries); !ok || e.Set != "t26" {
		t.Errorf("Last = %v", e.Set)
	}
	if e, ok := LastVerified(entries, "tacc"); !ok || e.Set != "t24" {
		t.Errorf("LastVerified(tacc) = %v", e.Set)
	}
	if e, ok := LastVerified(entries, ""); !ok || e.Set != "s25" {
		t.Errorf("LastVerified(any) = %v", e.Set)
	}
	if _, ok := LastVerified(nil, "sdsc"); ok {
		t.Error("LastVerified of an empty journal")
	}
}
