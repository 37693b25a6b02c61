// Package valid holds the rules for the kinds of value a user gives
// glusterdr that are not gluster's own (paths, target names, set IDs,
// durations, counts, one-line text, argument lists), so that the Terraform
// provider, the schedule file and the CLI refuse each kind the same way.
// Gluster's rules (hosts, volumes, bricks, users, option and config keys and
// values) are in internal/gluster.
//
// Every error is phrased to follow "<attribute or flag>: " and quotes the
// value with Quote, which keeps a huge value from flooding the message.
package valid

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of the kinds of value.
const (
	// MaxPathLen is PATH_MAX less its NUL, and MaxNameLen NAME_MAX: the
	// longest path and path component Linux takes.
	MaxPathLen = 4095
	MaxNameLen = 255
	// MaxTextLen bounds a one-line value: an option or config value, an
	// argument, an image reference.
	MaxTextLen = 4096
	// MaxArgLen bounds one argument of a command: a longer script belongs
	// in a file.
	MaxArgLen = 16 << 10
	// MaxTargetNameLen leaves a set ID (<timestamp>-<target>) well inside
	// one path component.
	MaxTargetNameLen = 64
	// MaxDuration bounds every duration a user gives: a run, a checkpoint
	// wait, a connection, a command.
	MaxDuration = 7 * 24 * time.Hour
)

// Quote is %q of s, cut to its first 64 bytes when longer, with the length
// said, so that a diagnostic about a huge value stays readable.
func Quote(s string) string {
	const keep = 64
	if len(s) <= keep {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q… (%d bytes)", s[:keep], len(s))
}

// Path accepts a path on a host: absolute, clean (no ".", ".." or empty
// component, no trailing '/'), not the root itself, of text (UTF-8, no
// control or format character), at most MaxPathLen bytes with components of
// at most MaxNameLen. Such a path means what it says, so that "inside"
// checks hold, and it can be written into any file or command line.
func Path(p string) error {
	switch {
	case p == "":
		return errors.New("the path is empty")
	case len(p) > MaxPathLen:
		return fmt.Errorf("the path %s is longer than %d bytes", Quote(p), MaxPathLen)
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("%s is not an absolute path", Quote(p))
	case p == "/":
		return errors.New(`the path is the root directory "/"`)
	case path.Clean(p) != p:
		return fmt.Errorf("%s is not a clean path; write %s (no \".\", \"..\" or empty component, no trailing '/')", Quote(p), Quote(path.Clean(p)))
	}
	if err := text(p); err != nil {
		return fmt.Errorf("the path %s %w", Quote(p), err)
	}
	for _, part := range strings.Split(p[1:], "/") {
		if len(part) > MaxNameLen {
			return fmt.Errorf("the path %s has a component longer than %d bytes", Quote(p), MaxNameLen)
		}
	}
	return nil
}

// LocalPath accepts a path on the machine that runs the command, as a user
// types it: relative or absolute, "~/" for the home directory. It must be
// text of at most MaxPathLen bytes, and must not start with '-', so that it
// can never be read as an option.
func LocalPath(p string) error {
	switch {
	case p == "":
		return errors.New("the path is empty")
	case len(p) > MaxPathLen:
		return fmt.Errorf("the path %s is longer than %d bytes", Quote(p), MaxPathLen)
	case strings.HasPrefix(p, "-"):
		return fmt.Errorf("the path %s starts with '-'; write ./%s for a file of that name", Quote(p), p)
	}
	if err := text(p); err != nil {
		return fmt.Errorf("the path %s %w", Quote(p), err)
	}
	return nil
}

// Subtree accepts a folder of a volume, relative to the volume's root (a
// leading '/' stands for the root, a trailing one says it is a folder): ""
// or "/" for the whole volume, else a path without ".", ".." or empty
// components, of text, not starting with '-', that can never leave the
// volume.
func Subtree(p string) error {
	rel := strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/")
	switch {
	case rel == "":
		return nil
	case len(p) > MaxPathLen:
		return fmt.Errorf("the path %s is longer than %d bytes", Quote(p), MaxPathLen)
	case strings.HasPrefix(p, "-"):
		return fmt.Errorf("the path %s starts with '-'", Quote(p))
	}
	for _, part := range strings.Split(rel, "/") {
		switch {
		case part == "" || part == "." || part == "..":
			return fmt.Errorf("%s is not a clean path inside the volume: it has an empty, \".\" or \"..\" part", Quote(p))
		case len(part) > MaxNameLen:
			return fmt.Errorf("the path %s has a component longer than %d bytes", Quote(p), MaxNameLen)
		}
	}
	if err := text(p); err != nil {
		return fmt.Errorf("the path %s %w", Quote(p), err)
	}
	return nil
}

// Line accepts one line of text of at most MaxTextLen bytes: UTF-8 without
// control or format characters. It may be empty.
func Line(s string) error {
	if len(s) > MaxTextLen {
		return fmt.Errorf("%s is longer than %d bytes", Quote(s), MaxTextLen)
	}
	if err := text(s); err != nil {
		return fmt.Errorf("%s %w", Quote(s), err)
	}
	return nil
}

// Argv accepts an argument list that is run without a shell (or quoted for
// one): a program name that is one Line, not empty and not starting with
// '-', and arguments of UTF-8 without NUL, of at most MaxArgLen bytes each.
// Shell metacharacters and newlines are fine in arguments (a `sh -c` script
// has them): they reach the program as they are.
func Argv(argv []string) error {
	switch {
	case len(argv) == 0:
		return errors.New("the command is empty")
	case argv[0] == "":
		return errors.New("the program name (the first element) is empty")
	case strings.HasPrefix(argv[0], "-"):
		return fmt.Errorf("the program name %s starts with '-'", Quote(argv[0]))
	}
	if err := Line(argv[0]); err != nil {
		return fmt.Errorf("the program name: %w", err)
	}
	for i, arg := range argv[1:] {
		switch {
		case len(arg) > MaxArgLen:
			return fmt.Errorf("argument %d, %s, is longer than %d bytes", i+1, Quote(arg), MaxArgLen)
		case !utf8.ValidString(arg):
			return fmt.Errorf("argument %d, %s, is not valid UTF-8", i+1, Quote(arg))
		case strings.ContainsRune(arg, 0):
			return fmt.Errorf("argument %d, %s, holds a NUL byte, which no argument can carry", i+1, Quote(arg))
		}
	}
	return nil
}

// text refuses what is not plain text: bytes that are not UTF-8, control
// characters (newlines, NUL, escape sequences, C1 controls), and format
// characters (bidirectional overrides, zero-width characters), which make a
// value read differently from what it is. The error follows the value.
func text(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("is not valid UTF-8")
	}
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return fmt.Errorf("holds the control character %U", r)
		case unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
			return fmt.Errorf("holds the invisible format character %U", r)
		}
	}
	return nil
}

