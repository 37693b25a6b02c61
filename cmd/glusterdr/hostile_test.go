//go:build lab

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/hostile"
)

// TestHostileInput runs the catalogue of hostile values (internal/hostile)
// through two faces of the CLI: every flag that reaches a host or the file
// system, and every attribute of the schedule file. The third face,
// `terraform plan`, is provider/hostile_acc_test.go. Each value that the
// flag's or attribute's kind refuses must end the command with a diagnostic
// naming the flag (a usage error, exit 2) or the attribute (exit 1, the
// schedule has errors), before anything is dialled or written; each value
// the kind takes must pass. No file may appear under /tmp: the test runs in
// a /tmp of its own, snapshotted before and after each face.
func TestHostileInput(t *testing.T) {
	if !hostile.InPrivateTmp(t) {
		return
	}
	bin := glusterdrBinary(t)
	t.Run("flags", func(t *testing.T) {
		before := hostile.TmpSnapshot(t)
		hostileFlags(t, bin)
		hostile.CheckTmp(t, "flags", before)
	})
	t.Run("schedule file", func(t *testing.T) {
		before := hostile.TmpSnapshot(t)
		hostileScheduleFile(t, bin)
		hostile.CheckTmp(t, "schedule file", before)
	})
}

// cliField is a flag (or an argument) and the kind of value it takes.
type cliField struct {
	flag   string // without "--"; "DIR" for man's argument
	kind   hostile.Kind
	bounds hostile.Bounds // kind Count
	// arg is how a value is given, e.g. "rsync_options=" + v for --config;
	// nil: as it is.
	arg func(string) string
}

// cliFields are the flags whose values reach a host or the file system,
// and the global ones. The list is checked against the commands' flags
// (TestHostileInput fails when a flag is neither here nor in
// cliFlagsWithoutInput), so a new flag cannot escape the catalogue.
var cliFields = []cliField{
	{flag: "schedule", kind: hostile.LocalPath},
	{flag: "output", kind: hostile.LocalPath},
	{flag: "html", kind: hostile.LocalPath},
	{flag: "bench", kind: hostile.LocalPath},
	{flag: "DIR", kind: hostile.LocalPath},
	{flag: "NODE", kind: hostile.Host},
	{flag: "glusterdr", kind: hostile.Path},
	{flag: "target", kind: hostile.TargetName},
	{flag: "site", kind: hostile.TargetName},
	{flag: "from", kind: hostile.TargetName},
	{flag: "set", kind: hostile.SetID},
	{flag: "path", kind: hostile.Subtree},
	{flag: "etcd-data-dir", kind: hostile.LocalPath},
	{flag: "etcd-name", kind: hostile.EtcdName},
	{flag: "etcd-peer-url", kind: hostile.Endpoint},
	{flag: "etcd-initial-cluster", kind: hostile.EtcdCluster},
	{flag: "step", kind: hostile.Enum},
	{flag: "state", kind: hostile.Enum},
	{flag: "trigger", kind: hostile.Enum},
	{flag: "runner", kind: hostile.Enum},
	{flag: "log-level", kind: hostile.Enum},
	{flag: "log-format", kind: hostile.Enum},
	{flag: "timeout", kind: hostile.Duration},
	{flag: "config", kind: hostile.ConfigKey, arg: func(v string) string { return v + "=tarssh" }},
	{flag: "config", kind: hostile.ConfigValue, arg: func(v string) string { return "rsync_options=" + v }},
	{flag: "files", kind: hostile.Count, bounds: hostile.Bounds{Min: 1, Max: maxBenchFiles}},
	{flag: "size", kind: hostile.Count, bounds: hostile.Bounds{Min: 1, Max: maxBenchFileSize}},
	{flag: "instance", kind: hostile.Count, bounds: hostile.Bounds{Min: 0, Max: 2}},
	{flag: "tar-blocking-factor", kind: hostile.Count, bounds: hostile.Bounds{Min: 1, Max: gluster.MaxTarBlocking}},
}

