package retention

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var firstNight = time.Date(2025, 1, 6, 2, 0, 0, 0, time.UTC)

// set is target sdsc's daily full set of the given night.
func set(id string, night int, status Status) Set {
	return Set{ID: id, Target: "sdsc", Time: firstNight.AddDate(0, 0, night), Status: status}
}

func withTier(s Set, t Tier) Set        { s.Tier = t; return s }
func onTarget(s Set, target string) Set { s.Target = target; return s }
func incrementalOf(s Set, parent string) Set {
	s.Kind, s.Parent = Incremental, parent
	return s
}

// render lists a plan as "verb id tier: reason" lines, in plan order.
func render(p Plan) []string {
	var out []string
	for _, part := range []struct {
		verb      string
		decisions []Decision
	}{{"promote", p.Promote}, {"keep", p.Keep}, {"delete", p.Delete}} {
		for _, d := range part.decisions {
			out = append(out, part.verb+" "+d.ID+" "+string(d.Tier)+": "+d.Reason)
		}
	}
	return out
}

// on is target sdsc's daily full set opened at 02:00 UTC on date
// (2025-01-15), or at the RFC 3339 time given instead.
func on(id, date string, status Status) Set {
	at, err := time.Parse(time.RFC3339, date)
	if err != nil {
		at, err = time.Parse(time.DateOnly+" 15:04", date+" 02:00")
	}
	if err != nil {
		panic(err)
	}
	return Set{ID: id, Target: "sdsc", Time: at, Status: status}
}

