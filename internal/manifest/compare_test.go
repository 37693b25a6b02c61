package manifest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestCompareCatchesDamageAtTheTarget builds the same tree twice, damages
// the copy the ways a transport can (the rsync 3.5.0 case: a file arrives
// empty while geo-replication says all is well), and expects every damage
// reported, in words, and nothing else.
func TestCompareCatchesDamageAtTheTarget(t *testing.T) {
	requireRoot(t)
	src, dst := t.TempDir(), t.TempDir()
	for _, dir := range []string{src, dst} {
		buildTree(t, dir)
		mknod(t, filepath.Join(dir, "dev/sda1"), syscall.S_IFBLK, 8, 1)
		mknod(t, filepath.Join(dir, "dev/null"), syscall.S_IFCHR, 1, 3)
		must(t, os.WriteFile(filepath.Join(dir, "suid"), []byte("#!/bin/sh\n"), 0o755))
		must(t, os.Chmod(filepath.Join(dir, "suid"), os.ModeSetuid|0o755))
		must(t, os.WriteFile(filepath.Join(dir, "owned"), []byte("x\n"), 0o644))
		must(t, os.Chown(filepath.Join(dir, "owned"), 4242, 4343))
	}
	ctx := context.Background()
	want, err := Scan(ctx, local, src, ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	if ms := observeAndCompare(t, dst, want); len(ms) != 0 {
		t.Fatalf("an identical copy has mismatches:\n%s", Report(ms))
	}

	at := func(p string) string { return filepath.Join(dst, p) }
	must(t, os.Truncate(at("data/big.bin"), 0))                                       // arrived empty
	must(t, os.WriteFile(at("with space.txt"), flip(t, at("with space.txt")), 0o644)) // one byte flipped
	must(t, os.Remove(at("-leading-dash")))                                           // never arrived
	must(t, os.WriteFile(at("sparse.img"), append(make([]byte, sparseSize-3), "end"...), 0o644))
	must(t, os.Remove(at("links/b"))) // the link became a copy
	must(t, os.WriteFile(at("links/b"), []byte("linked content\n"), 0o644))
	must(t, os.Remove(at("sym"))) // the symlink became a file
	must(t, os.WriteFile(at("sym"), []byte("hello\n"), 0o644))
	must(t, os.Chmod(at("secret"), 0o644))
	must(t, os.Remove(at("dev/sda1")))
	mknod(t, at("dev/sda1"), syscall.S_IFBLK, 8, 2)
	must(t, os.Remove(at("fifo")))     // a new session's first cycle
	must(t, os.Remove(at("dev/null"))) // made by geo-replication: no device number
	mknod(t, at("dev/null"), syscall.S_IFCHR, 0, 0)
	must(t, os.Chmod(at("suid"), 0o755)) // tarssh's loss
	must(t, os.Chown(at("owned"), 4242, 0))

	got := observeAndCompare(t, dst, want)
	wantMs := []Mismatch{
		{"-leading-dash", "missing at the target", SeverityError, true},
		{"data/big.bin", "size 0, want 65536 (arrived empty)", SeverityError, false},
		{"dev/null", "device number 0:0, want 1:3 (not carried; a restore makes the node again)", SeverityWarning, false},
		{"dev/sda1", "device 8:2 want 8:1", SeverityError, false},
		{"fifo", "missing at the target (the first cycle of a geo-replication session leaves device nodes, FIFOs and sockets out", SeverityError, true},
		{"links/b", "hard link to links/a lost (separate inode)", SeverityError, false},
		{"owned", "owner 4242:0, want 4242:4343", SeverityError, false},
		{"secret", "mode 0644 want 0600", SeverityError, false},
		{"sparse.img", "not sparse any more (allocated ", SeverityWarning, false},
		{"suid", "setuid/setgid bits lost (mode 0755, want 4755; a restore sets them again)", SeverityWarning, false},
		{"sym", "type file, want symlink", SeverityError, false},
		{"with space.txt", "content differs (sha256 ", SeverityError, false},
	}
	if len(got) != len(wantMs) {
		t.Fatalf("got %d mismatches, want %d:\n%s", len(got), len(wantMs), Report(got))
	}
	for i, w := range wantMs {
		g := got[i]
		if g.Path != w.Path || g.Severity != w.Severity || g.Missing != w.Missing || !strings.HasPrefix(g.Problem, w.Problem) {
			t.Errorf("mismatch %d: %v, want %v", i, g, w)
		}
	}
	report := Report(got)
	for _, w := range []string{"12 problems (9 errors, 3 warnings):", "data/big.bin: size 0, want 65536 (arrived empty)", "warning  sparse.img"} {
		if !strings.Contains(report, w) {
			t.Errorf("report does not say %q:\n%s", w, report)
		}
	}
}

// TestManifestVerifiesAtTheTargetRoot runs the nightly check end to end:
// scan the set, write manifest.json, read it back, and verify a copy under
// another root, first intact, then with one file that arrived empty.
func TestManifestVerifiesAtTheTargetRoot(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	buildTree(t, src)
	buildTree(t, dst)
	entries, err := Scan(context.Background(), local, src, ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	m := &Manifest{Set: "20261125T023000Z-sdsc", Root: src, Entries: entries}
	data, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if ms := observeAndCompare(t, dst, back.Entries); len(ms) != 0 {
		t.Fatalf("an intact copy has mismatches:\n%s", Report(ms))
	}
	must(t, os.Truncate(filepath.Join(dst, "new\nline"), 0))
	ms := observeAndCompare(t, dst, back.Entries)
	if len(ms) != 1 || ms[0].Path != "new\nline" || ms[0].Problem != "size 0, want 6 (arrived empty)" {
		t.Errorf("want only new\\nline arrived empty, got:\n%s", Report(ms))
	}
}

func observeAndCompare(t *testing.T, root string, want []Entry) []Mismatch {
	t.Helper()
	got, err := Observe(context.Background(), local, root, want)
	if err != nil {
		t.Fatal(err)
	}
	return Compare(want, got)
}

func flip(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	b[len(b)/2] ^= 0x01
	return b
}

func TestCompareProblemsInWords(t *testing.T) {
	hashA, hashB := strings.Repeat("a", 64), strings.Repeat("b", 64)
	file := Entry{Path: "f", Type: TypeFile, Size: 104857600, Mode: "0644", SHA256: hashA}
	tests := []struct {
		name string
		want Entry
		got  map[string]Entry
		msg  string
		sev  string
	}{
		{"intact", file, map[string]Entry{"f": file}, "", ""},
		{"missing", file, nil, "missing at the target", SeverityError},
		{"arrived empty", file, map[string]Entry{"f": {Type: TypeFile, Mode: "0644"}},
			"size 0, want 104857600 (arrived empty)", SeverityError},
		{"short", file, map[string]Entry{"f": {Type: TypeFile, Size: 5, Mode: "0644"}}, "size 5, want 104857600", SeverityError},
		{"content", file, map[string]Entry{"f": {Type: TypeFile, Size: 104857600, Mode: "0644", SHA256: hashB}},
			"content differs (sha256 bbbbbbbbbbbb…, want aaaaaaaaaaaa…)", SeverityError},
		{"not hashed", file, map[string]Entry{"f": {Type: TypeFile, Size: 104857600, Mode: "0644"}},
			"content not read at the target (no sha256)", SeverityError},
		{"type", file, map[string]Entry{"f": {Type: TypeSymlink, Target: "x", Mode: "0777"}}, "type symlink, want file", SeverityError},
		{"symlink target", Entry{Path: "f", Type: TypeSymlink, Target: "a b", Mode: "0777"},
			map[string]Entry{"f": {Type: TypeSymlink, Target: "/etc/passwd", Mode: "0777"}},
			`symlink target /etc/passwd, want a b`, SeverityError},
		{"device", Entry{Path: "f", Type: TypeBlock, Rdev: "8:2", Mode: "0660"},
			map[string]Entry{"f": {Type: TypeBlock, Rdev: "8:1", Mode: "0660"}}, "device 8:1 want 8:2", SeverityError},
		{"mode", Entry{Path: "f", Type: TypeDir, Mode: "0644"}, map[string]Entry{"f": {Type: TypeDir, Mode: "0600", Size: 4096}},
			"mode 0600 want 0644", SeverityError},
		{"densified", Entry{Path: "f", Type: TypeFile, Size: 8192, Mode: "0644", SHA256: hashA, Sparse: true},
			map[string]Entry{"f": {Type: TypeFile, Size: 8192, Allocated: 8192, Mode: "0644", SHA256: hashA}},
			"not sparse any more (allocated 8192 of 8192 bytes)", SeverityWarning},
		{"link lost without inode numbers", Entry{Path: "f", Type: TypeFile, Mode: "0644", HardLink: "a", SHA256: hashA},
			map[string]Entry{"f": {Type: TypeFile, Mode: "0644", Links: 1, SHA256: hashA}, "a": {Type: TypeFile, Links: 1}},
			"hard link to a lost (separate inode)", SeverityError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := Compare([]Entry{tt.want}, tt.got)
			switch {
			case tt.msg == "" && len(ms) != 0:
				t.Errorf("got %v, want no mismatch", ms)
			case tt.msg != "" && (len(ms) != 1 || ms[0].Problem != tt.msg || ms[0].Severity != tt.sev || ms[0].Path != "f"):
				t.Errorf("got %v, want one %s %q", ms, tt.sev, tt.msg)
			case len(ms) == 1 && ms[0].Missing != (tt.name == "missing"):
				t.Errorf("missing is %v for %q", ms[0].Missing, tt.msg)
			}
		})
	}
}

func TestReportListsErrorsFirstAndCaps(t *testing.T) {
	if Report(nil) != "" {
		t.Error("Report of nothing is not empty")
	}
	ms := []Mismatch{{Path: "a-sparse", Problem: "not sparse any more", Severity: SeverityWarning}}
	for i := range 25 {
		ms = append(ms, Mismatch{Path: fmt.Sprintf("f%02d", i), Problem: "missing at the target", Severity: SeverityError})
	}
	ms = append(ms, Mismatch{Path: "new\nline", Problem: "missing at the target", Severity: SeverityError})
	lines := strings.Split(strings.TrimSuffix(Report(ms), "\n"), "\n")
	if lines[0] != "27 problems (26 errors, 1 warning):" {
		t.Errorf("header %q", lines[0])
	}
	if len(lines) != 1+ReportLimit+1 || lines[len(lines)-1] != "  and 7 more" {
		t.Errorf("want %d listed and \"and 7 more\", got:\n%s", ReportLimit, strings.Join(lines, "\n"))
	}
	if !slices.Contains(lines, "  error    f00: missing at the target") || strings.Contains(Report(ms), "a-sparse") {
		t.Errorf("errors should come first and fill the cap:\n%s", strings.Join(lines, "\n"))
	}
	one := Report(ms[len(ms)-1:])
	if !strings.Contains(one, `"new\nline": missing`) || !strings.HasPrefix(one, "1 problem (1 error, 0 warnings):") {
		t.Errorf("a name with a newline should be quoted:\n%s", one)
	}
}
