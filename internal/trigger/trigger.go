// Package trigger renders, installs, reads and removes what starts the
// nightly cycle on the controller: a systemd timer and its service where
// systemd is PID 1, an /etc/cron.d entry elsewhere. The dr_schedule
// Terraform resource and `glusterdr schedule` both install it through this
// package, so the same schedule gives the same files byte for byte.
//
// The trigger bounds each night: the service's TimeoutStartSec and the cron
// entry's timeout(1) end a run that outlives the schedule's run_timeout by
// Grace, so that the engine's own deadline ends the run cleanly first and
// the trigger's signal is the last resort.
package trigger

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// Trigger kinds and runners.
const (
	Systemd         = "systemd"
	Cron            = "cron"
	RunnerPlaybook  = "playbook"
	RunnerGlusterdr = "glusterdr"
)

var (
	// Kinds lists the trigger kinds, for validators and descriptions.
	Kinds = []string{Systemd, Cron}
	// Runners lists what a trigger can run.
	Runners = []string{RunnerPlaybook, RunnerGlusterdr}
)

// Where the trigger lives on the controller. The names are fixed: one
// schedule per controller.
const (
	CronFile   = "/etc/cron.d/glusterdr"
	Unit       = "glusterdr-nightly"
	SystemdDir = "/etc/systemd/system"
	// Playbook is the collection's nightly playbook, which the playbook
	// runner runs against the controller itself.
	Playbook = "glusterdr.dr.nightly"
	// User is the user the job runs as.
	User = "root"
	// Path is the PATH the job runs with: the system's own folders only, so
	// that the python3 gsyncd's workers run on is Debian's and not another
	// one found first.
	Path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
)

// The trigger's deadline: Grace after the schedule's run_timeout it sends
// SIGTERM to every process of the run, and SIGKILL KillAfter later. Grace
// covers what the engine does once its own deadline has passed (stopping a
// session, up to 2 minutes, and writing set.json); KillAfter the same after
// the trigger's SIGTERM.
const (
	Grace     = 5 * time.Minute
	KillAfter = 3 * time.Minute
)

var (
	// ServiceFile and TimerFile are the systemd trigger's files.
	ServiceFile = path.Join(SystemdDir, Unit+".service")
	TimerFile   = path.Join(SystemdDir, Unit+".timer")
)

// Spec is everything a trigger's files are rendered from.
type Spec struct {
	Kind      string // Systemd or Cron
	Runner    string // RunnerPlaybook or RunnerGlusterdr
	Glusterdr string // the CLI's path on the controller
	Schedule  string // the schedule file's path on the controller
	Cron      string // the schedule's cron expression
	TimeZone  string // the schedule's IANA time zone
	// RunTimeout is the schedule's run_timeout, the engine's own deadline.
	RunTimeout time.Duration
}

// File is one file of a trigger.
type File struct {
	Path    string
	Content string
}

// Paths are the files a trigger of kind consists of.
func Paths(kind string) []string {
	if kind == Systemd {
		return []string{ServiceFile, TimerFile}
	}
	return []string{CronFile}
}

// Command is the argv the trigger runs each night: the collection's nightly
// playbook against the controller itself, or the CLI.
func (s Spec) Command() []string {
	if s.Runner == RunnerPlaybook {
		vars, _ := json.Marshal(map[string]string{ // a map of strings always marshals
			"glusterdr_hosts": "localhost", "glusterdr_schedule": s.Schedule, "glusterdr_binary": s.Glusterdr,
		})
		return []string{"ansible-playbook", "-i", "localhost,", "-c", "local", "-e", string(vars), Playbook}
	}
	return []string{s.Glusterdr, "run", "--schedule", s.Schedule}
}

// Timeout is how long the trigger lets a night run before its SIGTERM:
// the run_timeout and Grace.
func (s Spec) Timeout() time.Duration { return s.RunTimeout + Grace }

// JobArgv is the cron entry's command: Command under timeout(1), which
// signals the whole process group (ansible-playbook's children included).
func (s Spec) JobArgv() []string {
	return append([]string{"timeout", "-k", seconds(KillAfter), seconds(s.Timeout())}, s.Command()...)
}

// seconds writes d as whole seconds, rounded up, with timeout(1)'s unit.
func seconds(d time.Duration) string { return fmt.Sprintf("%ds", int64(math.Ceil(d.Seconds()))) }

