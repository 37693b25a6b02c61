package trigger

import (
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// rootedFiles is this machine's files under root, standing in for a
// controller's: /etc/cron.d/glusterdr is root/etc/cron.d/glusterdr.
type rootedFiles struct {
	root  string
	local remote.LocalFiles
}

func (f rootedFiles) p(name string) string { return filepath.Join(f.root, name) }

func (f rootedFiles) WriteFile(ctx context.Context, name string, r io.Reader, mode fs.FileMode) error {
	return f.local.WriteFile(ctx, f.p(name), r, mode)
}
func (f rootedFiles) ReadFile(ctx context.Context, name string) ([]byte, error) {
	return f.local.ReadFile(ctx, f.p(name))
}
func (f rootedFiles) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	return f.local.Open(ctx, f.p(name))
}
func (f rootedFiles) Stat(ctx context.Context, name string) (fs.FileInfo, error) {
	return f.local.Stat(ctx, f.p(name))
}
func (f rootedFiles) Lstat(ctx context.Context, name string) (fs.FileInfo, error) {
	return f.local.Lstat(ctx, f.p(name))
}
func (f rootedFiles) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	return f.local.ReadDir(ctx, f.p(name))
}
func (f rootedFiles) MkdirAll(ctx context.Context, name string, mode fs.FileMode) error {
	return f.local.MkdirAll(ctx, f.p(name), mode)
}
func (f rootedFiles) Remove(ctx context.Context, name string) error {
	return f.local.Remove(ctx, f.p(name))
}
func (f rootedFiles) RemoveAll(ctx context.Context, name string) error {
	return f.local.RemoveAll(ctx, f.p(name))
}
func (f rootedFiles) Rename(ctx context.Context, a, b string) error {
	return f.local.Rename(ctx, f.p(a), f.p(b))
}

// recorder answers systemctl and ansible-galaxy as a controller would and
// records every command.
type recorder struct {
	enabled bool   // systemctl is-enabled answers "enabled"
	galaxy  string // ansible-galaxy's stdout; "" means it is not installed
	calls   []string
}

func (r *recorder) Host() string { return "ctl" }

func (r *recorder) Run(_ context.Context, cmd remote.Cmd) (remote.Result, error) {
	r.calls = append(r.calls, strings.Join(cmd.Argv, " "))
	switch {
	case cmd.Argv[0] == "ansible-galaxy" && r.galaxy == "":
		return remote.Result{}, exec.ErrNotFound
	case cmd.Argv[0] == "ansible-galaxy":
		return remote.Result{Stdout: []byte(r.galaxy)}, nil
	case len(cmd.Argv) > 1 && cmd.Argv[1] == "enable":
		r.enabled = true
	case len(cmd.Argv) > 1 && cmd.Argv[1] == "disable":
		r.enabled = false
	case len(cmd.Argv) > 1 && cmd.Argv[1] == "is-enabled" && r.enabled:
		return remote.Result{Stdout: []byte("enabled\n")}, nil
	case len(cmd.Argv) > 1 && cmd.Argv[1] == "is-enabled":
		return remote.Result{Stdout: []byte("disabled\n"), ExitCode: 1},
			&remote.CommandError{Host: "ctl", Argv: cmd.Argv, ExitCode: 1}
	}
	return remote.Result{}, nil
}

