package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
)

// report --html writes the page from the journal and the bench results
// even when the primary cannot be read, says so on the page, and still
// fails the command, as the text report does.
func TestReportHTMLWithThePrimaryUnreachable(t *testing.T) {
	file, state := writeSchedule(t)
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	key, known := filepath.Join(t.TempDir(), "absent_ed25519"), filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(known, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	src = append(src, []byte("ssh {\n  private_key_file = \""+key+"\"\n  known_hosts_file = \""+known+"\"\n}\n")...)
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for i, target := range []string{"sdsc", "tacc", "sdsc"} {
		at := now.Add(time.Duration(i-3) * 24 * time.Hour)
		e := journal.Entry{Time: at, Set: at.Format("20060102T150405Z") + "-" + target, Target: target, Result: journal.ResultVerified,
			Started: at.Add(-10 * time.Minute), SyncSeconds: 30, Bytes: 1 << 20, CheckpointTime: at.Add(-5 * time.Minute)}
		if err := journal.Append(filepath.Join(state, journal.FileName), e); err != nil {
			t.Fatal(err)
		}
	}
	results := t.TempDir()
	bench := &benchtable.Table{Date: now, Host: "lab", Rows: []benchtable.Row{{Name: "etcd snapshot save", Status: benchtable.StatusMeasured,
		Metrics: []benchtable.Metric{benchtable.NewMetric("wall time", "s", []float64{1}, []float64{1}, nil)}}}}
	if err := bench.Write(filepath.Join(results, bench.FileName())); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "report.html")

	_, stderr, err := execute(t, "report", "--schedule", file, "--log-level", "error", "--html", page, "--bench", results)

	if err == nil || !strings.Contains(err.Error(), "gluster-1.example.org") {
		t.Errorf("err = %v, want a failure naming the unreachable primary", err)
	}
	html, rerr := os.ReadFile(page)
	if rerr != nil {
		t.Fatalf("no page was written: %v", rerr)
	}
	for _, want := range []string{"The backup sets could not be read", `id="plot-rpo-svg"`, `id="plot-sync-seconds-svg"`, "etcd snapshot save", results} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if !strings.Contains(stderr, "HTML report written to "+page) {
		t.Errorf("stderr %q does not say where the page is", stderr)
	}
}
