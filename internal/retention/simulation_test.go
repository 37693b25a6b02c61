package retention

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"
)

// simulation plays the engine: each night it picks a target as rotation
// "alternate" does, opens a set, verifies or fails it, and applies the plan.
// It keeps every set it ever made in history, to check each night's result
// against the calendar worked out afresh from all of them (oracle).
type simulation struct {
	policy  Policy
	targets []string
	start   time.Time
	failed  func(night int) bool // the night's cycle fails, whichever target it is for

	sets    []Set // what the backup folder holds
	history []Set // every set ever made, with its final status
	steady  map[string]int
	figures map[string]*siteFigures
}

type siteFigures struct {
	verified, failed, deleted int
}

func newSimulation(p Policy, targets ...string) *simulation {
	sim := &simulation{policy: p, targets: targets, start: time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC),
		failed: func(int) bool { return false }, steady: map[string]int{}, figures: map[string]*siteFigures{}}
	for _, target := range targets {
		sim.figures[target] = &siteFigures{}
	}
	return sim
}

// choose is rotation "alternate" (schedule.ChooseTargets): the target whose
// newest verified set is oldest, never verified first; then the one
// attempted longest ago; then declared order.
func (sim *simulation) choose() string {
	lastVerified, lastAttempt := map[string]time.Time{}, map[string]time.Time{}
	for _, s := range sim.history {
		if s.Status == Verified && s.Time.After(lastVerified[s.Target]) {
			lastVerified[s.Target] = s.Time
		}
		if s.Time.After(lastAttempt[s.Target]) {
			lastAttempt[s.Target] = s.Time
		}
	}
	best := sim.targets[0]
	for _, t := range sim.targets[1:] {
		if v, bv := lastVerified[t], lastVerified[best]; v.Before(bv) || v.Equal(bv) && lastAttempt[t].Before(lastAttempt[best]) {
			best = t
		}
	}
	return best
}

func (sim *simulation) run(t *testing.T, nights int) {
	t.Helper()
	for night := 1; night <= nights; night++ {
		target := sim.choose()
		at := sim.start.AddDate(0, 0, night-1)
		s := Set{ID: FolderName(at, target), Target: target, Time: at, Tier: Daily, Kind: Full, Status: Pending}

		// While the cycle runs (or after it was cut short), the set is pending.
		sim.sets = append(sim.sets, s)
		sim.apply(t, night, "with the new set pending", true)

		s.Status = Verified
		if sim.failed(night) {
			s.Status = Failed
			sim.figures[target].failed++
		} else {
			sim.figures[target].verified++
		}
		sim.sets[slices.IndexFunc(sim.sets, func(held Set) bool { return held.ID == s.ID })] = s
		sim.history = append(sim.history, s)
		sim.apply(t, night, "after the cycle", s.Status != Verified)
		sim.check(t, night)
		if t.Failed() {
			t.Fatalf("night %d (%s, %s) failed; sets:\n%v", night, target, s.Status, sim.sets)
		}
	}
}

// apply computes the plan over the folder, checks it, and carries it out.
// mustDeleteNothing: a night that has not verified a new set deletes nothing.
func (sim *simulation) apply(t *testing.T, night int, when string, mustDeleteNothing bool) {
	t.Helper()
	plan, err := Compute(sim.sets, sim.policy)
	if err != nil {
		t.Fatalf("night %d, %s: %v", night, when, err)
	}
	checkInvariants(t, sim.sets, sim.policy, plan)
	if mustDeleteNothing && len(plan.Delete) > 0 {
		t.Errorf("night %d, %s: the plan deletes %v", night, when, render(plan))
	}
	for _, d := range plan.Delete {
		sim.figures[d.Target].deleted++
	}
	sim.sets = applied(plan, sim.sets)
}

// check compares what each target holds with the oracle, and records when
// the target is steady: from then on it holds exactly N+M+K verified sets.
func (sim *simulation) check(t *testing.T, night int) {
	t.Helper()
	p := sim.policy
	for _, target := range sim.targets {
		want := oracle(setsOf(sim.history, target), p)
		got := map[string]Tier{}
		newest := newestVerified(sim.sets, target)
		for _, s := range setsOf(sim.sets, target) {
			if s.Status == Verified {
				got[s.ID] = s.Tier
			} else if newest.ID != "" && s.Time.Before(newest.Time) {
				t.Errorf("night %d: %s %s is older than the newest verified set %s", night, s.Status, s.ID, newest.ID)
			}
		}
		if !maps.Equal(got, want) {
			t.Errorf("night %d: %s holds %v, the calendar says %v", night, target, got, want)
		}
		if h := newestVerified(sim.history, target); h.ID != newest.ID {
			t.Errorf("night %d: %s's newest verified set %s is gone (newest held: %q)", night, target, h.ID, newest.ID)
		}
		steadyNow := len(got) == p.Daily+p.Weekly+p.Monthly
		if _, was := sim.steady[target]; was && !steadyNow {
			t.Errorf("night %d: %s was steady from night %d, now holds %d verified sets", night, target, sim.steady[target], len(got))
		}
		if _, was := sim.steady[target]; steadyNow && !was {
			sim.steady[target] = night
		}
	}
}

