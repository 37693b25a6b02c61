package schedule

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
)

// The checks below return an error phrased to follow "<attribute>: ". They
// are the rules of internal/valid and internal/gluster, which the provider
// and the CLI apply too.

func validCron(expr string) error {
	if err := valid.Line(expr); err != nil {
		return err
	}
	_, err := parseCron(expr)
	return err
}

func validTimeZone(name string) error {
	if err := valid.Line(name); err != nil {
		return err
	}
	_, err := loadTimeZone(name)
	return err
}

func oneOf(allowed []string) check[string] {
	return func(v string) error {
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("%s is not one of %s", valid.Quote(v), quotedList(allowed))
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

// validPath accepts a path on a host (valid.Path): absolute, clean, of text
// and of sane length, so that "inside" checks hold and the path can go into
// a trigger file or a command line.
func validPath(p string) error { return valid.Path(p) }

// optionalPath is validPath, or empty for none: how Encode and dr_schedule
// write a file that is not used (etcd's client certificate).
func optionalPath(p string) error {
	if p == "" {
		return nil
	}
	return validPath(p)
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
	return plainInvalid(gluster.ValidSecondaryHost(h))
}

// validUser accepts a POSIX-portable user name, by gluster's rule.
func validUser(u string) error {
	return plainInvalid(gluster.ValidUser(u))
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

// validTargetName accepts the names that end backup set folders: the rule
// of set IDs, valid.TargetName.
func validTargetName(name string) error { return valid.TargetName(name) }

// validEndpoints accepts one or more http(s) URLs with a host.
func validEndpoints(endpoints []string) error {
	if len(endpoints) == 0 {
		return errors.New("at least one endpoint is needed")
	}
	for _, e := range endpoints {
		if err := valid.Endpoint(e); err != nil {
			return err
		}
	}
	return nil
}

// validArgv accepts an argument list run without a shell (valid.Argv).
func validArgv(argv []string) error { return valid.Argv(argv) }

// validLine accepts one line of free text (valid.Line).
func validLine(s string) error { return valid.Line(s) }

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

func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(quoted, ", ")
}
