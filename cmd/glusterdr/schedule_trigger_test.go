package main

import (
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
)

func TestScheduleInstallFlagsNameTheFlag(t *testing.T) {
	for _, c := range []struct {
		f    installFlags
		want string
	}{
		{installFlags{kind: "at"}, `--trigger "at": want systemd or cron`},
		{installFlags{runner: "make"}, `--runner "make": want playbook or glusterdr`},
		{installFlags{glusterdr: "bin/glusterdr"}, `--glusterdr "bin/glusterdr": want a clean absolute path`},
		{installFlags{glusterdr: "/usr/local/bin/../bin/glusterdr"}, `want a clean absolute path`},
		{installFlags{glusterdr: "/usr/local/bin/glusterdr\n@reboot root sh"}, `holds a control character`},
	} {
		if err := c.f.check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.f, err, c.want)
		}
	}
	if err := (installFlags{kind: trigger.Cron, runner: trigger.RunnerPlaybook, glusterdr: "/opt/gdr/glusterdr"}).check(); err != nil {
		t.Errorf("valid flags refused: %v", err)
	}
}

// TestScheduleInstallKeepsTheInstalledChoices: without flags, install keeps
// the kind, runner and CLI of the trigger it finds, so that running it
// again changes nothing; flags override them; with nothing installed the
// CLI is this binary and the rest is left to the host.
func TestScheduleInstallKeepsTheInstalledChoices(t *testing.T) {
	s := &schedule.Schedule{Cron: "0 2 * * *", TimeZone: "UTC", RunTimeout: 5 * time.Hour}
	live := trigger.Live{Kind: trigger.Cron, Header: map[string]string{"runner": trigger.RunnerPlaybook, "binary": "/opt/gdr/glusterdr"}}
	spec := specOf(s, "/etc/glusterdr/schedule.hcl", live, installFlags{})
	if spec.Kind != trigger.Cron || spec.Runner != trigger.RunnerPlaybook || spec.Glusterdr != "/opt/gdr/glusterdr" ||
		spec.RunTimeout != 5*time.Hour || spec.Schedule != "/etc/glusterdr/schedule.hcl" {
		t.Errorf("adopted: %+v", spec)
	}
	spec = specOf(s, "/etc/glusterdr/schedule.hcl", live, installFlags{runner: trigger.RunnerGlusterdr, glusterdr: "/usr/bin/glusterdr"})
	if spec.Runner != trigger.RunnerGlusterdr || spec.Glusterdr != "/usr/bin/glusterdr" || spec.Kind != trigger.Cron {
		t.Errorf("flags: %+v", spec)
	}
	spec = specOf(s, "/etc/glusterdr/schedule.hcl", trigger.Live{Header: map[string]string{}}, installFlags{})
	if spec.Kind != "" || spec.Runner != "" || spec.Glusterdr != selfPath() {
		t.Errorf("nothing installed: %+v", spec)
	}
}
