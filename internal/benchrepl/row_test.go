package benchrepl

import "testing"

func TestNewRowRatios(t *testing.T) {
	copyRow := NewRow("copy", Speed, []float64{20, 10, 30}, []float64{8, 12})
	if copyRow.OursSeconds != 20 || copyRow.ReferenceSeconds != 10 || copyRow.Ratio != 0.5 {
		t.Errorf("copy row: %+v", copyRow)
	}
	plan := NewRow("plan", Cost, []float64{3}, []float64{2})
	if plan.Ratio != 1.5 {
		t.Errorf("plan ratio %v, want 1.5", plan.Ratio)
	}
	if r := NewRow("none", Cost, nil, []float64{1}); r.Ratio != 0 {
		t.Errorf("no samples must give no ratio, got %v", r.Ratio)
	}
}
