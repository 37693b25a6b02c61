package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// validate runs a string validator the way the framework does, and returns
// the error detail ("" when the value passes).
func validate(v validator.String, attr, value string) string {
	req := validator.StringRequest{Path: path.Root(attr), ConfigValue: types.StringValue(value)}
	var resp validator.StringResponse
	v.ValidateString(context.Background(), req, &resp)
	if !resp.Diagnostics.HasError() {
		return ""
	}
	return resp.Diagnostics.Errors()[0].Detail()
}

// Every value that could reach a shell or an ssh command line as something
// else than one argument is refused, and the message names the attribute.
func TestValidatorsRefuseUnsafeValues(t *testing.T) {
	for _, tc := range []struct {
		name  string
		v     validator.String
		value string
	}{
		{"host option", host(), "-oProxyCommand=touch /tmp/x"},
		{"host semicolon", host(), "a;reboot"},
		{"host substitution", host(), "$(reboot)"},
		{"host backquote", host(), "`id`"},
		{"host newline", host(), "sdsc1\nreboot"},
		{"host space", host(), "sdsc1 sdsc2"},
		{"host empty", host(), ""},
		{"host zone", host(), "fe80::1%eth0"},
		{"secondary ipv6", secondaryHost(), "2001:db8::1"},
		{"volume leading dash", volumeName(), "-global"},
		{"volume space", volumeName(), "global dr"},
		{"volume slash", volumeName(), "global/dr"},
		{"volume reserved", volumeName(), "all"},
		{"volume too long", volumeName(), strings.Repeat("v", 257)},
		{"brick relative", brick(), "203.0.113.21:srv/brick"},
		{"brick no host", brick(), "/srv/brick"},
		{"brick dotdot", brick(), "203.0.113.21:/srv/../etc"},
		{"brick metachar", brick(), "203.0.113.21:/srv/b;rm -rf"},
		{"brick host option", brick(), "-oX:/srv/brick"},
		{"brick newline", brick(), "203.0.113.21:/srv/b\nx"},
		{"brick root", brick(), "203.0.113.21:/"},
		{"user leading dash", sshUser(), "-oProxyCommand"},
		{"user metachar", sshUser(), "root;id"},
		{"option key dash", optionKey(), "-x"},
		{"option key space", optionKey(), "a b"},
		{"option value cli option", optionValue(), "--mode=script"},
		{"option value newline", optionValue(), "on\noff"},
		{"option value empty", optionValue(), ""},
		{"config newline", singleLine(), "--bwlimit=1\n--delete"},
		{"duration", duration(), "soon"},
		{"duration negative", duration(), "-5s"},
		{"known_hosts hashed", knownHostsLine(), "|1|abc=|def= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPhBPxW2IoPeeOqnlTRrFuxmMOb5O/hhDbT4h+ArARmz"},
		{"known_hosts pattern", knownHostsLine(), "*.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPhBPxW2IoPeeOqnlTRrFuxmMOb5O/hhDbT4h+ArARmz"},
		{"known_hosts marker", knownHostsLine(), "@revoked h ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPhBPxW2IoPeeOqnlTRrFuxmMOb5O/hhDbT4h+ArARmz"},
		{"known_hosts garbage", knownHostsLine(), "h ssh-ed25519 notbase64!"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			detail := validate(tc.v, "the_attr", tc.value)
			if detail == "" {
				t.Fatalf("%q was accepted", tc.value)
			}
			if !strings.HasPrefix(detail, "Attribute the_attr value must be ") {
				t.Errorf("detail %q does not name the attribute", detail)
			}
		})
	}
}

// Values that are unusual but safe pass: they reach gluster as one quoted
// argument.
func TestValidatorsAcceptSafeValues(t *testing.T) {
	for _, tc := range []struct {
		v     validator.String
		value string
	}{
		{host(), "203.0.113.21"},
		{host(), "sdsc1.example.org"},
		{host(), "2001:db8::1"},
		{secondaryHost(), "sdsc1"},
		{volumeName(), "global-dr_2"},
		{brick(), "203.0.113.21:/srv/glusterdr-lab1/bricks/sdsc1/global-dr"},
		{brick(), "2001:db8::1:/data/brick+1"},
		{sshUser(), "geoaccount"},
		{optionKey(), "performance.quick-read"},
		{optionValue(), "203.0.113.* $(touch /tmp/x); `id` | 'q' \"q\""},
		{singleLine(), "--bwlimit=1000 --exclude='*.tmp'"},
		{duration(), "90s"},
		{knownHostsLine(), "203.0.113.21,sdsc1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPhBPxW2IoPeeOqnlTRrFuxmMOb5O/hhDbT4h+ArARmz comment"},
		{knownHostsLine(), "[sdsc1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPhBPxW2IoPeeOqnlTRrFuxmMOb5O/hhDbT4h+ArARmz"},
	} {
		if detail := validate(tc.v, "a", tc.value); detail != "" {
			t.Errorf("%q refused: %s", tc.value, detail)
		}
	}
}

func TestValidatorsSkipUnknownAndNull(t *testing.T) {
	for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
		var resp validator.StringResponse
		host().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("a"), ConfigValue: v}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%s: %v", v, resp.Diagnostics)
		}
	}
}

func TestParseBrickSplitsAtTheLastColonSlash(t *testing.T) {
	b, err := parseBrick("2001:db8::1:/data/b")
	if err != nil || b.Host != "2001:db8::1" || b.Path != "/data/b" {
		t.Errorf("parseBrick = %+v, %v", b, err)
	}
}