// header opens every trigger file. Its "# glusterdr-…:" lines say how the
// trigger was made, so that a reader (an import, `glusterdr schedule
// show`) can tell the runner and the paths.
func (s Spec) header() string {
	return "# glusterdr nightly DR cycle, installed by `glusterdr schedule install` or the dr_schedule Terraform resource.\n" +
		"# Edits here are undone by the next install and show up as drift in terraform plan.\n" +
		"# glusterdr-schedule: " + s.Schedule + "\n" +
		"# glusterdr-runner: " + s.Runner + "\n" +
		"# glusterdr-binary: " + s.Glusterdr + "\n"
}

// deadlineComment says where the trigger's deadline comes from.
func (s Spec) deadlineComment() string {
	return fmt.Sprintf("# A night ends %s after run_timeout (%s), the engine's own deadline: SIGTERM, and SIGKILL %s later.\n",
		schedule.FormatDuration(Grace), schedule.FormatDuration(s.RunTimeout), schedule.FormatDuration(KillAfter))
}

// Files renders the trigger.
func (s Spec) Files() ([]File, error) {
	if s.RunTimeout <= 0 {
		return nil, errors.New("the trigger needs the schedule's run_timeout, which is not set")
	}
	if s.Kind == Systemd {
		return s.systemdFiles()
	}
	return []File{{Path: CronFile, Content: s.cronFile()}}, nil
}

// Digest is the sha256 of the trigger s renders, installed and enabled.
func (s Spec) Digest() (string, error) {
	files, err := s.Files()
	if err != nil {
		return "", err
	}
	return Digest(files, s.Kind, true), nil
}

// cronFile is the /etc/cron.d entry. cron reads the 5 fields (or the
// @descriptor) as they are; CRON_TZ makes cronie read them in the
// schedule's time zone, while Debian's cron ignores it and uses the
// controller's own (Warnings says when those differ).
func (s Spec) cronFile() string {
	return s.header() +
		"# cron reads the fields below in CRON_TZ where it supports it (cronie), and in the\n" +
		"# controller's own time zone otherwise (Debian's cron).\n" +
		s.deadlineComment() +
		"SHELL=/bin/sh\n" +
		"PATH=" + Path + "\n" +
		"CRON_TZ=" + s.TimeZone + "\n" +
		strings.Join(strings.Fields(s.Cron), " ") + " " + User + " " + cronQuote(s.JobArgv()) + "\n"
}

// systemdFiles are the service that runs the cycle and the timer that
// starts it.
func (s Spec) systemdFiles() ([]File, error) {
	calendars, err := OnCalendar(s.Cron, s.TimeZone)
	if err != nil {
		return nil, err
	}
	service := s.header() + "\n[Unit]\n" +
		"Description=glusterdr nightly DR cycle (" + systemdEscape(s.Schedule) + ")\n" +
		"Wants=network-online.target\n" +
		"After=network-online.target\n\n" +
		"[Service]\n" +
		"Type=oneshot\n" +
		"Environment=PATH=" + Path + " HOME=/root\n" +
		"ExecStart=" + systemdQuote(s.Command()) + "\n" +
		s.deadlineComment() +
		"TimeoutStartSec=" + seconds(s.Timeout()) + "\n" +
		"TimeoutStopSec=" + seconds(KillAfter) + "\n"
	timer := s.header() + "\n[Unit]\n" +
		"Description=Start " + Unit + ".service on cron " + systemdEscape(strings.Join(strings.Fields(s.Cron), " ")) +
		" (" + s.TimeZone + ")\n\n" +
		"[Timer]\n"
	for _, c := range calendars {
		timer += "OnCalendar=" + c + "\n"
	}
	timer += "Persistent=true\n" +
		"Unit=" + Unit + ".service\n\n" +
		"[Install]\n" +
		"WantedBy=timers.target\n"
	return []File{{Path: ServiceFile, Content: service}, {Path: TimerFile, Content: timer}}, nil
}

// Digest is the sha256 of a trigger: its files in order, and for systemd
// whether the timer is enabled.
func Digest(files []File, kind string, enabled bool) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00%s", f.Path, len(f.Content), f.Content)
	}
	if kind == Systemd {
		fmt.Fprintf(h, "enabled=%t", enabled)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ParseHeader reads the "# glusterdr-<key>: <value>" lines of a trigger
// file: schedule, runner and binary.
func ParseHeader(content string) map[string]string {
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
