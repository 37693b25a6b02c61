package failover

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// ErrNotConfirmed is returned when a plan would run without Options.Yes.
var ErrNotConfirmed = errors.New("not confirmed")

// Options control Execute.
type Options struct {
	// DryRun prints the plan and changes nothing.
	DryRun bool
	// Yes confirms the switch; without it nothing is changed.
	Yes bool
	Out io.Writer
	// Journal is where step states are kept, so that a re-run resumes.
	Journal Journal
}

// Journal is a JSON file of step states on some host.
type Journal struct {
	Files remote.Files
	Path  string
}

// State is the journal's content.
type State struct {
	Kind     string               `json:"kind"`
	Site     string               `json:"site"`
	Started  time.Time            `json:"started"`
	Finished time.Time            `json:"finished,omitzero"`
	Steps    map[string]StepState `json:"steps"`
}

// StepState is one step's outcome.
type StepState struct {
	Done  time.Time `json:"done,omitzero"`
	Error string    `json:"error,omitempty"`
}

// Execute runs the plan's steps in order, printing each before it runs.
// Steps the journal records as done are skipped, so an interrupted plan
// resumes where it stopped; a finished plan starts afresh.
func Execute(ctx context.Context, p Plan, opts Options) (*State, error) {
	st, err := opts.Journal.load(ctx, p)
	if err != nil {
		return nil, err
	}
	if opts.DryRun || !opts.Yes {
		fmt.Fprintf(opts.Out, "%s would run:\n", p.title())
		for i, s := range p.Steps {
			mark := " "
			if !st.Steps[s.Name].Done.IsZero() {
				mark = "done"
			}
			fmt.Fprintf(opts.Out, "  %d. [%s] %s\n", i+1, mark, s.Describe)
		}
		if opts.DryRun {
			return st, nil
		}
		return st, fmt.Errorf("%w: %s; re-run with --yes to do it", ErrNotConfirmed, p.confirm())
	}
	for i, s := range p.Steps {
		if !st.Steps[s.Name].Done.IsZero() {
			fmt.Fprintf(opts.Out, "%d/%d already done: %s\n", i+1, len(p.Steps), s.Describe)
			continue
		}
		fmt.Fprintf(opts.Out, "%d/%d %s\n", i+1, len(p.Steps), s.Describe)
		err := s.Run(ctx)
		state := StepState{Done: time.Now().UTC()}
		if err != nil {
			state = StepState{Error: err.Error()}
		}
		st.Steps[s.Name] = state
		if saveErr := opts.Journal.save(ctx, st); saveErr != nil {
			return st, errors.Join(err, saveErr)
		}
		if err != nil {
			return st, fmt.Errorf("%s failed at step %q: %w\n(fix the cause and re-run: the steps done so far are skipped)",
				p.title(), s.Name, err)
		}
	}
	st.Finished = time.Now().UTC()
	return st, opts.Journal.save(ctx, st)
}

func (j Journal) load(ctx context.Context, p Plan) (*State, error) {
	fresh := &State{Kind: p.Kind, Site: p.Site, Started: time.Now().UTC(), Steps: map[string]StepState{}}
	data, err := j.Files.ReadFile(ctx, j.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return fresh, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the %s journal %s: %w", p.Kind, j.Path, err)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("the %s journal %s is damaged (%v); move it aside to start afresh", p.Kind, j.Path, err)
	}
	if st.Kind != p.Kind || st.Site != p.Site || !st.Finished.IsZero() || st.Steps == nil {
		return fresh, nil
	}
	return &st, nil
}

func (j Journal) save(ctx context.Context, st *State) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	// A fresh controller may not have its state_dir yet: failover is what
	// runs when things are not as usual.
	if err := j.Files.MkdirAll(ctx, path.Dir(j.Path), 0o750); err != nil {
		return fmt.Errorf("the folder of the %s journal %s: %w", st.Kind, j.Path, err)
	}
	return j.Files.WriteFile(ctx, j.Path, bytes.NewReader(append(data, '\n')), 0o600)
}
