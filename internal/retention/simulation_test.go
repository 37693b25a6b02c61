package retention

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// simulation plays the engine: one set a night, retention after each.
type simulation struct {
	policy  Policy
	targets []string // used in turn, one a night
	failed  func(night int) bool
	sets    []Set
}

// run plays nights 1..nights, checking every plan, and returns the last one.
func (sim *simulation) run(t *testing.T, nights int) Plan {
	t.Helper()
	var plan Plan
	for night := 1; night <= nights; night++ {
		target := sim.targets[(night-1)%len(sim.targets)]
		at := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC).AddDate(0, 0, night)
		kind, parent := NextKind(sim.sets, target, sim.policy)
		status := Verified
		if sim.failed != nil && sim.failed(night) {
			status = Failed
		}
		sim.sets = append(sim.sets, Set{
			ID: FolderName(at, target), Target: target, Time: at,
			Tier: Daily, Kind: kind, Parent: parent, Status: status,
		})
		var err error
		plan, err = Compute(sim.sets, sim.policy)
		if err != nil {
			t.Fatalf("night %d: %v", night, err)
		}
		checkInvariants(t, sim.sets, sim.policy, plan)
		sim.sets = applied(plan, sim.sets)
	}
	return plan
}

// kept returns target's kept sets of tier, oldest first.
func (sim *simulation) kept(target string, tier Tier) []Set {
	var out []Set
	for _, s := range sim.sets {
		if s.Target == target && s.Tier == tier {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Set) int { return a.Time.Compare(b.Time) })
	return out
}

// checkSpacing fails t unless sets are exactly gap apart.
func checkSpacing(t *testing.T, what string, sets []Set, gap time.Duration) {
	t.Helper()
	for i := 1; i < len(sets); i++ {
		if d := sets[i].Time.Sub(sets[i-1].Time); d != gap {
			t.Errorf("%s %s and %s are %v apart, want %v", what, sets[i-1].ID, sets[i].ID, d, gap)
		}
	}
}

func TestSimulationSingleTarget(t *testing.T) {
	sim := &simulation{policy: Policy{Daily: 7, Weekly: 5}, targets: []string{"sdsc"}}
	sim.run(t, 60)
	if len(sim.sets) != 12 {
		t.Fatalf("kept %d sets after 60 nights, want 7 + 5 = 12:\n%v", len(sim.sets), sim.sets)
	}
	dailies, weeklies := sim.kept("sdsc", Daily), sim.kept("sdsc", Weekly)
	if len(dailies) != 7 || len(weeklies) != 5 {
		t.Fatalf("kept %d dailies and %d weeklies, want 7 and 5", len(dailies), len(weeklies))
	}
	checkSpacing(t, "weeklies", weeklies, 7*24*time.Hour)
	if last := weeklies[len(weeklies)-1].ID; last != "20250426T020000Z-sdsc" { // night 56
		t.Errorf("newest weekly is %s, want night 56's", last)
	}
}

func TestSimulationAlternatingTargets(t *testing.T) {
	// 60 nights give each site 30 cycles: enough for N=5, M=5 (26 cycles
	// fill both stacks), not for N=7, M=5 (36 cycles).
	sim := &simulation{policy: Policy{Daily: 5, Weekly: 5}, targets: []string{"sdsc", "tacc"}}
	sim.run(t, 60)
	for _, target := range sim.targets {
		dailies, weeklies := sim.kept(target, Daily), sim.kept(target, Weekly)
		if len(dailies) != 5 || len(weeklies) != 5 {
			t.Errorf("%s kept %d dailies and %d weeklies, want 5 and 5", target, len(dailies), len(weeklies))
		}
		checkSpacing(t, target+" weeklies", weeklies, 2*5*24*time.Hour) // 5 cycles, every other night
	}
	if len(sim.sets) != 2*(5+5) {
		t.Errorf("kept %d sets, want 20", len(sim.sets))
	}
}

