package backupset

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

var night = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

func store(t *testing.T) Store {
	return Store{Files: remote.LocalFiles{}, Dir: filepath.Join(t.TempDir(), "backup")}
}

func TestNewAndSteps(t *testing.T) {
	m := New(night.Add(500*time.Millisecond), "sdsc", "", "")
	if m.ID != "20261125T020000Z-sdsc" || m.Tier != retention.Daily || m.Kind != retention.Full || m.Status != retention.Pending {
		t.Fatalf("New: %+v", m)
	}
	if got := m.NextStep(); got != StepOpen {
		t.Errorf("NextStep of a new set = %q", got)
	}
	m.Begin(StepOpen, night)
	m.Finish(StepOpen, night.Add(2*time.Second), nil)
	m.Begin(StepFill, night.Add(2*time.Second))
	if got := m.NextStep(); got != StepFill {
		t.Errorf("NextStep with fill running = %q, want fill (a killed run resumes there)", got)
	}
	m.Finish(StepFill, night.Add(5*time.Second), nil)
	m.Begin(StepReplicate, night.Add(5*time.Second))
	m.Finish(StepReplicate, night.Add(35*time.Second), errors.New("checkpoint timeout"))
	m.Fail(StepReplicate)
	want := map[string]string{StepOpen: StateDone, StepFill: StateDone, StepReplicate: StateFailed,
		StepVerify: StateSkipped, StepRestorePoint: StateSkipped, StepRetention: StateSkipped, StepRecord: StatePending}
	for _, s := range m.Steps {
		if s.State != want[s.Name] {
			t.Errorf("step %s is %s, want %s", s.Name, s.State, want[s.Name])
		}
	}
	if m.Status != retention.Failed || m.FailedStep != StepReplicate || m.NextStep() != StepReplicate {
		t.Errorf("after Fail: status %s, failed step %s, next %s", m.Status, m.FailedStep, m.NextStep())
	}
	total, rep := m.Seconds()
	if total != 35 || rep != 30 {
		t.Errorf("Seconds = %v, %v; want 35, 30", total, rep)
	}
	if s := m.Summary(); s.Problem != "checkpoint timeout" || s.Verified || s.FailedStep != StepReplicate {
		t.Errorf("Summary: %+v", s)
	}
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	m := New(night, "sdsc", retention.Incremental, "20261124T020000Z-sdsc")
	m.Contents = Contents{Files: 3, Bytes: 1234, Etcd: &EtcdInfo{Endpoint: "http://e:2379", Size: 1000, SHA256: strings.Repeat("a", 64), Revision: 201, Keys: 200}}
	if err := s.Create(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(ctx, m); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("Create of an existing set: %v", err)
	}
	info, err := os.Stat(s.Path(m.ID))
	if err != nil || info.Mode().Perm() != DirMode {
		t.Errorf("set folder: %v, %v", info.Mode(), err)
	}
	got, err := s.Read(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Errorf("Read (-wrote +read):\n%s", diff)
	}
}

func TestListSortsAndReportsDamage(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	if l, err := s.List(ctx); err != nil || len(l.Sets) != 0 {
		t.Fatalf("List of a missing folder: %+v %v", l, err)
	}
	for _, m := range []*Meta{New(night, "tacc", "", ""), New(night.Add(-24*time.Hour), "sdsc", "", ""), New(night.Add(24*time.Hour), "sdsc", "", "")} {
		if err := s.Create(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	// Not sets: ignored. A set folder with a damaged set.json: reported.
	for _, dir := range []string{"lost+found", "20261126T020000Z-ornl"} {
		if err := os.MkdirAll(filepath.Join(s.Dir, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(s.Dir, "20261126T020000Z-ornl", MetaFile), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.Dir, "notes.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range l.Sets {
		ids = append(ids, m.ID)
	}
	want := []string{"20261124T020000Z-sdsc", "20261125T020000Z-tacc", "20261126T020000Z-sdsc"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if len(l.Unreadable) != 1 || l.Unreadable[0].ID != "20261126T020000Z-ornl" {
		t.Errorf("Unreadable: %+v", l.Unreadable)
	}
	if n := Newest(l.Sets, func(m *Meta) bool { return m.Target == "sdsc" }); n == nil || n.ID != want[2] {
		t.Errorf("Newest sdsc: %v", n)
	}
}

func TestValidateRefusesAMismatchedID(t *testing.T) {
	m := New(night, "sdsc", "", "")
	m.Target = "tacc"
	if _, err := Encode(m); err == nil {
		t.Error("Encode accepted a set.json whose target differs from its ID")
	}
	m = New(night, "sdsc", retention.Incremental, "")
	if _, err := Encode(m); err == nil || !strings.Contains(err.Error(), "names no parent") {
		t.Errorf("Encode of an incremental without parent: %v", err)
	}
	if _, err := Decode([]byte(`{"version": 9}`)); err == nil || !strings.Contains(err.Error(), "version 9") {
		t.Errorf("Decode of a future version: %v", err)
	}
}

func TestRemove(t *testing.T) {
	ctx := context.Background()
	for name, s := range map[string]Store{"sftp-like": store(t), "rm -rf": {Files: remote.LocalFiles{}, Runner: remote.Local{}, Dir: filepath.Join(t.TempDir(), "b")}} {
		t.Run(name, func(t *testing.T) {
			m := New(night, "sdsc", "", "")
			if err := s.Create(ctx, m); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(s.Path(m.ID, DumpDir, "ns"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := s.Remove(ctx, m.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(s.Path(m.ID)); !os.IsNotExist(err) {
				t.Errorf("set still there: %v", err)
			}
			for _, bad := range []string{"..", "", "backup", "../20261125T020000Z-sdsc"} {
				if err := s.Remove(ctx, bad); err == nil {
					t.Errorf("Remove(%q) accepted a name that is not a set", bad)
				}
			}
		})
	}
}

// TestDecodeOrdersSteps: a set.json written before the restore-point step
// existed reads back with that step skipped once later steps ran, and
// pending otherwise, so that an old finished set has no next step.
func TestDecodeOrdersSteps(t *testing.T) {
	night := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name      string
		retention string
		want      string
		next      string
	}{
		{"finished before the step existed", StateDone, StateSkipped, ""},
		{"interrupted before verify", StatePending, StatePending, StepReplicate},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := New(night, "sdsc", retention.Full, "")
			var old []StepState
			for _, s := range m.Steps {
				switch s.Name {
				case StepRestorePoint:
					continue
				case StepOpen, StepFill:
					s.State = StateDone
				case StepRetention, StepRecord, StepVerify:
					s.State = tt.retention
				}
				old = append(old, s)
			}
			m.Steps = old
			data, err := Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			if tt.retention == StateDone {
				m.Step(StepReplicate).State = StateDone
				data, _ = Encode(m)
			}
			got, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Steps) != len(Steps) || got.Steps[4].Name != StepRestorePoint || got.Steps[4].State != tt.want {
				t.Fatalf("steps: %+v", got.Steps)
			}
			if got.NextStep() != tt.next {
				t.Errorf("next step %q, want %q", got.NextStep(), tt.next)
			}
		})
	}
}
