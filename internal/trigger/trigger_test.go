package provider

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestOnCalendar(t *testing.T) {
	for _, c := range []struct {
		cron, tz string
		want     []string
	}{
		{"0 2 * * *", "UTC", []string{"*-*-* 02:00:00 UTC"}},
		{"30 1 * * *", "America/Los_Angeles", []string{"*-*-* 01:30:00 America/Los_Angeles"}},
		{"  15 3 * * 1-5 ", "UTC", []string{"Mon,Tue,Wed,Thu,Fri *-*-* 03:15:00 UTC"}},
		{"0 4 * * 0,6", "UTC", []string{"Sat,Sun *-*-* 04:00:00 UTC"}},
		{"*/15 * * * *", "UTC", []string{"*-*-* *:00,15,30,45:00 UTC"}},
		{"0 0 1,15 * *", "UTC", []string{"*-*-01,15 00:00:00 UTC"}},
		{"0 6 * 1,7 *", "Europe/Berlin", []string{"*-01,07-* 06:00:00 Europe/Berlin"}},
		// cron's OR of the two day fields: one value per field.
		{"0 0 1 * 1", "UTC", []string{"*-*-01 00:00:00 UTC", "Mon *-*-* 00:00:00 UTC"}},
		{"@daily", "UTC", []string{"*-*-* 00:00:00 UTC"}},
		{"@weekly", "UTC", []string{"Sun *-*-* 00:00:00 UTC"}},
		{"@monthly", "UTC", []string{"*-*-01 00:00:00 UTC"}},
		{"@hourly", "UTC", []string{"*-*-* *:00:00 UTC"}},
	} {
		got, err := onCalendar(c.cron, c.tz)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("onCalendar(%q, %q) = %q, %v; want %q", c.cron, c.tz, got, err, c.want)
		}
	}
	if _, err := onCalendar("61 2 * * *", "UTC"); err == nil {
		t.Error("onCalendar accepted minute 61")
	}
}

func TestCronFile(t *testing.T) {
	spec := triggerSpec{Kind: triggerCron, Runner: runnerGlusterdr, Glusterdr: "/opt/gdr 50%/glusterdr",
		Schedule: "/etc/glusterdr/schedule.hcl", Cron: "30  1 * * *", TimeZone: "Europe/Berlin"}
	files, err := spec.files()
	if err != nil || len(files) != 1 || files[0].Path != cronFile {
		t.Fatalf("files = %+v, %v", files, err)
	}
	content := files[0].Content
	// The fields as written (white space folded), root, and the command
	// quoted for sh with cron's '%' escaped.
	want := `30 1 * * * root '/opt/gdr 50\%/glusterdr' run --schedule /etc/glusterdr/schedule.hcl` + "\n"
	if !strings.HasSuffix(content, want) {
		t.Errorf("the job line is not %q:\n%s", want, content)
	}
	for _, line := range []string{"CRON_TZ=Europe/Berlin\n", "PATH=" + triggerPath + "\n", "SHELL=/bin/sh\n"} {
		if !strings.Contains(content, line) {
			t.Errorf("no %q in:\n%s", line, content)
		}
	}
	h := parseTriggerHeader(content)
	if h["schedule"] != spec.Schedule || h["runner"] != runnerGlusterdr || h["binary"] != spec.Glusterdr {
		t.Errorf("header = %v", h)
	}
	if n := strings.Count(content, "\n"); n != 11 {
		t.Errorf("%d lines, want 11: a cron expression must never spill onto a line of its own:\n%s", n, content)
	}
}

func TestPlaybookCommand(t *testing.T) {
	spec := triggerSpec{Runner: runnerPlaybook, Glusterdr: "/usr/local/bin/glusterdr", Schedule: "/etc/glusterdr/it's.hcl"}
	argv := spec.command()
	if argv[0] != "ansible-playbook" || argv[len(argv)-1] != nightlyPlaybook || argv[len(argv)-2] == "" {
		t.Fatalf("command = %q", argv)
	}
	var vars map[string]string
	if err := json.Unmarshal([]byte(argv[len(argv)-2]), &vars); err != nil {
		t.Fatalf("extra vars %q: %v", argv[len(argv)-2], err)
	}
	want := map[string]string{"glusterdr_hosts": "localhost", "glusterdr_schedule": spec.Schedule, "glusterdr_binary": spec.Glusterdr}
	if !reflect.DeepEqual(vars, want) {
		t.Errorf("extra vars = %v, want %v", vars, want)
	}
}

func TestSystemdFiles(t *testing.T) {
	spec := triggerSpec{Kind: triggerSystemd, Runner: runnerPlaybook, Glusterdr: "/usr/local/bin/glusterdr",
		Schedule: "/etc/glusterdr/schedule.hcl", Cron: "0 0 1 * 1", TimeZone: "UTC"}
	files, err := spec.files()
	if err != nil || len(files) != 2 || files[0].Path != systemdService || files[1].Path != systemdTimer {
		t.Fatalf("files = %+v, %v", files, err)
	}
	service, timer := files[0].Content, files[1].Content
	wantExec := `ExecStart=ansible-playbook -i localhost, -c local -e "{\"glusterdr_binary\":\"/usr/local/bin/glusterdr\",` +
		`\"glusterdr_hosts\":\"localhost\",\"glusterdr_schedule\":\"/etc/glusterdr/schedule.hcl\"}" glusterdr.dr.nightly` + "\n"
	if !strings.Contains(service, wantExec) || !strings.Contains(service, "Type=oneshot\n") {
		t.Errorf("service:\n%s\nwant %s", service, wantExec)
	}
	for _, line := range []string{"OnCalendar=*-*-01 00:00:00 UTC\n", "OnCalendar=Mon *-*-* 00:00:00 UTC\n",
		"Persistent=true\n", "Unit=" + systemdUnit + ".service\n", "WantedBy=timers.target\n"} {
		if !strings.Contains(timer, line) {
			t.Errorf("no %q in the timer:\n%s", line, timer)
		}
	}
	if triggerDigest(files, triggerSystemd, true) == triggerDigest(files, triggerSystemd, false) {
		t.Error("a disabled timer has the digest of an enabled one")
	}
	if triggerDigest(files, triggerSystemd, true) == triggerDigest(files[:1], triggerSystemd, true) {
		t.Error("a missing timer file leaves the digest unchanged")
	}
}

func TestSystemdQuote(t *testing.T) {
	for _, c := range []struct {
		argv []string
		want string
	}{
		{[]string{"/usr/local/bin/glusterdr", "run"}, "/usr/local/bin/glusterdr run"},
		{[]string{"/opt/a b/x", `say "hi"`}, `"/opt/a b/x" "say \"hi\""`},
		{[]string{"/x", "50%", "$HOME", `a\b`}, `/x 50%% $$HOME "a\\b"`},
		{[]string{"/x", ";", ""}, `/x ";" ""`},
	} {
		if got := systemdQuote(c.argv); got != c.want {
			t.Errorf("systemdQuote(%q) = %s, want %s", c.argv, got, c.want)
		}
	}
}
