package schedule

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse feeds Parse arbitrary bytes: it must never panic, and whatever
// it accepts must survive Encode and Parse unchanged.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.hcl")
	for _, name := range seeds {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(base))
	f.Add([]byte(`cron = "TZ=UTC"`))
	f.Add([]byte(`cron = "CRON_TZ=x"` + "\n" + `target "a" { ssh_port = 1e40 }`))
	f.Add([]byte("retention { daily = 1.5 }\netcd { endpoints = [null] }"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s, diags := Parse("fuzz.hcl", src)
		if diags.HasErrors() {
			if s != nil {
				t.Fatal("Parse returned a schedule with errors")
			}
			return
		}
		again, diags := Parse("encoded.hcl", Encode(s))
		if diags.HasErrors() {
			t.Fatalf("Parse(Encode(s)): %s\n%s", diags.Error(), Encode(s))
		}
		if diff := cmp.Diff(s, again); diff != "" {
			t.Fatalf("round trip differs (-s +again):\n%s", diff)
		}
	})
}
