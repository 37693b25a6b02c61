package retention

import "fmt"

// chains answers questions about the full/incremental chains of one
// target's sets. No new set is an incremental since full_every was retired;
// the chains of older ones are kept whole until they go.
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

// good reports whether s is verified and restorable: only good sets are
// counted by the calendar.
func (c chains) good(s Set) bool {
	return s.Status == Verified && c.problem(s.ID) == ""
}
