package schedule

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// The checks below return an error phrased to follow "<attribute>: ".

func validCron(expr string) error {
	_, err := parseCron(expr)
	return err
}

func validTimeZone(name string) error {
	_, err := loadTimeZone(name)
	return err
}

func oneOf(allowed []string) check[string] {
	return func(v string) error {
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("%q is not one of %s", v, quotedList(allowed))
		}
		return nil
	}
}

func atLeast(minimum int) check[int] {
	return func(v int) error {
		if v < minimum {
			return fmt.Errorf("%d is less than %d", v, minimum)
		}
		return nil
	}
}

func atMost(maximum int) check[int] {
	return func(v int) error {
		if v > maximum {
			return fmt.Errorf("%d is more than %d", v, maximum)
		}
		return nil
	}
}

func between(lo, hi int) check[int] {
	return func(v int) error {
		if v < lo || v > hi {
			return fmt.Errorf("%d is not between %d and %d", v, lo, hi)
		}
		return nil
	}
}

// validPath accepts an absolute path without control characters.
func validPath(p string) error {
	switch {
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("%q is not an absolute path", p)
	case strings.ContainsFunc(p, isControl):
		return fmt.Errorf("%q holds a control character", p)
	}
	return nil
}

// cleanPath refuses "..", ".", "//" and a trailing '/': a path that means
// what it says, so that "inside" checks hold.
func cleanPath(p string) error {
	if c := path.Clean(p); c != p {
		return fmt.Errorf("%q is not a clean path; write %q", p, c)
	}
	return nil
}

// inside requires a path strictly inside dir. The backup folder must be on
// the global volume, or nothing of it would be replicated and verified.
func inside(dir string) check[string] {
	return func(p string) error {
		if !strings.HasPrefix(p, strings.TrimSuffix(path.Clean(dir), "/")+"/") {
			return fmt.Errorf("%q is not inside primary.mount %q: the backup sets would not be replicated, so nothing could be verified at a target", p, dir)
		}
		return nil
	}
}

func eachPath(paths []string) error {
	for _, p := range paths {
		if err := validPath(p); err != nil {
			return err
		}
	}
	return nil
}

// validHost accepts what gluster and ssh accept as a host: an IPv4 or IPv6
// address, or an RFC 1123 host name (no '_', which passes a lax check and is
// then refused by gluster). It is gluster's own rule, so that the schedule
// can never pass a host the session would refuse.
func validHost(h string) error {
	return plainInvalid(gluster.ValidHost(h))
}

// validSecondaryHost is validHost without IPv6 addresses: gluster names the
// secondary as host::volume, which cannot carry one.
func validSecondaryHost(h string) error {
	if strings.Contains(h, ":") {
		return fmt.Errorf("%q: gluster writes the secondary as host::volume, which cannot hold an IPv6 address; use a host name or an IPv4 address", h)
	}
	return validHost(h)
}

// validUser accepts a POSIX-portable user name.
func validUser(u string) error {
	return validWord(u, "user name", 32, ".-_")
}

// validVolume accepts a gluster volume name, by gluster's own rule.
func validVolume(v string) error {
	return plainInvalid(gluster.ValidVolumeName(v))
}

// plainInvalid drops the "invalid argument" prefix of gluster's checks: a
// diagnostic already says the value is invalid.
func plainInvalid(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(strings.TrimPrefix(err.Error(), gluster.ErrInvalid.Error()+": "))
}

func validWord(w, what string, maxLen int, punctuation string) error {
	switch {
	case w == "":
		return fmt.Errorf("the %s is empty", what)
	case len(w) > maxLen:
		return fmt.Errorf("the %s %q is longer than %d characters", what, w, maxLen)
	case strings.HasPrefix(w, "-"):
		return fmt.Errorf("the %s %q starts with '-'", what, w)
	}
	for _, r := range w {
		if !isAlnum(r) && !strings.ContainsRune(punctuation, r) {
			return fmt.Errorf("the %s %q holds %q; allowed are letters, digits and %q", what, w, r, punctuation)
		}
	}
	return nil
}

// validTargetName accepts [a-z0-9_-]+, the names that end backup set folders.
func validTargetName(name string) error {
	if name == "" {
		return errors.New("the target name is empty")
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("the target name %q holds %q; allowed are a-z, 0-9, '_' and '-'", name, r)
		}
	}
	return nil
}

// validEndpoints accepts one or more http(s) URLs with a host.
func validEndpoints(endpoints []string) error {
	if len(endpoints) == 0 {
		return errors.New("at least one endpoint is needed")
	}
	for _, e := range endpoints {
		u, err := url.Parse(e)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%q is not an http:// or https:// URL with a host", e)
		}
	}
	return nil
}

// validArgv accepts a non-empty argument vector whose program is named.
func validArgv(argv []string) error {
	switch {
	case len(argv) == 0:
		return errors.New("the command is empty")
	case argv[0] == "":
		return errors.New("the program name (the first element) is empty")
	}
	for _, arg := range argv {
		if strings.ContainsRune(arg, 0) {
			return fmt.Errorf("the argument %q holds a NUL byte", arg)
		}
	}
	return nil
}

// wholePlaceholder refuses DirPlaceholder inside a longer argument, where it
// would silently not be replaced.
func wholePlaceholder(argv []string) error {
	for _, arg := range argv {
		if arg != DirPlaceholder && strings.Contains(arg, DirPlaceholder) {
			return fmt.Errorf("%q holds %s inside a longer argument; it is replaced only as a whole argument, so write it as its own list element", arg, DirPlaceholder)
		}
	}
	return nil
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(quoted, ", ")
}
