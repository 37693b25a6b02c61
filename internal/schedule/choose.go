package schedule

import "time"

// TargetHistory is what the journal says about one target.
type TargetHistory struct {
	LastVerified time.Time // end of the last cycle whose copy was verified; zero: never
	LastAttempt  time.Time // start of the last cycle, whatever its result; zero: never
}

// ChooseTargets names the targets tonight's cycle replicates to.
//
// With rotation "all" that is every target, in declared order. With
// "alternate" it is the single target whose last verified copy is the
// oldest; a target never verified is older than any other. So a target that
// failed last night is retried before the other is refreshed. Ties go to the
// oldest last attempt (never attempted first), then to declared order.
// Targets missing from history count as never verified nor attempted.
func ChooseTargets(s *Schedule, history map[string]TargetHistory) []string {
	if len(s.Targets) == 0 {
		return nil
	}
	if s.Rotation == RotationAll {
		names := make([]string, len(s.Targets))
		for i, t := range s.Targets {
			names[i] = t.Name
		}
		return names
	}
	best := s.Targets[0].Name
	for _, t := range s.Targets[1:] {
		if staler(history[t.Name], history[best]) {
			best = t.Name
		}
	}
	return []string{best}
}

// staler reports whether a should go before b: strictly older verified
// copy, or as old and a strictly older attempt.
func staler(a, b TargetHistory) bool {
	if !a.LastVerified.Equal(b.LastVerified) {
		return a.LastVerified.Before(b.LastVerified)
	}
	return a.LastAttempt.Before(b.LastAttempt)
}
