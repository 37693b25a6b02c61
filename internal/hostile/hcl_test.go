package hostile

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestHCLStringIsTheValue: every row of the catalogue that HCL can carry
// reads back from HCLString as itself, so the faces that write HCL hand the
// row's value, not something else, to what they test; the others make the
// file refused for its encoding.
func TestHCLStringIsTheValue(t *testing.T) {
	for _, v := range Values {
		src := "x = " + HCLString(v.Text) + "\n"
		f, diags := hclsyntax.ParseConfig([]byte(src), "t.hcl", hcl.InitialPos)
		if !v.UTF8() {
			if !diags.HasErrors() || !strings.Contains(diags.Error(), "Invalid character encoding") {
				t.Errorf("%s: %v", v.Name, diags)
			}
			continue
		}
		if diags.HasErrors() {
			t.Errorf("%s: %v", v.Name, diags)
			continue
		}
		attrs, _ := f.Body.JustAttributes()
		got, diags := attrs["x"].Expr.Value(nil)
		if diags.HasErrors() || got.AsString() != v.Text {
			t.Errorf("%s: %q read back as %#v (%v)", v.Name, v.Text, got, diags)
		}
	}
}
