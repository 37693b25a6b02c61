package trigger

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// Warnings are the reasons a trigger installed from spec on the host may
// never run as meant: no cron daemon, a cron that reads the fields in
// another time zone than s says, no CLI where the trigger expects it. now
// is the clock the run times are compared at.
func (h Host) Warnings(ctx context.Context, spec Spec, s *schedule.Schedule, now time.Time) []string {
	var out []string
	exists := func(p string) bool { _, err := h.Files.Stat(ctx, p); return err == nil }
	if spec.Kind == Cron {
		if !exists("/usr/sbin/cron") && !exists("/usr/sbin/crond") {
			out = append(out, fmt.Sprintf("No cron daemon was found on %s (/usr/sbin/cron or /usr/sbin/crond), so %s will "+
				"never run: install cron there (apt-get install cron), or use the systemd trigger on a systemd host.", h.Name, CronFile))
		}
		if zone, err := h.Files.ReadFile(ctx, "/etc/timezone"); err == nil {
			local := *s
			local.TimeZone = strings.TrimSpace(string(zone))
			if mismatch(s, &local, now) {
				out = append(out, fmt.Sprintf("%s on %s reads the cron fields %q in the time zone of the controller, %s, "+
					"unless its cron honours CRON_TZ (cronie does, Debian's cron does not), while time_zone is %s: the "+
					"runs would happen at other times than the schedule's next runs. Set the controller's time zone to %s, "+
					"write the cron fields for %s, or use the systemd trigger.", CronFile, h.Name, s.Cron, local.TimeZone,
					s.TimeZone, s.TimeZone, local.TimeZone))
			}
		}
	}
	if spec.Runner == RunnerGlusterdr && !exists(spec.Glusterdr) {
		out = append(out, fmt.Sprintf("%s does not exist on %s, so the trigger will fail: install the CLI there "+
			"(ansible-playbook glusterdr.dr.install), or point the trigger at where it is (glusterdr_path in dr_schedule, "+
			"--glusterdr for glusterdr schedule install).", spec.Glusterdr, h.Name))
	}
	return out
}

// mismatch reports whether two schedules fire at different instants.
func mismatch(a, b *schedule.Schedule, now time.Time) bool {
	ra, rb := a.NextRuns(now, 3), b.NextRuns(now, 3)
	if len(ra) != len(rb) {
		return true
	}
	for i := range ra {
		if !ra[i].Equal(rb[i]) {
			return true
		}
	}
	return false
}
