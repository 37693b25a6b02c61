package trigger

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
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
		got, err := OnCalendar(c.cron, c.tz)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("OnCalendar(%q, %q) = %q, %v; want %q", c.cron, c.tz, got, err, c.want)
		}
	}
	if _, err := OnCalendar("61 2 * * *", "UTC"); err == nil {
		t.Error("OnCalendar accepted minute 61")
	}
}

func TestCronFile(t *testing.T) {
	spec := Spec{Kind: Cron, Runner: RunnerGlusterdr, Glusterdr: "/opt/gdr 50%/glusterdr",
		Schedule: "/etc/glusterdr/schedule.hcl", Cron: "30  1 * * *", TimeZone: "Europe/Berlin", RunTimeout: 5 * time.Hour}
	files, err := spec.Files()
	if err != nil || len(files) != 1 || files[0].Path != CronFile {
		t.Fatalf("files = %+v, %v", files, err)
	}
	content := files[0].Content
	// The fields as written (white space folded), root, and the command
	// under timeout(1) (run_timeout + Grace, SIGKILL KillAfter later),
	// quoted for sh with cron's '%' escaped.
	want := `30 1 * * * root timeout -k 180s 18300s '/opt/gdr 50\%/glusterdr' run --schedule /etc/glusterdr/schedule.hcl` + "\n"
	if !strings.HasSuffix(content, want) {
		t.Errorf("the job line is not %q:\n%s", want, content)
	}
	for _, line := range []string{"CRON_TZ=Europe/Berlin\n", "PATH=" + Path + "\n", "SHELL=/bin/sh\n",
		"# A night ends 5m after run_timeout (5h), the engine's own deadline: SIGTERM, and SIGKILL 3m later.\n"} {
		if !strings.Contains(content, line) {
			t.Errorf("no %q in:\n%s", line, content)
		}
	}
	h := ParseHeader(content)
	if h["schedule"] != spec.Schedule || h["runner"] != RunnerGlusterdr || h["binary"] != spec.Glusterdr {
		t.Errorf("header = %v", h)
	}
	if n := strings.Count(content, "\n"); n != 12 {
		t.Errorf("%d lines, want 12: a cron expression must never spill onto a line of its own:\n%s", n, content)
	}
}

func TestPlaybookCommand(t *testing.T) {
	spec := Spec{Runner: RunnerPlaybook, Glusterdr: "/usr/local/bin/glusterdr", Schedule: "/etc/glusterdr/it's.hcl"}
	argv := spec.Command()
	if argv[0] != "ansible-playbook" || argv[len(argv)-1] != Playbook || argv[len(argv)-2] == "" {
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
	spec := Spec{Kind: Systemd, Runner: RunnerPlaybook, Glusterdr: "/usr/local/bin/glusterdr",
		Schedule: "/etc/glusterdr/schedule.hcl", Cron: "0 0 1 * 1", TimeZone: "UTC", RunTimeout: 90 * time.Minute}
	files, err := spec.Files()
	if err != nil || len(files) != 2 || files[0].Path != ServiceFile || files[1].Path != TimerFile {
		t.Fatalf("files = %+v, %v", files, err)
	}
	service, timer := files[0].Content, files[1].Content
	wantExec := `ExecStart=ansible-playbook -i localhost, -c local -e "{\"glusterdr_binary\":\"/usr/local/bin/glusterdr\",` +
		`\"glusterdr_hosts\":\"localhost\",\"glusterdr_schedule\":\"/etc/glusterdr/schedule.hcl\"}" glusterdr.dr.nightly` + "\n"
	// Type=oneshot has no start timeout unless one is set: the night's
	// deadline, run_timeout + Grace, then SIGKILL after TimeoutStopSec.
	for _, line := range []string{wantExec, "Type=oneshot\n", "TimeoutStartSec=5700s\n", "TimeoutStopSec=180s\n"} {
		if !strings.Contains(service, line) {
			t.Errorf("no %q in the service:\n%s", line, service)
		}
	}
	for _, line := range []string{"OnCalendar=*-*-01 00:00:00 UTC\n", "OnCalendar=Mon *-*-* 00:00:00 UTC\n",
		"Persistent=true\n", "Unit=" + Unit + ".service\n", "WantedBy=timers.target\n"} {
		if !strings.Contains(timer, line) {
			t.Errorf("no %q in the timer:\n%s", line, timer)
		}
	}
	if Digest(files, Systemd, true) == Digest(files, Systemd, false) {
		t.Error("a disabled timer has the digest of an enabled one")
	}
	if Digest(files, Systemd, true) == Digest(files[:1], Systemd, true) {
		t.Error("a missing timer file leaves the digest unchanged")
	}
}

// TestDeadlineChangesTheTrigger: a new run_timeout is a new trigger, so
// plan shows it and install rewrites it.
func TestDeadlineChangesTheTrigger(t *testing.T) {
	for _, kind := range Kinds {
		spec := Spec{Kind: kind, Runner: RunnerGlusterdr, Glusterdr: "/usr/local/bin/glusterdr",
			Schedule: "/etc/glusterdr/schedule.hcl", Cron: "0 2 * * *", TimeZone: "UTC", RunTimeout: 5 * time.Hour}
		a, err := spec.Digest()
		if err != nil {
			t.Fatal(err)
		}
		spec.RunTimeout = 6 * time.Hour
		if b, _ := spec.Digest(); a == b {
			t.Errorf("%s: the digest ignores run_timeout", kind)
		}
		spec.RunTimeout = 0
		if _, err := spec.Files(); err == nil || !strings.Contains(err.Error(), "run_timeout") {
			t.Errorf("%s without a run_timeout: %v", kind, err)
		}
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
