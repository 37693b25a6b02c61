package gluster

import (
	"fmt"
	"net/netip"
	"strings"
)

// MaxVolumeNameLen is GD_VOLUME_NAME_MAX: the gluster CLI
// (cli_validate_volname in cli/src/cli-cmd-parser.c) refuses longer names.
const MaxVolumeNameLen = 256

// reservedVolumeNames are words the gluster CLI refuses as volume names
// because they are keywords of volfiles or of the CLI grammar.
var reservedVolumeNames = map[string]bool{
	"volume": true, "type": true, "subvolumes": true, "option": true,
	"end-volume": true, "all": true, "volume_not_in_ring": true,
	"description": true, "force": true, "snap-max-hard-limit": true,
	"snap-max-soft-limit": true, "auto-delete": true, "activate-on-create": true,
}

// ValidVolumeName applies gluster's own rules (cli_validate_volname): ASCII
// letters, digits, '-' and '_' only; not empty; at most 256 characters; not
// starting with '-'; not one of the reserved words.
func ValidVolumeName(name string) error {
	switch {
	case name == "":
		return invalid("volume name is empty")
	case len(name) > MaxVolumeNameLen:
		return invalid("volume name is %d characters long; gluster allows at most %d", len(name), MaxVolumeNameLen)
	case name[0] == '-':
		return invalid("volume name %q starts with '-'", name)
	case reservedVolumeNames[name]:
		return invalid("%q is a reserved word and cannot be the name of a volume", name)
	}
	for _, r := range name {
		if !isASCIIAlnum(r) && r != '-' && r != '_' {
			return invalid("volume name %q contains %q; only letters, digits, '-' and '_' are allowed", name, r)
		}
	}
	return nil
}

// Brick path limits: PATH_MAX and NAME_MAX of the brick's filesystem.
const (
	maxBrickPathLen      = 4095
	maxBrickComponentLen = 255
)

// ValidBrickPath accepts an absolute, clean path made of letters, digits and
// "/._+-": no "." or ".." component, no "//", no trailing '/', no white
// space, newline, ':' (which would split host:path) or shell metacharacter,
// and not the root directory itself.
func ValidBrickPath(path string) error {
	switch {
	case path == "":
		return invalid("brick path is empty")
	case path[0] != '/':
		return invalid("brick path %q is not absolute", path)
	case path == "/":
		return invalid("brick path may not be the root directory")
	case len(path) > maxBrickPathLen:
		return invalid("brick path is %d characters long; at most %d are allowed", len(path), maxBrickPathLen)
	case strings.HasSuffix(path, "/"):
		return invalid("brick path %q ends with '/'", path)
	}
	for _, r := range path {
		if !isASCIIAlnum(r) && !strings.ContainsRune("/._+-", r) {
			return invalid("brick path %q contains %q; only letters, digits and \"/._+-\" are allowed", path, r)
		}
	}
	for _, comp := range strings.Split(path[1:], "/") {
		switch {
		case comp == "":
			return invalid("brick path %q contains \"//\"", path)
		case comp == "." || comp == "..":
			return invalid("brick path %q contains a %q component", path, comp)
		case len(comp) > maxBrickComponentLen:
			return invalid("brick path %q has a component longer than %d characters", path, maxBrickComponentLen)
		}
	}
	return nil
}

// ValidHost accepts an IPv4 or IPv6 address, or a host name made of
// dot-separated labels of letters, digits and '-' (RFC 1123: each label 1-63
// characters, not starting or ending with '-'; at most 253 in all). Nothing
// starting with '-' passes, so a host can never be read as an option.
func ValidHost(host string) error {
	if host == "" {
		return invalid("host is empty")
	}
	if host[0] == '-' {
		return invalid("host %q starts with '-'", host)
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		if addr.Zone() != "" {
			return invalid("host %q has an IPv6 zone, which gluster cannot use", host)
		}
		return nil
	}
	if len(host) > 253 {
		return invalid("host name is %d characters long; at most 253 are allowed", len(host))
	}
	allDigits := true
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 {
			return invalid("host name %q has an empty or over-long label", host)
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return invalid("host name %q has a label that starts or ends with '-'", host)
		}
		for _, r := range label {
			if !isASCIIAlnum(r) && r != '-' {
				return invalid("host name %q contains %q", host, r)
			}
			if r < '0' || r > '9' {
				allDigits = false
			}
		}
	}
	if allDigits {
		return invalid("host %q looks like an IPv4 address but is not one", host)
	}
	return nil
}

// validUser accepts a POSIX-portable user name for a non-root
// geo-replication secondary: letters, digits, '.', '_' and '-', not
// starting with '-', at most 32 characters.
func validUser(user string) error {
	if user == "" || len(user) > 32 || user[0] == '-' {
		return invalid("secondary user %q is not a valid user name", user)
	}
	for _, r := range user {
		if !isASCIIAlnum(r) && !strings.ContainsRune("._-", r) {
			return invalid("secondary user %q contains %q", user, r)
		}
	}
	return nil
}

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
