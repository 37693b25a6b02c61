package retention

import (
	"fmt"
	"slices"
)

// chains answers questions about the full/incremental chains of one
// target's sets.
type chains struct {
	byID     map[string]Set
	problems map[string]string // memo of problem
}

func newChains(sets []Set) chains {
	byID := make(map[string]Set, len(sets))
	for _, s := range sets {
		byID[s.ID] = s
	}
	return chains{byID: byID, problems: map[string]string{}}
}

// ancestors lists the sets that restoring id needs besides id itself, from
// its parent back to the full. The walk stops at a missing set or a loop.
func (c chains) ancestors(id string) []Set {
	var out []Set
	s := c.byID[id]
	for s.Kind == Incremental && len(out) < len(c.byID) {
		parent, ok := c.byID[s.Parent]
		if !ok {
			break
		}
		out = append(out, parent)
		s = parent
	}
	return out
}

// problem says why id cannot be restored from the sets at hand, or "" when
// its chain is complete.
func (c chains) problem(id string) string {
	if p, ok := c.problems[id]; ok {
		return p
	}
	p := c.walk(id)
	c.problems[id] = p
	return p
}

func (c chains) walk(id string) string {
	s := c.byID[id]
	for steps := 0; s.Kind == Incremental; steps++ {
		if steps == len(c.byID) {
			return fmt.Sprintf("the chain of %s loops", id)
		}
		parent, ok := c.byID[s.Parent]
		switch {
		case !ok:
			return fmt.Sprintf("its chain needs %s, which is missing", s.Parent)
		case parent.Status == Failed:
			return fmt.Sprintf("its chain needs %s, which failed", s.Parent)
		}
		s = parent
	}
	return ""
}

// good reports whether s is verified and restorable: only good sets fill a
// stack or get promoted.
func (c chains) good(s Set) bool {
	return s.Status == Verified && c.problem(s.ID) == ""
}

// NextKind says what the engine should make target's next set under p: a
// full, or an incremental on top of parent, the newest good set. sets may
// hold every target's sets; only target's count.
//
// A new full starts when
//   - p.FullEvery is 0 or 1, or there is no good set yet;
//   - the newest good set's chain already holds p.FullEvery sets;
//   - the next set, once verified, will be promoted to weekly. Weeklies are
//     then always fulls and never keep a week of dailies alive for their
//     chains.
func NextKind(sets []Set, target string, p Policy) (kind Kind, parent string) {
	var own []Set
	for _, s := range sets {
		if s.Target == target {
			own = append(own, s.withDefaults())
		}
	}
	slices.SortFunc(own, compareNewestFirst)
	c := newChains(own)
	newest, ok := newestWith(own, c.good)
	if p.FullEvery <= 1 || !ok {
		return Full, ""
	}
	if 1+len(c.ancestors(newest.ID)) >= p.FullEvery {
		return Full, ""
	}
	tierOf := func(s Set) Tier { return s.Tier }
	if p.Weekly > 0 && len(awaitingPromotion(own, c, tierOf, Daily, Weekly, p)) >= p.Daily-1 {
		return Full, ""
	}
	return Incremental, newest.ID
}