func testHost(t *testing.T, systemd bool) (Host, *recorder, string) {
	t.Helper()
	root := t.TempDir()
	if systemd {
		if err := os.MkdirAll(filepath.Join(root, "run/systemd/system"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	rec := &recorder{}
	return Host{Name: "ctl", Run: rec, Files: rootedFiles{root: root}}, rec, root
}

func testSpec(kind string) Spec {
	return Spec{Kind: kind, Runner: RunnerGlusterdr, Glusterdr: "/usr/local/bin/glusterdr",
		Schedule: "/etc/glusterdr/schedule.hcl", Cron: "0 2 * * *", TimeZone: "UTC", RunTimeout: 5 * time.Hour}
}

// TestInstallCronIsIdempotent: install writes the entry once, a second
// install changes nothing, and remove takes it away once.
func TestInstallCronIsIdempotent(t *testing.T) {
	ctx := context.Background()
	h, rec, root := testHost(t, false)
	spec := testSpec(Cron)
	for i, want := range []bool{true, false} {
		changed, err := h.Install(ctx, spec)
		if err != nil || changed != want {
			t.Fatalf("install %d: changed %t, %v; want %t", i+1, changed, err, want)
		}
	}
	data, err := os.ReadFile(filepath.Join(root, CronFile))
	if err != nil || !strings.Contains(string(data), "0 2 * * * root timeout -k 180s 18300s /usr/local/bin/glusterdr run") {
		t.Fatalf("%s: %v\n%s", CronFile, err, data)
	}
	live, err := h.Read(ctx, "")
	want, _ := spec.Digest()
	if err != nil || live.Kind != Cron || live.Digest() != want || live.Header["binary"] != spec.Glusterdr {
		t.Errorf("read back: %+v, %v", live, err)
	}
	spec.RunTimeout = 6 * time.Hour
	if changed, err := h.Install(ctx, spec); err != nil || !changed {
		t.Errorf("install with a new run_timeout: changed %t, %v", changed, err)
	}
	for i, want := range []bool{true, false} {
		changed, err := h.Remove(ctx, Cron)
		if err != nil || changed != want {
			t.Fatalf("remove %d: changed %t, %v; want %t", i+1, changed, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, CronFile)); !os.IsNotExist(err) {
		t.Errorf("%s after remove: %v", CronFile, err)
	}
	if len(rec.calls) != 0 {
		t.Errorf("a cron trigger ran commands: %q", rec.calls)
	}
}

// TestInstallSystemd: the units are written and the timer enabled and
// started; a disabled timer is drift that install repairs; remove stops
// and disables it first.
func TestInstallSystemd(t *testing.T) {
	ctx := context.Background()
	h, rec, root := testHost(t, true)
	spec := testSpec(Systemd)
	if changed, err := h.Install(ctx, spec); err != nil || !changed {
		t.Fatalf("install: %t, %v", changed, err)
	}
	want := []string{"systemctl is-enabled glusterdr-nightly.timer", "systemctl daemon-reload",
		"systemctl enable --now glusterdr-nightly.timer", "systemctl restart glusterdr-nightly.timer"}
	if !reflect.DeepEqual(rec.calls, want[1:]) {
		t.Errorf("install ran %q, want %q", rec.calls, want[1:])
	}
	rec.calls = nil
	if changed, err := h.Install(ctx, spec); err != nil || changed || !reflect.DeepEqual(rec.calls, want[:1]) {
		t.Errorf("second install: %t, %v, ran %q", changed, err, rec.calls)
	}
	rec.enabled, rec.calls = false, nil // disabled behind our back
	if changed, err := h.Install(ctx, spec); err != nil || !changed || !reflect.DeepEqual(rec.calls, want) {
		t.Errorf("install over a disabled timer: %t, %v, ran %q", changed, err, rec.calls)
	}
	rec.calls = nil
	if changed, err := h.Remove(ctx, Systemd); err != nil || !changed {
		t.Fatalf("remove: %t, %v", changed, err)
	}
	if got := strings.Join(rec.calls, "; "); !strings.Contains(got, "systemctl disable --now glusterdr-nightly.timer; systemctl daemon-reload") {
		t.Errorf("remove ran %s", got)
	}
	for _, p := range Paths(Systemd) {
		if _, err := os.Stat(filepath.Join(root, p)); !os.IsNotExist(err) {
			t.Errorf("%s after remove: %v", p, err)
		}
	}
}

func TestResolve(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		systemd    bool
		galaxy     string
		kind, want string
		runner     string
	}{
		{systemd: false, want: Cron, runner: RunnerGlusterdr},
		{systemd: true, want: Systemd, runner: RunnerGlusterdr},
		{systemd: true, kind: Cron, want: Cron, galaxy: `{"/root/.ansible/collections/ansible_collections": {"glusterdr.dr": {"version": "0.1.0"}}}`, runner: RunnerPlaybook},
		{systemd: false, galaxy: `{"/usr/share/ansible/collections": {"gluster.gluster": {"version": "1.0.2"}}}`, want: Cron, runner: RunnerGlusterdr},
	} {
		h, rec, _ := testHost(t, c.systemd)
		rec.galaxy = c.galaxy
		spec := Spec{Kind: c.kind}
		if err := h.Resolve(ctx, &spec); err != nil || spec.Kind != c.want || spec.Runner != c.runner {
			t.Errorf("%+v: resolved to %s/%s, %v", c, spec.Kind, spec.Runner, err)
		}
	}
	h, rec, _ := testHost(t, false)
	spec := Spec{Kind: Systemd}
	err := h.Resolve(ctx, &spec)
	if err == nil || !strings.HasPrefix(err.Error(), `trigger = "systemd", but systemd is not running on ctl (no /run/systemd/system), so nothing was changed there`) {
		t.Errorf("systemd on a host without it: %v", err)
	}
	if len(rec.calls) != 0 {
		t.Errorf("a refused resolve ran %q", rec.calls)
	}
}

func TestWarnings(t *testing.T) {
	ctx := context.Background()
	h, _, root := testHost(t, false)
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc/timezone"), []byte("Europe/Berlin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &schedule.Schedule{Cron: "0 2 * * *", TimeZone: "UTC"}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	got := strings.Join(h.Warnings(ctx, testSpec(Cron), s, now), "\n")
	for _, want := range []string{"No cron daemon was found on ctl", "in the time zone of the controller, Europe/Berlin",
		"/usr/local/bin/glusterdr does not exist on ctl"} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
	for _, p := range []string{"usr/sbin/cron", "usr/local/bin/glusterdr"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s.TimeZone = "Europe/Berlin"
	if w := h.Warnings(ctx, testSpec(Cron), s, now); len(w) != 0 {
		t.Errorf("warnings on a controller that runs the trigger as meant: %q", w)
	}
}
