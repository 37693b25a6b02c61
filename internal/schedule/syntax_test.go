package schedule

import (
	"strings"
	"testing"
)

// TestSyntaxErrorsNameTheSetting: bytes that are not UTF-8, which HCL
// refuses before any check runs, are reported with the setting they are in.
func TestSyntaxErrorsNameTheSetting(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"cron = \"0 2 * *\xff\"\n", "cron: "},
		{"primary {\n  node = \"p\xff1\"\n}\n", "primary.node: "},
		{"target \"sdsc\" {\n  secondary_host = \"x\xfe\"\n}\n", `target "sdsc" secondary_host: `},
		{"target \"sd\xffsc\" {\n}\n", "target name: "},
		{"ssh {\n  node \"p1\" {\n    user = \"r\xffoot\"\n  }\n}\n", `ssh node "p1" user: `},
	} {
		_, diags := Parse("s.hcl", []byte(c.file))
		if !diags.HasErrors() || !strings.Contains(diags[0].Detail, c.want) {
			t.Errorf("%q: %v, want a detail naming %q", c.file, diags, c.want)
		}
	}
}
