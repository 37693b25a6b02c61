package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
	"github.com/glusterdr/terraform-provider-gluster/internal/version"
)

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

// glusterdrBinary builds this command once per test binary, so that the
// tests below see what a shell or cron sees: the exit status and the bytes
// on stdout and stderr.
func glusterdrBinary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "glusterdr-exit-")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "glusterdr")
		if out, err := exec.Command("go", "build", "-o", binaryPath, ".").CombinedOutput(); err != nil {
			binaryErr = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatalf("building glusterdr: %v", binaryErr)
	}
	return binaryPath
}

type invocation struct {
	stdout, stderr string
	code           int
}

func invoke(t *testing.T, args ...string) invocation {
	t.Helper()
	cmd := exec.Command(glusterdrBinary(t), args...)
	cmd.Env = append(os.Environ(), "GLUSTERDR_SCHEDULE=")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	inv := invocation{stdout: out.String(), stderr: errOut.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		inv.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running glusterdr %v: %v", args, err)
	}
	return inv
}

// errorDocument is what a failed command prints on stdout with --json.
type errorDocument struct {
	Error *errorBody `json:"error"`
}

func (inv invocation) errorDoc(t *testing.T) errorBody {
	t.Helper()
	var doc errorDocument
	if err := json.Unmarshal([]byte(inv.stdout), &doc); err != nil || doc.Error == nil {
		t.Fatalf("stdout is not a JSON error document (%v):\n%s\nstderr:\n%s", err, inv.stdout, inv.stderr)
	}
	return *doc.Error
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"bogus"},
		{"run", "--bogus"},
		{"status", "extra-argument"},
		{"status", "--log-format", "xml"},
		{"status", "--log-level", "loud"},
		{"man"},
		{"retention", "--apply=maybe"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			inv := invoke(t, args...)
			if inv.code != exitUsage {
				t.Fatalf("exit %d, want %d (usage)\nstderr:\n%s", inv.code, exitUsage, inv.stderr)
			}
			if !strings.HasPrefix(inv.stderr, "Error: ") || !strings.Contains(inv.stderr, "--help' for usage.") {
				t.Errorf("stderr does not say the error and where help is:\n%s", inv.stderr)
			}
			if inv.stdout != "" {
				t.Errorf("a usage error without --json printed on stdout:\n%s", inv.stdout)
			}
		})
	}
	// The flag that names the problem is in the message.
	if inv := invoke(t, "status", "--log-format", "xml"); !strings.Contains(inv.stderr, `--log-format "xml": want text or json`) {
		t.Errorf("stderr: %s", inv.stderr)
	}
}

func TestUsageErrorWithJSON(t *testing.T) {
	// --json after the bad flag is never parsed; the document is printed all the same.
	inv := invoke(t, "run", "--bogus", "--json")
	doc := inv.errorDoc(t)
	if inv.code != exitUsage || doc.Kind != kindUsage || doc.ExitCode != exitUsage || doc.Message != "unknown flag: --bogus" {
		t.Errorf("exit %d, document %+v", inv.code, doc)
	}
}

func TestVersionIsTheRelease(t *testing.T) {
	inv := invoke(t, "--version")
	if inv.code != 0 || strings.TrimSpace(inv.stdout) != "glusterdr version "+version.Release {
		t.Errorf("--version exited %d and printed %q, want %q", inv.code, inv.stdout, "glusterdr version "+version.Release)
	}
}

// lockedSchedule writes a schedule whose run lock this test process holds,
// as a run started by cron would.
func lockedSchedule(t *testing.T) (file string, holder int) {
	t.Helper()
	file, state := writeSchedule(t)
	lock, err := runlock.Acquire(filepath.Join(state, "run.lock"), "glusterdr run --schedule "+file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lock.Release() })
	return file, os.Getpid()
}

func TestHeldLockExitsTempFail(t *testing.T) {
	file, pid := lockedSchedule(t)
	for _, args := range [][]string{
		{"run", "--schedule", file},
		{"retention", "--schedule", file, "--apply"},
	} {
		t.Run(args[0], func(t *testing.T) {
			inv := invoke(t, args...)
			if inv.code != exitLocked {
				t.Fatalf("exit %d, want %d (EX_TEMPFAIL)\nstderr:\n%s", inv.code, exitLocked, inv.stderr)
			}
			want := fmt.Sprintf("another run holds the lock %s: PID %d", filepath.Join(filepath.Dir(file), "state", "run.lock"), pid)
			if !strings.Contains(inv.stderr, want) {
				t.Errorf("stderr does not name the holder (%q):\n%s", want, inv.stderr)
			}
		})
	}
}

