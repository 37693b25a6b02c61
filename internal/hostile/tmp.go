package hostile

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// envPrivateTmp names the directory mounted on /tmp, in the run of the test
// that InPrivateTmp starts.
const envPrivateTmp = "GLUSTERDR_HOSTILE_PRIVATE_TMP"

// InPrivateTmp runs the calling test again, alone, in a mount namespace of
// its own whose /tmp is an empty directory, and returns true in that run.
// In the first run it waits for the second, fails with its output if it
// failed, and returns false: the caller returns.
//
// Other tests and other people's processes on the machine write to /tmp all
// the time; in a /tmp of its own, a snapshot before and after a face sees
// only what the face's processes wrote there (the provider served in the
// test process, terraform, the glusterdr binary). The test process and its
// tools keep their own temporary files elsewhere: TMPDIR points outside
// /tmp. Mount namespaces need root, as the lab does.
func InPrivateTmp(t *testing.T) bool {
	t.Helper()
	if dir := os.Getenv(envPrivateTmp); dir != "" {
		if strings.HasPrefix(os.TempDir(), "/tmp") {
			t.Fatalf("TMPDIR is %s: the test's own files would count as written to /tmp", os.TempDir())
		}
		return true
	}
	if os.Geteuid() != 0 {
		t.Fatal("this test needs root: it runs in a mount namespace of its own, with a /tmp of its own; " +
			"run `go test` as root (as `make test` does)")
	}
	if wd, err := os.Getwd(); err != nil || wd == "/tmp" || strings.HasPrefix(wd, "/tmp/") {
		t.Fatalf("this test runs in a /tmp of its own, which hides the checkout it runs from (%s, %v): "+
			"run it from a checkout outside /tmp", wd, err)
	}
	base := os.TempDir()
	if strings.HasPrefix(base, "/tmp") {
		base = "/var/tmp"
	}
	top, err := os.MkdirTemp(base, Marker+"test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(top) })
	private, work := filepath.Join(top, "tmp"), filepath.Join(top, "work")
	for _, d := range []string{private, work} {
		if err := os.Mkdir(d, 0o1777); err != nil {
			t.Fatal(err)
		}
	}
	// go test builds the test binary under /tmp, which the mount hides.
	self := filepath.Join(top, filepath.Base(os.Args[0]))
	if err := copyFile(os.Args[0], self); err != nil {
		t.Fatal(err)
	}
	args := []string{"--mount", "--propagation", "private", "--", "/bin/sh", "-c",
		`mount --bind "$1" /tmp && shift && exec "$@"`, "sh", private,
		self, "-test.run", "^" + regexp.QuoteMeta(t.Name()) + "$", "-test.count", "1", "-test.timeout", "60m"}
	if testing.Verbose() {
		args = append(args, "-test.v")
	}
	cmd := exec.Command("unshare", args...)
	cmd.Env = append(os.Environ(), envPrivateTmp+"="+private, "TMPDIR="+work)
	out, err := cmd.CombinedOutput()
	if testing.Verbose() || err != nil {
		t.Logf("the run in a /tmp of its own:\n%s", out)
	}
	if err != nil {
		t.Fatalf("the run in a /tmp of its own failed: %v", err)
	}
	if left := list(t, private); len(left) > 0 {
		t.Errorf("files were written to /tmp: %q", left)
	}
	return false
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o755)
}

// TmpSnapshot lists every path under /tmp.
func TmpSnapshot(t *testing.T) []string {
	t.Helper()
	return list(t, "/tmp")
}

// CheckTmp fails t for every path under /tmp that before did not list.
func CheckTmp(t *testing.T, face string, before []string) {
	t.Helper()
	var appeared []string
	for _, p := range TmpSnapshot(t) {
		if !slices.Contains(before, p) {
			appeared = append(appeared, p)
		}
	}
	if len(appeared) > 0 {
		t.Errorf("%s: files appeared under /tmp: %q", face, appeared)
	}
}

func list(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != root {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("listing %s: %v", root, err)
	}
	return out
}
