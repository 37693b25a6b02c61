package manifest

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// formatRecord prints rec as find does with findFormat.
func formatRecord(rec record) string {
	letter := map[string]string{TypeFile: "f", TypeDir: "d", TypeSymlink: "l", TypeChar: "c",
		TypeBlock: "b", TypeFIFO: "p", TypeSocket: "s"}[rec.Type]
	var perm uint64
	fmt.Sscanf(rec.Mode, "%o", &perm)
	uid, gid, _ := strings.Cut(rec.Owner, ":")
	fields := []string{letter, fmt.Sprint(rec.Dev), fmt.Sprint(rec.Inode), fmt.Sprint(rec.Links),
		fmt.Sprintf("%o", perm), fmt.Sprint(rec.Size), fmt.Sprint(rec.Allocated / 512),
		formatEpoch(rec.MTime), formatEpoch(rec.CTime), rec.full, rec.Target, uid, gid}
	return strings.Join(fields, "\x00") + "\x00"
}

func formatEpoch(t time.Time) string {
	sec, nsec := t.Unix(), int64(t.Nanosecond())
	if sec < 0 && nsec > 0 {
		return fmt.Sprintf("-%d.%09d", -(sec + 1), 1e9-nsec)
	}
	return fmt.Sprintf("%d.%09d", sec, nsec)
}

func FuzzParseFind(f *testing.F) {
	dir := f.TempDir()
	for _, name := range append(slices.Clone(awkwardNames), "sub") {
		if err := exec.Command("touch", "--", dir+"/"+name).Run(); err != nil {
			f.Fatal(err)
		}
	}
	if err := exec.Command("ln", "-s", "new\nline", dir+"/link").Run(); err != nil {
		f.Fatal(err)
	}
	scanned, err := exec.Command("find", dir, "-mindepth", "1", "-printf", findFormat).Output()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(scanned)
	f.Add([]byte("f\x001\x002\x001\x00644\x000\x000\x00-1.5\x001795630292.0526567710\x00/r/x\x00\x004242\x000\x00"))
	f.Add([]byte("d\x001\x002\x003\x004755\x004096\x008\x000\x000\x00/r\x00\x000\x000\x00"))
	f.Add([]byte("D\x00\x00"))
	f.Fuzz(func(t *testing.T, out []byte) {
		recs, err := parseFind(out)
		if err != nil {
			return
		}
		var again strings.Builder
		for _, rec := range recs {
			if rec.full == "" || !slices.Contains(knownTypes, rec.Type) || !modeRE.MatchString(rec.Mode) {
				t.Fatalf("parsed a bad record: %+v", rec)
			}
			again.WriteString(formatRecord(rec))
		}
		recs2, err := parseFind([]byte(again.String()))
		if err != nil || !slices.Equal(recs, recs2) {
			t.Fatalf("re-parse of the canonical form differs (err %v):\n%+v\n%+v", err, recs, recs2)
		}
	})
}

func FuzzParseSums(f *testing.F) {
	h := strings.Repeat("0123456789abcdef", 4)
	f.Add([]byte(h + "  /r/new\nline\x00" + h + " */r/back\\slash\x00"))
	f.Add([]byte(h + "  \x00"))
	f.Add([]byte(`\` + h + "  /r/x\n"))
	f.Fuzz(func(t *testing.T, out []byte) {
		sums, err := parseSums(out)
		if err != nil {
			return
		}
		var again strings.Builder
		for _, s := range sums {
			if !hashRE.MatchString(s.hash) || s.name == "" {
				t.Fatalf("parsed a bad line: %+v", s)
			}
			again.WriteString(s.hash + "  " + s.name + "\x00")
		}
		sums2, err := parseSums([]byte(again.String()))
		if err != nil || !slices.Equal(sums, sums2) {
			t.Fatalf("re-parse differs (err %v)", err)
		}
	})
}

func TestParseFindRefusesMalformedOutput(t *testing.T) {
	ok := "f\x001\x002\x001\x00644\x005\x008\x001.0\x001.0\x00/r/x\x00\x004242\x00100\x00"
	if _, err := parseFind([]byte(ok)); err != nil {
		t.Fatalf("good record refused: %v", err)
	}
	bad := map[string]string{
		"truncated":          ok[:len(ok)-1],
		"a field short":      strings.Replace(ok, "\x005\x00", "\x00", 1),
		"a field more":       ok + "x\x00",
		"door":               "D" + ok[1:],
		"two letters":        "ff" + ok[1:],
		"size not a number":  strings.Replace(ok, "\x005\x00", "\x00five\x00", 1),
		"mode not octal":     strings.Replace(ok, "\x00644\x00", "\x00648\x00", 1),
		"mode too wide":      strings.Replace(ok, "\x00644\x00", "\x0017777\x00", 1),
		"time not a number":  strings.Replace(ok, "\x001.0\x001.0", "\x00yesterday\x001.0", 1),
		"empty path":         strings.Replace(ok, "/r/x", "", 1),
		"symlink no target":  "l" + ok[1:],
		"file with a target": strings.Replace(ok, "/r/x\x00\x00", "/r/x\x00t\x00", 1),
		"uid not a number":   strings.Replace(ok, "\x004242\x00", "\x00root\x00", 1),
	}
	for name, out := range bad {
		if recs, err := parseFind([]byte(out)); err == nil {
			t.Errorf("%s: accepted %+v", name, recs)
		}
	}
}

func TestParseSumsRefusesEscapedLines(t *testing.T) {
	h := strings.Repeat("a", 64)
	for _, out := range []string{
		`\` + h + "  /r/a\\nb\x00", // sha256sum without -z escapes names
		h + "  /r/a\n",             // newline-terminated
		h + "\t/r/a\x00",
		h[:63] + "  /r/a\x00",
		strings.ToUpper(h) + "  /r/a\x00",
	} {
		if sums, err := parseSums([]byte(out)); err == nil {
			t.Errorf("%q: accepted %+v", out, sums)
		}
	}
}

func TestParseEpoch(t *testing.T) {
	for in, want := range map[string]time.Time{
		"1795630292.0526567710": time.Unix(1795630292, 52656771).UTC(),
		"0":                     time.Unix(0, 0).UTC(),
		"-1.5":                  time.Unix(-2, 5e8).UTC(),
		"-0.25":                 time.Unix(-1, 75e7).UTC(),
		"12.3":                  time.Unix(12, 3e8).UTC(),
	} {
		if got, err := parseEpoch(in); err != nil || !got.Equal(want) {
			t.Errorf("parseEpoch(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", ".5", "+1.0", "1.x", "1.-5", "one"} {
		if _, err := parseEpoch(in); err == nil {
			t.Errorf("parseEpoch(%q) accepted", in)
		}
	}
}
