package retention

import (
	"fmt"
	"time"
)

// Each calendar period (a UTC day, an ISO week, a month of weeks) has a key
// that grows with time, so comparing two keys of one kind compares periods,
// and a label for reasons: 2025-03-14, 2025-W11, the weeks of 2025-03.

func dayKey(t time.Time) int {
	y, m, d := t.UTC().Date()
	return y*10000 + int(m)*100 + d
}

func dayLabel(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// isoWeekKey is the ISO 8601 week, Monday to Sunday, of t's UTC date: the
// last days of December can be in week 1 of the next year, the first days
// of January in week 52 or 53 of the year before.
func isoWeekKey(t time.Time) int {
	y, w := t.UTC().ISOWeek()
	return y*100 + w
}

func isoWeekLabel(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// monthOfWeek is the UTC month that holds the Thursday of t's ISO week, the
// way ISO 8601 gives a week to the year of its Thursday. A month is thus
// made of whole weeks, and the monthly of a month is the newest set of its
// last week: the week's own weekly, which is still there when the month
// moves up, whatever was deleted around it.
func monthOfWeek(t time.Time) (int, time.Month) {
	y, m, d := t.UTC().Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	thursday := day.AddDate(0, 0, 3-(int(day.Weekday())+6)%7)
	y, m, _ = thursday.Date()
	return y, m
}

func monthKey(t time.Time) int {
	y, m := monthOfWeek(t)
	return y*100 + int(m)
}

func monthLabel(t time.Time) string {
	y, m := monthOfWeek(t)
	return fmt.Sprintf("the weeks of %04d-%02d", y, m)
}

// rule is one tier of the calendar: keep the newest set of each of the last
// keep periods that have one.
type rule struct {
	tier  Tier
	keep  int
	key   func(time.Time) int
	label func(time.Time) string
	units string // for reasons: "days"
	unit  string // before a label: "ISO week "
}

// rules are the policy's tiers, lowest first, up to the first it keeps none
// of: a tier above an empty one has nothing to take over.
func (p Policy) rules() []rule {
	all := []rule{
		{Daily, p.Daily, dayKey, dayLabel, "days", ""},
		{Weekly, p.Weekly, isoWeekKey, isoWeekLabel, "ISO weeks", "ISO week "},
		{Monthly, p.Monthly, monthKey, monthLabel, "months", ""},
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
			at := r.label(g.head.Time)
			out[g.head.ID] = verdict{keep: true, tier: r.tier,
				reason: fmt.Sprintf("%s %d of %d: newest of %s", r.tier, rank+1, r.keep, at)}
			decide(out, g.members, fmt.Sprintf("older than %s, the newest of %s", g.head.ID, at))
		}
		beyond := groups[kept:]
		if len(beyond) == 0 || i+1 == len(rules) {
			for _, g := range beyond {
				decide(out, append(g.members, g.head), fmt.Sprintf("older than the %d %s kept", r.keep, r.units))
			}
			break
		}
		groups = handOver(out, beyond, r, rules[i+1], groups[kept-1].head)
	}
	return out
}

// handOver returns the groups beyond r's that next takes: those in next's
// periods before oldest's. The others are in a period that r still covers,
// and go.
func handOver(out map[string]verdict, beyond []group, r, next rule, oldest Set) []group {
	boundary := next.key(oldest.Time)
	var up []group
	for _, g := range beyond {
		if next.key(g.head.Time) >= boundary {
			decide(out, append(g.members, g.head), fmt.Sprintf("in %s%s, which the %s cover",
				next.unit, next.label(g.head.Time), r.tier.plural()))
			continue
		}
		up = append(up, g)
	}
	return up
}

// regroup merges groups, newest first, whose heads share r's period.
func regroup(groups []group, r rule) []group {
	var out []group
	for _, g := range groups {
		if n := len(out); n > 0 && r.key(out[n-1].head.Time) == r.key(g.head.Time) {
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
