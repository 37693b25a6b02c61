package remote

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

func TestQuoteArg(t *testing.T) {
	tests := []struct {
		arg, want string
	}{
		{"", "''"},
		{"volume", "volume"},
		{"/var/glfs/global", "/var/glfs/global"},
		{"--xml", "--xml"},
		{"host:/vol", "host:/vol"},
		{"a b", "'a b'"},
		{"it's", `'it'\''s'`},
		{"'", `''\'''`},
		{"$(id)", "'$(id)'"},
		{"`id`", "'`id`'"},
		{"*.log", "'*.log'"},
		{"a;b|c&d", "'a;b|c&d'"},
		{"key=value", "'key=value'"},
		{"~root", "'~root'"},
		{"line\nbreak", "'line\nbreak'"},
		{`back\slash`, `'back\slash'`},
		{"über", "'über'"},
	}
	for _, tt := range tests {
		if got := QuoteArg(tt.arg); got != tt.want {
			t.Errorf("QuoteArg(%q) = %q, want %q", tt.arg, got, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{nil, ""},
		{[]string{"gluster", "volume", "info", "--xml"}, "gluster volume info --xml"},
		{[]string{"echo", "a b", ""}, "echo 'a b' ''"},
		{[]string{"if", "x"}, "'if' x"},
		{[]string{"echo", "if"}, "echo if"},
		{[]string{"FOO=bar", "x"}, "'FOO=bar' x"},
	}
	for _, tt := range tests {
		if got := Quote(tt.argv); got != tt.want {
			t.Errorf("Quote(%q) = %q, want %q", tt.argv, got, tt.want)
		}
	}
}

// runPrintf runs argv through sh -c exactly as the SSH runner would send it,
// behind a printf that prints every argument followed by a NUL, and returns
// the arguments the shell handed to printf.
func runPrintf(t testing.TB, argv []string) []string {
	t.Helper()
	line := Quote(append([]string{"printf", `%s\0`}, argv...))
	out, err := exec.Command("/bin/sh", "-c", line).Output()
	if err != nil {
		t.Fatalf("sh -c %q: %v", line, err)
	}
	if len(out) == 0 || out[len(out)-1] != 0 {
		t.Fatalf("sh -c %q: output %q does not end in NUL", line, out)
	}
	return strings.Split(string(out[:len(out)-1]), "\x00")
}

var awkwardArgs = []string{
	"-n", "-e", "--", "-", "--help", "",
	"two words", "  leading and trailing  ", "tab\there",
	"line\nbreak", "\n", "trailing newline\n",
	"$(touch /tmp/glusterdr-quote-pwned)", "`touch /tmp/glusterdr-quote-pwned`", "${HOME}", "$HOME", "$1", "$@", "$*", "$?", "$$",
	"'", "''", `"`, `"double"`, `it's`, `'\''`, `\`, `\\`, `\n`, `\0`,
	"*", "?", "[a-z]", "*.go", "{a,b}", "~", "~root",
	";", "|", "&", "&&", "||", "a;b", "a|b", "a&b", ">out", "<in", "2>&1", "(", ")", "!", "#comment",
	"x=y", "=cmd", "%s", "%%", "\x01\x1b[31m", "\xff\xfe", "über ☃",
}

func TestQuoteSurvivesShell(t *testing.T) {
	got := runPrintf(t, awkwardArgs)
	if len(got) != len(awkwardArgs) {
		t.Fatalf("got %d args back, want %d: %q", len(got), len(awkwardArgs), got)
	}
	for i := range awkwardArgs {
		if got[i] != awkwardArgs[i] {
			t.Errorf("arg %d: got %q, want %q", i, got[i], awkwardArgs[i])
		}
	}
}

// A reserved word or an assignment in command position must be run as a
// command name: the shell then reports it as not found (127), instead of a
// syntax error (2) or silently setting a variable (0).
func TestQuoteCommandPosition(t *testing.T) {
	for _, word := range []string{"if", "while", "done", "!", "{", "FOO=bar"} {
		var stderr bytes.Buffer
		cmd := exec.Command("/bin/sh", "-c", Quote([]string{word}))
		cmd.Stderr = &stderr
		err := cmd.Run()
		exit, ok := err.(*exec.ExitError)
		if !ok || exit.ExitCode() != 127 {
			t.Errorf("sh -c %q: got %v (stderr %q), want exit status 127", Quote([]string{word}), err, stderr.String())
		}
	}
}

// FuzzQuoteRoundTrip checks that any argument vector survives the shell.
// The input is split on NUL into arguments: argv cannot carry NUL, so this
// reaches every representable argv, empty arguments included.
func FuzzQuoteRoundTrip(f *testing.F) {
	for _, arg := range awkwardArgs {
		f.Add(arg)
	}
	f.Add(strings.Join(awkwardArgs, "\x00"))
	f.Add("")
	f.Add("\x00")
	f.Add("a\x00\x00b")
	f.Fuzz(func(t *testing.T, data string) {
		argv := strings.Split(data, "\x00")
		got := runPrintf(t, argv)
		if len(got) != len(argv) {
			t.Fatalf("argv %q came back as %q", argv, got)
		}
		for i := range argv {
			if got[i] != argv[i] {
				t.Fatalf("argv %q came back as %q", argv, got)
			}
		}
	})
}
