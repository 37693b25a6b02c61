package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// controller is the node a dr_schedule lives on: its commands and files.
type controller struct {
	node  string
	run   remote.Runner
	files remote.Files
}

func (d *providerData) controller(node string) controller {
	return controller{node: node, run: d.runner(node), files: d.files(node)}
}

// systemdRunning reports whether systemd is PID 1 on the controller, as
// sd_booted(3) decides: /run/systemd/system exists.
func (c controller) systemdRunning(ctx context.Context) (bool, error) {
	_, err := c.files.Stat(ctx, "/run/systemd/system")
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, fmt.Errorf("checking for systemd on %s: %w", c.node, err)
}

// detectTrigger is the trigger kind that fits the controller.
func (c controller) detectTrigger(ctx context.Context) (string, error) {
	ok, err := c.systemdRunning(ctx)
	if err != nil {
		return "", err
	}
	if ok {
		return triggerSystemd, nil
	}
	return triggerCron, nil
}

// detectRunner is runnerPlaybook when the collection glusterdr.dr is
// installed on the controller, as ansible-galaxy (with the controller's
// own collection paths) lists it; runnerGlusterdr otherwise, Ansible
// missing included.
func (c controller) detectRunner(ctx context.Context) (string, error) {
	argv := []string{"ansible-galaxy", "collection", "list", "glusterdr.dr", "--format", "json"}
	res, err := c.run.Run(ctx, remote.Command(argv...))
	var ce *remote.CommandError
	if errors.As(err, &ce) && ce.ExitCode == 127 {
		return runnerGlusterdr, nil // no Ansible on the controller
	}
	if err != nil {
		return "", fmt.Errorf("looking for the collection glusterdr.dr on %s: %w", c.node, err)
	}
	var paths map[string]map[string]json.RawMessage
	if err := json.Unmarshal(res.Stdout, &paths); err != nil {
		return "", fmt.Errorf("looking for the collection glusterdr.dr on %s: %s printed no JSON: %v", c.node, remote.Quote(argv), err)
	}
	for _, collections := range paths {
		if _, ok := collections["glusterdr.dr"]; ok {
			return runnerPlaybook, nil
		}
	}
	return runnerGlusterdr, nil
}

// liveTrigger is the trigger as found on the controller.
type liveTrigger struct {
	kind    string        // "" when no trigger file of either kind exists
	files   []triggerFile // the files found, in triggerPaths order
	enabled bool          // systemd: the timer is enabled
	header  map[string]string
}

// digest is the live trigger's sha256, or "" when none of its files exist.
func (l liveTrigger) digest() string {
	if len(l.files) == 0 {
		return ""
	}
	return triggerDigest(l.files, l.kind, l.enabled)
}

// readTrigger reads the trigger of kind; with kind "" (after an import) it
// looks for either kind, systemd first.
func (c controller) readTrigger(ctx context.Context, kind string) (liveTrigger, error) {
	kinds := []string{kind}
	if kind == "" {
		kinds = triggerKinds
	}
	for _, k := range kinds {
		l := liveTrigger{kind: k, header: map[string]string{}}
		for _, p := range triggerPaths(k) {
			data, err := c.files.ReadFile(ctx, p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return l, fmt.Errorf("reading the trigger %s on %s: %w", p, c.node, err)
			}
			l.files = append(l.files, triggerFile{Path: p, Content: string(data)})
			for k, v := range parseTriggerHeader(string(data)) {
				l.header[k] = v
			}
		}
		if len(l.files) == 0 {
			continue
		}
		if k == triggerSystemd {
			res, _ := c.run.Run(ctx, remote.Command("systemctl", "is-enabled", systemdUnit+".timer"))
			l.enabled = strings.TrimSpace(string(res.Stdout)) == "enabled"
		}
		return l, nil
	}
	return liveTrigger{kind: kind}, nil
}

