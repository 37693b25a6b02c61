package provider

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/robfig/cron/v3"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// The trigger is what runs the nightly cycle on the controller: a systemd
// timer where systemd is PID 1, an /etc/cron.d entry elsewhere. This file
// renders it; dr_schedule_controller.go installs, reads and removes it.

// Trigger kinds and runners, used by the validators and the descriptions.
const (
	triggerSystemd  = "systemd"
	triggerCron     = "cron"
	runnerPlaybook  = "playbook"
	runnerGlusterdr = "glusterdr"
)

var (
	triggerKinds = []string{triggerSystemd, triggerCron}
	runners      = []string{runnerPlaybook, runnerGlusterdr}
)

// Where the trigger lives on the controller. One schedule per controller:
// the names are fixed, so a second dr_schedule on the same node is refused
// at create.
const (
	cronFile        = "/etc/cron.d/glusterdr"
	systemdUnit     = "glusterdr-nightly"
	systemdDir      = "/etc/systemd/system"
	nightlyPlaybook = "glusterdr.dr.nightly"
	triggerUser     = "root"
	// triggerPath is the PATH the job runs with: Debian's own folders
	// first, so that gsyncd's python3 is Debian's (LAB-NOTES).
	triggerPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
)

var (
	systemdService = path.Join(systemdDir, systemdUnit+".service")
	systemdTimer   = path.Join(systemdDir, systemdUnit+".timer")
)

// triggerSpec is everything the trigger's files are rendered from.
type triggerSpec struct {
	Kind      string // triggerSystemd or triggerCron
	Runner    string // runnerPlaybook or runnerGlusterdr
	Glusterdr string // the CLI's path on the controller
	Schedule  string // the schedule file's path on the controller
	Cron      string // the schedule's cron expression
	TimeZone  string // the schedule's IANA time zone
}

// triggerFile is one file of an installed trigger.
type triggerFile struct {
	Path    string
	Content string
}

// triggerPaths are the files a trigger of kind consists of.
func triggerPaths(kind string) []string {
	if kind == triggerSystemd {
		return []string{systemdService, systemdTimer}
	}
	return []string{cronFile}
}

// command is the argv the trigger runs each night: the collection's
// nightly playbook against the controller itself, or the CLI.
func (t triggerSpec) command() []string {
	if t.Runner == runnerPlaybook {
		vars, _ := json.Marshal(map[string]string{ // a map of strings always marshals
			"glusterdr_hosts": "localhost", "glusterdr_schedule": t.Schedule, "glusterdr_binary": t.Glusterdr,
		})
		return []string{"ansible-playbook", "-i", "localhost,", "-c", "local", "-e", string(vars), nightlyPlaybook}
	}
	return []string{t.Glusterdr, "run", "--schedule", t.Schedule}
}

// header opens every trigger file. Its "# glusterdr-…:" lines say how the
// trigger was made, so that an import can tell the runner and the paths.
func (t triggerSpec) header() string {
	return "# glusterdr nightly DR cycle, installed by the dr_schedule Terraform resource.\n" +
		"# Edits here show up as drift in terraform plan.\n" +
		"# glusterdr-schedule: " + t.Schedule + "\n" +
		"# glusterdr-runner: " + t.Runner + "\n" +
		"# glusterdr-binary: " + t.Glusterdr + "\n"
}

// files renders the trigger.
func (t triggerSpec) files() ([]triggerFile, error) {
	if t.Kind == triggerSystemd {
		return t.systemdFiles()
	}
	return []triggerFile{{Path: cronFile, Content: t.cronFile()}}, nil
}

// cronFile is the /etc/cron.d entry. cron reads the 5 fields (or the
// @descriptor) as they are; CRON_TZ makes cronie read them in the
// schedule's time zone, while Debian's cron ignores it and uses the
// controller's own (the resource warns when those differ).
func (t triggerSpec) cronFile() string {
	return t.header() +
		"# cron reads the fields below in CRON_TZ where it supports it (cronie), and in the\n" +
		"# controller's own time zone otherwise (Debian's cron).\n" +
		"SHELL=/bin/sh\n" +
		"PATH=" + triggerPath + "\n" +
		"CRON_TZ=" + t.TimeZone + "\n" +
		strings.Join(strings.Fields(t.Cron), " ") + " " + triggerUser + " " + cronEscape(remote.Quote(t.command())) + "\n"
}

// cronEscape escapes '%', which cron turns into a newline in the command
// field; cron takes the backslash away again.
func cronEscape(s string) string { return strings.ReplaceAll(s, "%", `\%`) }