// TargetName accepts the name of a DR target: lower-case letters, digits,
// '_' and '-', not starting with '-', at most MaxTargetNameLen bytes. It
// ends the names of the target's backup set folders.
func TargetName(name string) error {
	switch {
	case name == "":
		return errors.New("the target name is empty")
	case len(name) > MaxTargetNameLen:
		return fmt.Errorf("the target name %s is longer than %d bytes", Quote(name), MaxTargetNameLen)
	case name[0] == '-':
		return fmt.Errorf("the target name %s starts with '-'", Quote(name))
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("the target name %s holds %q; allowed are a-z, 0-9, '_' and '-'", Quote(name), r)
		}
	}
	return nil
}

// SetTimeLayout is the UTC timestamp that starts a backup set's ID.
const SetTimeLayout = "20060102T150405Z"

// SetID reads a backup set's ID, <UTC timestamp>-<target name> (e.g.
// 20261125T020000Z-sdsc), into its time and target. The ID is also the
// set's folder name, so anything else is refused: it could name another
// folder.
func SetID(id string) (time.Time, string, error) {
	stamp, target, ok := strings.Cut(id, "-")
	if !ok {
		return time.Time{}, "", fmt.Errorf("%s is not a backup set ID: want <%s>-<target>, e.g. 20261125T020000Z-sdsc", Quote(id), SetTimeLayout)
	}
	t, err := time.Parse(SetTimeLayout, stamp)
	if err != nil {
		return time.Time{}, "", fmt.Errorf("%s is not a backup set ID: the timestamp %s is not %s", Quote(id), Quote(stamp), SetTimeLayout)
	}
	if err := TargetName(target); err != nil {
		return time.Time{}, "", fmt.Errorf("%s is not a backup set ID: %w", Quote(id), err)
	}
	return t, target, nil
}

// Endpoint accepts an http:// or https:// URL with a host, of one Line:
// an etcd endpoint or peer URL.
func Endpoint(e string) error {
	if err := Line(e); err != nil {
		return err
	}
	u, err := url.Parse(e)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s is not an http:// or https:// URL with a host", Quote(e))
	}
	return nil
}

// EtcdName accepts an etcd member name: letters, digits, '.', '_' and '-',
// starting with a letter or digit, at most MaxNameLen bytes; nothing that
// would break an --initial-cluster list (name=url,...).
func EtcdName(n string) error {
	switch {
	case n == "":
		return errors.New("the member name is empty")
	case len(n) > MaxNameLen:
		return fmt.Errorf("the member name %s is longer than %d bytes", Quote(n), MaxNameLen)
	case !isAlnum(rune(n[0])):
		return fmt.Errorf("the member name %s does not start with a letter or digit", Quote(n))
	}
	for _, r := range n {
		if !isAlnum(r) && !strings.ContainsRune("._-", r) {
			return fmt.Errorf("the member name %s holds %q; allowed are letters, digits, '.', '_' and '-'", Quote(n), r)
		}
	}
	return nil
}

// EtcdCluster accepts etcd's --initial-cluster: name=url pairs separated by
// commas, each an EtcdName and an Endpoint; empty for the member alone.
func EtcdCluster(c string) error {
	if c == "" {
		return nil
	}
	for _, pair := range strings.Split(c, ",") {
		name, u, ok := strings.Cut(pair, "=")
		if !ok {
			return fmt.Errorf("%s is not name=url", Quote(pair))
		}
		if err := EtcdName(name); err != nil {
			return err
		}
		if err := Endpoint(u); err != nil {
			return err
		}
	}
	return nil
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// Duration accepts a positive duration of at most MaxDuration.
func Duration(d time.Duration) error {
	switch {
	case d <= 0:
		return fmt.Errorf("%s is not positive", d)
	case d > MaxDuration:
		return fmt.Errorf("%s is longer than %s", d, MaxDuration)
	}
	return nil
}

// ParseDuration reads a Go duration such as "90s", "2h" or "1h30m" and
// applies Duration.
func ParseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%s is not a duration; write it like \"2h\", \"90m\" or \"45s\"", Quote(s))
	}
	if err := Duration(d); err != nil {
		return 0, fmt.Errorf("%s: %w", Quote(s), err)
	}
	return d, nil
}

// Count accepts lo <= n <= hi.
func Count(n, lo, hi int64) error {
	if n < lo || n > hi {
		return fmt.Errorf("%d is not between %d and %d", n, lo, hi)
	}
	return nil
}
