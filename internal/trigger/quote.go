package trigger

import (
	"fmt"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// cronQuote renders argv for a cron command field: quoted for sh, with
// '%' escaped, which cron would turn into a newline; cron takes the
// backslash away again.
func cronQuote(argv []string) string { return strings.ReplaceAll(remote.Quote(argv), "%", `\%`) }

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

// CronJob reads an /etc/cron.d entry as cron does: its variable lines, and
// the command field of its one job (after the 5 fields, or the
// @descriptor, and the user), with cron's \% turned back into %. The
// command is what cron hands to SHELL -c.
func CronJob(content string) (env []string, command string, err error) {
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
	for range skip {
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