func newestVerified(sets []Set, target string) Set {
	var newest Set
	for _, s := range sets {
		if s.Target == target && s.Status == Verified && s.Time.After(newest.Time) {
			newest = s
		}
	}
	return newest
}

// oracle is the calendar worked out the plain way from every set a target
// ever had: the newest verified set of each of the last N days; of each of
// the last M ISO weeks before the oldest daily's week; of each of the last
// K months before the oldest weekly's, among those weeks' newest sets, a
// week counting in the month of its Thursday.
func oracle(history []Set, p Policy) map[string]Tier {
	var verified []Set
	for _, s := range history {
		if s.Status == Verified {
			verified = append(verified, s)
		}
	}
	slices.SortFunc(verified, compareNewestFirst)
	day := func(s Set) string { return s.Time.UTC().Format(time.DateOnly) }
	week := func(s Set) string { y, w := s.Time.UTC().ISOWeek(); return fmt.Sprintf("%d-W%02d", y, w) }
	month := func(s Set) string { // of the week's Thursday
		return weekStart(s.Time).AddDate(0, 0, 3).Format("2006-01")
	}

	out := map[string]Tier{}
	dailies := newestPer(verified, day, p.Daily)
	for _, s := range dailies {
		out[s.ID] = Daily
	}
	if len(dailies) < p.Daily || p.Weekly == 0 {
		return out
	}
	before := func(sets []Set, key func(Set) string, bound string) []Set {
		var out []Set
		for _, s := range sets {
			if key(s) < bound {
				out = append(out, s)
			}
		}
		return out
	}
	older := before(verified, week, week(dailies[len(dailies)-1]))
	weeks := newestPer(older, week, len(older))
	for _, s := range weeks[:min(p.Weekly, len(weeks))] {
		out[s.ID] = Weekly
	}
	if len(weeks) <= p.Weekly || p.Monthly == 0 {
		return out
	}
	for _, s := range newestPer(before(weeks, month, month(weeks[p.Weekly-1])), month, p.Monthly) {
		out[s.ID] = Monthly
	}
	return out
}

