package retention

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fuzzEpoch is a Monday; 65536 quarter hours from it run to June 2028,
// across 2026-W53 and three changes of year.
var fuzzEpoch = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// fuzzZones are the zones a set's time is given in; the calendar is UTC's.
var fuzzZones = []*time.Location{time.UTC, time.FixedZone("+14", 14*3600), time.FixedZone("-12", -12*3600),
	time.FixedZone("+0530", 5*3600+1800)}

// historyFrom reads a policy and up to 150 sets from data: three bytes of
// policy, then five bytes a set (target, time high, time low, flags,
// parent). Every history it returns is one Compute accepts.
func historyFrom(data []byte) ([]Set, Policy) {
	if len(data) < 3 {
		return nil, Policy{Daily: 1}
	}
	p := Policy{Daily: 1 + int(data[0])%12, Weekly: int(data[1]) % 8}
	if p.Weekly > 0 {
		p.Monthly = int(data[2]) % 5
	}
	if data[0] == 0xff {
		p.Daily = MaxCount
	}
	var sets []Set
	for rest := data[3:]; len(rest) >= 5 && len(sets) < 150; rest = rest[5:] {
		target := []string{"sdsc", "tacc", "ornl"}[int(rest[0])%3]
		quarters := time.Duration(rest[1])<<8 | time.Duration(rest[2])
		flags := rest[3]
		s := Set{
			ID:     fmt.Sprintf("%03d-%s", len(sets), target),
			Target: target,
			Time:   fuzzEpoch.Add(quarters * 15 * time.Minute).In(fuzzZones[int(flags>>4)%len(fuzzZones)]),
			Status: []Status{Verified, Failed, Pending, ""}[flags&3],
			Tier:   []Tier{Daily, Weekly, Monthly, ""}[(flags>>2)&3],
		}
		if flags&0x80 != 0 { // an incremental of before full_every's retirement
			s.Kind, s.Parent = Incremental, fmt.Sprintf("%03d-%s", int(rest[4]), target)
		}
		sets = append(sets, s)
	}
	return sets, p
}

// FuzzPlanKeepsNewestVerified: no history makes the planner delete a
// target's newest verified set, nor break another promise of Compute; the
// plan does not depend on the order of sets; once applied it is stable; and
// a failed or pending night changes no decision about the other sets, so it
// deletes nothing that the plan before it kept.
func FuzzPlanKeepsNewestVerified(f *testing.F) {
	f.Add([]byte{6, 5, 0})
	f.Add([]byte{6, 5, 2, 0, 0, 0, 0, 0, 1, 0, 96, 0, 0, 0, 0, 96, 0x80, 0, 1, 0, 200, 1, 0})
	f.Add([]byte{0xff, 7, 4, 2, 0x80, 0, 0, 0, 2, 0x80, 0, 0x21, 0, 2, 0x80, 0, 0x82, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		sets, p := historyFrom(data)
		plan, err := Compute(sets, p)
		if err != nil {
			t.Fatalf("Compute refused a valid history: %v", err)
		}
		checkInvariants(t, sets, p, plan)

		reversed := slices.Clone(sets)
		slices.Reverse(reversed)
		again, err := Compute(reversed, p)
		if err != nil || !reflect.DeepEqual(plan, again) {
			t.Fatalf("the plan depends on the order of sets (%v)", err)
		}
		kept := applied(plan, sets)
		next, err := Compute(kept, p)
		if err != nil || len(next.Delete) > 0 || len(next.Promote) > 0 {
			t.Fatalf("the plan applied and computed again changes (%v):\n%v", err, render(next))
		}
		for _, status := range []Status{Failed, Pending} {
			tonight := Set{ID: "tonight", Target: "sdsc", Time: fuzzEpoch.AddDate(3, 0, 0), Status: status}
			after, err := Compute(append(slices.Clone(sets), tonight), p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(plan, without(after, tonight.ID), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("a %s set changes the plan for the others (-before +after):\n%s", status, diff)
			}
		}
	})
}

// without returns p without the decisions about id.
func without(p Plan, id string) Plan {
	other := func(d Decision) bool { return d.ID == id }
	p.Keep = slices.DeleteFunc(p.Keep, other)
	p.Delete = slices.DeleteFunc(p.Delete, other)
	p.Promote = slices.DeleteFunc(p.Promote, other)
	return p
}
