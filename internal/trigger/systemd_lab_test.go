//go:build lab

package trigger

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// TestOnCalendarMatchesSystemd: the OnCalendar values the systemd trigger
// gets fire when the engine's NextRuns says, by systemd's own calendar
// (systemd-analyze calendar, Debian 12's systemd 252). The lab machine is
// a Debian 12 without systemd as PID 1, so this is how the systemd trigger
// is tested there.
func TestOnCalendarMatchesSystemd(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatalf("this test needs systemd-analyze (Debian's systemd package): %v", err)
	}
	base := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	const n = 6
	for _, c := range []struct{ cron, tz string }{
		{"0 2 * * *", "UTC"},
		{"30 1 * * *", "America/Los_Angeles"},
		{"15 3 * * 1-5", "Europe/Berlin"},
		{"*/20 9 * * *", "Asia/Tokyo"},
		{"0 0 1 * 1", "UTC"}, // day of month OR day of week
		{"0 4 1,15 * *", "UTC"},
		{"@weekly", "Europe/Berlin"},
		{"@monthly", "UTC"},
	} {
		calendars, err := OnCalendar(c.cron, c.tz)
		if err != nil {
			t.Fatal(err)
		}
		var got []time.Time
		for _, cal := range calendars {
			cmd := exec.Command(analyze, "calendar", "--base-time=@"+strconv.FormatInt(base.Unix(), 10),
				"--iterations="+strconv.Itoa(n), cal)
			cmd.Env = []string{"TZ=UTC", "LC_ALL=C"}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("systemd-analyze calendar %q: %v\n%s", cal, err, out)
			}
			got = append(got, elapses(t, string(out))...)
		}
		slices.SortFunc(got, func(a, b time.Time) int { return a.Compare(b) })
		got = slices.CompactFunc(got, func(a, b time.Time) bool { return a.Equal(b) })[:n]
		want := (&schedule.Schedule{Cron: c.cron, TimeZone: c.tz}).NextRuns(base, n)
		for i := range want {
			if !got[i].Equal(want[i]) {
				t.Errorf("cron %q in %s as %q: systemd fires at %v, the engine at %v", c.cron, c.tz, calendars, got, want)
				break
			}
		}
	}
}

// TestSystemdUnitsVerify: systemd's own checker (systemd-analyze verify,
// which loads the units without a running systemd) takes the service and
// the timer as rendered, every key known, for either runner.
func TestSystemdUnitsVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatalf("this test needs systemd-analyze (Debian's systemd package): %v", err)
	}
	for _, runner := range Runners {
		dir := t.TempDir()
		spec := Spec{Kind: Systemd, Runner: runner, Glusterdr: "/bin/true", Schedule: "/etc/glusterdr/it's 100%.hcl",
			Cron: "0 0 1 * 1", TimeZone: "Europe/Berlin", RunTimeout: 4*time.Hour + 30*time.Minute}
		files, err := spec.Files()
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, f := range files {
			p := filepath.Join(dir, filepath.Base(f.Path))
			if err := os.WriteFile(p, []byte(f.Content), 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		cmd := exec.Command(analyze, append([]string{"verify"}, paths...)...)
		cmd.Env = append(os.Environ(), "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "SYSTEMD_LOG_LEVEL=notice")
		out, err := cmd.CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Errorf("systemd-analyze verify of the %s runner's units: %v\n%s\n%s", runner, err, out, files[0].Content)
		}
	}
}

// elapses reads the times systemd-analyze calendar prints ("Next elapse:"
// and "Iter. #k:" lines), in UTC.
func elapses(t *testing.T, out string) []time.Time {
	var times []time.Time
	for _, line := range strings.Split(out, "\n") {
		_, value, ok := strings.Cut(line, ": ")
		key := strings.TrimSpace(strings.SplitN(line, ":", 2)[0])
		if !ok || key != "Next elapse" && !strings.HasPrefix(key, "Iter. #") {
			continue
		}
		at, err := time.Parse("Mon 2006-01-02 15:04:05 MST", strings.TrimSpace(value))
		if err != nil {
			t.Fatalf("systemd-analyze printed %q: %v", line, err)
		}
		times = append(times, at)
	}
	return times
}