// newestPer returns the first set of each key in sets (newest first), for
// the first n keys.
func newestPer(sets []Set, key func(Set) string, n int) []Set {
	var out []Set
	seen := map[string]bool{}
	for _, s := range sets {
		if k := key(s); !seen[k] && len(out) < n {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

// weeklies returns target's weeklies, oldest first.
func (sim *simulation) weeklies(target string) []Set {
	var out []Set
	for _, s := range sim.sets {
		if s.Target == target && s.Tier == Weekly {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Set) int { return a.Time.Compare(b.Time) })
	return out
}

// weeklyGaps counts the days between consecutive weeklies of target: days
// apart -> how often.
func (sim *simulation) weeklyGaps(target string) map[int]int {
	gaps := map[int]int{}
	weeklies := sim.weeklies(target)
	for i := 1; i < len(weeklies); i++ {
		gaps[int(weeklies[i].Time.Sub(weeklies[i-1].Time).Hours()/24)]++
	}
	return gaps
}

// weekStart is the Monday 00:00 UTC of t's ISO week.
func weekStart(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}

// checkWeeklies: each weekly is the newest verified set of its ISO week at
// the target, and consecutive weeklies are in consecutive weeks among those
// in which the target had a verified set.
func (sim *simulation) checkWeeklies(t *testing.T, target string) {
	t.Helper()
	weeklies := sim.weeklies(target)
	if len(weeklies) != sim.policy.Weekly {
		t.Errorf("%s holds %d weeklies, want %d", target, len(weeklies), sim.policy.Weekly)
	}
	hadSet := map[time.Time]Set{} // week -> newest verified set of that week
	for _, s := range sim.history {
		if w := weekStart(s.Time); s.Target == target && s.Status == Verified && s.Time.After(hadSet[w].Time) {
			hadSet[w] = s
		}
	}
	for i, w := range weeklies {
		if newest := hadSet[weekStart(w.Time)]; newest.ID != w.ID {
			t.Errorf("%s weekly %s is not the newest verified set of its week: %s is", target, w.ID, newest.ID)
		}
		if i == 0 {
			continue
		}
		for week := weekStart(weeklies[i-1].Time).AddDate(0, 0, 7); week.Before(weekStart(w.Time)); week = week.AddDate(0, 0, 7) {
			if s, ok := hadSet[week]; ok {
				t.Errorf("%s weeklies %s and %s skip the week of %s, which has %s", target, weeklies[i-1].ID, w.ID, week.Format(time.DateOnly), s.ID)
			}
		}
	}
}

func (sim *simulation) report(t *testing.T) {
	t.Helper()
	for _, target := range sim.targets {
		f := sim.figures[target]
		t.Logf("%s: %d verified, %d failed nights, %d sets deleted, steady from night %d, holds %d verified; days between weeklies: %v",
			target, f.verified, f.failed, f.deleted, sim.steady[target], len(setsOf(sim.sets, target)), sim.weeklyGaps(target))
	}
}

// runsOfFailures fails nights 23-26, 58-63 and 95-97: runs of 4, 6 and 3.
func runsOfFailures(night int) bool {
	return night >= 23 && night <= 26 || night >= 58 && night <= 63 || night >= 95 && night <= 97
}

func TestSimulationAlternatingSitesWithFailures(t *testing.T) {
	sim := newSimulation(Policy{Daily: 7, Weekly: 5}, "sdsc", "tacc")
	sim.failed = runsOfFailures
	sim.run(t, 120)
	for _, target := range sim.targets {
		if sim.steady[target] == 0 {
			t.Fatalf("%s never held 7 + 5 verified sets", target)
		}
		if held := len(setsOf(sim.sets, target)); held != 12 {
			t.Errorf("%s holds %d sets after night 120, want 12", target, held)
		}
		sim.checkWeeklies(t, target)
		for gap := range sim.weeklyGaps(target) {
			if gap < 1 || gap > 13 {
				t.Errorf("%s has weeklies %d days apart", target, gap)
			}
		}
	}
	sim.report(t)
}

func TestSimulationAlternatingSites(t *testing.T) {
	// No failures: each site runs every other night, so its newest set of a
	// week is on the Sunday or the Saturday, and its weeklies are 6 or 8
	// days apart, 7 on average: one per ISO week, none skipped.
	sim := newSimulation(Policy{Daily: 7, Weekly: 5}, "sdsc", "tacc")
	sim.run(t, 120)
	for _, target := range sim.targets {
		sim.checkWeeklies(t, target)
		gaps := sim.weeklyGaps(target)
		if len(gaps) == 0 || gaps[6]+gaps[8] != sim.policy.Weekly-1 {
			t.Errorf("%s: days between weeklies %v, want only 6 and 8", target, gaps)
		}
		weeklies := sim.weeklies(target)
		if span := weeklies[len(weeklies)-1].Time.Sub(weeklies[0].Time); span < 27*24*time.Hour || span > 29*24*time.Hour {
			t.Errorf("%s: 5 weeklies span %v, want 28 days give or take one", target, span)
		}
	}
	sim.report(t)
}

func TestSimulationOneSiteNightly(t *testing.T) {
	sim := newSimulation(Policy{Daily: 7, Weekly: 5}, "sdsc")
	sim.run(t, 120)
	sim.checkWeeklies(t, "sdsc")
	if gaps := sim.weeklyGaps("sdsc"); len(gaps) != 1 || gaps[7] != 4 {
		t.Errorf("days between weeklies %v, want 7 every time", gaps)
	}
	for _, w := range sim.weeklies("sdsc") {
		if w.Time.Weekday() != time.Sunday {
			t.Errorf("weekly %s is not a Sunday's set", w.ID)
		}
	}
	if sim.steady["sdsc"] == 0 || len(sim.sets) != 12 {
		t.Errorf("holds %d sets, steady from night %d; want 12", len(sim.sets), sim.steady["sdsc"])
	}
	sim.report(t)
}

func TestSimulationWithMonthlies(t *testing.T) {
	sim := newSimulation(Policy{Daily: 7, Weekly: 4, Monthly: 2}, "sdsc", "tacc")
	sim.failed = runsOfFailures
	sim.run(t, 120)
	for _, target := range sim.targets {
		if sim.steady[target] == 0 {
			t.Errorf("%s never held 7 + 4 + 2 verified sets", target)
		}
		var months []string
		for _, s := range sim.sets {
			if s.Target == target && s.Tier == Monthly {
				months = append(months, monthLabel(s.Time))
			}
		}
		slices.Sort(months)
		if !slices.Equal(months, []string{"the weeks of 2026-11", "the weeks of 2026-12"}) {
			t.Errorf("%s's monthlies are of %v, want November and December", target, months)
		}
	}
	sim.report(t)
}

func TestSimulationRunOfFailuresKeepsLastGoodCopies(t *testing.T) {
	sim := newSimulation(Policy{Daily: 4}, "sdsc")
	sim.failed = func(night int) bool { return night > 10 }
	sim.run(t, 30)
	var good, failed int
	for _, s := range sim.sets {
		if s.Status == Verified {
			good++
		} else {
			failed++
		}
	}
	if good != 4 || failed != 20 {
		t.Fatalf("holds %d verified and %d failed sets, want 4 and 20", good, failed)
	}
	if newest := newestVerified(sim.sets, "sdsc"); newest.ID != "20261111T020000Z-sdsc" {
		t.Errorf("newest good set is %s, want night 10's", newest.ID)
	}
}
