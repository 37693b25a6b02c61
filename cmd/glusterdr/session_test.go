package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/ssh"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lease"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// The fixtures are the real GlusterFS 10.3 captures kept beside the gluster
// client: session gv0 -> vm::gv1 on host "vm".
const fixtureDir = "../../internal/gluster/testdata"

func fixtureText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var fixtureRef = gluster.SessionRef{PrimaryVolume: "gv0", SecondaryHost: "vm", SecondaryVolume: "gv1"}

func TestParseSessionWant(t *testing.T) {
	tests := []struct {
		name    string
		state   string
		pairs   []string
		want    map[string]string
		wantErr string
	}{
		{name: "present without config", state: "present", want: map[string]string{}},
		{name: "dashes become underscores", state: "started", pairs: []string{"sync-method=tarssh", "sync_jobs=3"},
			want: map[string]string{"sync_method": "tarssh", "sync_jobs": "3"}},
		{name: "value may hold = and start with --", state: "stopped", pairs: []string{"rsync_options=--bwlimit=1000"},
			want: map[string]string{"rsync_options": "--bwlimit=1000"}},
		{name: "same pair twice is fine", state: "paused", pairs: []string{"sync_jobs=2", "sync-jobs=2"},
			want: map[string]string{"sync_jobs": "2"}},
		{name: "unknown state", state: "running", wantErr: `--state "running"`},
		{name: "action verb refused", state: "start", wantErr: "want one of present, started, stopped, paused, absent"},
		{name: "no equals sign", state: "present", pairs: []string{"sync_method"}, wantErr: "want key=value"},
		{name: "empty value", state: "present", pairs: []string{"sync_method="}, wantErr: "empty or spans lines"},
		{name: "multi-line value", state: "present", pairs: []string{"rsync_options=a\nb"}, wantErr: "empty or spans lines"},
		{name: "ssh_port is the target's", state: "present", pairs: []string{"ssh-port=2222"}, wantErr: "ssh_port: glusterdr manages it"},
		{name: "ssh_options are the pinning's", state: "present", pairs: []string{"ssh_options=-oStrictHostKeyChecking=no"}, wantErr: "manages it"},
		{name: "checkpoint is glusterdr checkpoint's", state: "present", pairs: []string{"checkpoint=now"}, wantErr: "manages it"},
		{name: "conflicting values", state: "present", pairs: []string{"sync_jobs=2", "sync-jobs=4"}, wantErr: "given twice"},
		{name: "config with absent", state: "absent", pairs: []string{"sync_jobs=2"}, wantErr: "no sense with --state absent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSessionWant(tt.state, tt.pairs)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to say %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got.Config) != fmt.Sprint(tt.want) || got.State != tt.state {
				t.Fatalf("got %+v, want state %s config %v", got, tt.state, tt.want)
			}
		})
	}
}

// fakeNode answers gluster commands on one host from the fixtures, keeps
// files in memory and records every command.
type fakeNode struct {
	t       *testing.T
	host    string
	mu      sync.Mutex
	calls   []string
	answer  func(argv string) (stdout string, rc int)
	files   map[string][]byte
	hostKey ssh.PublicKey
}

func (f *fakeNode) Host() string { return f.host }

func (f *fakeNode) Run(_ context.Context, cmd remote.Cmd) (remote.Result, error) {
	argv := strings.Join(cmd.Argv, " ")
	f.mu.Lock()
	f.calls = append(f.calls, argv)
	f.mu.Unlock()
	out, rc := f.answer(argv)
	res := remote.Result{Stdout: []byte(out), ExitCode: rc}
	if rc != 0 {
		return res, &remote.CommandError{Host: f.host, Argv: cmd.Argv, ExitCode: rc}
	}
	return res, nil
}

func (f *fakeNode) commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// The remote.Files half: only what session and checkpoint use.
func (f *fakeNode) WriteFile(_ context.Context, p string, r io.Reader, _ fs.FileMode) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[p] = b
	return nil
}

func (f *fakeNode) ReadFile(_ context.Context, p string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.files[p]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return b, nil
}

func (f *fakeNode) Remove(_ context.Context, p string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.files[p]; !ok {
		return fs.ErrNotExist
	}
	delete(f.files, p)
	return nil
}

