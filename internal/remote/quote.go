package remote

import "strings"

// Quote renders argv as one POSIX shell command line that, run by sh -c,
// gives back exactly argv. It is the only place in the project that turns
// arguments into shell text; SSH runs commands through the remote user's
// login shell, so every remote command passes through here.
//
// The output is meant for Bourne-family shells (sh, dash, bash, ksh, zsh);
// csh and fish quote differently and are not supported as login shells.
func Quote(argv []string) string {
	quoted := make([]string, len(argv))
	for i, arg := range argv {
		if i == 0 && reservedWords[arg] {
			// A bare "if" or "!" in command position is syntax, not a
			// command name; quoted, it is looked up like any other.
			quoted[i] = singleQuote(arg)
			continue
		}
		quoted[i] = QuoteArg(arg)
	}
	return strings.Join(quoted, " ")
}

// QuoteArg quotes one argument. Words made only of characters that no shell
// treats specially are left bare so that logs stay readable; anything else
// is wrapped in single quotes, inside which nothing is special but the single
// quote itself: that one closes the quoted run, is written escaped as \', and
// a new run opens.
func QuoteArg(arg string) string {
	if arg != "" && isPlainWord(arg) {
		return arg
	}
	return singleQuote(arg)
}

func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// isPlainWord reports whether s can be left unquoted. '=' is not plain:
// "A=b" in command position is an assignment, and zsh expands a leading
// "=word" to a path.
func isPlainWord(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-_./:,+@%", r):
		default:
			return false
		}
	}
	return true
}

// reservedWords are the words, made only of plain characters, that POSIX
// shells, bash or zsh treat as syntax in command position.
var reservedWords = map[string]bool{
	"case": true, "coproc": true, "do": true, "done": true, "elif": true,
	"else": true, "esac": true, "fi": true, "for": true, "foreach": true,
	"function": true, "if": true, "in": true, "nocorrect": true, "repeat": true,
	"select": true, "then": true, "time": true, "until": true, "while": true,
}
