// Package benchtable is the result of `make bench`: a table of named
// comparisons, each a piece of glusterdr's work measured beside the real
// command it competes with, in the same run. It is written as JSON to
// bench/results/<date>.json, printed as text, and read back by the report.
package benchtable

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The states of a row.
const (
	StatusMeasured = "measured"
	// StatusPending rows are declared but not measured yet; Note says by what.
	StatusPending = "pending"
	// StatusFailed rows could not be measured; Note holds the error.
	StatusFailed = "failed"
)

// Table is one run of the harness.
type Table struct {
	Date        time.Time `json:"date"`
	Host        string    `json:"host"`
	CPUs        int       `json:"cpus"`
	LabInstance int       `json:"lab_instance"`
	// Repeats is how many times each side ran (after Warmup runs that do not
	// count); figures are medians.
	Repeats int `json:"repeats"`
	Warmup  int `json:"warmup"`
	// LoadBefore and LoadAfter are the machine's load averages (1, 5 and
	// 15 minutes) around the run: how much else it was doing.
	LoadBefore string `json:"load_before,omitempty"`
	LoadAfter  string `json:"load_after,omitempty"`
	Rows       []Row  `json:"rows"`
}

// Row is one comparison.
type Row struct {
	Name string `json:"name"`
	// Ours is what glusterdr runs; Reference is the command it is held against.
	Ours      string   `json:"ours"`
	Reference string   `json:"reference"`
	Status    string   `json:"status"`
	Note      string   `json:"note,omitempty"`
	Metrics   []Metric `json:"metrics"`
}

// Metric is one figure of a row, on both sides.
type Metric struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
	// Ours and Reference are medians of the samples.
	Ours      float64 `json:"ours"`
	Reference float64 `json:"reference"`
	// Ratio is Ours / Reference.
	Ratio            float64   `json:"ratio"`
	OursSamples      []float64 `json:"ours_samples,omitempty"`
	ReferenceSamples []float64 `json:"reference_samples,omitempty"`
	Goal             *Goal     `json:"goal,omitempty"`
	// Met says whether the goal was met; nil without a goal.
	Met *bool `json:"met,omitempty"`
}

// Goal is what a metric should reach: a bound on the ratio, or on our own
// figure where the reference says nothing (RSS growth, say).
type Goal struct {
	// On is "ratio" or "ours".
	On      string   `json:"on"`
	AtMost  *float64 `json:"at_most,omitempty"`
	AtLeast *float64 `json:"at_least,omitempty"`
}

// RatioAtMost and RatioAtLeast are the usual goals.
func RatioAtMost(v float64) *Goal  { return &Goal{On: "ratio", AtMost: &v} }
func RatioAtLeast(v float64) *Goal { return &Goal{On: "ratio", AtLeast: &v} }

// OursAtMost bounds our own figure.
func OursAtMost(v float64) *Goal { return &Goal{On: "ours", AtMost: &v} }

// String is the goal in words, as the table prints it.
func (g *Goal) String() string {
	subject := "ratio"
	if g.On == "ours" {
		subject = "glusterdr"
	}
	var parts []string
	if g.AtMost != nil {
		parts = append(parts, fmt.Sprintf("%s <= %.2f", subject, *g.AtMost))
	}
	if g.AtLeast != nil {
		parts = append(parts, fmt.Sprintf("%s >= %.2f", subject, *g.AtLeast))
	}
	return strings.Join(parts, ", ")
}

func (g *Goal) met(m Metric) bool {
	v := m.Ratio
	if g.On == "ours" {
		v = m.Ours
	}
	return (g.AtMost == nil || v <= *g.AtMost) && (g.AtLeast == nil || v >= *g.AtLeast)
}

// NewMetric makes a metric from both sides' samples: medians, their
// ratio, and whether the goal (which may be nil) is met.
func NewMetric(name, unit string, ours, reference []float64, goal *Goal) Metric {
	m := Metric{Name: name, Unit: unit, Ours: Median(ours), Reference: Median(reference),
		OursSamples: ours, ReferenceSamples: reference, Goal: goal}
	if m.Reference != 0 {
		m.Ratio = m.Ours / m.Reference
	}
	if goal != nil {
		met := goal.met(m)
		m.Met = &met
	}
	return m
}

// Median of xs; 0 for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Check says what is wrong with the table's shape: a measured row with a
// figure missing on either side, a row in no known state, no rows at all.
func (t *Table) Check() error {
	if len(t.Rows) == 0 {
		return errors.New("benchtable: no rows")
	}
	var errs []error
	for _, r := range t.Rows {
		switch r.Status {
		case StatusMeasured:
			if len(r.Metrics) == 0 {
				errs = append(errs, fmt.Errorf("%q is measured but has no figures", r.Name))
			}
			for _, m := range r.Metrics {
				if m.Ours <= 0 || m.Reference <= 0 {
					errs = append(errs, fmt.Errorf("%q: %s is %g for glusterdr and %g for the reference; want both", r.Name, m.Name, m.Ours, m.Reference))
				}
			}
		case StatusPending, StatusFailed:
			if r.Note == "" {
				errs = append(errs, fmt.Errorf("%q is %s without a note saying why", r.Name, r.Status))
			}
		default:
			errs = append(errs, fmt.Errorf("%q has status %q", r.Name, r.Status))
		}
	}
	return errors.Join(errs...)
}

// FileName is the name a table is written under: its UTC date.
func (t *Table) FileName() string { return t.Date.UTC().Format(time.DateOnly) + ".json" }

// Write writes the table as indented JSON to path.
func (t *Table) Write(path string) error {
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// Read reads a table written by Write.
func Read(path string) (*Table, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t Table
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("benchtable: %s: %w", path, err)
	}
	return &t, nil
}

// Newest reads the table at path, or the newest by name of the *.json files
// when path is a folder (their names are dates).
func Newest(path string) (*Table, string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, "", err
	}
	if !fi.IsDir() {
		t, err := Read(path)
		return t, path, err
	}
	names, err := filepath.Glob(filepath.Join(path, "*.json"))
	if err != nil {
		return nil, "", err
	}
	if len(names) == 0 {
		return nil, "", fmt.Errorf("benchtable: no results (*.json) in %s", path)
	}
	newest := slices.Max(names)
	t, err := Read(newest)
	return t, newest, err
}
