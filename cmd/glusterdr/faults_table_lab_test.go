//go:build lab

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"
)

// The fault suite (make test-faults): each TestLabFault… test, and the
// older lab tests that inject a fault, record one row of the table that
// TestMain prints at the end and writes, as JSON, to $GLUSTERDR_FAULTS_JSON.

// faultRow is one fault: what was injected, how the run ended, and how
// long it took to end in a clear error or to complete after the fault.
type faultRow struct {
	N       string  `json:"n"`
	Fault   string  `json:"fault"`
	Outcome string  `json:"outcome"`
	Seconds float64 `json:"seconds"`
	// Detail is the error's first line, or what the recovery did.
	Detail string `json:"detail"`
	// Kept says that every target's newest verified set before the fault
	// was still verified after it (or replaced by a newer verified one).
	Kept   bool `json:"verified_sets_kept"`
	Passed bool `json:"passed"`
}

// The outcomes a fault may end in.
const (
	outcomeError     = "clear error"
	outcomeRefused   = "refused (exit 75)"
	outcomeCompleted = "completed despite it"
	outcomeResumed   = "resumed and completed"
)

var (
	faultsMu sync.Mutex
	faults   []*faultRow
)

// recordFault starts row n of the table; the test fills it in, and its
// result is set when the test ends.
func recordFault(t *testing.T, n, fault string) *faultRow {
	r := &faultRow{N: n, Fault: fault}
	t.Cleanup(func() {
		r.Passed = !t.Failed()
		t.Logf("fault %s: %s -> %s in %.1fs (verified sets kept: %v): %s", r.N, r.Fault, r.Outcome, r.Seconds, r.Kept, r.Detail)
		faultsMu.Lock()
		faults = append(faults, r)
		faultsMu.Unlock()
	})
	return r
}

// since sets the row's seconds from start.
func (r *faultRow) since(start time.Time) { r.Seconds = time.Since(start).Seconds() }

func TestMain(m *testing.M) {
	code := m.Run()
	faultFixtureCleanup()
	if len(faults) > 0 {
		printFaultTable()
		if err := writeFaultJSON(os.Getenv("GLUSTERDR_FAULTS_JSON")); err != nil {
			fmt.Fprintln(os.Stderr, "writing the fault table:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// printFaultTable prints the table on stdout and, beside the JSON, into
// a .txt file that make prints after the tests.
func printFaultTable() {
	sort.SliceStable(faults, func(i, j int) bool { return faultOrder(faults[i].N) < faultOrder(faults[j].N) })
	var b strings.Builder
	writeFaultTable(&b)
	fmt.Print(b.String())
	if p := os.Getenv("GLUSTERDR_FAULTS_JSON"); p != "" {
		if err := os.WriteFile(strings.TrimSuffix(p, ".json")+".txt", []byte(b.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "writing the fault table:", err)
		}
	}
}

func writeFaultTable(w io.Writer) {
	fmt.Fprintln(w, "\nFAULT SUITE")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tFAULT\tOUTCOME\tSECONDS\tVERIFIED KEPT\tTEST\tDETAIL")
	for _, r := range faults {
		result := "ok"
		if !r.Passed {
			result = "FAILED"
		}
		detail := r.Detail
		if len(detail) > 110 {
			detail = detail[:107] + "..."
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f\t%v\t%s\t%s\n", r.N, r.Fault, r.Outcome, r.Seconds, r.Kept, result, detail)
	}
	tw.Flush()
}

// faultOrder sorts "2" before "10" and "7a" before "7b".
func faultOrder(n string) string {
	digits := strings.TrimRight(n, "abcdefgh")
	return fmt.Sprintf("%03s%s", digits, n[len(digits):])
}

func writeFaultJSON(path string) error {
	if path == "" {
		return nil
	}
	data, err := json.MarshalIndent(map[string]any{"faults": faults, "written": time.Now().UTC()}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
