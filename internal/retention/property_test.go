package retention

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// randomHistory builds a messy history: several targets, every status and
// tier, shared timestamps, and chains that are sound, broken or looping.
func randomHistory(r *rand.Rand) ([]Set, Policy) {
	p := Policy{Daily: 1 + r.IntN(8), Weekly: r.IntN(6)}
	if p.Weekly > 0 {
		p.Monthly = r.IntN(4)
	}
	targets := []string{"sdsc", "tacc", "ornl"}[:1+r.IntN(3)]
	sets := make([]Set, r.IntN(41))
	for i := range sets {
		target := targets[r.IntN(len(targets))]
		at := firstNight.Add(time.Duration(r.IntN(400*4)) * 6 * time.Hour)
		s := Set{ID: fmt.Sprintf("%s-%02d", target, i), Target: target, Time: at}
		s.Status = pick(r, []Status{Verified, Verified, Verified, Failed, Pending, ""})
		s.Tier = pick(r, []Tier{Daily, Daily, Daily, Weekly, Monthly, ""})
		if i > 0 && r.IntN(2) == 0 {
			s.Kind = Incremental
			s.Parent = sets[r.IntN(i)].ID // usually an older set, maybe another target's
			switch r.IntN(10) {
			case 0:
				s.Parent = "missing"
			case 1:
				s.Parent = fmt.Sprintf("%s-%02d", target, i+1+r.IntN(3)) // a later set: loops happen
			}
		}
		sets[i] = s
	}
	return sets, p
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

// checkInvariants fails t if plan breaks a promise Compute makes about sets.
func checkInvariants(t *testing.T, sets []Set, p Policy, plan Plan) {
	t.Helper()
	byID := map[string]Set{}
	for _, s := range sets {
		byID[s.ID] = s.withDefaults()
	}
	kept := map[string]Decision{}
	for _, d := range plan.Keep {
		kept[d.ID] = d
	}
	if len(plan.Keep)+len(plan.Delete) != len(sets) || len(kept) != len(plan.Keep) {
		t.Fatalf("keep %d + delete %d != %d sets", len(plan.Keep), len(plan.Delete), len(sets))
	}
	for _, d := range plan.Delete {
		if _, ok := kept[d.ID]; ok {
			t.Fatalf("%s is both kept and deleted", d.ID)
		}
	}
	newestVerified := map[string]Set{}
	for _, s := range byID {
		if n, ok := newestVerified[s.Target]; s.Status == Verified && (!ok || isOlder(n, s)) {
			newestVerified[s.Target] = s
		}
	}
	for target, s := range newestVerified {
		if _, ok := kept[s.ID]; !ok {
			t.Errorf("target %s: newest verified set %s deleted", target, s.ID)
		}
	}
	for _, d := range plan.Delete {
		s := byID[d.ID]
		if n, ok := newestVerified[s.Target]; s.Status != Verified && (!ok || !isOlder(s, n)) {
			t.Errorf("%s set %s deleted with no newer verified set: %s", s.Status, s.ID, d.Reason)
		}
	}
	chainsOf := map[string]chains{}
	for _, s := range byID {
		if _, ok := chainsOf[s.Target]; !ok {
			chainsOf[s.Target] = newChains(setsOf(sets, s.Target))
		}
	}
	for id := range kept {
		for _, a := range chainsOf[byID[id].Target].ancestors(id) {
			if _, ok := kept[a.ID]; !ok {
				t.Errorf("kept %s needs %s, which is deleted", id, a.ID)
			}
		}
	}
	for _, d := range plan.Keep {
		changed := slices.ContainsFunc(plan.Promote, func(p Decision) bool { return p.ID == d.ID })
		if d.Tier != byID[d.ID].Tier && !changed {
			t.Errorf("%s is kept as %s, was %s, and that is not in Promote", d.ID, d.Tier, byID[d.ID].Tier)
		}
	}
	for _, d := range plan.Promote {
		s := byID[d.ID]
		if kd, ok := kept[d.ID]; !ok || kd.Tier != d.Tier || d.Tier == s.Tier {
			t.Errorf("tier change of %s to %s is not a kept change from %s", d.ID, d.Tier, s.Tier)
		}
		if !chainsOf[s.Target].good(s) {
			t.Errorf("%s changes tier but is not a good set", d.ID)
		}
	}
	checkCalendar(t, byID, p, plan)
}

// checkCalendar fails t if a target keeps more sets of a tier on the
// calendar's count than the policy says, or two of one tier in one period.
func checkCalendar(t *testing.T, byID map[string]Set, p Policy, plan Plan) {
	t.Helper()
	rules := map[Tier]rule{}
	for _, r := range p.rules() {
		rules[r.tier] = r
	}
	seen := map[string]string{} // target, tier, period -> set
	count := map[string]int{}   // target, tier -> sets
	for _, d := range plan.Keep {
		var tier Tier
		var rank, of int
		if n, _ := fmt.Sscanf(d.Reason, "%s %d of %d:", &tier, &rank, &of); n != 3 {
			continue
		}
		r, ok := rules[tier]
		count[d.Target+" "+string(tier)]++
		if !ok || tier != d.Tier || rank != count[d.Target+" "+string(tier)] || of != r.keep || rank > of {
			t.Errorf("kept %s as %s for %q under %+v", d.ID, d.Tier, d.Reason, p)
			continue
		}
		key := fmt.Sprintf("%s %s %s", d.Target, tier, r.label(byID[d.ID].Time))
		if other, dup := seen[key]; dup {
			t.Errorf("%s and %s are both kept for %s", other, d.ID, key)
		}
		seen[key] = d.ID
	}
}

func setsOf(sets []Set, target string) []Set {
	var out []Set
	for _, s := range sets {
		if s.Target == target {
			out = append(out, s.withDefaults())
		}
	}
	return out
}

// applied is what the engine leaves behind after carrying out plan.
func applied(plan Plan, sets []Set) []Set {
	byID := map[string]Set{}
	for _, s := range sets {
		byID[s.ID] = s
	}
	var out []Set
	for _, d := range plan.Keep {
		s := byID[d.ID]
		s.Tier = d.Tier
		out = append(out, s)
	}
	return out
}

func checkPlanProperties(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	sets, p := randomHistory(r)
	plan, err := Compute(sets, p)
	if err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	checkInvariants(t, sets, p, plan)

	shuffled := slices.Clone(sets)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	again, err := Compute(shuffled, p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plan, again) {
		t.Fatalf("seed %d: plan depends on input order (-first +shuffled):\n%s", seed, cmp.Diff(plan, again))
	}

	next, err := Compute(applied(plan, sets), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Delete) != 0 || len(next.Promote) != 0 || len(next.Keep) != len(plan.Keep) {
		t.Fatalf("seed %d: plan is not stable once applied:\n%v", seed, render(next))
	}
}

// TestPlanProperties checks the invariants over many random histories.
func TestPlanProperties(t *testing.T) {
	for seed := range uint64(1500) {
		checkPlanProperties(t, seed)
		if t.Failed() {
			t.Fatalf("failed for seed %d", seed)
		}
	}
}
