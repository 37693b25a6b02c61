// Package benchrepl measures geo-replication against the real commands it
// competes with, side by side in one run on the lab: a tree copied by one
// checkpoint cycle against `tar c | ssh | tar x` into a FUSE mount of a
// scratch volume at the site, one large file against `cat | ssh | cat`,
// the fixed cost of an empty cycle against the gluster calls it is made
// of, and a plan with many status data sources against one with two. Each
// comparison is a Row; bench/ prints them and writes them as JSON.
package benchrepl

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
)

// Row is one comparison: medians of repeated samples of both sides.
type Row struct {
	Name             string  `json:"name"`
	OursSeconds      float64 `json:"ours_seconds"`
	ReferenceSeconds float64 `json:"reference_seconds"`
	// Ratio is how the goal reads, as Notes says: for a copy, the
	// reference's seconds over ours (our speed as a share of the wire's);
	// for the plan and the empty cycle, ours over the reference's.
	Ratio            float64   `json:"ratio"`
	ReferenceCommand string    `json:"reference_command"`
	Bytes            int64     `json:"bytes"`
	Notes            string    `json:"notes"`
	OursSamples      []float64 `json:"ours_samples"`
	ReferenceSamples []float64 `json:"reference_samples"`
}

// Speed and Cost say which way a Row's ratio reads.
const (
	Speed = "speed"
	Cost  = "cost"
)

// NewRow fills the medians and the ratio from the samples.
func NewRow(name, ratio string, ours, ref []float64) Row {
	r := Row{Name: name, OursSamples: ours, ReferenceSamples: ref,
		OursSeconds: benchtable.Median(ours), ReferenceSeconds: benchtable.Median(ref)}
	if r.OursSeconds > 0 && r.ReferenceSeconds > 0 {
		if ratio == Speed {
			r.Ratio = r.ReferenceSeconds / r.OursSeconds
		} else {
			r.Ratio = r.OursSeconds / r.ReferenceSeconds
		}
	}
	return r
}

// Print writes the rows as a table.
func Print(w io.Writer, rows []Row) {
	for _, r := range rows {
		fmt.Fprintf(w, "%s\n  ours %.2f s %v\n  reference %.2f s %v: %s\n  ratio %.2f  bytes %d\n  %s\n",
			r.Name, r.OursSeconds, round(r.OursSamples), r.ReferenceSeconds, round(r.ReferenceSamples),
			r.ReferenceCommand, r.Ratio, r.Bytes, r.Notes)
	}
}

func round(xs []float64) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%.2f", x)
	}
	return out
}

// WriteJSON writes the rows to path, one JSON object a line.
func WriteJSON(path string, rows []Row) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