// installTrigger writes the trigger's files and, for systemd, enables and
// (re)starts the timer. Nothing is done when the live trigger is the one
// wanted already.
func (c controller) installTrigger(ctx context.Context, spec triggerSpec) error {
	files, err := spec.files()
	if err != nil {
		return err
	}
	live, err := c.readTrigger(ctx, spec.Kind)
	if err != nil {
		return err
	}
	if live.digest() == triggerDigest(files, spec.Kind, true) {
		return nil
	}
	for _, f := range files {
		if err := c.files.MkdirAll(ctx, dirOf(f.Path), 0o755); err != nil {
			return fmt.Errorf("making the folder of %s on %s: %w", f.Path, c.node, err)
		}
		if err := c.files.WriteFile(ctx, f.Path, strings.NewReader(f.Content), 0o644); err != nil {
			return fmt.Errorf("writing the trigger %s on %s: %w", f.Path, c.node, err)
		}
	}
	if spec.Kind != triggerSystemd {
		return nil
	}
	for _, argv := range [][]string{
		{"systemctl", "daemon-reload"},
		{"systemctl", "enable", "--now", systemdUnit + ".timer"},
		{"systemctl", "restart", systemdUnit + ".timer"}, // a changed OnCalendar takes effect now
	} {
		if _, err := c.run.Run(ctx, remote.Command(argv...)); err != nil {
			return fmt.Errorf("installing the systemd timer on %s: %w", c.node, err)
		}
	}
	return nil
}

// removeTrigger removes the trigger of kind; one already gone is fine, and
// then nothing is run.
func (c controller) removeTrigger(ctx context.Context, kind string) error {
	live, err := c.readTrigger(ctx, kind)
	if err != nil || len(live.files) == 0 {
		return err
	}
	if kind == triggerSystemd {
		if _, err := c.run.Run(ctx, remote.Command("systemctl", "disable", "--now", systemdUnit+".timer")); err != nil {
			return fmt.Errorf("stopping the systemd timer on %s: %w", c.node, err)
		}
	}
	for _, p := range triggerPaths(kind) {
		if err := c.files.Remove(ctx, p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing the trigger %s on %s: %w", p, c.node, err)
		}
	}
	if kind == triggerSystemd {
		if _, err := c.run.Run(ctx, remote.Command("systemctl", "daemon-reload")); err != nil {
			return fmt.Errorf("reloading systemd on %s: %w", c.node, err)
		}
	}
	return nil
}

// triggerWarnings are the reasons a trigger just installed may never run as
// meant: no cron daemon, a cron that reads the fields in another time zone,
// no CLI where the trigger expects it.
func (c controller) triggerWarnings(ctx context.Context, spec triggerSpec, s *schedule.Schedule) []string {
	var out []string
	exists := func(p string) bool { _, err := c.files.Stat(ctx, p); return err == nil }
	if spec.Kind == triggerCron {
		if !exists("/usr/sbin/cron") && !exists("/usr/sbin/crond") {
			out = append(out, fmt.Sprintf("No cron daemon was found on %s (/usr/sbin/cron or /usr/sbin/crond), so %s will "+
				"never run: install cron there (apt-get install cron), or set trigger = \"systemd\" on a systemd host.", c.node, cronFile))
		}
		if zone, err := c.files.ReadFile(ctx, "/etc/timezone"); err == nil {
			local := *s
			local.TimeZone = strings.TrimSpace(string(zone))
			if mismatch(s, &local) {
				out = append(out, fmt.Sprintf("%s on %s reads the cron fields %q in the time zone of the controller, %s, "+
					"unless its cron honours CRON_TZ (cronie does, Debian's cron does not), while time_zone is %s: the "+
					"runs would happen at other times than next_runs says. Set the controller's time zone to %s, write the "+
					"cron fields for %s, or use trigger = \"systemd\".", cronFile, c.node, s.Cron, local.TimeZone,
					s.TimeZone, s.TimeZone, local.TimeZone))
			}
		}
	}
	if spec.Runner == runnerGlusterdr && !exists(spec.Glusterdr) {
		out = append(out, fmt.Sprintf("%s does not exist on %s, so the trigger will fail: install the CLI there "+
			"(ansible-playbook glusterdr.dr.install), or set glusterdr_path to where it is.", spec.Glusterdr, c.node))
	}
	return out
}

// mismatch reports whether two schedules fire at different instants.
func mismatch(a, b *schedule.Schedule) bool {
	ra, rb := a.NextRuns(nowFunc(), 3), b.NextRuns(nowFunc(), 3)
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

func dirOf(p string) string {
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return "/"
	}
	return p[:i]
}
