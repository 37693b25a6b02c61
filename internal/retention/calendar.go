package retention

import (
	"fmt"
	"time"
)

// period is one calendar bucket: a UTC day, an ISO week or a UTC month.
// Keys grow with time, so comparing two keys of one kind compares periods.
type period struct {
	key   int
	label string // 2025-03-14, 2025-W11, the weeks of 2025-03
}

func dayOf(t time.Time) period {
	y, m, d := t.UTC().Date()
	return period{key: y*10000 + int(m)*100 + d, label: fmt.Sprintf("%04d-%02d-%02d", y, m, d)}
}

// isoWeekOf is the ISO 8601 week, Monday to Sunday, of t's UTC date: the
// last days of December can be in week 1 of the next year, the first days
// of January in week 52 or 53 of the year before.
func isoWeekOf(t time.Time) period {
	y, w := t.UTC().ISOWeek()
	return period{key: y*100 + w, label: fmt.Sprintf("%04d-W%02d", y, w)}
}

// monthOf is the UTC month that holds the Thursday of t's ISO week, the
// way ISO 8601 gives a week to the year of its Thursday. A month is thus
// made of whole weeks, and the monthly of a month is the newest set of its
// last week: the week's own weekly, which is still there when the month
// moves up, whatever was deleted around it.
func monthOf(t time.Time) period {
	y, m, d := t.UTC().Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	thursday := day.AddDate(0, 0, 3-(int(day.Weekday())+6)%7)
	y, m, _ = thursday.Date()
	return period{key: y*100 + int(m), label: fmt.Sprintf("the weeks of %04d-%02d", y, m)}
}

// rule is one tier of the calendar: keep the newest set of each of the last
// keep periods that have one.
type rule struct {
	tier  Tier
	keep  int
	of    func(time.Time) period
	units string // for reasons: "days"
	unit  string // before a label: "ISO week "
}

// rules are the policy's tiers, lowest first, up to the first it keeps none
// of: a tier above an empty one has nothing to take over.
func (p Policy) rules() []rule {
	all := []rule{
		{Daily, p.Daily, dayOf, "days", ""},
		{Weekly, p.Weekly, isoWeekOf, "ISO weeks", "ISO week "},
		{Monthly, p.Monthly, monthOf, "months", ""},
	}
	for i, r := range all {
		if r.keep == 0 {
			return all[:i]
		}
	}
	return all
}

// verdict is the calendar's decision on one good set.
type verdict struct {
	keep   bool
	tier   Tier // when kept
	reason string
}

// group is a set together with the older sets of the same periods so far;
// the older ones go, whatever becomes of the head.
type group struct {
	head    Set
	members []Set
}

// byCalendar decides every good set of one target, given newest first.
//
// Each rule groups what it is given by its period and keeps the head of the
// newest groups. The groups beyond go up to the next rule, but only those of
// its periods that lie wholly before the oldest kept head's: a week with a
// daily in it is represented by the dailies until they let go of it, and
// then its newest set, the last daily of that week, is still there.
func byCalendar(good []Set, p Policy) map[string]verdict {
	out := make(map[string]verdict, len(good))
	groups := make([]group, len(good))
	for i, s := range good {
		groups[i] = group{head: s}
	}
	rules := p.rules()
	for i, r := range rules {
		groups = regroup(groups, r)
		kept := min(r.keep, len(groups))
		for rank, g := range groups[:kept] {
			at := r.of(g.head.Time).label
			out[g.head.ID] = verdict{keep: true, tier: r.tier,
				reason: fmt.Sprintf("%s %d of %d: newest of %s", r.tier, rank+1, r.keep, at)}
			decide(out, g.members, fmt.Sprintf("older than %s, the newest of %s", g.head.ID, at))
		}
		beyond := groups[kept:]
		if len(beyond) == 0 {
			break
		}
		if i+1 == len(rules) {
			for _, g := range beyond {
				decide(out, append(g.members, g.head), fmt.Sprintf("older than the %d %s kept", r.keep, r.units))
			}
			break
		}
		next := rules[i+1]
		boundary := next.of(groups[kept-1].head.Time)
		groups = groups[:0:0]
		for _, g := range beyond {
			if at := next.of(g.head.Time); at.key >= boundary.key {
				decide(out, append(g.members, g.head), fmt.Sprintf("in %s%s, which the %s cover", next.unit, at.label, r.tier.plural()))
				continue
			}
			groups = append(groups, g)
		}
	}
	return out
}

// regroup merges groups, newest first, whose heads share r's period.
func regroup(groups []group, r rule) []group {
	var out []group
	for _, g := range groups {
		if n := len(out); n > 0 && r.of(out[n-1].head.Time).key == r.of(g.head.Time).key {
			out[n-1].members = append(out[n-1].members, g.head)
			out[n-1].members = append(out[n-1].members, g.members...)
			continue
		}
		out = append(out, g)
	}
	return out
}

func decide(out map[string]verdict, sets []Set, reason string) {
	for _, s := range sets {
		out[s.ID] = verdict{reason: reason}
	}
}
