//go:build lab

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
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
// every comparison is in the table, each measured one with both figures
// of every metric, and the JSON reads back. It times nothing.
func TestHarnessRunsEveryComparisonSmall(t *testing.T) {
	d := labtest.Require(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-instance", fmt.Sprint(d.Instance), "-repeats", "1", "-warmup", "0",
		"-etcd-mb", "1,2", "-tree-mb", "4", "-scratch", t.TempDir(), "-out", out}, &stdout, &stderr)
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
	all := benchcmp.All()
	if len(table.Rows) != len(all) {
		t.Fatalf("%d rows, want one per comparison (%d)", len(table.Rows), len(all))
	}
	for i, c := range all {
		row := table.Rows[i]
		want := benchtable.StatusMeasured
		if c.Pending != "" {
			want = benchtable.StatusPending
		}
		if row.Name != c.Name || row.Status != want || row.Reference == "" {
			t.Errorf("row %d is %q, %s (reference %q); want %q, %s", i, row.Name, row.Status, row.Reference, c.Name, want)
		}
		for _, m := range row.Metrics {
			if len(m.OursSamples) != 1 || len(m.ReferenceSamples) != 1 {
				t.Errorf("%s / %s: %d and %d samples, want one run of each side", row.Name, m.Name, len(m.OursSamples), len(m.ReferenceSamples))
			}
		}
	}
	if !bytes.Contains(stdout.Bytes(), []byte("etcd snapshot save")) || !bytes.Contains(stdout.Bytes(), []byte("written to")) {
		t.Errorf("the printed table:\n%s", stdout.String())
	}
}
