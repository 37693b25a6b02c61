package schedule

import (
	"testing"
	"time"
	_ "time/tzdata" // the zone database, whatever the test machine has

	"github.com/google/go-cmp/cmp"
)

func TestNextRuns(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	const layout = "2006-01-02 15:04 MST"
	tests := []struct {
		name     string
		cron     string
		zone     string
		from     time.Time
		n        int
		want     []string
		wantNone bool
	}{{
		name: "nightly in UTC",
		cron: "0 2 * * *", zone: "UTC",
		from: time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC), n: 2,
		want: []string{"2026-11-25 02:00 UTC", "2026-11-26 02:00 UTC"},
	}, {
		name: "strictly after from",
		cron: "@daily", zone: "UTC",
		from: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), n: 1,
		want: []string{"2026-11-26 00:00 UTC"},
	}, {
		name: "read in the zone, whatever from's zone",
		cron: "0 2 * * *", zone: "America/Los_Angeles",
		from: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), n: 2,
		want: []string{"2026-11-25 02:00 PST", "2026-11-26 02:00 PST"},
	}, {
		name: "spring forward: a skipped time runs shifted by the gap",
		cron: "30 2 * * *", zone: "America/Los_Angeles",
		from: time.Date(2026, 3, 6, 12, 0, 0, 0, la), n: 4,
		want: []string{"2026-03-07 02:30 PST", "2026-03-08 03:30 PDT", "2026-03-09 02:30 PDT", "2026-03-10 02:30 PDT"},
	}, {
		name: "spring forward: two skipped times stay two runs",
		cron: "0,30 2 * * *", zone: "America/Los_Angeles",
		from: time.Date(2026, 3, 8, 0, 0, 0, 0, la), n: 3,
		want: []string{"2026-03-08 03:00 PDT", "2026-03-08 03:30 PDT", "2026-03-09 02:00 PDT"},
	}, {
		name: "fall back: a repeated time runs once, the first time",
		cron: "30 1 * * *", zone: "America/Los_Angeles",
		from: time.Date(2026, 10, 31, 12, 0, 0, 0, la), n: 2,
		want: []string{"2026-11-01 01:30 PDT", "2026-11-02 01:30 PST"},
	}, {
		name: "fall back: from inside the repeated hour, tonight's run is done",
		cron: "30 1 * * *", zone: "America/Los_Angeles",
		from: time.Date(2026, 11, 1, 9, 10, 0, 0, time.UTC), // 01:10 PST, the second 01:10
		n:    1,
		want: []string{"2026-11-02 01:30 PST"},
	}, {
		name: "weekly in another zone",
		cron: "0 3 * * 0", zone: "Europe/Berlin",
		from: time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC), n: 2,
		want: []string{"2026-03-29 03:00 CEST", "2026-04-05 03:00 CEST"},
	}, {
		name: "a schedule Parse would refuse has no runs",
		cron: "0 2 * * *", zone: "Mars/Olympus",
		from: time.Now(), n: 3, wantNone: true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Schedule{Cron: tt.cron, TimeZone: tt.zone}
			runs := s.NextRuns(tt.from, tt.n)
			if tt.wantNone {
				if runs != nil {
					t.Fatalf("NextRuns = %v, want nil", runs)
				}
				return
			}
			var got []string
			for _, r := range runs {
				got = append(got, r.Format(layout))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NextRuns (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNextRunsOncePerNight checks a whole year of a nightly schedule in a
// zone with daylight saving time: one run every local night, never two.
func TestNextRunsOncePerNight(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	for _, cron := range []string{"0 2 * * *", "30 2 * * *", "30 1 * * *", "59 23 * * *"} {
		s := &Schedule{Cron: cron, TimeZone: "America/Los_Angeles"}
		runs := s.NextRuns(time.Date(2026, 1, 1, 0, 0, 0, 0, la), 365)
		if len(runs) != 365 {
			t.Fatalf("%s: %d runs, want 365", cron, len(runs))
		}
		for i, r := range runs {
			want := time.Date(2026, 1, 1+i, 0, 0, 0, 0, la)
			if r.Year() != want.Year() || r.YearDay() != want.YearDay() {
				t.Fatalf("%s: run %d is %v, want one on %s", cron, i, r, want.Format("2006-01-02"))
			}
		}
	}
}
