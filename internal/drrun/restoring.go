package drrun

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// unfinishedRestore names the journal of a restore that was started and not
// finished: until it is, a nightly run would carry a half-restored volume
// to a site, so none runs.
func (e *Engine) unfinishedRestore() error {
	journals, err := filepath.Glob(filepath.Join(e.Schedule.StateDir, "restore-*.json"))
	if err != nil {
		return err
	}
	for _, j := range journals {
		data, err := os.ReadFile(j)
		if err != nil {
			return err
		}
		var st struct {
			Kind     string    `json:"kind"`
			Finished time.Time `json:"finished"`
		}
		if json.Unmarshal(data, &st) == nil && st.Kind == "restore" && st.Finished.IsZero() {
			return fmt.Errorf("a restore is unfinished (%s): a nightly run now would carry a half-restored volume to a site; "+
				"run the same glusterdr restore again to finish it, or move that journal aside once the volume is what you want", j)
		}
	}
	return nil
}
