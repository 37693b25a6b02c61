//go:build lab

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// TestLabHistorySurvivesTheController: after two nights, the controller's
// state_dir is deleted. report and status, on what is now a fresh
// controller, rebuild the history from the sets' records at the primary
// and print the same report, saying that they rebuilt it. With the primary
// unreachable too, status rebuilds it from the sites' read-only copies,
// which hold every night but the newest (a night's record reaches a site
// with a later cycle).
func TestLabHistorySurvivesTheController(t *testing.T) {
	conn := labConn(t)
	ensureSession(t, conn, "sdsc")
	ensureSession(t, conn, "tacc")
	file := writeLabSchedule(t, conn.D, nil)
	var ids []string
	for i := range 2 {
		r := runCLI(t, "run", "--schedule", file, "--json")
		if r.code != 0 {
			t.Fatalf("night %d exited %d:\n%s\n%s", i+1, r.code, r.stdout, r.stderr)
		}
		ids = append(ids, decode[drrun.Report](t, r).Sets[0].Set.ID)
	}
	before := runCLI(t, "report", "--schedule", file, "--json")
	if before.code != 0 {
		t.Fatalf("report exited %d: %s", before.code, before.stderr)
	}

	s, err := loadSchedule(&globals{logLevel: "error"}, file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(s.StateDir); err != nil {
		t.Fatal(err)
	}
	after := runCLI(t, "report", "--schedule", file, "--json")
	if after.code != 0 {
		t.Fatalf("report on the fresh controller exited %d: %s", after.code, after.stderr)
	}
	if diff := cmp.Diff(timeless(t, before.stdout), timeless(t, after.stdout)); diff != "" {
		t.Errorf("report (-before +after the state_dir was lost):\n%s", diff)
	}
	var doc struct {
		HistoryRebuilt *drrun.Rebuilt `json:"history_rebuilt"`
	}
	if err := json.Unmarshal([]byte(after.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	rb := doc.HistoryRebuilt
	if rb == nil || len(rb.From) != 1 || rb.From[0] != s.Primary.Node+":"+s.Primary.BackupDir || rb.Entries != 2 || rb.Records != 2 {
		t.Errorf("history_rebuilt: %+v", rb)
	}
	if text := runCLI(t, "report", "--schedule", file); !strings.Contains(text.stdout, "history REBUILT from the backup sets") {
		t.Errorf("the text report does not say it rebuilt the history:\n%s", text.stdout)
	}
	if _, err := os.Stat(filepath.Join(s.StateDir, "journal.jsonl")); err == nil {
		t.Error("report wrote the journal: a reader must change nothing")
	}

	// The primary gone as well: the sites' copies.
	s.Primary.Node = conn.D.Nodes[0].Address[:strings.LastIndex(conn.D.Nodes[0].Address, ".")] + ".99"
	lost := filepath.Join(t.TempDir(), "primary-lost.hcl")
	if err := os.WriteFile(lost, schedule.Encode(s), 0o640); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "status", "--schedule", lost, "--json")
	if r.code != 0 {
		t.Fatalf("status with the primary lost exited %d: %s", r.code, r.stderr)
	}
	st := decode[drrun.Status](t, r)
	rb = st.Rebuilt
	if rb == nil || len(rb.From) != 2 || rb.Entries != 1 || !cmp.Equal(rb.Unrecorded, ids[1:]) {
		t.Fatalf("rebuilt from the sites: %+v", rb)
	}
	if st.Targets[0].LastVerified == nil || st.Targets[0].LastVerified.Set != ids[0] {
		t.Errorf("sdsc's verified copy, from the sites: %+v", st.Targets[0].LastVerified)
	}
	t.Logf("rebuilt from %v", rb.From)
}

// timeless is a JSON document without what changes with the clock: the
// time it was made at, the RPOs, and the note that it was rebuilt.
func timeless(t *testing.T, doc string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatalf("%v:\n%s", err, doc)
	}
	var strip func(any) any
	strip = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range []string{"at", "rpo_seconds", "history_rebuilt"} {
				delete(x, k)
			}
			for k, e := range x {
				x[k] = strip(e)
			}
		case []any:
			for i, e := range x {
				x[i] = strip(e)
			}
		}
		return v
	}
	return strip(v)
}