func (f *fakeNode) MkdirAll(context.Context, string, fs.FileMode) error { return nil }
func (f *fakeNode) Open(context.Context, string) (io.ReadCloser, error) {
	return nil, fmt.Errorf("fake: Open")
}
func (f *fakeNode) Stat(context.Context, string) (fs.FileInfo, error) {
	return nil, fmt.Errorf("fake: Stat")
}
func (f *fakeNode) Lstat(context.Context, string) (fs.FileInfo, error) {
	return nil, fmt.Errorf("fake: Lstat")
}
func (f *fakeNode) ReadDir(context.Context, string) ([]fs.FileInfo, error) {
	return nil, fmt.Errorf("fake: ReadDir")
}
func (f *fakeNode) RemoveAll(_ context.Context, p string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for name := range f.files {
		if name == p || strings.HasPrefix(name, p+"/") {
			delete(f.files, name)
		}
	}
	return nil
}
func (f *fakeNode) Rename(context.Context, string, string) error {
	return fmt.Errorf("fake: Rename")
}

// fakeHosts is the one fake node "vm" that plays primary and secondary.
type fakeHosts struct{ n *fakeNode }

func (h fakeHosts) Runner(string) remote.Runner { return h.n }
func (h fakeHosts) Files(string) remote.Files   { return h.n }
func (h fakeHosts) HostKey(context.Context, string) (ssh.PublicKey, error) {
	return h.n.hostKey, nil
}

// fixtureSession is a fake "vm" whose session gv0 -> vm::gv1 is stopped,
// syncs with syncMethod, and is pinned when pinned is set. After a start
// its status reads running.
func fixtureSession(t *testing.T, syncMethod string, pinned bool) *fakeNode {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	n := &fakeNode{t: t, host: "vm", files: map[string][]byte{}, hostKey: key}
	config := strings.Replace(fixtureText(t, "georep-config.xml.out"), "<sync_method>rsync</sync_method>",
		"<sync_method>"+syncMethod+"</sync_method>", 1)
	if pinned {
		for _, k := range []struct{ key, pem string }{{"ssh_options", "secret.pem"}, {"ssh_options_tar", "tar_ssh.pem"}} {
			start := strings.Index(config, "<"+k.key+">")
			end := strings.Index(config, "</"+k.key+">")
			config = config[:start] + "<" + k.key + ">" + georep.SSHOptions(fixtureRef, k.pem) + config[end:]
		}
		n.files[georep.KnownHostsPath(fixtureRef)] = []byte(georep.KnownHostsLine("vm", 22, key) + "\n")
	}
	n.files[gluster.CommonSecretPub] = []byte(gsyncdLine + "\n" + tarLine + "\n")
	n.files[authorizedKeys] = []byte(gsyncdLine + "\n" + strings.Replace(tarLine, "tar ${", "tar -B -b 256 ${", 1) + "\n")
	started := false
	n.answer = func(argv string) (string, int) {
		if path, ok := strings.CutPrefix(argv, "cat "); ok {
			data, found := n.files[path]
			if !found {
				return "", 1
			}
			return string(data), 0
		}
		switch {
		case strings.HasSuffix(argv, "gv0 vm::gv1 status detail"):
			if started {
				return fixtureText(t, "georep-status-detail-running.xml.out"), 0
			}
			return fixtureText(t, "georep-status-detail-stopped.xml.out"), 0
		case strings.HasSuffix(argv, "gv0 vm::gv1 config"):
			return config, 0
		case strings.HasSuffix(argv, "volume get gv0 changelog.rollover-time"):
			return fixtureText(t, "volume-get-rollover-time.out"), 0
		case strings.HasSuffix(argv, "volume info gv1"), strings.HasSuffix(argv, "volume info gv0"):
			return fixtureText(t, "volume-info.xml.out"), 0
		case strings.HasSuffix(argv, "gv0 vm::gv1 start"):
			started = true
			return fixtureText(t, "georep-start.out"), 0
		case argv == "mkdir -- /var/glfs/global/backup/"+lease.DirName:
			return "", 0
		}
		t.Errorf("unexpected command: %s", argv)
		return "", 1
	}
	return n
}

// The primary's keys as gsec_create writes them; fixtureSession's
// authorized_keys holds them with the tar key tuned to 256.
const (
	gsyncdLine     = `command="/usr/lib/x86_64-linux-gnu/glusterfs/gsyncd" ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDgsyncd root@vm`
	tarLine        = `command="tar ${SSH_ORIGINAL_COMMAND#* }" ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDtarssh root@vm`
	authorizedKeys = "/root/.ssh/authorized_keys"
)

