package provider

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// checkString is a plan-time string validator built from a check that the
// engine also applies, so that the rules live in one place. Its diagnostic
// names the attribute and quotes the value.
type checkString struct {
	what  string // e.g. "a gluster volume name"
	check func(string) error
}

var _ validator.String = checkString{}

func (v checkString) Description(context.Context) string { return "value must be " + v.what }

func (v checkString) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v checkString) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
			fmt.Sprintf("Attribute %s value must be %s: %s", req.Path, v.what, plainReason(err)))
	}
}

// plainReason drops the "invalid argument: " prefix of gluster.ErrInvalid.
func plainReason(err error) string {
	return strings.TrimPrefix(err.Error(), gluster.ErrInvalid.Error()+": ")
}

// host accepts what gluster.ValidHost accepts: an IP address or an RFC 1123
// host name; nothing starting with '-', no white space or metacharacter.
func host() validator.String {
	return checkString{what: "a host name or IP address", check: gluster.ValidHost}
}

// secondaryHost is a host that gluster's host::volume syntax can carry: no
// IPv6 address.
func secondaryHost() validator.String {
	return checkString{what: "a host name or IPv4 address", check: func(s string) error {
		if err := gluster.ValidHost(s); err != nil {
			return err
		}
		if strings.Contains(s, ":") {
			return errors.New("gluster's host::volume syntax cannot carry an IPv6 address; use a host name")
		}
		return nil
	}}
}

func volumeName() validator.String {
	return checkString{what: "a gluster volume name", check: gluster.ValidVolumeName}
}

// brick accepts "host:/path", the way gluster writes a brick.
func brick() validator.String {
	return checkString{what: "a brick as host:/absolute/path", check: func(s string) error {
		_, err := parseBrick(s)
		return err
	}}
}

// parseBrick splits "host:/path" at the last ":/" (an IPv6 host has colons
// of its own) and checks both halves.
func parseBrick(s string) (gluster.Brick, error) {
	i := strings.LastIndex(s, ":/")
	if i <= 0 {
		return gluster.Brick{}, fmt.Errorf("%q is not host:/path", s)
	}
	b := gluster.Brick{Host: s[:i], Path: s[i+1:]}
	if err := gluster.ValidHost(b.Host); err != nil {
		return b, err
	}
	return b, gluster.ValidBrickPath(b.Path)
}

// sshUser accepts a POSIX-portable user name: letters, digits, '.', '_'
// and '-', not starting with '-', at most 32 characters.
func sshUser() validator.String {
	return checkString{what: "a user name", check: func(s string) error {
		if s == "" || len(s) > 32 || s[0] == '-' {
			return fmt.Errorf("%q is empty, longer than 32 characters or starts with '-'", s)
		}
		for _, r := range s {
			if !isAlnum(r) && !strings.ContainsRune("._-", r) {
				return fmt.Errorf("%q contains %q; only letters, digits, '.', '_' and '-' are allowed", s, r)
			}
		}
		return nil
	}}
}

func duration() validator.String {
	return checkString{what: "a positive duration such as \"30s\" or \"2m\"", check: func(s string) error {
		d, err := time.ParseDuration(s)
		if err == nil && d <= 0 {
			err = errors.New("it is not positive")
		}
		return err
	}}
}

func knownHostsLine() validator.String {
	return checkString{what: "a known_hosts line (host keytype base64)", check: func(s string) error {
		_, err := parsePinnedKey(s)
		return err
	}}
}

// optionKey accepts gluster volume option names such as
// "performance.quick-read": letters, digits, '.', '-' and '_', not
// starting with '-'.
func optionKey() validator.String {
	return checkString{what: "a gluster option name", check: func(s string) error {
		if s == "" || s[0] == '-' || len(s) > 256 {
			return fmt.Errorf("%q is empty, too long or starts with '-'", s)
		}
		for _, r := range s {
			if !isAlnum(r) && !strings.ContainsRune(".-_", r) {
				return fmt.Errorf("%q contains %q", s, r)
			}
		}
		return nil
	}}
}

// optionValue refuses what the gluster CLI cannot take as a value: an empty
// value, one that spans lines, and one starting with "--", which the CLI
// reads as an option of its own. Everything else, metacharacters included,
// reaches gluster as one quoted argument.
func optionValue() validator.String {
	return checkString{what: "a single-line option value", check: func(s string) error {
		switch {
		case s == "":
			return errors.New("it is empty; remove the option to reset it to gluster's default")
		case strings.ContainsAny(s, "\r\n\x00"):
			return fmt.Errorf("%q spans more than one line", s)
		case strings.HasPrefix(s, "--"):
			return fmt.Errorf("%q starts with \"--\", which the gluster CLI reads as an option of its own", s)
		}
		return nil
	}}
}

// singleLine refuses control characters, such as the newline that would end
// a config value early.
func singleLine() validator.String {
	return checkString{what: "a single line of text", check: func(s string) error {
		for _, r := range s {
			if r < 0x20 || r == 0x7f {
				return fmt.Errorf("%q contains the control character %q", s, r)
			}
		}
		return nil
	}}
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// absolutePath accepts a clean absolute path without control characters:
// paths that go into schedule files, trigger files and cron lines.
func absolutePath() validator.String {
	return checkString{what: "a clean absolute path", check: checkAbsolutePath}
}

func checkAbsolutePath(p string) error {
	switch {
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("%q is not absolute", p)
	case strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fmt.Errorf("%q contains a control character", p)
	case path.Clean(p) != p:
		return fmt.Errorf("%q is not clean (write %q)", p, path.Clean(p))
	}
	return nil
}