func TestSimulationWithMonthlies(t *testing.T) {
	sim := &simulation{policy: Policy{Daily: 7, Weekly: 5, Monthly: 2}, targets: []string{"sdsc"}}
	sim.run(t, 120)
	dailies, weeklies, monthlies := sim.kept("sdsc", Daily), sim.kept("sdsc", Weekly), sim.kept("sdsc", Monthly)
	if len(dailies) != 7 || len(weeklies) != 5 || len(monthlies) != 2 {
		t.Fatalf("kept %d/%d/%d daily/weekly/monthly, want 7/5/2", len(dailies), len(weeklies), len(monthlies))
	}
	checkSpacing(t, "monthlies", monthlies, 35*24*time.Hour)
	// Weeklies and monthlies together are one set every 7 nights.
	promoted := append(weeklies, monthlies...)
	slices.SortFunc(promoted, func(a, b Set) int { return a.Time.Compare(b.Time) })
	checkSpacing(t, "weeklies and monthlies", promoted[len(promoted)-6:], 7*24*time.Hour)
}

func TestSimulationWithFailures(t *testing.T) {
	// Every third night fails; failures neither count nor survive the next
	// verified night, and the weekly still comes every 7 verified cycles.
	sim := &simulation{
		policy:  Policy{Daily: 7, Weekly: 5},
		targets: []string{"sdsc"},
		failed:  func(night int) bool { return night%3 == 0 },
	}
	sim.run(t, 89) // night 89 is verified; 60 of the 89 nights are
	for _, s := range sim.sets {
		if s.Status != Verified {
			t.Errorf("kept %s set %s after a verified night", s.Status, s.ID)
		}
	}
	if d, w := len(sim.kept("sdsc", Daily)), len(sim.kept("sdsc", Weekly)); d != 7 || w != 5 {
		t.Errorf("kept %d dailies and %d weeklies, want 7 and 5", d, w)
	}
}

func TestSimulationRunOfFailuresKeepsLastGoodCopies(t *testing.T) {
	sim := &simulation{
		policy:  Policy{Daily: 4},
		targets: []string{"sdsc"},
		failed:  func(night int) bool { return night > 10 },
	}
	sim.run(t, 30)
	var good, failed []Set
	for _, s := range sim.sets {
		if s.Status == Verified {
			good = append(good, s)
		} else {
			failed = append(failed, s)
		}
	}
	if len(good) != 4 || len(failed) != 20 {
		t.Fatalf("kept %d verified and %d failed sets, want 4 and 20", len(good), len(failed))
	}
	if newest := sim.kept("sdsc", Daily)[3]; newest.ID != "20250311T020000Z-sdsc" {
		t.Errorf("newest good set is %s, want night 10's", newest.ID)
	}
}

func TestSimulationWithChains(t *testing.T) {
	p := Policy{Daily: 7, Weekly: 5, FullEvery: 4}
	sim := &simulation{policy: p, targets: []string{"sdsc", "tacc"}}
	plan := sim.run(t, 90)
	for _, target := range sim.targets {
		c := newChains(setsOf(sim.sets, target))
		for _, s := range sim.sets {
			if s.Target != target {
				continue
			}
			if problem := c.problem(s.ID); problem != "" {
				t.Errorf("kept %s cannot be restored: %s", s.ID, problem)
			}
			if chain := 1 + len(c.ancestors(s.ID)); chain > p.FullEvery {
				t.Errorf("%s has a chain of %d sets, want at most %d", s.ID, chain, p.FullEvery)
			}
		}
		for _, w := range sim.kept(target, Weekly) {
			if w.Kind != Full {
				t.Errorf("weekly %s is %s, want a full", w.ID, w.Kind)
			}
		}
		if w := len(sim.kept(target, Weekly)); w != 5 {
			t.Errorf("%s kept %d weeklies, want 5", target, w)
		}
	}
	ranked := 0
	for _, d := range plan.Keep {
		if strings.HasSuffix(d.Reason, " of 7") || strings.HasSuffix(d.Reason, " of 5") {
			ranked++
		}
	}
	if ranked != 2*(7+5) {
		t.Errorf("%d sets kept on their own merit, want 24; plan:\n%v", ranked, render(plan))
	}
}
