package drill

import (
	"context"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// FileName is the drill log's name inside the schedule's state_dir, beside
// the run journal.
const FileName = "drills.jsonl"

// Record is one drill, as the drill log keeps it.
type Record struct {
	Time       time.Time `json:"time"`
	Site       string    `json:"site"`
	Set        string    `json:"set"`
	Passed     bool      `json:"passed"`
	Problem    string    `json:"problem,omitempty"`
	DataAsOf   time.Time `json:"data_as_of"`
	RPOSeconds float64   `json:"rpo_seconds"`
	RTOSeconds float64   `json:"rto_seconds"`
	Seconds    float64   `json:"seconds"`
}

// Append adds the drill's outcome to the drill log at path on this machine.
func Append(path string, r *Report) error { return journal.AppendJSON(path, RecordOf(r)) }

// RecordOf is the drill's outcome as the drill log keeps it.
func RecordOf(r *Report) Record {
	return Record{Time: r.Started, Site: r.Site, Set: r.Set, Passed: r.Passed, Problem: r.Problem,
		DataAsOf: r.DataAsOf, RPOSeconds: r.RPOSeconds, RTOSeconds: r.RTOSeconds, Seconds: r.Seconds}
}

// Read reads the drill log; a missing log is empty.
func Read(ctx context.Context, files remote.Files, path string) ([]Record, error) {
	return journal.ReadJSONFile[Record](ctx, files, path)
}

// LastPassed is the newest passed drill at site.
func LastPassed(records []Record, site string) (Record, bool) {
	var last Record
	found := false
	for _, r := range records {
		if r.Site == site && r.Passed && (!found || r.Time.After(last.Time)) {
			last, found = r, true
		}
	}
	return last, found
}
