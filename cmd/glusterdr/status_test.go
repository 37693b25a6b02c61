package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
)

// writeSchedule writes a schedule whose state lives in a temporary folder.
func writeSchedule(t *testing.T) (file, state string) {
	t.Helper()
	dir := t.TempDir()
	state = filepath.Join(dir, "state")
	src := `cron = "0 2 * * *"
state_dir = "` + state + `"
primary {
  volume = "global"
  node   = "gluster-1.example.org"
}
target "sdsc" {
  secondary_host   = "dr-1.sdsc.example.org"
  secondary_volume = "global-dr"
}
target "tacc" {
  secondary_host   = "dr-1.tacc.example.org"
  secondary_volume = "global-dr"
}
`
	file = filepath.Join(dir, "schedule.hcl")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return file, state
}

func execute(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd, _ := newRootCommand()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

// TestStatusNeedsNoSSH: status answers from the journal alone, as it must
// when the primary is gone.
func TestStatusNeedsNoSSH(t *testing.T) {
	file, state := writeSchedule(t)
	now := time.Now().UTC()
	if err := journal.Append(filepath.Join(state, journal.FileName), journal.Entry{Time: now.Add(-time.Hour), Set: "20261125T020000Z-sdsc",
		Target: "sdsc", Result: journal.ResultVerified, Started: now.Add(-70 * time.Minute), CheckpointTime: now.Add(-65 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	out, _, err := execute(t, "status", "--schedule", file, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st drrun.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if st.VerifiedCopies != 1 || st.NextTarget != "tacc" || st.RPOSeconds == nil || *st.RPOSeconds < 3800 || len(st.NextRuns) != 3 {
		t.Errorf("status: %+v", st)
	}
	table, _, err := execute(t, "status", "--schedule", file)
	if err != nil || !strings.Contains(table, "20261125T020000Z-sdsc") || !strings.Contains(table, "next run:") {
		t.Errorf("status table (%v):\n%s", err, table)
	}
}

func TestScheduleErrorsNameFileAndLine(t *testing.T) {
	file, _ := writeSchedule(t)
	if err := os.WriteFile(file, []byte("cron = \"61 2 * * *\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := execute(t, "run", "--schedule", file, "--plan")
	if err == nil || !strings.Contains(err.Error(), file+":1,8") {
		t.Errorf("error %v, want it to point at %s:1,8", err, file)
	}
	_, _, err = execute(t, "sets", "--schedule", filepath.Join(t.TempDir(), "missing.hcl"))
	if err == nil || !strings.Contains(err.Error(), "reading the schedule") {
		t.Errorf("missing schedule: %v", err)
	}
}

// TestRunRejectsAnUnknownStep: a step that does not exist is a usage
// error naming --step, found before the schedule is read.
func TestRunRejectsAnUnknownStep(t *testing.T) {
	file, _ := writeSchedule(t)
	_, _, err := execute(t, "run", "--schedule", file, "--step", "backup", "--json")
	if code, _ := classify(err); code != exitUsage || !strings.Contains(err.Error(),
		`--step: "backup": want one of all, open, fill, replicate, verify, restore-point, retention, record`) {
		t.Fatalf("exit %d, error: %v", code, err)
	}
}

// TestStatusWithoutJournalSaysSo: a controller whose journal is gone must
// not let "no run known" pass for "no copy": with no copy of the backup
// folder to rebuild the history from, status answers, and its document
// says that the journal is missing and that nothing could be rebuilt.
func TestStatusWithoutJournalSaysSo(t *testing.T) {
	file, state := writeSchedule(t)
	out, _, err := execute(t, "status", "--schedule", file, "--json")
	var st drrun.Status
	if err != nil || json.Unmarshal([]byte(out), &st) != nil || st.Rebuilt == nil {
		t.Fatalf("status without a journal: %v\n%s", err, out)
	}
	want := "the controller's journal " + filepath.Join(state, journal.FileName) + " is missing"
	if !strings.Contains(st.Rebuilt.Failed, want) || !strings.Contains(st.Rebuilt.Failed, "no copy of the backup folder could be read") {
		t.Errorf("rebuilt.failed does not say %q and that no copy could be read: %q", want, st.Rebuilt.Failed)
	}
}
