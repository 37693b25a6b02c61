package benchcmp

import (
	"context"
	"errors"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
)

// Run lists every comparison, measured or not, and a failing one does not
// stop the others; Alternate runs the sides in turn, warm-up first.
func TestRunKeepsEveryRowAndAlternatesSides(t *testing.T) {
	var order []string
	side := func(name string, secs float64) Side {
		return func(context.Context) (Sample, error) {
			order = append(order, name)
			return Sample{Seconds: secs}, nil
		}
	}
	env := &Env{Repeats: 2, Warmup: 1}
	comps := []Comparison{
		{Name: "pending", Pending: "someone else's"},
		{Name: "broken", Run: func(context.Context, *Env) (Measured, error) { return Measured{}, errors.New("no etcd") }},
		{Name: "measured", Run: func(ctx context.Context, env *Env) (Measured, error) {
			o, r, err := Alternate(ctx, env, side("ours", 2), side("ref", 1))
			return Measured{Metrics: []benchtable.Metric{benchtable.NewMetric("wall time", "s", seconds(o), seconds(r), nil)},
				Note: "settings"}, err
		}},
	}

	table := Run(context.Background(), env, comps)

	want := []string{benchtable.StatusPending, benchtable.StatusFailed, benchtable.StatusMeasured}
	for i, row := range table.Rows {
		if row.Status != want[i] {
			t.Errorf("row %q is %s, want %s", row.Name, row.Status, want[i])
		}
	}
	if got := table.Rows[2].Metrics[0]; got.Ratio != 2 || len(got.OursSamples) != 2 {
		t.Errorf("measured metric %+v: want 2 counted samples a side and ratio 2", got)
	}
	if len(order) != 6 || order[0] != "ours" || order[1] != "ref" || order[2] != "ours" {
		t.Errorf("sides ran in the order %v, want ours and ref in turn, 3 times each", order)
	}
	if table.Rows[1].Note != "no etcd" {
		t.Errorf("the failed row's note is %q", table.Rows[1].Note)
	}
	if table.Rows[2].Note != "settings" {
		t.Errorf("the measured row's note is %q, want the one its Run returned", table.Rows[2].Note)
	}
}

func TestTreeFilesKeepTheMix(t *testing.T) {
	counts, sizes := treeFiles(1 << 30)
	want := [][2]int64{{4, 128 << 20}, {64, 4 << 20}, {1024, 192 << 10}, {4096, 16 << 10}}
	for i, w := range want {
		if counts[i] != w[0] || sizes[i] != w[1] {
			t.Errorf("class %d: %d files of %d bytes, want %d of %d", i, counts[i], sizes[i], w[0], w[1])
		}
	}
	counts, _ = treeFiles(8 << 20)
	if len(counts) != 4 || counts[0] != 1 || counts[3] != 32 {
		t.Errorf("a small tree keeps one file per class and the small files: %v", counts)
	}
}