// TestHeldLockRunJSON: run prints its report with --json; the error object
// takes the place of the report's error string, and the report is still there.
func TestHeldLockRunJSON(t *testing.T) {
	file, pid := lockedSchedule(t)
	inv := invoke(t, "run", "--schedule", file, "--json")
	var doc struct {
		Error errorBody         `json:"error"`
		OK    *bool             `json:"ok"`
		Sets  []drrun.SetReport `json:"sets"`
		Step  string            `json:"step"`
	}
	if err := json.Unmarshal([]byte(inv.stdout), &doc); err != nil {
		t.Fatalf("stdout is not one JSON document (%v):\n%s", err, inv.stdout)
	}
	e := doc.Error
	if inv.code != exitLocked || e.Kind != kindLocked || e.ExitCode != exitLocked || e.Holder == nil || e.Holder.PID != pid {
		t.Errorf("exit %d, error %+v", inv.code, e)
	}
	if !strings.Contains(e.Message, "another run holds the lock") {
		t.Errorf("message: %q", e.Message)
	}
	if doc.OK == nil || *doc.OK || doc.Step != "all" || doc.Sets == nil || len(doc.Sets) != 0 {
		t.Errorf("the run report is not all there: ok %v step %q sets %v\n%s", doc.OK, doc.Step, doc.Sets, inv.stdout)
	}
	if !strings.HasPrefix(inv.stdout, "{\n  \"error\": {") {
		t.Errorf("the error does not come first:\n%s", inv.stdout)
	}
}

// TestEveryCommandPrintsAJSONError: with --json, a failure of any command
// prints one JSON document with the error on stdout, even from a command
// that never got as far as its report.
func TestEveryCommandPrintsAJSONError(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-schedule.hcl")
	root, _ := newRootCommand()
	for _, c := range commands(root) {
		if c.Flags().Lookup("schedule") == nil {
			continue
		}
		path := strings.Fields(c.CommandPath())[1:]
		t.Run(strings.Join(path, "-"), func(t *testing.T) {
			args := append(path, "--schedule", missing, "--json")
			for _, name := range []string{"target", "site", "from"} {
				if c.Flags().Lookup(name) != nil {
					args = append(args, "--"+name, "sdsc")
				}
			}
			if c.Flags().Lookup("set") != nil && c.Name() == "restore" {
				args = append(args, "--set", "20261125T020000Z-sdsc")
			}
			inv := invoke(t, args...)
			doc := inv.errorDoc(t)
			if inv.code != exitFailed || doc.Kind != kindFailed || doc.ExitCode != exitFailed || !strings.Contains(doc.Message, missing) {
				t.Errorf("exit %d, document %+v", inv.code, doc)
			}
			if !strings.Contains(inv.stderr, "Error: reading the schedule") {
				t.Errorf("stderr: %s", inv.stderr)
			}
		})
	}
}

// TestJSONLogFormat: --log-format json makes every log line on stderr one
// JSON object, here the schedule's warning about a disabled sample.
func TestJSONLogFormat(t *testing.T) {
	file, _ := writeSchedule(t)
	src, _ := os.ReadFile(file)
	if err := os.WriteFile(file, append([]byte("sample_files = 0\n"), src...), 0o644); err != nil {
		t.Fatal(err)
	}
	inv := invoke(t, "status", "--schedule", file, "--log-format", "json", "--json")
	if inv.code != 0 {
		t.Fatalf("exit %d:\n%s", inv.code, inv.stderr)
	}
	lines := strings.Split(strings.TrimSpace(inv.stderr), "\n")
	found := false
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("log line is not JSON (%v): %s", err, l)
		}
		found = found || rec["level"] == "WARN" && strings.Contains(fmt.Sprint(rec["msg"]), "Sampling Disabled")
	}
	if !found {
		t.Errorf("no JSON record of the sampling warning:\n%s", inv.stderr)
	}
	if text := invoke(t, "status", "--schedule", file); !strings.Contains(text.stderr, "level=WARN msg=") {
		t.Errorf("the default log format is not key=value text:\n%s", text.stderr)
	}
}

