package provider

import (
	"bytes"
	"fmt"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

// cronJob reads an /etc/cron.d entry as cron does: its variable lines, and
// the command of its one job (after the 5 fields, or the @descriptor, and
// the user), with cron's \% turned back into %.
func cronJob(content string) (env []string, command string, err error) {
	var jobs []string
	for _, line := range strings.Split(content, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case isCronVariable(trimmed):
			env = append(env, trimmed)
		default:
			jobs = append(jobs, trimmed)
		}
	}
	if len(jobs) != 1 {
		return nil, "", fmt.Errorf("%d job lines, want 1:\n%s", len(jobs), content)
	}
	skip := 6 // minute hour day-of-month month day-of-week user
	if strings.HasPrefix(jobs[0], "@") {
		skip = 2
	}
	rest := jobs[0]
	for i := 0; i < skip; i++ {
		rest = strings.TrimLeft(rest, " \t")
		end := strings.IndexAny(rest, " \t")
		if end < 0 {
			return nil, "", fmt.Errorf("job line %q has fewer than %d fields", jobs[0], skip+1)
		}
		rest = rest[end:]
	}
	rest = strings.TrimSpace(rest)
	if strings.Contains(strings.ReplaceAll(rest, `\%`, ""), "%") {
		return nil, "", fmt.Errorf("job line %q has an unescaped %%, which cron turns into a newline", jobs[0])
	}
	return env, strings.ReplaceAll(rest, `\%`, "%"), nil
}

func isCronVariable(line string) bool {
	name, _, ok := strings.Cut(line, "=")
	return ok && name != "" && !strings.ContainsAny(name, " \t*@")
}

// TestCronEntryRunsTheArgv: the job of a rendered cron entry, read as
// cron reads it and run by sh, is exactly the trigger's argv, whatever
// characters the paths hold.
func TestCronEntryRunsTheArgv(t *testing.T) {
	for _, spec := range []triggerSpec{
		{Kind: triggerCron, Runner: runnerGlusterdr, Glusterdr: "/usr/local/bin/glusterdr", Schedule: "/etc/glusterdr/schedule.hcl", Cron: "0 2 * * *", TimeZone: "UTC"},
		{Kind: triggerCron, Runner: runnerGlusterdr, Glusterdr: "/opt/it's 100% $(reboot)/glusterdr", Schedule: "/etc/a b/`x`;.hcl", Cron: "@daily", TimeZone: "UTC"},
		{Kind: triggerCron, Runner: runnerPlaybook, Glusterdr: "/opt/50%/glusterdr", Schedule: "/etc/\"q\".hcl", Cron: "*/5 1 * * 1-5", TimeZone: "UTC"},
	} {
		files, err := spec.files()
		if err != nil {
			t.Fatal(err)
		}
		env, command, err := cronJob(files[0].Content)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(env, []string{"SHELL=/bin/sh", "PATH=" + triggerPath, "CRON_TZ=UTC"}) {
			t.Errorf("variables = %q", env)
		}
		// sh parses the command into words; print them NUL-separated.
		cmd := exec.Command("/bin/sh", "-c", `eval "set -- $1"; printf '%s\000' "$@"`, "sh", command)
		var out bytes.Buffer
		cmd.Stdout = &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("sh: %v", err)
		}
		got := strings.Split(strings.TrimSuffix(out.String(), "\x00"), "\x00")
		if want := spec.command(); !reflect.DeepEqual(got, want) {
			t.Errorf("cron would run %q, want %q (command field %s)", got, want, command)
		}
	}
}