func TestCompute(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		sets   []Set
		want   []string
	}{{
		name:   "fewer days than N: the newest set of each is kept",
		policy: Policy{Daily: 7, Weekly: 5},
		sets:   []Set{on("jan13", "2025-01-13", Verified), on("jan14", "2025-01-14", Verified), on("jan15", "2025-01-15", Verified)},
		want: []string{
			"keep jan15 daily: daily 1 of 7: newest of 2025-01-15",
			"keep jan14 daily: daily 2 of 7: newest of 2025-01-14",
			"keep jan13 daily: daily 3 of 7: newest of 2025-01-13",
		},
	}, {
		name:   "the newest set of a day is its daily",
		policy: Policy{Daily: 2},
		sets: []Set{
			on("a", "2025-01-14T02:00:00Z", Verified), on("b", "2025-01-14T14:00:00Z", Verified),
			on("c", "2025-01-15T02:00:00Z", Verified),
		},
		want: []string{
			"keep c daily: daily 1 of 2: newest of 2025-01-15",
			"keep b daily: daily 2 of 2: newest of 2025-01-14",
			"delete a daily: older than b, the newest of 2025-01-14",
		},
	}, {
		name:   "days are UTC days, whatever zone a time is given in",
		policy: Policy{Daily: 2},
		sets: []Set{
			on("a", "2025-01-14T22:00:00Z", Verified),
			on("b", "2025-01-15T01:00:00+02:00", Verified), // 2025-01-14T23:00:00Z
			on("c", "2025-01-14T23:59:59Z", Verified),
			on("d", "2025-01-15T00:00:00Z", Verified),
		},
		want: []string{
			"keep d daily: daily 1 of 2: newest of 2025-01-15",
			"keep c daily: daily 2 of 2: newest of 2025-01-14",
			"delete b daily: older than c, the newest of 2025-01-14",
			"delete a daily: older than c, the newest of 2025-01-14",
		},
	}, {
		name:   "weeklies are the newest set of each ISO week before the dailies",
		policy: Policy{Daily: 3, Weekly: 2},
		sets: []Set{
			on("fri03", "2025-01-03", Verified), on("sun05", "2025-01-05", Verified), // 2025-W01
			on("wed08", "2025-01-08", Verified), on("sun12", "2025-01-12", Verified), // 2025-W02
			on("mon13", "2025-01-13", Verified), on("tue14", "2025-01-14", Verified), on("wed15", "2025-01-15", Verified),
		},
		want: []string{
			"promote sun12 weekly: daily to weekly: weekly 1 of 2: newest of 2025-W02",
			"promote sun05 weekly: daily to weekly: weekly 2 of 2: newest of 2025-W01",
			"keep wed15 daily: daily 1 of 3: newest of 2025-01-15",
			"keep tue14 daily: daily 2 of 3: newest of 2025-01-14",
			"keep mon13 daily: daily 3 of 3: newest of 2025-01-13",
			"keep sun12 weekly: weekly 1 of 2: newest of 2025-W02",
			"keep sun05 weekly: weekly 2 of 2: newest of 2025-W01",
			"delete wed08 daily: older than sun12, the newest of 2025-W02",
			"delete fri03 daily: older than sun05, the newest of 2025-W01",
		},
	}, {
		name:   "a week that still has a daily is the dailies' to represent",
		policy: Policy{Daily: 2, Weekly: 2},
		sets: []Set{
			on("wed08", "2025-01-08", Verified), on("sun12", "2025-01-12", Verified),
			on("mon13", "2025-01-13", Verified), on("tue14", "2025-01-14", Verified), on("wed15", "2025-01-15", Verified),
		},
		want: []string{
			"promote sun12 weekly: daily to weekly: weekly 1 of 2: newest of 2025-W02",
			"keep wed15 daily: daily 1 of 2: newest of 2025-01-15",
			"keep tue14 daily: daily 2 of 2: newest of 2025-01-14",
			"keep sun12 weekly: weekly 1 of 2: newest of 2025-W02",
			"delete mon13 daily: in ISO week 2025-W03, which the dailies cover",
			"delete wed08 daily: older than sun12, the newest of 2025-W02",
		},
	}, {
		name:   "days and weeks without a set use no slot",
		policy: Policy{Daily: 3, Weekly: 2},
		sets: []Set{
			on("jan01", "2025-01-01", Verified), on("jan20", "2025-01-20", Verified),
			on("feb10", "2025-02-10", Verified), on("feb11", "2025-02-11", Verified), on("mar03", "2025-03-03", Verified),
		},
		want: []string{
			"promote jan20 weekly: daily to weekly: weekly 1 of 2: newest of 2025-W04",
			"promote jan01 weekly: daily to weekly: weekly 2 of 2: newest of 2025-W01",
			"keep mar03 daily: daily 1 of 3: newest of 2025-03-03",
			"keep feb11 daily: daily 2 of 3: newest of 2025-02-11",
			"keep feb10 daily: daily 3 of 3: newest of 2025-02-10",
			"keep jan20 weekly: weekly 1 of 2: newest of 2025-W04",
			"keep jan01 weekly: weekly 2 of 2: newest of 2025-W01",
		},
	}, {
		name:   "ISO week 53 and the change of year",
		policy: Policy{Daily: 1, Weekly: 3},
		sets: []Set{
			on("dec24", "2026-12-24", Verified), on("dec27", "2026-12-27", Verified), // 2026-W52
			on("dec31", "2026-12-31", Verified), on("jan02", "2027-01-02", Verified), // 2026-W53
			on("jan05", "2027-01-05", Verified), // 2027-W01
		},
		want: []string{
			"promote jan02 weekly: daily to weekly: weekly 1 of 3: newest of 2026-W53",
			"promote dec27 weekly: daily to weekly: weekly 2 of 3: newest of 2026-W52",
			"keep jan05 daily: daily 1 of 1: newest of 2027-01-05",
			"keep jan02 weekly: weekly 1 of 3: newest of 2026-W53",
			"keep dec27 weekly: weekly 2 of 3: newest of 2026-W52",
			"delete dec31 daily: older than jan02, the newest of 2026-W53",
			"delete dec24 daily: older than dec27, the newest of 2026-W52",
		},
	}, {
		name:   "the last days of December can be in week 1 of the next year",
		policy: Policy{Daily: 1, Weekly: 2},
		sets:   []Set{on("dec29", "2024-12-29", Verified), on("dec31", "2024-12-31", Verified), on("jan06", "2025-01-06", Verified)},
		want: []string{
			"promote dec31 weekly: daily to weekly: weekly 1 of 2: newest of 2025-W01",
			"promote dec29 weekly: daily to weekly: weekly 2 of 2: newest of 2024-W52",
			"keep jan06 daily: daily 1 of 1: newest of 2025-01-06",
			"keep dec31 weekly: weekly 1 of 2: newest of 2025-W01",
			"keep dec29 weekly: weekly 2 of 2: newest of 2024-W52",
		},
	}, {
		name:   "monthlies are the newest weekly of each month's weeks, before the weeklies",
		policy: Policy{Daily: 1, Weekly: 1, Monthly: 2},
		sets: []Set{
			// 2025-W05, Monday 27 January to Sunday 2 February, is January's:
			// its Thursday is the 30th.
			withTier(on("jan31", "2025-01-31", Verified), Weekly), withTier(on("feb02", "2025-02-02", Verified), Weekly),
			withTier(on("feb16", "2025-02-16", Verified), Weekly),
			withTier(on("mar02", "2025-03-02", Verified), Weekly), // 2025-W09, Thursday 27 February
			withTier(on("mar09", "2025-03-09", Verified), Weekly), // 2025-W10, Thursday 6 March
			on("mar16", "2025-03-16", Verified), on("mar18", "2025-03-18", Verified),
		},
		want: []string{
			"promote mar16 weekly: daily to weekly: weekly 1 of 1: newest of 2025-W11",
			"promote mar02 monthly: weekly to monthly: monthly 1 of 2: newest of the weeks of 2025-02",
			"promote feb02 monthly: weekly to monthly: monthly 2 of 2: newest of the weeks of 2025-01",
			"keep mar18 daily: daily 1 of 1: newest of 2025-03-18",
			"keep mar16 weekly: weekly 1 of 1: newest of 2025-W11",
			"keep mar02 monthly: monthly 1 of 2: newest of the weeks of 2025-02",
			"keep feb02 monthly: monthly 2 of 2: newest of the weeks of 2025-01",
			"delete mar09 weekly: in the weeks of 2025-03, which the weeklies cover",
			"delete feb16 weekly: older than mar02, the newest of the weeks of 2025-02",
			"delete jan31 weekly: older than feb02, the newest of the weeks of 2025-01",
		},
	}, {
		name:   "without weeklies the days beyond N go",
		policy: Policy{Daily: 2},
		sets:   []Set{on("jan13", "2025-01-13", Verified), on("jan14", "2025-01-14", Verified), on("jan15", "2025-01-15", Verified)},
		want: []string{
			"keep jan15 daily: daily 1 of 2: newest of 2025-01-15",
			"keep jan14 daily: daily 2 of 2: newest of 2025-01-14",
			"delete jan13 daily: older than the 2 days kept",
		},
	}, {
		name:   "weeks beyond M go",
		policy: Policy{Daily: 1, Weekly: 1},
		sets:   []Set{on("jan05", "2025-01-05", Verified), on("jan12", "2025-01-12", Verified), on("jan15", "2025-01-15", Verified)},
		want: []string{
			"promote jan12 weekly: daily to weekly: weekly 1 of 1: newest of 2025-W02",
			"keep jan15 daily: daily 1 of 1: newest of 2025-01-15",
			"keep jan12 weekly: weekly 1 of 1: newest of 2025-W02",
			"delete jan05 daily: older than the 1 ISO weeks kept",
		},
	}, {
		name:   "a tier is the calendar's, whatever was stored",
		policy: Policy{Daily: 2, Weekly: 1},
		sets: []Set{
			withTier(on("jan12", "2025-01-12", Verified), Monthly),
			withTier(on("jan14", "2025-01-14", Verified), Weekly), on("jan15", "2025-01-15", Verified),
		},
		want: []string{
			"promote jan14 daily: weekly to daily: daily 2 of 2: newest of 2025-01-14",
			"promote jan12 weekly: monthly to weekly: weekly 1 of 1: newest of 2025-W02",
			"keep jan15 daily: daily 1 of 2: newest of 2025-01-15",
			"keep jan14 daily: daily 2 of 2: newest of 2025-01-14",
			"keep jan12 weekly: weekly 1 of 1: newest of 2025-W02",
		},
	}, {
		name:   "sets of equal time: the greater ID counts as newer",
		policy: Policy{Daily: 1},
		sets:   []Set{on("a", "2025-01-15", Verified), on("b", "2025-01-15", Verified)},
		want: []string{
			"keep b daily: daily 1 of 1: newest of 2025-01-15",
			"delete a daily: older than b, the newest of 2025-01-15",
		},
	}, {
		name:   "failed nights neither count nor push good copies out",
		policy: Policy{Daily: 2},
		sets: []Set{
			set("d1", 1, Verified), set("d2", 2, Verified),
			set("f3", 3, Failed), set("f4", 4, Failed), set("p5", 5, Pending),
		},
		want: []string{
			"keep p5 daily: unverified, newer than the newest verified set",
			"keep f4 daily: failed, kept until a newer set is verified",
			"keep f3 daily: failed, kept until a newer set is verified",
			"keep d2 daily: daily 1 of 2: newest of 2025-01-08",
			"keep d1 daily: daily 2 of 2: newest of 2025-01-07",
		},
	}, {
		name:   "failed and pending sets go once a newer set is verified",
		policy: Policy{Daily: 4},
		sets:   []Set{set("d1", 1, Verified), set("f2", 2, Failed), set("p3", 3, Pending), set("d4", 4, Verified)},
		want: []string{
			"keep d4 daily: daily 1 of 4: newest of 2025-01-10",
			"keep d1 daily: daily 2 of 4: newest of 2025-01-07",
			"delete p3 daily: unverified, older than the newest verified set d4",
			"delete f2 daily: failed, older than the newest verified set d4",
		},
	}, {
		name:   "a failed set on a kept day changes nothing",
		policy: Policy{Daily: 1},
		sets:   []Set{on("good", "2025-01-15T02:00:00Z", Verified), on("bad", "2025-01-15T14:00:00Z", Failed)},
		want: []string{
			"keep bad daily: failed, kept until a newer set is verified",
			"keep good daily: daily 1 of 1: newest of 2025-01-15",
		},
	}, {
		name:   "a full is kept while a kept incremental of before full_every's retirement needs it",
		policy: Policy{Daily: 1},
		sets: []Set{
			set("f1", 1, Verified),
			incrementalOf(set("i2", 2, Verified), "f1"),
		},
		want: []string{
			"keep i2 daily: daily 1 of 1: newest of 2025-01-08",
			"keep f1 daily: full needed by kept incremental i2",
		},
	}, {
		name:   "an incremental whose full is gone is not counted",
		policy: Policy{Daily: 2},
		sets:   []Set{incrementalOf(set("i1", 1, Verified), "gone"), set("f2", 2, Verified)},
		want: []string{
			"keep f2 daily: daily 1 of 2: newest of 2025-01-08",
			"delete i1 daily: verified but not restorable (its chain needs gone, which is missing), older than the newest verified set f2",
		},
	}, {
		name:   "the newest verified set is kept even if its chain is broken",
		policy: Policy{Daily: 2},
		sets: []Set{
			set("f1", 1, Failed),
			incrementalOf(set("i2", 2, Verified), "f1"),
		},
		want: []string{
			"keep i2 daily: newest verified set: never deleted",
			"keep f1 daily: full needed by kept incremental i2",
		},
	}, {
		name:   "targets keep separate calendars",
		policy: Policy{Daily: 1},
		sets: []Set{
			set("s1", 1, Verified), set("s3", 3, Verified),
			onTarget(set("t2", 2, Verified), "tacc"), onTarget(set("t4", 4, Failed), "tacc"),
		},
		want: []string{
			"keep s3 daily: daily 1 of 1: newest of 2025-01-09",
			"keep t4 daily: failed, kept until a newer set is verified",
			"keep t2 daily: daily 1 of 1: newest of 2025-01-08",
			"delete s1 daily: older than the 1 days kept",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := Compute(tt.sets, tt.policy)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, render(plan)); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
			checkInvariants(t, tt.sets, tt.policy, plan)
		})
	}
}