func TestClassify(t *testing.T) {
	damaged := &drrun.DamagedError{Target: "sdsc", Problem: "the copy at sdsc is not what was sent"}
	held := &runlock.HeldError{Path: "/run.lock"}
	for _, tc := range []struct {
		name string
		err  error
		code int
		kind string
	}{
		{"ok", nil, exitOK, ""},
		{"plain", errors.New("ssh: connection refused"), exitFailed, kindFailed},
		{"usage", &usageError{errors.New("unknown flag")}, exitUsage, kindUsage},
		{"verify step", &drrun.StepError{Set: "x", Step: "verify", Err: damaged}, exitDamaged, kindDamaged},
		{"verify command", damaged, exitDamaged, kindDamaged},
		{"drill", fmt.Errorf("sdsc: %w", fmt.Errorf("%w at sdsc for set x", drill.ErrFailed)), exitDamaged, kindDamaged},
		{"damaged beside a failure", errors.Join(errors.New("tacc: unreachable"), damaged), exitDamaged, kindDamaged},
		{"could not verify", &drrun.StepError{Set: "x", Step: "verify", Err: errors.New("mounting the copy: refused")}, exitFailed, kindFailed},
		{"locked", fmt.Errorf("run: %w", held), exitLocked, kindLocked},
	} {
		code, kind := classify(tc.err)
		if code != tc.code || kind != tc.kind {
			t.Errorf("%s: %d %q, want %d %q", tc.name, code, kind, tc.code, tc.kind)
		}
	}
}

// TestDamagedRunDocument: the document of a run whose verification found
// the copy damaged, as main prints it: the report in its order, with the
// error object (exit code 3, the step and the set) in place of the string.
func TestDamagedRunDocument(t *testing.T) {
	err := &drrun.StepError{Set: "20261125T020000Z-sdsc", Step: "verify",
		Err: &drrun.DamagedError{Target: "sdsc", Problem: "the copy at sdsc (read on dr-1) is not what was sent: <1 problem>"}}
	rep := &drrun.Report{Step: "all", OK: false, Changed: true, FailedStep: "verify", Error: err.Error(), Sets: []drrun.SetReport{}}
	var held bytes.Buffer
	if perr := printJSON(&held, rep); perr != nil {
		t.Fatal(perr)
	}
	out, werr := withError(held.Bytes(), newErrorBody(err))
	if werr != nil {
		t.Fatal(werr)
	}
	var doc struct {
		Error      errorBody `json:"error"`
		FailedStep string    `json:"failed_step"`
		Changed    bool      `json:"changed"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	want := errorBody{Message: err.Error(), Kind: kindDamaged, ExitCode: exitDamaged, Step: "verify", Set: "20261125T020000Z-sdsc"}
	if doc.Error != want || doc.FailedStep != "verify" || !doc.Changed {
		t.Errorf("document:\n%s", out)
	}
	if strings.Count(string(out), `"error"`) != 1 || !strings.Contains(string(out), "<1 problem>") {
		t.Errorf("the error is not once, unescaped:\n%s", out)
	}
	if i, j := strings.Index(string(out), `"step"`), strings.Index(string(out), `"changed"`); i < 0 || j < i {
		t.Errorf("the report's members are out of order:\n%s", out)
	}
}

func TestWithErrorShapes(t *testing.T) {
	b := errorBody{Message: "m", Kind: kindFailed, ExitCode: exitFailed}
	for _, tc := range []struct{ name, doc, want string }{
		{"nothing printed", "", `{"error":{"message":"m","kind":"failed","exit_code":1}}`},
		{"object", "{\n  \"a\": 1,\n  \"error\": \"old\",\n  \"b\": [2]\n}\n", `{"error":{"message":"m","kind":"failed","exit_code":1},"a":1,"b":[2]}`},
		{"list", "[\n  {\"passed\": false}\n]\n", `{"error":{"message":"m","kind":"failed","exit_code":1},"result":[{"passed":false}]}`},
	} {
		out, err := withError([]byte(tc.doc), b)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, out); err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, out)
		}
		if compact.String() != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, compact.String(), tc.want)
		}
	}
}

// TestEveryCommandHasAnExample: --help and the man pages show one for each.
func TestEveryCommandHasAnExample(t *testing.T) {
	root, _ := newRootCommand()
	for _, c := range commands(root) {
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%q has no Example", c.CommandPath())
		}
	}
}

// commands lists root and every command under it.
func commands(c *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{c}
	for _, sub := range c.Commands() {
		out = append(out, commands(sub)...)
	}
	return out
}

// runDocument is what a failed `run --json` prints: the report, with the
// error object in place of its error string.
type runDocument struct {
	drrun.Report
	Error errorBody `json:"error"`
}

// drillDocument is what a failed `restore-drill --json` prints: the list of
// reports under "result".
type drillDocument struct {
	Error  errorBody      `json:"error"`
	Result []drill.Report `json:"result"`
}
