package drrun

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
)

// TestPlanStepAfterEarlierSteps: in check mode the earlier steps were only
// planned, so --plan --step S answers what S would do after them: on a set
// that does not exist yet, and on a pending set whose earlier steps are
// still to run. A failed set's refusal stands.
func TestPlanStepAfterEarlierSteps(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	plan := func(step, set string) (*Report, error) {
		return h.eng.Run(ctx, RunOptions{Plan: true, Step: step, Set: set})
	}
	rep, err := plan(backupset.StepVerify, "20261125T020000Z-tacc")
	if err != nil || !rep.Changed || len(rep.Planned) != 1 {
		t.Fatalf("plan on a set not opened yet: %v %+v", err, rep)
	}
	if p := rep.Planned[0]; p.Target != "tacc" || !reflect.DeepEqual(p.After, []string{"open", "fill", "replicate"}) ||
		!reflect.DeepEqual(p.Steps, []string{"verify"}) {
		t.Errorf("planned: %+v", p)
	}

	opened, err := h.eng.Run(ctx, RunOptions{Step: backupset.StepOpen, Target: "sdsc"})
	if err != nil {
		t.Fatal(err)
	}
	id := opened.Sets[0].Set.ID
	for _, c := range []struct {
		step  string
		after []string
	}{
		{backupset.StepFill, nil},
		{backupset.StepVerify, []string{"fill", "replicate"}},
		{backupset.StepRetention, []string{"fill", "replicate", "verify", "restore-point"}},
		{backupset.StepRecord, nil},
	} {
		rep, err := plan(c.step, id)
		if err != nil || !rep.Changed || rep.Planned[0].Action != ActionStepped || !reflect.DeepEqual(rep.Planned[0].After, c.after) {
			t.Errorf("plan of %s on a set just opened: %v %+v", c.step, err, rep.Planned)
		}
	}
	// The engine itself still refuses to run a step before its turn.
	if _, err := h.eng.Run(ctx, RunOptions{Step: backupset.StepVerify, Set: id}); err == nil ||
		!strings.Contains(err.Error(), "needs step fill first") {
		t.Errorf("verify before fill: %v", err)
	}

	m, _ := h.eng.Store().Read(ctx, id)
	m.Begin(backupset.StepFill, h.eng.now())
	m.Finish(backupset.StepFill, h.eng.now(), errors.New("the etcd snapshot failed"))
	m.Fail(backupset.StepFill)
	must(t, h.eng.Store().Write(ctx, m))
	if _, err := plan(backupset.StepVerify, id); err == nil || !strings.Contains(err.Error(), "needs step fill first, which is failed") {
		t.Errorf("plan of verify on a failed set: %v", err)
	}
}

// TestOpenNamedOrResumed: --step open with --set names a set that is
// opened already, and with --resume takes up the set a run would resume;
// neither changes anything, and neither opens a new set.
func TestOpenNamedOrResumed(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for _, plan := range []bool{true, false} {
		rep, err := h.eng.Run(ctx, RunOptions{Step: backupset.StepOpen, Resume: true, Target: "tacc", Plan: plan})
		if err != nil || !rep.Changed {
			t.Fatalf("resume with nothing to resume (plan %t): %v %+v", plan, err, rep)
		}
	}
	listing, _ := h.eng.Store().List(ctx)
	if len(listing.Sets) != 1 {
		t.Fatalf("%d sets, want the one opened", len(listing.Sets))
	}
	id := listing.Sets[0].ID
	for _, plan := range []bool{true, false} {
		rep, err := h.eng.Run(ctx, RunOptions{Step: backupset.StepOpen, Resume: true, Plan: plan})
		if err != nil || rep.Changed {
			t.Fatalf("resume (plan %t): %v %+v", plan, err, rep)
		}
		action, set := "", ""
		if plan {
			action, set = rep.Planned[0].Action, rep.Planned[0].Set
		} else {
			action, set = rep.Sets[0].Action, rep.Sets[0].Set.ID
		}
		if action != ActionResumed || set != id {
			t.Errorf("resume (plan %t): %s %s, want resumed %s", plan, action, set, id)
		}
		rep, err = h.eng.Run(ctx, RunOptions{Step: backupset.StepOpen, Set: id, Plan: plan})
		if err != nil || rep.Changed {
			t.Errorf("open of the named set (plan %t): %v %+v", plan, err, rep)
		}
	}
	if _, err := h.eng.Run(ctx, RunOptions{Step: backupset.StepOpen, Resume: true, Target: "sdsc"}); err != nil {
		t.Fatal(err)
	}
	if listing, _ := h.eng.Store().List(ctx); len(listing.Sets) != 2 {
		t.Errorf("resume for sdsc with only a tacc set to resume: %d sets, want a new one", len(listing.Sets))
	}
	_, err := h.eng.Run(ctx, RunOptions{Step: backupset.StepOpen, Set: "20261101T020000Z-sdsc"})
	if err == nil || !strings.Contains(err.Error(), "backup set 20261101T020000Z-sdsc does not exist") {
		t.Errorf("open of a named set that does not exist: %v", err)
	}
	if _, err := h.eng.Run(ctx, RunOptions{Step: backupset.StepFill, Resume: true}); err == nil || !strings.Contains(err.Error(), "--resume goes with --step open") {
		t.Errorf("--resume with another step: %v", err)
	}
}
