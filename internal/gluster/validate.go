package gluster

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
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
		return invalid("volume name %s starts with '-'", valid.Quote(name))
	case reservedVolumeNames[name]:
		return invalid("%s is a reserved word and cannot be the name of a volume", valid.Quote(name))
	}
	for _, r := range name {
		if !isASCIIAlnum(r) && r != '-' && r != '_' {
			return invalid("volume name %s contains %q; only letters, digits, '-' and '_' are allowed", valid.Quote(name), r)
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
		return invalid("brick path %s is not absolute", valid.Quote(path))
	case path == "/":
		return invalid("brick path may not be the root directory")
	case len(path) > maxBrickPathLen:
		return invalid("brick path is %d characters long; at most %d are allowed", len(path), maxBrickPathLen)
	case strings.HasSuffix(path, "/"):
		return invalid("brick path %s ends with '/'", valid.Quote(path))
	}
	for _, r := range path {
		if !isASCIIAlnum(r) && !strings.ContainsRune("/._+-", r) {
			return invalid("brick path %s contains %q; only letters, digits and \"/._+-\" are allowed", valid.Quote(path), r)
		}
	}
	for _, comp := range strings.Split(path[1:], "/") {
		switch {
		case comp == "":
			return invalid("brick path %s contains \"//\"", valid.Quote(path))
		case comp == "." || comp == "..":
			return invalid("brick path %s contains a %q component", valid.Quote(path), comp)
		case len(comp) > maxBrickComponentLen:
			return invalid("brick path %s has a component longer than %d characters", valid.Quote(path), maxBrickComponentLen)
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
		return invalid("host %s starts with '-'", valid.Quote(host))
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		if addr.Zone() != "" {
			return invalid("host %s has an IPv6 zone, which gluster cannot use", valid.Quote(host))
		}
		return nil
	}
	if len(host) > 253 {
		return invalid("host name is %d characters long; at most 253 are allowed", len(host))
	}
	allDigits := true
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 {
			return invalid("host name %s has an empty or over-long label", valid.Quote(host))
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return invalid("host name %s has a label that starts or ends with '-'", valid.Quote(host))
		}
		for _, r := range label {
			if !isASCIIAlnum(r) && r != '-' {
				return invalid("host name %s contains %q", valid.Quote(host), r)
			}
			if r < '0' || r > '9' {
				allDigits = false
			}
		}
	}
	if allDigits {
		return invalid("host %s looks like an IPv4 address but is not one", valid.Quote(host))
	}
	return nil
}

// ValidSecondaryHost is ValidHost without IPv6 addresses: gluster names a
// geo-replication secondary as host::volume, which cannot carry one.
func ValidSecondaryHost(host string) error {
	if err := ValidHost(host); err != nil {
		return err
	}
	if strings.Contains(host, ":") {
		return invalid("host %s: gluster writes the secondary as host::volume, which cannot carry an IPv6 address; use a host name or an IPv4 address", valid.Quote(host))
	}
	return nil
}

// ValidUser accepts a POSIX-portable user name, for SSH and for a non-root
// geo-replication secondary: letters, digits, '.', '_' and '-', not
// starting with '-', not "." or "..", at most 32 characters.
func ValidUser(user string) error {
	switch {
	case user == "":
		return invalid("the user name is empty")
	case len(user) > 32:
		return invalid("the user name %s is longer than 32 characters", valid.Quote(user))
	case user[0] == '-':
		return invalid("the user name %s starts with '-'", valid.Quote(user))
	case user == "." || user == "..":
		return invalid("the user name %s is a directory's name", valid.Quote(user))
	}
	for _, r := range user {
		if !isASCIIAlnum(r) && !strings.ContainsRune("._-", r) {
			return invalid("the user name %s holds %q; allowed are letters, digits, '.', '_' and '-'", valid.Quote(user), r)
		}
	}
	return nil
}

// ValidOptionKey accepts a volume option name such as
// "performance.quick-read" or "cluster.min-free-disk": letters, digits, '.',
// '-' and '_', not starting with '-', no empty part between dots, at most
// 256 characters.
func ValidOptionKey(k string) error {
	if k == "" || k[0] == '-' || len(k) > 256 {
		return invalid("option name %s is empty, longer than 256 characters or starts with '-'", valid.Quote(k))
	}
	for _, r := range k {
		if !isASCIIAlnum(r) && !strings.ContainsRune(".-_", r) {
			return invalid("option name %s contains %q", valid.Quote(k), r)
		}
	}
	if slices.Contains(strings.Split(k, "."), "") {
		return invalid("option name %s has an empty part between its dots", valid.Quote(k))
	}
	return nil
}

// ValidOptionValue accepts what `gluster volume set` can take as a value:
// one line of text (valid.Line), not empty, and not starting with "--",
// which the gluster CLI reads as an option of its own wherever it stands
// (parse_cmdline in cli.c). Everything else, metacharacters included,
// reaches gluster as one quoted argument.
func ValidOptionValue(v string) error {
	if err := ValidConfigValue(v); err != nil {
		return err
	}
	if strings.HasPrefix(v, "--") {
		return invalid("%s starts with \"--\", which the gluster CLI reads as an option of its own", valid.Quote(v))
	}
	return nil
}

// ValidConfigKey accepts geo-replication config keys such as ssh_port or
// sync-jobs: letters, digits, '_' and '-', starting with a letter, at most
// 128 characters.
func ValidConfigKey(k string) error {
	if k == "" || len(k) > 128 || !(k[0] >= 'a' && k[0] <= 'z' || k[0] >= 'A' && k[0] <= 'Z') {
		return invalid("config key %s is empty, longer than 128 characters or does not start with a letter", valid.Quote(k))
	}
	for _, r := range k {
		if !isASCIIAlnum(r) && r != '_' && r != '-' {
			return invalid("config key %s contains %q", valid.Quote(k), r)
		}
	}
	return nil
}

// ValidConfigValue accepts a geo-replication config value: one line of text
// (valid.Line), not empty (resetting a key is ConfigReset). A value starting
// with "--", such as rsync_options "--bwlimit=1000", is fine: ConfigSet sends
// it by the form of the command that takes it.
func ValidConfigValue(v string) error {
	if v == "" {
		return invalid("the value is empty; remove the setting to reset it to gluster's default")
	}
	if err := valid.Line(v); err != nil {
		return invalid("%v", err)
	}
	return nil
}

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
