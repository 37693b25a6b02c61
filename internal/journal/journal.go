// Package journal is the run journal of a schedule: one JSON line per
// finished backup set (or per night that failed before it could open one,
// with an empty Set), appended by the record step on the controller
// (<state_dir>/journal.jsonl). It answers what the rest of the product asks
// about history: tonight's target (History for schedule.ChooseTargets), the
// last run (dr_schedule's last_run), and the newest verified copy per site
// (the RPO), even when the primary itself is gone.
package journal

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// FileName is the journal's name inside the schedule's state_dir.
const FileName = "journal.jsonl"

// Results of a set.
const (
	ResultVerified = "verified"
	ResultFailed   = "failed"
)

// Entry is one finished backup set.
type Entry struct {
	// Time is when the entry was recorded.
	Time   time.Time `json:"time"`
	Set    string    `json:"set"`
	Target string    `json:"target"`
	Tier   string    `json:"tier"`
	Kind   string    `json:"kind"`
	// Result is ResultVerified or ResultFailed.
	Result     string `json:"result"`
	FailedStep string `json:"failed_step,omitempty"`
	Error      string `json:"error,omitempty"`
	// Started is when the set's first step started; Seconds is the time
	// spent in its steps (a resumed set does not count the hours between).
	Started time.Time `json:"started"`
	Seconds float64   `json:"seconds"`
	// SyncSeconds is the replicate step (gluster's checkpoint cycle);
	// OverheadSeconds is the rest: our own work.
	SyncSeconds     float64 `json:"sync_seconds"`
	OverheadSeconds float64 `json:"overhead_seconds"`
	Files           int     `json:"files"`
	Bytes           int64   `json:"bytes"`
	// CheckpointTime is the point in time the target's copy reflects.
	CheckpointTime time.Time `json:"checkpoint_time,omitzero"`
	// Stalls counts the checkpoint cycle's stalls (restarts and nudges).
	Stalls int `json:"stalls,omitempty"`
	// Resumed is true when a step of the set ran more than once.
	Resumed bool `json:"resumed,omitempty"`
}

// Verified reports whether the entry's set was verified at its target.
func (e Entry) Verified() bool { return e.Result == ResultVerified }

// SameRun reports whether x records the same outcome of the same set as e:
// a record step run again after a SIGKILL finds its entry so. Entries of
// nights that failed before a set was opened name no set, and never match.
func (e Entry) SameRun(x Entry) bool {
	return e.Set != "" && x.Set == e.Set && x.Result == e.Result && x.FailedStep == e.FailedStep
}

// Append adds e to the journal at path on this machine, as one line, and
// syncs it. The folder is created if needed.
func Append(path string, e Entry) error { return AppendJSON(path, e) }

// AppendJSON adds v to the JSON-lines file at path, as one synced line.
// Other logs of the product (the restore drills') share this format.
func AppendJSON(path string, v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	_, err = f.Write(append(line, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("journal: appending to %s: %w", path, err)
	}
	return nil
}

// Parse reads journal lines. A last line without its newline (a write cut
// short by a crash) is ignored; a damaged line elsewhere is an error naming
// its line number.
func Parse(data []byte) ([]Entry, error) { return ParseJSON[Entry](data) }

// ParseJSON reads a JSON-lines file of T, with the same tolerance of a torn
// last line as Parse.
func ParseJSON[T any](data []byte) ([]T, error) {
	var entries []T
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	complete := bytes.HasSuffix(data, []byte("\n"))
	lines := bytes.Count(data, []byte("\n"))
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e T
		if err := json.Unmarshal(line, &e); err != nil {
			if !complete && n == lines+1 {
				break // torn last line
			}
			return entries, fmt.Errorf("journal: line %d: %w", n, err)
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return entries, fmt.Errorf("journal: %w", err)
	}
	return entries, nil
}

// ReadFile reads the journal at path through files (remote.LocalFiles on
// the controller, or SFTP to it). A journal that does not exist yet is
// empty.
func ReadFile(ctx context.Context, files remote.Files, path string) ([]Entry, error) {
	return ReadJSONFile[Entry](ctx, files, path)
}

// ReadJSONFile reads a JSON-lines file of T through files; a missing file
// is empty.
func ReadJSONFile[T any](ctx context.Context, files remote.Files, path string) ([]T, error) {
	data, err := files.ReadFile(ctx, path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("journal: reading %s: %w", path, err)
	}
	return ParseJSON[T](data)
}

// History is what schedule.ChooseTargets needs, per target: when its last
// verified set was recorded, and when its last set started.
func History(entries []Entry) map[string]schedule.TargetHistory {
	h := map[string]schedule.TargetHistory{}
	for _, e := range entries {
		th := h[e.Target]
		if e.Started.After(th.LastAttempt) {
			th.LastAttempt = e.Started
		}
		if e.Verified() && e.Time.After(th.LastVerified) {
			th.LastVerified = e.Time
		}
		h[e.Target] = th
	}
	return h
}

// Last returns the most recently recorded entry.
func Last(entries []Entry) (Entry, bool) {
	return newest(entries, func(Entry) bool { return true })
}

// LastVerified returns the most recently recorded verified entry of target,
// or of any target when target is "".
func LastVerified(entries []Entry, target string) (Entry, bool) {
	return newest(entries, func(e Entry) bool { return e.Verified() && (target == "" || e.Target == target) })
}

func newest(entries []Entry, match func(Entry) bool) (Entry, bool) {
	var best Entry
	found := false
	for _, e := range entries {
		if match(e) && (!found || !e.Time.Before(best.Time)) {
			best, found = e, true
		}
	}
	return best, found
}