func testSessionCmd(n *fakeNode) *sessionCmd {
	return &sessionCmd{session: georep.Session{Hosts: fakeHosts{n}, Primary: "vm", Ref: fixtureRef, Log: slog.New(slog.DiscardHandler)}}
}

func testSchedule(t *testing.T) *schedule.Schedule {
	return &schedule.Schedule{LockFile: filepath.Join(t.TempDir(), "run.lock"), Primary: schedule.Primary{Node: "vm", BackupDir: "/var/glfs/global/backup"}}
}

// mutating reports the commands that would change the session (reading a
// volume option and taking the lease are not).
func mutating(cmds []string) []string {
	var out []string
	for _, c := range cmds {
		if !strings.HasSuffix(c, " status detail") && !strings.HasSuffix(c, " config") && !strings.Contains(c, " volume info ") && !strings.Contains(c, " volume get ") &&
			!strings.HasPrefix(c, "mkdir -- ") && !strings.HasPrefix(c, "cat ") {
			out = append(out, c)
		}
	}
	return out
}

func TestSessionPlanChangesNothing(t *testing.T) {
	n := fixtureSession(t, "rsync", false)
	want := sessionWant{State: "started", Config: map[string]string{"sync_method": "tarssh"}}
	res := &sessionResult{Plan: true}
	if err := testSessionCmd(n).run(context.Background(), testSchedule(t), want, res); err != nil {
		t.Fatal(err)
	}
	if m := mutating(n.commands()); len(m) > 0 {
		t.Fatalf("--plan ran commands that change things: %q", m)
	}
	wantChanges := []sessionChange{
		{What: georep.ChangePin, Key: "ssh_options"},
		{What: georep.ChangeConfig, Key: "sync_method", From: "rsync", To: "tarssh"},
		{What: georep.ChangeState, From: "stopped", To: "started"},
	}
	if !res.Changed || !slices.Equal(res.Changes, wantChanges) {
		t.Fatalf("changed %v, changes %+v; want %+v", res.Changed, res.Changes, wantChanges)
	}
	if res.Before.State != "stopped" || res.Before.Pinned || res.Before.Config["sync_method"] != "rsync" {
		t.Fatalf("before = %+v", res.Before)
	}
	if res.After.State != "started" || !res.After.Pinned || res.After.Config["sync_method"] != "tarssh" {
		t.Fatalf("predicted after = %+v", res.After)
	}
}

func TestSessionSetsTheTarBlockingFactor(t *testing.T) {
	n := fixtureSession(t, "tarssh", true)
	res := &sessionResult{}
	want := sessionWant{State: "stopped", TarBlocking: gluster.DefaultTarBlocking}
	if err := testSessionCmd(n).run(context.Background(), testSchedule(t), want, res); err != nil {
		t.Fatal(err)
	}
	wantChanges := []sessionChange{{What: georep.ChangeTarBlocking, Key: georep.ChangeTarBlocking, From: "256", To: "20"}}
	if !slices.Equal(res.Changes, wantChanges) {
		t.Fatalf("changes %+v; want %+v", res.Changes, wantChanges)
	}
	if got := string(n.files[authorizedKeys]); got != gsyncdLine+"\n"+tarLine+"\n" {
		t.Errorf("authorized_keys:\n%s\nwant push-pem's own lines back", got)
	}
	if f := res.After.TarBlockingFactor; f == nil || *f != gluster.DefaultTarBlocking {
		t.Errorf("read back %v", f)
	}
}

func TestTarBlockingFlag(t *testing.T) {
	for _, bad := range []int{0, -1, 4097} {
		if _, err := tarBlockingFlag(bad); err == nil || !strings.Contains(err.Error(), "--tar-blocking-factor") {
			t.Errorf("%d: %v; want an error naming the flag", bad, err)
		}
	}
	if n, err := tarBlockingFlag(256); err != nil || n != 256 {
		t.Errorf("256: %d, %v", n, err)
	}
}

