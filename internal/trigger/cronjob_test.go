package trigger

import (
	"bytes"
	"errors"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestCronEntryRunsTheArgv: the job of a rendered cron entry, read as
// cron reads it and run by sh, is exactly the trigger's argv under
// timeout(1), whatever characters the paths hold.
func TestCronEntryRunsTheArgv(t *testing.T) {
	for _, spec := range []Spec{
		{Kind: Cron, Runner: RunnerGlusterdr, Glusterdr: "/usr/local/bin/glusterdr", Schedule: "/etc/glusterdr/schedule.hcl", Cron: "0 2 * * *", TimeZone: "UTC"},
		{Kind: Cron, Runner: RunnerGlusterdr, Glusterdr: "/opt/it's 100% $(reboot)/glusterdr", Schedule: "/etc/a b/`x`;.hcl", Cron: "@daily", TimeZone: "UTC"},
		{Kind: Cron, Runner: RunnerPlaybook, Glusterdr: "/opt/50%/glusterdr", Schedule: "/etc/\"q\".hcl", Cron: "*/5 1 * * 1-5", TimeZone: "UTC"},
	} {
		spec.RunTimeout = 4*time.Hour + 30*time.Minute
		files, err := spec.Files()
		if err != nil {
			t.Fatal(err)
		}
		env, command, err := CronJob(files[0].Content)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(env, []string{"SHELL=/bin/sh", "PATH=" + Path, "CRON_TZ=UTC"}) {
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
		want := append([]string{"timeout", "-k", "180s", "16500s"}, spec.Command()...)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("cron would run %q, want %q (command field %s)", got, want, command)
		}
	}
}

// TestTimeoutEndsTheJob runs a job line's timeout(1) wrapper for real
// around a command that outlives it: the command gets SIGTERM, and the
// job ends with timeout's status 124.
func TestTimeoutEndsTheJob(t *testing.T) {
	if _, err := exec.LookPath("timeout"); err != nil {
		t.Fatalf("this test needs timeout(1) from coreutils, which the cron entry runs: %v", err)
	}
	spec := Spec{RunTimeout: time.Second}
	argv := spec.JobArgv()[:4]
	argv[3] = "1s" // the wrapper as rendered, with a deadline a test can wait for
	script := `trap 'echo got SIGTERM; exit 143' TERM; sleep 30 & wait`
	start := time.Now()
	out, err := exec.Command(argv[0], append(argv[1:], "/bin/sh", "-c", script)...).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 124 || !strings.Contains(string(out), "got SIGTERM") {
		t.Errorf("timeout %q: %v, output %q; want exit 124 after the command's SIGTERM", argv, err, out)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the job ran %s past a 1s deadline", took)
	}
}
