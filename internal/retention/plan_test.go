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

func TestCompute(t *testing.T) {
	n7m5 := Policy{Daily: 7, Weekly: 5}
	tests := []struct {
		name   string
		policy Policy
		sets   []Set
		want   []string
	}{{
		name:   "fewer than N verified dailies are all kept",
		policy: n7m5,
		sets:   []Set{set("d1", 1, Verified), set("d2", 2, Verified), set("d3", 3, Verified)},
		want: []string{
			"keep d3 daily: daily 1 of 7",
			"keep d2 daily: daily 2 of 7",
			"keep d1 daily: daily 3 of 7",
		},
	}, {
		name:   "the N-th verified daily is promoted to weekly",
		policy: Policy{Daily: 3, Weekly: 2},
		sets:   []Set{set("d1", 1, Verified), set("d2", 2, Verified), set("d3", 3, Verified)},
		want: []string{
			"promote d3 weekly: promoted to weekly: newest of 3 verified dailies since the last weekly",
			"keep d3 weekly: weekly 1 of 2",
			"keep d2 daily: daily 1 of 3",
			"keep d1 daily: daily 2 of 3",
		},
	}, {
		name:   "dailies count from the newest weekly, and a late promotion takes the newest",
		policy: Policy{Daily: 2, Weekly: 2},
		sets: []Set{
			set("d1", 1, Verified), withTier(set("w2", 2, Verified), Weekly),
			set("d3", 3, Verified), set("d4", 4, Verified), set("d5", 5, Verified),
		},
		want: []string{
			"promote d5 weekly: promoted to weekly: newest of 3 verified dailies since the last weekly",
			"keep d5 weekly: weekly 1 of 2",
			"keep d4 daily: daily 1 of 2",
			"keep d3 daily: daily 2 of 2",
			"keep w2 weekly: weekly 2 of 2",
			"delete d1 daily: daily beyond the newest 2",
		},
	}, {
		name:   "without weeklies the oldest dailies are deleted",
		policy: Policy{Daily: 2},
		sets:   []Set{set("d1", 1, Verified), set("d2", 2, Verified), set("d3", 3, Verified)},
		want: []string{
			"keep d3 daily: daily 1 of 2",
			"keep d2 daily: daily 2 of 2",
			"delete d1 daily: daily beyond the newest 2",
		},
	}, {
		name:   "failed nights neither fill the stack nor push good copies out",
		policy: Policy{Daily: 2},
		sets: []Set{
			set("d1", 1, Verified), set("d2", 2, Verified),
			set("f3", 3, Failed), set("f4", 4, Failed), set("p5", 5, Pending),
		},
		want: []string{
			"keep p5 daily: unverified, newer than the newest verified set",
			"keep f4 daily: failed, kept until a newer set is verified",
			"keep f3 daily: failed, kept until a newer set is verified",
			"keep d2 daily: daily 1 of 2",
			"keep d1 daily: daily 2 of 2",
		},
	}, {
		name:   "failed and pending sets go once a newer set is verified",
		policy: Policy{Daily: 4},
		sets:   []Set{set("d1", 1, Verified), set("f2", 2, Failed), set("p3", 3, Pending), set("d4", 4, Verified)},
		want: []string{
			"keep d4 daily: daily 1 of 4",
			"keep d1 daily: daily 2 of 4",
			"delete p3 daily: unverified, older than the newest verified set d4",
			"delete f2 daily: failed, older than the newest verified set d4",
		},
	}, {
		name:   "failed sets never get promoted",
		policy: Policy{Daily: 2, Weekly: 1},
		sets:   []Set{set("d1", 1, Verified), set("f2", 2, Failed)},
		want: []string{
			"keep f2 daily: failed, kept until a newer set is verified",
			"keep d1 daily: daily 1 of 2",
		},
	}, {
		name:   "the newest verified set survives a policy without its tier",
		policy: Policy{Daily: 1},
		sets:   []Set{withTier(set("w1", 1, Verified), Weekly), withTier(set("w2", 2, Verified), Weekly)},
		want: []string{
			"keep w2 weekly: newest verified set: never deleted",
			"delete w1 weekly: weekly beyond the newest 0",
		},
	}, {
		name:   "a full is kept while a kept incremental needs it",
		policy: Policy{Daily: 2, FullEvery: 7},
		sets: []Set{
			set("f1", 1, Verified),
			incrementalOf(set("i2", 2, Verified), "f1"),
			incrementalOf(set("i3", 3, Verified), "i2"),
		},
		want: []string{
			"keep i3 daily: daily 1 of 2",
			"keep i2 daily: daily 2 of 2",
			"keep f1 daily: full needed by kept incremental i2",
		},
	}, {
		name:   "a pending incremental keeps its chain",
		policy: Policy{Daily: 1, FullEvery: 7},
		sets: []Set{
			set("f1", 1, Verified),
			incrementalOf(set("i2", 2, Verified), "f1"),
			set("f3", 3, Verified),
			incrementalOf(set("p4", 4, Pending), "i2"),
		},
		want: []string{
			"keep p4 daily: unverified, newer than the newest verified set",
			"keep f3 daily: daily 1 of 1",
			"keep i2 daily: incremental needed by kept incremental p4",
			"keep f1 daily: full needed by kept incremental p4",
		},
	}, {
		name:   "an incremental whose full is gone is not good",
		policy: Policy{Daily: 2, FullEvery: 7},
		sets:   []Set{incrementalOf(set("i1", 1, Verified), "gone"), set("f2", 2, Verified)},
		want: []string{
			"keep f2 daily: daily 1 of 2",
			"delete i1 daily: verified but not restorable (its chain needs gone, which is missing), older than the newest verified set f2",
		},
	}, {
		name:   "the newest verified set is kept even if its chain is broken",
		policy: Policy{Daily: 2, FullEvery: 7},
		sets: []Set{
			set("f1", 1, Failed),
			incrementalOf(set("i2", 2, Verified), "f1"),
		},
		want: []string{
			"keep i2 daily: newest verified set: never deleted",
			"keep f1 daily: full needed by kept incremental i2",
		},
	}, {
		name:   "targets keep separate stacks",
		policy: Policy{Daily: 1},
		sets: []Set{
			set("s1", 1, Verified), set("s3", 3, Verified),
			onTarget(set("t2", 2, Verified), "tacc"), onTarget(set("t4", 4, Failed), "tacc"),
		},
		want: []string{
			"keep s3 daily: daily 1 of 1",
			"keep t4 daily: failed, kept until a newer set is verified",
			"keep t2 daily: daily 1 of 1",
			"delete s1 daily: daily beyond the newest 1",
		},
	}, {
		name:   "a daily can go up two tiers in one plan",
		policy: Policy{Daily: 2, Weekly: 2, Monthly: 1},
		sets: []Set{
			withTier(set("w2", 2, Verified), Weekly), withTier(set("w4", 4, Verified), Weekly),
			set("d5", 5, Verified), set("d6", 6, Verified),
		},
		want: []string{
			"promote d6 monthly: promoted to weekly: newest of 2 verified dailies since the last weekly; " +
				"then promoted to monthly: newest of 3 verified weeklies since the last monthly",
			"keep d6 monthly: monthly 1 of 1",
			"keep d5 daily: daily 1 of 2",
			"keep w4 weekly: weekly 1 of 2",
			"keep w2 weekly: weekly 2 of 2",
		},
	}, {
		name:   "same-time sets are ordered by ID",
		policy: Policy{Daily: 1},
		sets:   []Set{set("a", 1, Verified), set("b", 1, Verified)},
		want: []string{
			"keep b daily: daily 1 of 1",
			"delete a daily: daily beyond the newest 1",
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
		{"no daily stack", Policy{Daily: 0}, nil, "daily must be at least 1"},
		{"negative weekly", Policy{Daily: 1, Weekly: -1}, nil, "weekly must not be negative"},
		{"monthly without weekly", Policy{Daily: 1, Monthly: 2}, nil, "monthly needs weekly >= 1"},
		{"negative full_every", Policy{Daily: 1, FullEvery: -1}, nil, "full_every must not be negative"},
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

func TestNextKind(t *testing.T) {
	chain := Policy{Daily: 7, Weekly: 5, FullEvery: 3}
	f1 := set("f1", 1, Verified)
	i2 := incrementalOf(set("i2", 2, Verified), "f1")
	i3 := incrementalOf(set("i3", 3, Verified), "i2")
	tests := []struct {
		name       string
		policy     Policy
		sets       []Set
		wantKind   Kind
		wantParent string
	}{
		{"all fulls", Policy{Daily: 7}, []Set{f1}, Full, ""},
		{"first set of a target", chain, []Set{onTarget(f1, "tacc")}, Full, ""},
		{"on top of the newest good set", chain, []Set{f1, i2, set("x4", 4, Failed)}, Incremental, "i2"},
		{"chain full", chain, []Set{f1, i2, i3}, Full, ""},
		{"only failures so far", chain, []Set{set("x1", 1, Failed)}, Full, ""},
		{"next set will be promoted", Policy{Daily: 2, Weekly: 1, FullEvery: 9}, []Set{f1}, Full, ""},
		{"just after a promotion", Policy{Daily: 2, Weekly: 1, FullEvery: 9}, []Set{withTier(f1, Weekly)}, Incremental, "f1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, parent := NextKind(tt.sets, "sdsc", tt.policy)
			if kind != tt.wantKind || parent != tt.wantParent {
				t.Errorf("NextKind = %s %q, want %s %q", kind, parent, tt.wantKind, tt.wantParent)
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