func TestSessionAlreadyAsDeclared(t *testing.T) {
	n := fixtureSession(t, "tarssh", true)
	res := &sessionResult{}
	want := sessionWant{State: "stopped", Config: map[string]string{"sync_method": "tarssh", "sync_jobs": "3"}}
	if err := testSessionCmd(n).run(context.Background(), testSchedule(t), want, res); err != nil {
		t.Fatal(err)
	}
	if res.Changed || len(res.Changes) != 0 {
		t.Fatalf("changed %v with %+v; want nothing to do", res.Changed, res.Changes)
	}
	if m := mutating(n.commands()); len(m) > 0 {
		t.Fatalf("ran commands that change things: %q", m)
	}
	if !res.Before.Pinned || !res.After.Pinned || len(res.After.Workers) != 1 || res.After.Workers[0].Status != "Stopped" {
		t.Fatalf("before %+v after %+v", res.Before, res.After)
	}
}

func TestSessionStartsAndReadsBack(t *testing.T) {
	n := fixtureSession(t, "tarssh", true)
	res := &sessionResult{}
	sched := testSchedule(t)
	if err := testSessionCmd(n).run(context.Background(), sched, sessionWant{State: "started"}, res); err != nil {
		t.Fatal(err)
	}
	if m := mutating(n.commands()); len(m) != 1 || !strings.HasSuffix(m[0], "gv0 vm::gv1 start") {
		t.Fatalf("changing commands %q; want just the start", m)
	}
	if !res.Changed || res.Before.State != "stopped" || res.After.State != "started" || res.After.Status != "up" {
		t.Fatalf("changed %v, before %s, after %s (%s)", res.Changed, res.Before.State, res.After.State, res.After.Status)
	}
	if _, err := os.Stat(sched.LockFile); err != nil {
		t.Fatalf("the run lock was not taken: %v", err)
	}
	var buf bytes.Buffer
	if err := printJSON(&buf, res); err != nil {
		t.Fatal(err)
	}
	var shape map[string]any
	if err := json.Unmarshal(buf.Bytes(), &shape); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"target", "session", "state", "plan", "changed", "changes", "before", "after"} {
		if _, ok := shape[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, buf.String())
		}
	}
	w := shape["after"].(map[string]any)["workers"].([]any)[0].(map[string]any)
	if w["status"] != "Active" || w["last_synced"] == nil {
		t.Errorf("worker as JSON: %v", w)
	}
}

func TestSessionRefusesWhileARunHoldsTheLock(t *testing.T) {
	n := fixtureSession(t, "tarssh", true)
	sched := testSchedule(t)
	held, err := acquireForTest(sched.LockFile)
	if err != nil {
		t.Fatal(err)
	}
	defer held()
	err = testSessionCmd(n).run(context.Background(), sched, sessionWant{State: "started"}, &sessionResult{})
	if err == nil || !strings.Contains(err.Error(), "another run holds the lock") {
		t.Fatalf("error = %v; want the lock refusal", err)
	}
	if len(n.commands()) != 0 {
		t.Fatalf("ran %q while the lock was held", n.commands())
	}
}

func TestSessionCommandFlags(t *testing.T) {
	root := newRootCommandForTest(newSessionCommand)
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs([]string{"session", "--schedule", "/nonexistent.hcl", "--target", "sdsc", "--state", "start"})
	err := root.Execute()
	if err == nil || !strings.Contains(err.Error(), "want one of present, started, stopped, paused, absent") {
		t.Fatalf("error = %v", err)
	}
	root = newRootCommandForTest(newSessionCommand)
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs([]string{"session", "--schedule", "/nonexistent.hcl", "--state", "present"})
	if err := root.Execute(); err == nil || !strings.Contains(err.Error(), "target") {
		t.Fatalf("a missing --target: error = %v", err)
	}
}

// acquireForTest holds the run lock as another run would, until release.
func acquireForTest(path string) (release func(), err error) {
	l, err := runlock.Acquire(path, "glusterdr run --step replicate")
	if err != nil {
		return nil, err
	}
	return func() { _ = l.Release() }, nil
}

// newRootCommandForTest is a root command with the shared flags and one
// command under it.
func newRootCommandForTest(newCmd func(*globals) *cobra.Command) *cobra.Command {
	g := &globals{}
	root := &cobra.Command{Use: "glusterdr", SilenceUsage: true, SilenceErrors: true}
	root.PersistentFlags().BoolVar(&g.json, "json", false, "")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "error", "")
	root.AddCommand(newCmd(g))
	return root
}
