//go:build lab

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchcmp"
	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab/labtest"
)

// TestMain lets the test binary stand in for the program when the harness
// runs it again for glusterdr's side of the etcd comparison.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == benchcmp.EtcdSaveMode {
		if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// The harness of `make bench`, end to end at a tiny size against the lab:
// every comparison is in the table, each with both figures of every
// metric, the replication and plan comparisons with their goals and the
// session's settings, and the JSON reads back. It times nothing. Upstream's
// schedule_georep.py is left out: it sleeps a fixed minute per run.
func TestHarnessRunsEveryComparisonSmall(t *testing.T) {
	d := labtest.Require(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	const skip = "schedule_georep"
	err := run(context.Background(), []string{"-instance", fmt.Sprint(d.Instance), "-repeats", "1", "-warmup", "0",
		"-etcd-mb", "1,2", "-tree-mb", "4", "-repl-repeats", "1", "-small-files", "20", "-large-mb", "4",
		"-plan-sources", "4", "-provider-dir", "../../bin", "-skip", skip,
		"-scratch", t.TempDir(), "-out", out}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("the harness failed: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}

	names, _ := filepath.Glob(filepath.Join(out, "*.json"))
	if len(names) != 1 {
		t.Fatalf("want one JSON table in %s, got %v", out, names)
	}
	table, err := benchtable.Read(names[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := table.Check(); err != nil {
		t.Errorf("the table's shape: %v", err)
	}
	var want []benchcmp.Comparison
	for _, c := range benchcmp.All() {
		if !strings.Contains(c.Name, skip) {
			want = append(want, c)
		}
	}
	if len(table.Rows) != len(want) {
		t.Fatalf("%d rows, want one per comparison but upstream's (%d)", len(table.Rows), len(want))
	}
	for i, c := range want {
		row := table.Rows[i]
		if row.Name != c.Name || row.Status != benchtable.StatusMeasured || row.Reference == "" {
			t.Errorf("row %d is %q, %s (reference %q); want %q, measured", i, row.Name, row.Status, row.Reference, c.Name)
		}
		for _, m := range row.Metrics {
			if len(m.OursSamples) != 1 || len(m.ReferenceSamples) != 1 {
				t.Errorf("%s / %s: %d and %d samples, want one run of each side", row.Name, m.Name, len(m.OursSamples), len(m.ReferenceSamples))
			}
		}
		checkGoals(t, row)
	}
	if !bytes.Contains(stdout.Bytes(), []byte("etcd snapshot save")) || !bytes.Contains(stdout.Bytes(), []byte("written to")) {
		t.Errorf("the printed table:\n%s", stdout.String())
	}
}

// checkGoals checks the goals of issue 13 on the replication and plan rows,
// judged, and the settings measured in their notes.
func checkGoals(t *testing.T, row benchtable.Row) {
	t.Helper()
	goals := map[string]string{ // the first figure's name and goal, by row
		"replication of 50 kB files":    "throughput, 1 MB in 20 files of 50 kB: ratio >= 0.50",
		"replication of one large file": "throughput, 4 MiB in one file: ratio >= 0.70",
		"empty checkpoint cycle":        "wall time: glusterdr <= 3.00",
		"terraform plan":                "wall time, 4 data sources against 2: ratio <= 1.50",
	}
	for prefix, want := range goals {
		if !strings.HasPrefix(row.Name, prefix) {
			continue
		}
		if len(row.Metrics) == 0 {
			t.Errorf("%s: no figures", row.Name)
			return
		}
		m := row.Metrics[0]
		if m.Goal == nil || m.Met == nil || m.Name+": "+m.Goal.String() != want {
			t.Errorf("%s: first figure %q with goal %+v (met %v), want %q, judged", row.Name, m.Name, m.Goal, m.Met, want)
		}
		note := "sync_jobs="
		if prefix == "terraform plan" {
			note = "p1"
		}
		if !strings.Contains(row.Note, note) || !strings.Contains(row.Note, "load ") {
			t.Errorf("%s: the note %q does not give the settings (%s) and the load", row.Name, row.Note, note)
		}
	}
}