func TestComputeRejectsNonsense(t *testing.T) {
	ok := Policy{Daily: 7, Weekly: 5}
	tests := []struct {
		name    string
		policy  Policy
		sets    []Set
		wantErr string
	}{
		{"no daily", Policy{Daily: 0}, nil, "daily must be between 1 and 1000, got 0"},
		{"too many dailies", Policy{Daily: 1001}, nil, "daily must be between 1 and 1000, got 1001"},
		{"negative weekly", Policy{Daily: 1, Weekly: -1}, nil, "weekly must be between 0 and 1000, got -1"},
		{"too many weeklies", Policy{Daily: 1, Weekly: 1001}, nil, "weekly must be between 0 and 1000, got 1001"},
		{"too many monthlies", Policy{Daily: 1, Weekly: 1, Monthly: 1 << 40}, nil, "monthly must be between 0 and 1000"},
		{"monthly without weekly", Policy{Daily: 1, Monthly: 2}, nil, "monthly needs weekly >= 1"},
		{"duplicate id", ok, []Set{set("a", 1, Verified), set("a", 2, Verified)}, "backup set a is listed twice"},
		{"empty id", ok, []Set{set("", 1, Verified)}, "empty ID"},
		{"no target", ok, []Set{onTarget(set("a", 1, Verified), "")}, "backup set a has no target"},
		{"no time", ok, []Set{{ID: "a", Target: "sdsc"}}, "backup set a has no time"},
		{"unknown tier", ok, []Set{withTier(set("a", 1, Verified), "yearly")}, `unknown tier "yearly"`},
		{"unknown status", ok, []Set{set("a", 1, "fine")}, `unknown status "fine"`},
		{"orphan incremental", ok, []Set{incrementalOf(set("a", 1, Verified), "")}, "names no parent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compute(tt.sets, tt.policy)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Compute error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestFolderName(t *testing.T) {
	at := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	if got := FolderName(at.In(time.FixedZone("PST", -8*3600)), "sdsc"); got != "20261125T020000Z-sdsc" {
		t.Errorf("FolderName = %q", got)
	}
	when, target, err := ParseFolderName("20261125T020000Z-tacc-2")
	if err != nil || !when.Equal(at) || when.Location() != time.UTC || target != "tacc-2" {
		t.Errorf("ParseFolderName = %v %q %v", when, target, err)
	}
	for _, bad := range []string{"lost+found", "20261125T020000Z", "20261125T020000Z-", "2026-11-25-sdsc", "20261125T020000-sdsc"} {
		if _, _, err := ParseFolderName(bad); err == nil {
			t.Errorf("ParseFolderName(%q) succeeded", bad)
		}
	}
}
