package failover

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// recorder builds a plan whose steps record that they ran and fail on cue.
type recorder struct {
	ran    []string
	failAt string
}

func (r *recorder) plan(names ...string) Plan {
	p := Plan{Kind: "failover", Site: "sdsc"}
	for _, n := range names {
		p.Steps = append(p.Steps, Step{Name: n, Describe: "do " + n, Run: func(context.Context) error {
			r.ran = append(r.ran, n)
			if n == r.failAt {
				return errors.New("boom at " + n)
			}
			return nil
		}})
	}
	return p
}

func journal(t *testing.T) Journal {
	return Journal{Files: remote.LocalFiles{}, Path: filepath.Join(t.TempDir(), "failover-sdsc.json")}
}

func TestDryRunPrintsThePlanAndChangesNothing(t *testing.T) {
	r, j, out := &recorder{}, journal(t), &bytes.Buffer{}
	if _, err := Execute(context.Background(), r.plan("a", "b"), Options{DryRun: true, Yes: true, Out: out, Journal: j}); err != nil {
		t.Fatal(err)
	}
	if len(r.ran) != 0 {
		t.Errorf("a dry run ran %v", r.ran)
	}
	if !strings.Contains(out.String(), "1. [ ] do a") || !strings.Contains(out.String(), "2. [ ] do b") {
		t.Errorf("dry run output:\n%s", out)
	}
	if _, err := j.Files.Stat(context.Background(), j.Path); err == nil {
		t.Error("a dry run wrote the journal")
	}
}

func TestWithoutYesNothingHappens(t *testing.T) {
	r, out := &recorder{}, &bytes.Buffer{}
	_, err := Execute(context.Background(), r.plan("a"), Options{Out: out, Journal: journal(t)})
	if !errors.Is(err, ErrNotConfirmed) || !strings.Contains(err.Error(), "--yes") {
		t.Fatalf("err = %v, want ErrNotConfirmed mentioning --yes", err)
	}
	if len(r.ran) != 0 {
		t.Errorf("ran %v without --yes", r.ran)
	}
}

func TestAnInterruptedPlanResumes(t *testing.T) {
	ctx, j := context.Background(), journal(t)
	r := &recorder{failAt: "b"}
	out := &bytes.Buffer{}
	_, err := Execute(ctx, r.plan("a", "b", "c"), Options{Yes: true, Out: out, Journal: j})
	if err == nil || !strings.Contains(err.Error(), `step "b"`) || !strings.Contains(err.Error(), "boom at b") {
		t.Fatalf("err = %v, want the failed step named with its cause", err)
	}
	if !slices.Equal(r.ran, []string{"a", "b"}) {
		t.Fatalf("ran %v", r.ran)
	}
	if !strings.Contains(out.String(), "1/3 do a\n2/3 do b") {
		t.Errorf("steps are not printed before they run:\n%s", out)
	}

	r2 := &recorder{}
	out.Reset()
	st, err := Execute(ctx, r2.plan("a", "b", "c"), Options{Yes: true, Out: out, Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r2.ran, []string{"b", "c"}) {
		t.Errorf("the re-run ran %v, want [b c]", r2.ran)
	}
	if !strings.Contains(out.String(), "1/3 already done: do a") || st.Finished.IsZero() {
		t.Errorf("resume output:\n%s\nstate %+v", out, st)
	}
	fi, err := j.Files.Stat(ctx, j.Path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("journal %v %v, want mode 0600", fi, err)
	}

	// A finished plan does not stop the next switch: it starts afresh.
	r3 := &recorder{}
	if _, err := Execute(ctx, r3.plan("a", "b", "c"), Options{Yes: true, Out: out, Journal: j}); err != nil {
		t.Fatal(err)
	}
	if len(r3.ran) != 3 {
		t.Errorf("after a finished plan the next run ran %v, want all steps", r3.ran)
	}
}

func TestADamagedJournalIsRefused(t *testing.T) {
	ctx, j := context.Background(), journal(t)
	if err := j.Files.WriteFile(ctx, j.Path, strings.NewReader("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	_, err := Execute(ctx, r.plan("a"), Options{Yes: true, Out: &bytes.Buffer{}, Journal: j})
	if err == nil || !strings.Contains(err.Error(), "damaged") || len(r.ran) != 0 {
		t.Errorf("err = %v, ran %v; want a refusal naming the damaged journal", err, r.ran)
	}
}

// TestJournalFolderIsMade: a controller whose state_dir does not exist yet
// (a fresh one, the case failover is for) must still journal the plan.
func TestJournalFolderIsMade(t *testing.T) {
	r := &recorder{}
	j := Journal{Files: remote.LocalFiles{}, Path: filepath.Join(t.TempDir(), "state", "dir", "failover-sdsc.json")}
	if _, err := Execute(context.Background(), r.plan("a"), Options{Yes: true, Out: &bytes.Buffer{}, Journal: j}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Files.Stat(context.Background(), j.Path); err != nil {
		t.Errorf("the journal was not written: %v", err)
	}
}
