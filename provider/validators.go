package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
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
	return checkString{what: "a host name or IPv4 address", check: gluster.ValidSecondaryHost}
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
		return gluster.Brick{}, fmt.Errorf("%s is not host:/path", valid.Quote(s))
	}
	b := gluster.Brick{Host: s[:i], Path: s[i+1:]}
	if err := gluster.ValidHost(b.Host); err != nil {
		return b, err
	}
	return b, gluster.ValidBrickPath(b.Path)
}

// sshUser accepts a POSIX-portable user name, by gluster's rule.
func sshUser() validator.String {
	return checkString{what: "a user name", check: gluster.ValidUser}
}

// duration accepts a positive Go duration of at most valid.MaxDuration.
func duration() validator.String {
	return checkString{what: fmt.Sprintf("a positive duration such as \"30s\" or \"2m\", at most %s", valid.MaxDuration),
		check: func(s string) error {
			_, err := valid.ParseDuration(s)
			return err
		}}
}

func knownHostsLine() validator.String {
	return checkString{what: "a known_hosts line (host keytype base64)", check: func(s string) error {
		_, err := parsePinnedKey(s)
		return err
	}}
}

// optionKey accepts gluster volume option names, by gluster's rule.
func optionKey() validator.String {
	return checkString{what: "a gluster option name", check: gluster.ValidOptionKey}
}

// optionValue refuses what the gluster CLI cannot take as a value, by
// gluster's rule: an empty value, one that is not one line of text, and one
// starting with "--", which the CLI reads as an option of its own.
// Everything else, metacharacters included, reaches gluster as one quoted
// argument.
func optionValue() validator.String {
	return checkString{what: "a single-line option value", check: gluster.ValidOptionValue}
}

// singleLine accepts one line of text (valid.Line): no control or format
// character, such as the newline that would end a config value early.
func singleLine() validator.String {
	return checkString{what: "a single line of text", check: valid.Line}
}

// targetName accepts a schedule target's name (valid.TargetName).
func targetName() validator.String {
	return checkString{what: "a target name", check: valid.TargetName}
}

// absolutePath accepts a path on a host (valid.Path): clean, absolute, of
// text: paths that go into schedule files, trigger files and cron lines.
func absolutePath() validator.String {
	return checkString{what: "a clean absolute path", check: valid.Path}
}

// localPath accepts a path on the machine that runs Terraform
// (valid.LocalPath): relative, absolute or "~/", never starting with '-'.
func localPath() validator.String {
	return checkString{what: "a path on this machine", check: valid.LocalPath}
}

// checkList is a plan-time list-of-strings validator built from a check of
// the whole list that the engine also applies.
type checkList struct {
	what  string
	check func([]string) error
}

var _ validator.List = checkList{}

func (v checkList) Description(context.Context) string { return "value must be " + v.what }

func (v checkList) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v checkList) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var elems []types.String
	resp.Diagnostics.Append(req.ConfigValue.ElementsAs(ctx, &elems, false)...)
	argv := make([]string, 0, len(elems))
	for _, e := range elems {
		if e.IsUnknown() {
			return
		}
		argv = append(argv, e.ValueString())
	}
	if err := v.check(argv); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
			fmt.Sprintf("Attribute %s value must be %s: %s", req.Path, v.what, err))
	}
}

// argv accepts an argument list run without a shell (valid.Argv).
func argv() validator.List {
	return checkList{what: "an argument list", check: valid.Argv}
}

// captureName accepts a gluster_provisioning_state name: a folder name of
// lower-case letters, digits, '_' and '-', starting with a letter or digit,
// at most 64 characters.
func captureName() validator.String {
	return checkString{what: "lower-case letters, digits, '_' and '-', starting with a letter or digit, at most 64 of them",
		check: func(s string) error {
			if !captureNamePattern.MatchString(s) {
				return fmt.Errorf("%s is not", valid.Quote(s))
			}
			return nil
		}}
}