// cliFlagsWithoutInput are the flags that take no value a user could make
// hostile: switches.
var cliFlagsWithoutInput = []string{"help", "version", "json", "plan", "yes", "dry-run", "resume", "no-primary",
	"apply", "primary-down", "reset-sync-time", "checksum", "due", "reopen"}

// cliValid are valid values of the flags a command requires (cobra refuses
// a command line without them) and of its arguments, given besides the
// flag under test.
var cliValid = map[string]string{
	"target": "sdsc", "site": "sdsc", "from": "sdsc", "set": "20261125T020000Z-sdsc",
	"NODE": "tacc1", "DIR": "man",
}

// cliCase is one command line of the flags face.
type cliCase struct {
	command  []string // the command's path, without "glusterdr"
	flags    []string // every flag the command takes
	required []string // the flags it requires
	argNames []string // its arguments, as its Use names them: DIR, NODE
	field    cliField
}

func hostileFlags(t *testing.T, bin string) {
	file, _ := writeSchedule(t)
	cases := cliCases(t)
	var refused, accepted, notCarried int
	for _, c := range cases {
		for _, v := range hostile.Values {
			args := c.args(file, c.field.give(v.Text))
			name := fmt.Sprintf("%s --%s %s", strings.Join(c.command, " "), c.field.flag, v.Name)
			switch {
			case v.NUL():
				refuseNUL(t, bin, name, args)
				notCarried++
			case c.field.kind != hostile.Count && v.ValidFor(c.field.kind): // a number flag refuses every string
				acceptArgs(t, name, args)
				accepted++
			default:
				refuseArgs(t, bin, name, args, c.field)
				refused++
			}
		}
		if c.field.kind != hostile.Count {
			continue
		}
		for _, n := range hostile.Counts {
			args := c.args(file, strconv.FormatInt(n.N, 10))
			name := fmt.Sprintf("%s --%s %s", strings.Join(c.command, " "), c.field.flag, n.Name)
			if c.field.bounds.Takes(n.N) {
				acceptArgs(t, name, args)
				accepted++
			} else {
				refuseArgs(t, bin, name, args, c.field)
				refused++
			}
		}
	}
	t.Logf("flags face: %d command/flag pairs, %d string values and %d numbers: %d refused, %d accepted, %d that argv cannot carry (NUL)",
		len(cases), len(hostile.Values), len(hostile.Counts), refused, accepted, notCarried)
}

func (f cliField) give(v string) string {
	if f.arg != nil {
		return f.arg(v)
	}
	return v
}

// args is the command line that gives v to the field, with --schedule and
// the command's required flags set to valid values.
func (c cliCase) args(schedule, v string) []string {
	args := slices.Clone(c.command)
	positional := []string{"--"}
	for _, name := range c.argNames {
		if name == c.field.flag {
			positional = append(positional, v)
		} else {
			positional = append(positional, cliValid[name])
		}
	}
	if slices.Contains(c.argNames, c.field.flag) {
		return append(args, positional...)
	}
	for _, flag := range c.required {
		if flag != c.field.flag {
			args = append(args, "--"+flag+"="+cliValid[flag])
		}
	}
	if c.field.flag != "schedule" && c.has("schedule") {
		args = append(args, "--schedule="+schedule)
	}
	return append(append(args, "--"+c.field.flag+"="+v), positional...)
}

func (c cliCase) has(flag string) bool { return slices.Contains(c.flags, flag) }

