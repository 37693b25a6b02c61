package trigger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Host is the controller a trigger lives on: its commands and files, over
// SSH (the provider) or on this machine (the CLI).
type Host struct {
	Name  string
	Run   remote.Runner
	Files remote.Files
}

// SystemdRunning reports whether systemd is PID 1 on the host, as
// sd_booted(3) decides: /run/systemd/system exists.
func (h Host) SystemdRunning(ctx context.Context) (bool, error) {
	_, err := h.Files.Stat(ctx, "/run/systemd/system")
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, fmt.Errorf("checking for systemd on %s: %w", h.Name, err)
}

// DetectKind is the trigger kind that fits the host.
func (h Host) DetectKind(ctx context.Context) (string, error) {
	ok, err := h.SystemdRunning(ctx)
	if err != nil {
		return "", err
	}
	if ok {
		return Systemd, nil
	}
	return Cron, nil
}

// DetectRunner is RunnerPlaybook when the collection glusterdr.dr is
// installed on the host, as ansible-galaxy (with the host's own collection
// paths) lists it; RunnerGlusterdr otherwise, Ansible missing included.
func (h Host) DetectRunner(ctx context.Context) (string, error) {
	argv := []string{"ansible-galaxy", "collection", "list", "glusterdr.dr", "--format", "json"}
	res, err := h.Run.Run(ctx, remote.Command(argv...))
	var ce *remote.CommandError
	if errors.As(err, &ce) && ce.ExitCode == 127 || errors.Is(err, exec.ErrNotFound) {
		return RunnerGlusterdr, nil // no Ansible on the host
	}
	if err != nil {
		return "", fmt.Errorf("looking for the collection glusterdr.dr on %s: %w", h.Name, err)
	}
	var paths map[string]map[string]json.RawMessage
	if err := json.Unmarshal(res.Stdout, &paths); err != nil {
		return "", fmt.Errorf("looking for the collection glusterdr.dr on %s: %s printed no JSON: %v", h.Name, remote.Quote(argv), err)
	}
	for _, collections := range paths {
		if _, ok := collections["glusterdr.dr"]; ok {
			return RunnerPlaybook, nil
		}
	}
	return RunnerGlusterdr, nil
}

// Resolve fills the Kind and Runner that spec leaves empty with what fits
// the host, and refuses a systemd trigger on a host where systemd does not
// run, before anything there changes.
func (h Host) Resolve(ctx context.Context, spec *Spec) error {
	var err error
	switch spec.Kind {
	case "":
		if spec.Kind, err = h.DetectKind(ctx); err != nil {
			return err
		}
	case Systemd:
		running, err := h.SystemdRunning(ctx)
		if err != nil {
			return err
		}
		if !running {
			return fmt.Errorf("trigger = \"systemd\", but systemd is not running on %s (no /run/systemd/system), "+
				"so nothing was changed there: use the cron trigger, or leave the kind unset to have it chosen", h.Name)
		}
	}
	if spec.Runner == "" {
		spec.Runner, err = h.DetectRunner(ctx)
	}
	return err
}

// Live is a trigger as found on the host.
type Live struct {
	Kind    string // "" when no trigger file of either kind exists
	Files   []File // the files found, in Paths order
	Enabled bool   // systemd: the timer is enabled
	// Header holds the files' "# glusterdr-<key>:" lines: schedule,
	// runner and binary.
	Header map[string]string
}

// Digest is the live trigger's sha256, or "" when none of its files exist.
func (l Live) Digest() string {
	if len(l.Files) == 0 {
		return ""
	}
	return Digest(l.Files, l.Kind, l.Enabled)
}

// Read reads the trigger of kind; with kind "" it looks for either kind,
// systemd first.
func (h Host) Read(ctx context.Context, kind string) (Live, error) {
	kinds := []string{kind}
	if kind == "" {
		kinds = Kinds
	}
	for _, k := range kinds {
		l := Live{Kind: k, Header: map[string]string{}}
		for _, p := range Paths(k) {
			data, err := h.Files.ReadFile(ctx, p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return l, fmt.Errorf("reading the trigger %s on %s: %w", p, h.Name, err)
			}
			l.Files = append(l.Files, File{Path: p, Content: string(data)})
			for k, v := range ParseHeader(string(data)) {
				l.Header[k] = v
			}
		}
		if len(l.Files) == 0 {
			continue
		}
		if k == Systemd {
			res, _ := h.Run.Run(ctx, remote.Command("systemctl", "is-enabled", Unit+".timer"))
			l.Enabled = strings.TrimSpace(string(res.Stdout)) == "enabled"
		}
		return l, nil
	}
	return Live{Kind: kind, Header: map[string]string{}}, nil
}

// Install writes the trigger's files and, for systemd, enables and
// (re)starts the timer. Nothing is done, and changed is false, when the
// live trigger is the one wanted already.
func (h Host) Install(ctx context.Context, spec Spec) (changed bool, err error) {
	files, err := spec.Files()
	if err != nil {
		return false, err
	}
	live, err := h.Read(ctx, spec.Kind)
	if err != nil {
		return false, err
	}
	if live.Digest() == Digest(files, spec.Kind, true) {
		return false, nil
	}
	for _, f := range files {
		if err := h.Files.MkdirAll(ctx, path.Dir(f.Path), 0o755); err != nil {
			return true, fmt.Errorf("making the folder of %s on %s: %w", f.Path, h.Name, err)
		}
		if err := h.Files.WriteFile(ctx, f.Path, strings.NewReader(f.Content), 0o644); err != nil {
			return true, fmt.Errorf("writing the trigger %s on %s: %w", f.Path, h.Name, err)
		}
	}
	if spec.Kind != Systemd {
		return true, nil
	}
	for _, argv := range [][]string{
		{"systemctl", "daemon-reload"},
		{"systemctl", "enable", "--now", Unit + ".timer"},
		{"systemctl", "restart", Unit + ".timer"}, // a changed OnCalendar takes effect now
	} {
		if _, err := h.Run.Run(ctx, remote.Command(argv...)); err != nil {
			return true, fmt.Errorf("installing the systemd timer on %s: %w", h.Name, err)
		}
	}
	return true, nil
}

// Remove removes the trigger of kind; one already gone is fine, and then
// nothing is run and changed is false.
func (h Host) Remove(ctx context.Context, kind string) (changed bool, err error) {
	live, err := h.Read(ctx, kind)
	if err != nil || len(live.Files) == 0 {
		return false, err
	}
	if kind == Systemd {
		if _, err := h.Run.Run(ctx, remote.Command("systemctl", "disable", "--now", Unit+".timer")); err != nil {
			return true, fmt.Errorf("stopping the systemd timer on %s: %w", h.Name, err)
		}
	}
	for _, p := range Paths(kind) {
		if err := h.Files.Remove(ctx, p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return true, fmt.Errorf("removing the trigger %s on %s: %w", p, h.Name, err)
		}
	}
	if kind == Systemd {
		if _, err := h.Run.Run(ctx, remote.Command("systemctl", "daemon-reload")); err != nil {
			return true, fmt.Errorf("reloading systemd on %s: %w", h.Name, err)
		}
	}
	return true, nil
}
