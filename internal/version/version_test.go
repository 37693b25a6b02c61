package version

import (
	"os"
	"regexp"
	"testing"
)

// TestOneVersion: galaxy.yml and the top entry of CHANGELOG.md name the
// release in VERSION. The binaries report Version() (cmd/glusterdr's tests
// run --version; the release test reads the artifacts' names).
func TestOneVersion(t *testing.T) {
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(Release) {
		t.Fatalf("VERSION holds %q, want MAJOR.MINOR.PATCH", Release)
	}
	for _, c := range []struct{ file, pattern string }{
		{"../../ansible/galaxy.yml", `(?m)^version:\s*(\S+)\s*$`},
		{"../../CHANGELOG.md", `(?m)^## (\S+)`},
	} {
		data, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(c.pattern).FindSubmatch(data)
		if m == nil {
			t.Errorf("%s names no version (%s)", c.file, c.pattern)
			continue
		}
		if got := string(m[1]); got != Release {
			t.Errorf("%s says %s, VERSION says %s", c.file, got, Release)
		}
	}
	if Version() != Release {
		t.Errorf("Version() = %q without a build override, want %q", Version(), Release)
	}
}