// systemdFiles are the service that runs the cycle and the timer that
// starts it.
func (t triggerSpec) systemdFiles() ([]triggerFile, error) {
	calendars, err := onCalendar(t.Cron, t.TimeZone)
	if err != nil {
		return nil, err
	}
	service := t.header() + "\n[Unit]\n" +
		"Description=glusterdr nightly DR cycle (" + systemdEscape(t.Schedule) + ")\n" +
		"Wants=network-online.target\n" +
		"After=network-online.target\n\n" +
		"[Service]\n" +
		"Type=oneshot\n" +
		"Environment=PATH=" + triggerPath + " HOME=/root\n" +
		"ExecStart=" + systemdQuote(t.command()) + "\n"
	timer := t.header() + "\n[Unit]\n" +
		"Description=Start " + systemdUnit + ".service on cron " + systemdEscape(strings.Join(strings.Fields(t.Cron), " ")) +
		" (" + t.TimeZone + ")\n\n" +
		"[Timer]\n"
	for _, c := range calendars {
		timer += "OnCalendar=" + c + "\n"
	}
	timer += "Persistent=true\n" +
		"Unit=" + systemdUnit + ".service\n\n" +
		"[Install]\n" +
		"WantedBy=timers.target\n"
	return []triggerFile{{Path: systemdService, Content: service}, {Path: systemdTimer, Content: timer}}, nil
}

// triggerDigest is the sha256 of an installed trigger: its files in order,
// and for systemd whether the timer is enabled.
func triggerDigest(files []triggerFile, kind string, enabled bool) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00%s", f.Path, len(f.Content), f.Content)
	}
	if kind == triggerSystemd {
		fmt.Fprintf(h, "enabled=%t", enabled)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// parseTriggerHeader reads the "# glusterdr-<key>: <value>" lines of a
// trigger file.
func parseTriggerHeader(content string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(content, "\n") {
		rest, ok := strings.CutPrefix(line, "# glusterdr-")
		if !ok {
			continue
		}
		if k, v, ok := strings.Cut(rest, ": "); ok {
			out[k] = v
		}
	}
	return out
}

// systemdQuote renders argv for ExecStart: '%' and '$' doubled (systemd's
// specifiers and variables), and any word with white space, quotes or a
// backslash in double quotes with C escapes.
func systemdQuote(argv []string) string {
	out := make([]string, len(argv))
	for i, arg := range argv {
		arg = systemdEscape(arg)
		if arg != "" && !strings.ContainsAny(arg, " \t\"'\\;") {
			out[i] = arg
			continue
		}
		out[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(arg) + `"`
	}
	return strings.Join(out, " ")
}

// systemdEscape doubles '%' and '$', which systemd expands in unit files.
func systemdEscape(s string) string {
	return strings.NewReplacer("%", "%%", "$", "$$").Replace(s)
}

// cronStar is robfig/cron's mark of a field written as '*' (or '?').
const cronStar = 1 << 63

var (
	// weekdays are cron's day numbers 0..6 by name; systemd lists Monday first.
	weekdays     = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	weekdayOrder = []int{1, 2, 3, 4, 5, 6, 0}
)

// onCalendar converts a cron expression (5 fields or a descriptor, as
// internal/schedule accepts them) into systemd OnCalendar= values in the
// time zone tz. Each field becomes a list of its values. cron fires when
// the day of the month OR the day of the week matches if both are
// restricted, while systemd requires both: that case gives two values,
// one per day field, and the timer fires on either.
func onCalendar(expr, tz string) ([]string, error) {
	sched, err := cron.ParseStandard(strings.TrimSpace(expr))
	if err != nil {
		return nil, fmt.Errorf("cron %q: %w", expr, err)
	}
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return nil, fmt.Errorf("cron %q has no fixed wall clock time", expr)
	}
	number := func(v int) string { return fmt.Sprintf("%02d", v) }
	clock := calendarField(spec.Hour, numbers(0, 23), number) + ":" + calendarField(spec.Minute, numbers(0, 59), number) + ":00"
	month := calendarField(spec.Month, numbers(1, 12), number)
	dom := calendarField(spec.Dom, numbers(1, 31), number)
	dow := calendarField(spec.Dow, weekdayOrder, func(v int) string { return weekdays[v] })
	format := func(dow, dom string) string {
		date := "*-" + month + "-" + dom
		if dow != "*" {
			date = dow + " " + date
		}
		return date + " " + clock + " " + tz
	}
	if spec.Dom&cronStar == 0 && spec.Dow&cronStar == 0 && dom != "*" && dow != "*" {
		return []string{format("*", dom), format(dow, "*")}, nil
	}
	return []string{format(dow, dom)}, nil
}

// calendarField lists the values of order that bits holds, or "*" when it
// holds them all.
func calendarField(bits uint64, order []int, name func(int) string) string {
	var vals []string
	for _, v := range order {
		if bits&(1<<uint(v)) != 0 {
			vals = append(vals, name(v))
		}
	}
	if bits&cronStar != 0 || len(vals) == len(order) {
		return "*"
	}
	return strings.Join(vals, ",")
}

func numbers(lo, hi int) []int {
	out := make([]int, 0, hi-lo+1)
	for v := lo; v <= hi; v++ {
		out = append(out, v)
	}
	return out
}
