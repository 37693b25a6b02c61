package retention

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Decision is one line of a plan. Its Reason is shown to operators as is.
type Decision struct {
	ID     string
	Target string
	Time   time.Time
	Tier   Tier // the set's tier once the plan is applied
	Reason string
}

// Plan says what to do with every set. Keep and Delete together hold every
// input set exactly once. Promote lists the kept sets whose tier changes,
// with their new tier; those sets are in Keep as well. A tier normally goes
// up (daily, weekly, monthly) as a set ages; it goes down only when newer
// sets were removed by hand, or for sets tiered by the rule before the
// calendar. Each list is ordered by target, then newest first.
type Plan struct {
	Keep    []Decision
	Delete  []Decision
	Promote []Decision
}

// Compute plans retention for sets under policy p, target by target.
// It fails only on a policy or a set list that makes no sense (a duplicate
// ID, an unknown tier); the engine should then delete nothing.
//
// The plan guarantees, for every target:
//   - the newest verified set is kept;
//   - every ancestor of a kept incremental is kept;
//   - pending and failed sets are never counted; they are deleted only when
//     a newer verified set exists;
//   - the result depends on the sets' times and statuses, not on their
//     stored tiers nor on the order of sets.
func Compute(sets []Set, p Policy) (Plan, error) {
	if err := p.Validate(); err != nil {
		return Plan{}, fmt.Errorf("retention policy: %w", err)
	}
	all := make([]Set, len(sets))
	for i, s := range sets {
		all[i] = s.withDefaults()
	}
	if err := validateSets(all); err != nil {
		return Plan{}, err
	}
	slices.SortFunc(all, func(a, b Set) int {
		if c := cmp.Compare(a.Target, b.Target); c != 0 {
			return c
		}
		return compareNewestFirst(a, b)
	})
	var plan Plan
	for start := 0; start < len(all); {
		end := start + 1
		for end < len(all) && all[end].Target == all[start].Target {
			end++
		}
		planTarget(all[start:end], p, &plan)
		start = end
	}
	return plan, nil
}

// compareNewestFirst orders sets newest first; the ID breaks ties so that
// the order is total.
func compareNewestFirst(a, b Set) int {
	if c := b.Time.Compare(a.Time); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

func isOlder(a, b Set) bool { return compareNewestFirst(a, b) > 0 }

// planTarget appends the decisions for one target's sets, given newest first.
func planTarget(sets []Set, p Policy, plan *Plan) {
	c := newChains(sets)
	var good []Set
	for _, s := range sets {
		if c.good(s) {
			good = append(good, s)
		}
	}
	verdicts := byCalendar(good, p)

	tier := make(map[string]Tier, len(sets))
	keep := map[string]string{}
	drop := map[string]string{}
	newestVerified, hasVerified := newestWith(sets, func(s Set) bool { return s.Status == Verified })
	for _, s := range sets {
		tier[s.ID] = s.Tier
		switch v, counted := verdicts[s.ID]; {
		case counted && v.keep:
			keep[s.ID], tier[s.ID] = v.reason, v.tier
		case counted:
			drop[s.ID] = v.reason
		case hasVerified && s.ID == newestVerified.ID:
			keep[s.ID] = "newest verified set: never deleted"
		case hasVerified && isOlder(s, newestVerified):
			drop[s.ID] = supersededReason(s, c, newestVerified)
		case s.Status == Failed:
			keep[s.ID] = "failed, kept until a newer set is verified"
		default:
			keep[s.ID] = "unverified, newer than the newest verified set"
		}
	}
	if hasVerified {
		if _, dropped := drop[newestVerified.ID]; dropped {
			delete(drop, newestVerified.ID)
			keep[newestVerified.ID] = "newest verified set: never deleted"
		}
	}
	keepChains(sets, c, keep, drop)

	for _, s := range sets {
		d := Decision{ID: s.ID, Target: s.Target, Time: s.Time, Tier: tier[s.ID]}
		reason, kept := keep[s.ID]
		if !kept {
			d.Tier, d.Reason = s.Tier, drop[s.ID]
			plan.Delete = append(plan.Delete, d)
			continue
		}
		d.Reason = reason
		plan.Keep = append(plan.Keep, d)
		if d.Tier != s.Tier {
			d.Reason = fmt.Sprintf("%s to %s: %s", s.Tier, d.Tier, reason)
			plan.Promote = append(plan.Promote, d)
		}
	}
}

func supersededReason(s Set, c chains, newest Set) string {
	switch s.Status {
	case Failed:
		return fmt.Sprintf("failed, older than the newest verified set %s", newest.ID)
	case Verified:
		return fmt.Sprintf("verified but not restorable (%s), older than the newest verified set %s",
			c.problem(s.ID), newest.ID)
	default:
		return fmt.Sprintf("unverified, older than the newest verified set %s", newest.ID)
	}
}

// keepChains keeps every ancestor of every kept incremental. Sets are walked
// oldest first, so an ancestor's reason names the oldest kept set needing it.
func keepChains(sets []Set, c chains, keep, drop map[string]string) {
	var kept []Set
	for _, s := range sets {
		if _, ok := keep[s.ID]; ok {
			kept = append(kept, s)
		}
	}
	for i := len(kept) - 1; i >= 0; i-- {
		needer := kept[i]
		for _, ancestor := range c.ancestors(needer.ID) {
			if _, ok := keep[ancestor.ID]; ok {
				continue
			}
			delete(drop, ancestor.ID)
			keep[ancestor.ID] = fmt.Sprintf("%s needed by kept incremental %s", ancestor.Kind, needer.ID)
		}
	}
}

func newestWith(sets []Set, match func(Set) bool) (Set, bool) {
	for _, s := range sets {
		if match(s) {
			return s, true
		}
	}
	return Set{}, false
}
