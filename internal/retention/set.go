// Package retention decides which backup sets to keep and delete, by the
// calendar.
//
// It is pure: it reads a list of sets and a policy and returns a Plan. The
// nightly engine applies the plan (deletes folders and the restore points
// named after them, records tier changes); the planner never touches a disk.
//
// # The model
//
// A backup set is the folder backup/<UTC timestamp>-<target>/ (see
// FolderName), and the restore point named after it at its target: the two
// are kept or deleted as one. Each set has
//   - a Status: pending (not verified yet), verified or failed;
//   - a Tier: daily, weekly or monthly, the calendar rule that keeps it. The
//     engine creates every set as a daily; the plan says when that changes.
//   - a Kind: full, or (sets made before full_every was retired)
//     incremental with the ID of its Parent. Every new set is a full.
//
// A set is "good" when it is verified and, for an old incremental, its chain
// is complete (every ancestor present, none failed). Only good sets are
// counted by the calendar.
//
// # Retention is per target, by the calendar
//
// Each target site keeps its own sets, because each site holds only the sets
// replicated to it. For each target, with N = Policy.Daily, M =
// Policy.Weekly and K = Policy.Monthly:
//   - dailies: the newest good set of each of the last N days (UTC) that have
//     one;
//   - weeklies: the newest good set of each of the last M ISO weeks that have
//     one, among the weeks before the week of the oldest daily;
//   - monthlies: the newest set of each of the last K months that have one,
//     among the months before the month of the oldest weekly. A month is
//     made of whole ISO weeks here: a week counts in the month that holds
//     its Thursday, as ISO 8601 gives a week to the year of its Thursday.
//
// This is the meaning of restic's --keep-daily/--keep-weekly and sanoid's
// daily/weekly, with one difference: a set is counted once, in one tier. A
// week or month that still has a set in the lower tier is represented by it,
// and its newest set moves up once the lower tier has let go of that period.
// So a target keeps exactly N + M + K good sets once it has good sets on N
// days and in M weeks before those days (and K months before those weeks).
// Gaps (failed nights, nights spent on the other site) use no slot: "days
// that have one".
//
// The newest set of a week is always the last of that week to leave the
// daily tier, so it is still there when the week moves up; likewise the
// newest weekly of a month's weeks. So the sets kept after any number of
// nights are the ones the calendar picks from every set ever made, the plan
// depends on the sets' times and statuses only (never on stored tiers or the
// order of input), and a plan applied and computed again changes nothing.
//
// Set times are bucketed in UTC, the zone the folder names are written in.
// Sets of equal time are ordered by ID, the greater ID counting as newer.
//
// # Failures
//
// Pending and failed sets are not counted, so a run of failed nights pushes
// no good copy out: a plan computed after a failed or pending set was added
// deletes nothing that the plan before it kept. Such sets are kept until a
// newer set of their target is verified, then deleted. Whatever else
// happens, a target's newest verified set is never deleted, nor any set that
// a kept incremental needs.
package retention

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Tier is the stack a set belongs to.
type Tier string

// The tiers, lowest first.
const (
	Daily   Tier = "daily"
	Weekly  Tier = "weekly"
	Monthly Tier = "monthly"
)

var tiers = []Tier{Daily, Weekly, Monthly}

func (t Tier) rank() int {
	for i, known := range tiers {
		if t == known {
			return i
		}
	}
	return -1
}

func (t Tier) plural() string { return strings.TrimSuffix(string(t), "y") + "ies" }

// Kind says whether a set can be restored on its own.
type Kind string

// The kinds.
const (
	Full        Kind = "full"
	Incremental Kind = "incremental"
)

// Status is how far a set's cycle got.
type Status string

// The statuses.
const (
	// Pending: the set exists but has not been verified yet (the cycle is
	// still running, or was interrupted before verification).
	Pending Status = "pending"
	// Verified: every manifest hash and the sample matched at the target.
	Verified Status = "verified"
	// Failed: replication or verification failed.
	Failed Status = "failed"
)

// Set is one backup set of one target.
type Set struct {
	ID     string    // the folder name, e.g. 20261125T020000Z-sdsc
	Target string    // the target site, e.g. sdsc
	Time   time.Time // when the set was opened
	Tier   Tier      // Daily when empty
	Kind   Kind      // Full when empty
	Parent string    // for an incremental: the ID of the set it builds on
	Status Status    // Pending when empty
}

// withDefaults fills the empty Tier, Kind and Status.
func (s Set) withDefaults() Set {
	if s.Tier == "" {
		s.Tier = Daily
	}
	if s.Kind == "" {
		s.Kind = Full
	}
	if s.Status == "" {
		s.Status = Pending
	}
	return s
}

// MaxCount is the most sets any tier keeps per target: a thousand days is
// close to three years of dailies.
const MaxCount = 1000

// Policy is how many sets each target keeps.
type Policy struct {
	Daily   int // N, days with a daily; 1 to MaxCount
	Weekly  int // M, ISO weeks with a weekly; 0 (none) to MaxCount
	Monthly int // K, months with a monthly; 0 (none) to MaxCount; needs Weekly >= 1
	// FullEvery is the retired full_every setting, carried only so that a
	// schedule file reads back as it was written. The planner ignores it:
	// every set is a full (see docs/guides/retention.md).
	//
	// Deprecated: every set is a full; restore points share unchanged files.
	FullEvery int
}

// Validate reports a policy the planner cannot apply.
func (p Policy) Validate() error {
	var errs []error
	for _, c := range []struct {
		name     string
		v, least int
	}{{"daily", p.Daily, 1}, {"weekly", p.Weekly, 0}, {"monthly", p.Monthly, 0}} {
		if c.v < c.least || c.v > MaxCount {
			errs = append(errs, fmt.Errorf("%s must be between %d and %d, got %d", c.name, c.least, MaxCount, c.v))
		}
	}
	if p.Monthly > 0 && p.Weekly == 0 {
		errs = append(errs, errors.New("monthly needs weekly >= 1: monthlies are promoted from weeklies"))
	}
	return errors.Join(errs...)
}

// validateSets checks sets that already have their defaults.
func validateSets(sets []Set) error {
	seen := make(map[string]bool, len(sets))
	for _, s := range sets {
		switch {
		case s.ID == "":
			return errors.New("a backup set has an empty ID")
		case seen[s.ID]:
			return fmt.Errorf("backup set %s is listed twice", s.ID)
		case s.Target == "":
			return fmt.Errorf("backup set %s has no target", s.ID)
		case s.Time.IsZero():
			return fmt.Errorf("backup set %s has no time", s.ID)
		case s.Tier.rank() < 0:
			return fmt.Errorf("backup set %s has unknown tier %q", s.ID, s.Tier)
		case s.Kind != Full && s.Kind != Incremental:
			return fmt.Errorf("backup set %s has unknown kind %q", s.ID, s.Kind)
		case s.Kind == Incremental && s.Parent == "":
			return fmt.Errorf("incremental backup set %s names no parent", s.ID)
		case s.Status != Pending && s.Status != Verified && s.Status != Failed:
			return fmt.Errorf("backup set %s has unknown status %q", s.ID, s.Status)
		}
		seen[s.ID] = true
	}
	return nil
}