// cliCases pairs every command with every flag of cliFields it takes, and
// fails for a flag that is in neither list. --log-level and --log-format,
// which every command inherits from the root, are tried on one command.
func cliCases(t *testing.T) []cliCase {
	root, _ := newRootCommand()
	var cases []cliCase
	for _, c := range commands(root) {
		if c != root && (c.PersistentPreRunE != nil || c.PersistentPreRun != nil) {
			t.Errorf("%s has a PersistentPreRun of its own, which would skip the root's flag checks", c.CommandPath())
		}
		if c.RunE == nil {
			continue
		}
		path := strings.Fields(c.CommandPath())[1:]
		argNames := useArguments(c.Use)
		for _, name := range argNames {
			if len(fieldsNamed(name)) == 0 {
				t.Errorf("%s: the argument %s is not in the catalogue's flags (cliFields)", c.CommandPath(), name)
				continue
			}
			cases = append(cases, cliCase{command: path, argNames: argNames, field: fieldsNamed(name)[0]})
		}
		var names, required []string
		add := func(f *pflag.Flag) {
			if !slices.Contains(names, f.Name) {
				names = append(names, f.Name)
			}
			if _, ok := f.Annotations[cobra.BashCompOneRequiredFlag]; ok {
				if _, known := cliValid[f.Name]; !known {
					t.Errorf("%s requires --%s, which has no valid value in cliValid", c.CommandPath(), f.Name)
				}
				required = append(required, f.Name)
			}
		}
		c.LocalFlags().VisitAll(add)
		c.InheritedFlags().VisitAll(add)
		for _, name := range names {
			if slices.Contains(cliFlagsWithoutInput, name) {
				continue
			}
			fields := fieldsNamed(name)
			if len(fields) == 0 {
				t.Errorf("%s --%s is not in the catalogue's flags (cliFields) nor among the switches", c.CommandPath(), name)
			}
			if (name == "log-level" || name == "log-format") && strings.Join(path, " ") != "status" {
				continue
			}
			for _, field := range fields {
				cases = append(cases, cliCase{command: path, flags: names, required: required, argNames: argNames, field: field})
			}
		}
	}
	return cases
}

// useArguments are the arguments a command's Use line names ("man DIR"),
// not the values of the flags it shows ("restore --from SITE").
func useArguments(use string) []string {
	words := strings.Fields(use)[1:]
	var out []string
	for i, w := range words {
		if !strings.HasPrefix(w, "-") && (i == 0 || !strings.HasPrefix(words[i-1], "-")) {
			out = append(out, w)
		}
	}
	return out
}

func fieldsNamed(flag string) []cliField {
	var out []cliField
	for _, f := range cliFields {
		if f.flag == flag {
			out = append(out, f)
		}
	}
	return out
}

// refuseArgs runs the binary and requires a usage error that names the
// flag, and nothing on stdout.
func refuseArgs(t *testing.T, bin, name string, args []string, f cliField) {
	t.Helper()
	code, stdout, stderr, err := runBinary(bin, args)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	want := "--" + f.flag
	if f.flag == strings.ToUpper(f.flag) {
		want = f.flag + ":" // an argument
	}
	if code != exitUsage || !strings.HasPrefix(stderr, "Error: ") || !strings.Contains(firstLine(stderr), want) {
		t.Errorf("%s: exit %d, want %d (usage) with an error naming %s; stderr:\n%.600s", name, code, exitUsage, want, stderr)
	}
	if stdout != "" {
		t.Errorf("%s: printed on stdout: %.200s", name, stdout)
	}
}

// refuseNUL: no command line can carry a NUL byte, so the value cannot
// reach glusterdr at all; the exec itself refuses it.
func refuseNUL(t *testing.T, bin, name string, args []string) {
	t.Helper()
	_, _, _, err := runBinary(bin, args)
	if err == nil || !strings.Contains(err.Error(), "invalid argument") {
		t.Errorf("%s: a NUL byte reached glusterdr's command line (err %v)", name, err)
	}
}

// acceptArgs runs the command line in this process with every command's
// RunE stubbed out, so that a value the flag's kind takes is shown to pass
// the checks without the command doing anything (a path of "/" would write
// manual pages into /).
func acceptArgs(t *testing.T, name string, args []string) {
	t.Helper()
	root, _ := newRootCommand()
	for _, c := range commands(root) {
		if c.RunE != nil {
			c.RunE = func(*cobra.Command, []string) error { return nil }
		}
	}
	root.SetArgs(args)
	root.SetOut(new(bytes.Buffer))
	root.SetErr(new(bytes.Buffer))
	if err := markUsageErrors(root, root.Execute); err != nil {
		t.Errorf("%s: a value the flag takes was refused: %v", name, err)
	}
}

func runBinary(bin string, args []string) (code int, stdout, stderr string, err error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "GLUSTERDR_SCHEDULE=")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String(), errOut.String(), nil
	}
	return 0, out.String(), errOut.String(), err
}
