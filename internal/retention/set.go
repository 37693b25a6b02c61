// Package retention decides which backup sets to keep, delete and promote.
//
// It is pure: it reads a list of sets and a policy and returns a Plan. The
// nightly engine applies the plan (deletes folders, records promotions); the
// planner never touches a disk.
//
// # The model
//
// A backup set is the folder backup/<UTC timestamp>-<target>/ (see
// FolderName). Each set has
//   - a Status: pending (not verified yet), verified or failed;
//   - a Tier: daily, weekly or monthly. The engine creates every set as a
//     daily; only the planner moves a set up, through Plan.Promote;
//   - a Kind: full, or incremental with the ID of its Parent (the set it was
//     taken on top of). Restoring an incremental needs its whole chain: the
//     last full and every incremental since. NextKind tells the engine which
//     kind to make next.
//
// A set is "good" when it is verified and its chain is complete (every
// ancestor present, none failed). Only good sets count towards a tier's stack
// and only good sets are promoted.
//
// # Retention is per target
//
// Each target site keeps its own stacks, because each site holds only the
// sets that were replicated to it: with rotation "alternate", a daily stack of
// N means the last N verified nights at that site. Sets of different targets
// never affect each other.
//
// # Promotion
//
// Every Daily-th good daily of a target is promoted: when a target holds
// Policy.Daily good dailies newer than its newest weekly (or monthly), the
// newest of them becomes a weekly. Weekly to monthly works the same way one
// step up: when Policy.Weekly good weeklies are newer than the newest monthly,
// the newest weekly becomes a monthly. A tier with a stack size of 0 receives
// nothing. So with N=7 and M=5 the weeklies are 7 cycles apart, and monthlies
// (when enabled) are 7*5 cycles apart; on the 35th cycle the new set goes
// from daily to monthly in one plan.
//
// A promoted set leaves the lower stack: it is counted once, in its new tier.
// At steady state a target keeps Daily + Weekly + Monthly sets, plus any
// chain members that kept incrementals need, plus unverified sets newer than
// its newest verified set. (With Daily = 1 every good set is promoted at
// once and the daily stack stays empty.)
//
// Promotions are part of the plan's output. The engine records the new tier
// in the set's own metadata and keeps the folder name, so set IDs never change.
// Feeding the recorded tiers back in on the next night keeps the plan stable:
// a plan applied and computed again promotes and deletes nothing.
//
// # Failures
//
// Pending and failed sets never fill a stack, so a run of failed nights
// pushes no good copy out. They are kept until a newer set of their target is
// verified, then deleted. Whatever else happens, a target's newest verified
// set is never deleted, nor any set that a kept incremental needs.
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

// Policy is how many sets each target keeps.
type Policy struct {
	Daily   int // N, the daily stack; at least 1
	Weekly  int // M, the weekly stack; 0 disables weeklies
	Monthly int // the monthly stack; 0 disables monthlies; needs Weekly >= 1
	// FullEvery starts a new full after this many sets in a chain (the full
	// included). 0 makes every set a full. See NextKind.
	FullEvery int
}

func (p Policy) keep(t Tier) int {
	switch t {
	case Daily:
		return p.Daily
	case Weekly:
		return p.Weekly
	default:
		return p.Monthly
	}
}

// Validate reports a policy the planner cannot apply.
func (p Policy) Validate() error {
	var errs []error
	if p.Daily < 1 {
		errs = append(errs, fmt.Errorf("daily must be at least 1, got %d", p.Daily))
	}
	if p.Weekly < 0 {
		errs = append(errs, fmt.Errorf("weekly must not be negative, got %d", p.Weekly))
	}
	if p.Monthly < 0 {
		errs = append(errs, fmt.Errorf("monthly must not be negative, got %d", p.Monthly))
	}
	if p.Monthly > 0 && p.Weekly == 0 {
		errs = append(errs, errors.New("monthly needs weekly >= 1: monthlies are promoted from weeklies"))
	}
	if p.FullEvery < 0 {
		errs = append(errs, fmt.Errorf("full_every must not be negative, got %d", p.FullEvery))
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
