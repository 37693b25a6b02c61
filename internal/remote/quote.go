package remote

import "strings"

// Quote renders argv as one POSIX shell command line that, run by sh -c,
// gives back exactly argv. It is the only place in the project that turns
// arguments into shell text; SSH runs commands through the remote shell, so
// every remote command passes through here.
func Quote(argv []string) string {
	quoted := make([]string, len(argv))
	for i, arg := range argv {
		quoted[i] = QuoteArg(arg)
	}
	return strings.Join(quoted, " ")
}

// QuoteArg quotes one argument. Words made only of characters that no shell
// treats specially are left bare so that logs stay readable; anything else
// is wrapped in single quotes, inside which nothing is special but the single
// quote itself, which is written as '\''.
func QuoteArg(arg string) string {
	if arg != "" && isPlainWord(arg) {
		return arg
	}
	return "'" + strings.ReplaceAll(arg, "'", `'\''`) + "'"
}

func isPlainWord(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-_./:,=+@%", r):
		default:
			return false
		}
	}
	return true
}
