package benchtable

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Print writes the table as text: a line per comparison saying what runs
// on each side, then a line per figure with the medians, their ratio and
// the goal.
func (t *Table) Print(w io.Writer) error {
	fmt.Fprintf(w, "glusterdr against its references, %s on %s (%d CPUs), lab instance %d; medians of %d runs after %d warm-up\n",
		t.Date.UTC().Format(time.RFC3339), t.Host, t.CPUs, t.LabInstance, t.Repeats, t.Warmup)
	if t.LoadBefore != "" {
		fmt.Fprintf(w, "load average %s before, %s after\n", t.LoadBefore, t.LoadAfter)
	}
	for _, r := range t.Rows {
		fmt.Fprintf(w, "\n%s\n  glusterdr: %s\n  reference: %s\n", r.Name, r.Ours, r.Reference)
		if r.Status != StatusMeasured {
			fmt.Fprintf(w, "  %s: %s\n", r.Status, r.Note)
			continue
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  FIGURE\tGLUSTERDR\tREFERENCE\tRATIO\t  GOAL")
		for _, m := range r.Metrics {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%.2fx\t  %s\n", m.Name, Figure(m.Ours, m.Unit), Figure(m.Reference, m.Unit), m.Ratio, GoalText(m))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// GoalText is the goal and whether it was met, or "" without a goal.
func GoalText(m Metric) string {
	if m.Goal == nil {
		return ""
	}
	verdict := "met"
	if m.Met != nil && !*m.Met {
		verdict = "NOT met"
	}
	return m.Goal.String() + ": " + verdict
}

// Figure is a value with its unit, as the table prints it.
func Figure(v float64, unit string) string {
	switch {
	case unit == "":
		return fmt.Sprintf("%.3g", v)
	case v >= 100:
		return fmt.Sprintf("%.0f %s", v, unit)
	default:
		return fmt.Sprintf("%.3g %s", v, unit)
	}
}
