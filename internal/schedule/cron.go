package schedule

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// parseCron parses a 5-field cron expression or a descriptor such as @daily.
// The time zone lives in its own attribute and "@every" has no fixed wall
// clock time, so both are refused; so is an expression that never fires.
func parseCron(expr string) (cron.Schedule, error) {
	trimmed := strings.TrimSpace(expr)
	switch {
	case strings.HasPrefix(trimmed, "TZ=") || strings.HasPrefix(trimmed, "CRON_TZ="):
		return nil, fmt.Errorf("%q sets a time zone; set time_zone instead", expr)
	case strings.HasPrefix(trimmed, "@every"):
		return nil, fmt.Errorf("%q: @every is not supported; use 5 fields or @hourly, @daily, @weekly, @monthly, @yearly", expr)
	}
	sched, err := cron.ParseStandard(trimmed)
	if err != nil {
		return nil, fmt.Errorf("%q: %w; want 5 fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily", expr, err)
	}
	// Five years from a leap day's year is enough to see every date fire.
	if sched.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return nil, fmt.Errorf("%q never fires", expr)
	}
	return sched, nil
}

func loadTimeZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, errors.New(`time zone must be an IANA name such as "UTC" or "Europe/Berlin"`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q: want an IANA name such as \"America/Los_Angeles\"", name)
	}
	return loc, nil
}

// NextRuns returns the next n run times strictly after from, in the
// schedule's time zone. It returns nil for a schedule that Parse would
// reject.
//
// The cron fields are matched against the wall clock of the time zone, as
// cron(8) does, with two rules for daylight saving changes:
//   - a run whose wall time is skipped (02:30 on a spring-forward night)
//     happens that night, shifted forward by the length of the gap (03:30);
//   - a run whose wall time repeats (01:30 on a fall-back night) happens once,
//     at the first occurrence.
//
// So a nightly schedule fires exactly once every night.
func (s *Schedule) NextRuns(from time.Time, n int) []time.Time {
	sched, err := parseCron(s.Cron)
	if err != nil {
		return nil
	}
	loc, err := loadTimeZone(s.TimeZone)
	if err != nil {
		return nil
	}
	// Walk the wall clock as if it were UTC, which has no gaps or repeats.
	wall := asWall(from.In(loc))
	var runs []time.Time
	for len(runs) < n {
		wall = sched.Next(wall)
		if wall.IsZero() {
			break
		}
		at := wallToInstant(wall, loc)
		if at.After(from) && (len(runs) == 0 || at.After(runs[len(runs)-1])) {
			runs = append(runs, at)
		}
	}
	return runs
}

// asWall returns t's wall clock reading as a UTC time.
func asWall(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// wallToInstant finds when loc's clocks read wall (given as UTC). A reading
// that happens twice gives the first instant; one that never happens gives
// the instant it would have been under the offset before the change, which
// lies after the gap.
func wallToInstant(wall time.Time, loc *time.Location) time.Time {
	var first, latest time.Time
	// UTC offsets span -12h to +14h, so the offsets in force 14 hours either
	// side of the naive instant cover any single change near it.
	for _, probe := range []time.Time{wall.Add(-14 * time.Hour), wall.Add(14 * time.Hour)} {
		_, offset := probe.In(loc).Zone()
		candidate := wall.Add(-time.Duration(offset) * time.Second)
		if latest.IsZero() || candidate.After(latest) {
			latest = candidate
		}
		if asWall(candidate.In(loc)).Equal(wall) && (first.IsZero() || candidate.Before(first)) {
			first = candidate
		}
	}
	if first.IsZero() {
		return latest.In(loc)
	}
	return first.In(loc)
}

// shortestGap is the shortest time between two consecutive runs of s over
// the 64 runs after a fixed day, or false when s does not parse.
func shortestGap(s *Schedule) (time.Duration, bool) {
	runs := s.NextRuns(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 64)
	if len(runs) < 2 {
		return 0, false
	}
	gap := runs[1].Sub(runs[0])
	for i := 2; i < len(runs); i++ {
		gap = min(gap, runs[i].Sub(runs[i-1]))
	}
	return gap, true
}
