package benchtable

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestNewMetricTakesMediansAndJudgesTheGoal(t *testing.T) {
	m := NewMetric("wall time", "s", []float64{3, 1, 2}, []float64{2, 2, 9, 1}, RatioAtMost(1.1))
	if m.Ours != 2 || m.Reference != 2 || m.Ratio != 1 || m.Met == nil || !*m.Met {
		t.Errorf("metric %+v: want medians 2 and 2, ratio 1, goal met", m)
	}
	m = NewMetric("throughput", "MB/s", []float64{70}, []float64{100}, RatioAtLeast(0.8))
	if m.Met == nil || *m.Met {
		t.Errorf("0.7 of the reference met a goal of at least 0.8: %+v", m)
	}
	m = NewMetric("growth", "", []float64{1.2}, []float64{1.0}, OursAtMost(1.1))
	if *m.Met || GoalText(m) != "glusterdr <= 1.10: NOT met" {
		t.Errorf("goal on our own figure: %q", GoalText(m))
	}
}

func TestCheckWantsBothFiguresOfMeasuredRows(t *testing.T) {
	good := Table{Rows: []Row{
		{Name: "a", Status: StatusMeasured, Metrics: []Metric{NewMetric("s", "s", []float64{1}, []float64{2}, nil)}},
		{Name: "b", Status: StatusPending, Note: "later"},
	}}
	if err := good.Check(); err != nil {
		t.Errorf("a good table: %v", err)
	}
	for name, bad := range map[string]Table{
		"no rows":          {},
		"no reference":     {Rows: []Row{{Name: "a", Status: StatusMeasured, Metrics: []Metric{NewMetric("s", "s", []float64{1}, nil, nil)}}}},
		"no figures":       {Rows: []Row{{Name: "a", Status: StatusMeasured}}},
		"failed, no cause": {Rows: []Row{{Name: "a", Status: StatusFailed}}},
		"unknown status":   {Rows: []Row{{Name: "a", Status: "done"}}},
	} {
		if bad.Check() == nil {
			t.Errorf("%s: passed the check", name)
		}
	}
}

func TestWriteNewestAndPrint(t *testing.T) {
	dir := t.TempDir()
	for i, day := range []int{3, 12, 7} {
		tab := &Table{Date: time.Date(2026, 12, day, 1, 0, 0, 0, time.UTC), Repeats: i + 1, Rows: []Row{
			{Name: "etcd snapshot save", Ours: "Save", Reference: "etcdctl", Status: StatusMeasured,
				Metrics: []Metric{NewMetric("wall time", "s", []float64{1.05}, []float64{1}, RatioAtMost(1.1))}},
			{Name: "replication", Status: StatusPending, Note: "measured elsewhere"},
		}}
		if err := tab.Write(filepath.Join(dir, tab.FileName())); err != nil {
			t.Fatal(err)
		}
	}
	got, path, err := Newest(dir)
	if err != nil || filepath.Base(path) != "2026-12-12.json" || got.Repeats != 2 {
		t.Fatalf("Newest = %s (%v), want the table of 2026-12-12", path, err)
	}
	var out bytes.Buffer
	if err := got.Print(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"etcd snapshot save", "1.05x", "ratio <= 1.10: met", "pending: measured elsewhere"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the printed table lacks %q:\n%s", want, out.String())
		}
	}
	if _, _, err := Newest(filepath.Join(dir, "none")); !os.IsNotExist(err) {
		t.Errorf("a missing folder: %v", err)
	}
}
