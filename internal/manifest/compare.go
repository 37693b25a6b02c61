package manifest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Severities of a Mismatch.
const (
	// SeverityError: the copy is not the data that was sent.
	SeverityError = "error"
	// SeverityWarning: the data is intact but a property was lost that
	// matters for space or for a faithful restore (a sparse file made dense).
	SeverityWarning = "warning"
)

// ReportLimit is how many mismatches Report lists before "and N more".
const ReportLimit = 20

// Mismatch is one way in which a path at the target differs from what was
// sent. Problem is written for an operator, e.g. "size 0, want 104857600
// (arrived empty)".
type Mismatch struct {
	Path     string `json:"path"`
	Problem  string `json:"problem"`
	Severity string `json:"severity"`
	// Missing is set when the path is not at the target at all.
	Missing bool `json:"missing,omitempty"`
}

func (m Mismatch) String() string {
	return fmt.Sprintf("%s: %s: %s", m.Severity, displayPath(m.Path), m.Problem)
}

// Observe reads at the target what Compare needs for want: the metadata of
// every wanted path (and of the first path of each hard link group), and the
// hash of every wanted file that is a file of the right size there (a file
// of the wrong size is already reported by its size). If files exist but
// cannot be read, the map is still complete and the error is an
// *UnreadableError; Compare then says their content was not read.
func Observe(ctx context.Context, r remote.Runner, root string, want []Entry) (map[string]Entry, error) {
	paths := make([]string, 0, len(want))
	for _, w := range want {
		paths = append(paths, w.Path)
		if w.HardLink != "" {
			paths = append(paths, w.HardLink)
		}
	}
	got, err := StatPaths(ctx, r, root, paths)
	if err != nil {
		return nil, err
	}
	toHash := map[string]int64{}
	for _, w := range want {
		g, ok := got[w.Path]
		if ok && w.Type == TypeFile && g.Type == TypeFile && w.SHA256 != "" && g.Size == w.Size {
			toHash[w.Path] = w.Size
		}
	}
	sums, err := HashFiles(ctx, r, root, toHash)
	var unreadable *UnreadableError
	if err != nil && !errors.As(err, &unreadable) {
		return nil, err
	}
	for p, h := range sums {
		g := got[p]
		g.SHA256 = h
		got[p] = g
	}
	return got, err
}

// Compare checks every wanted entry against what was observed at the target
// (from Observe, or StatPaths plus HashPaths) and returns the mismatches in
// path order. Extra paths at the target are not reported, and neither are
// times, link counts or sizes of directories, which a faithful copy need
// not keep. An owner is compared when both sides know it (manifests written
// before owners were recorded do not).
//
// What is lost decides the severity (docs/guides/awkward-files.md): data,
// a type, a symlink target, a hard link, an owner or permission bits are
// errors; holes (a sparse file made dense), and the device numbers and
// setuid/setgid bits that geo-replication does not carry and a restore
// puts back, are warnings.
func Compare(want []Entry, got map[string]Entry) []Mismatch {
	want = slices.Clone(want)
	SortEntries(want)
	var ms []Mismatch
	add := func(p, sev, format string, args ...any) {
		ms = append(ms, Mismatch{Path: p, Problem: fmt.Sprintf(format, args...), Severity: sev})
	}
	for _, w := range want {
		g, ok := got[w.Path]
		switch {
		case !ok:
			ms = append(ms, Mismatch{Path: w.Path, Problem: "missing at the target" + missingHint(w.Type), Severity: SeverityError, Missing: true})
			continue
		case g.Type != w.Type:
			add(w.Path, SeverityError, "type %s, want %s", g.Type, w.Type)
			continue
		}
		switch w.Type {
		case TypeFile:
			switch {
			case g.Size != w.Size && g.Size == 0:
				add(w.Path, SeverityError, "size 0, want %d (arrived empty)", w.Size)
			case g.Size != w.Size:
				add(w.Path, SeverityError, "size %d, want %d", g.Size, w.Size)
			case w.SHA256 != "" && g.SHA256 == "":
				add(w.Path, SeverityError, "content not read at the target (no sha256)")
			case w.SHA256 != "" && g.SHA256 != w.SHA256:
				add(w.Path, SeverityError, "content differs (sha256 %s, want %s)", short(g.SHA256), short(w.SHA256))
			}
		case TypeSymlink:
			if g.Target != w.Target {
				add(w.Path, SeverityError, "symlink target %s, want %s", displayPath(g.Target), displayPath(w.Target))
			}
		case TypeChar, TypeBlock:
			switch {
			case g.Rdev == w.Rdev:
			case g.Rdev == NoDevice:
				add(w.Path, SeverityWarning, "device number %s, want %s (not carried; a restore makes the node again)", g.Rdev, w.Rdev)
			default:
				add(w.Path, SeverityError, "device %s want %s", orUnknown(g.Rdev), w.Rdev)
			}
		}
		if w.HardLink != "" {
			if f, ok := got[w.HardLink]; ok && f.Type == g.Type && !sameInode(f, g) {
				add(w.Path, SeverityError, "hard link to %s lost (separate inode)", displayPath(w.HardLink))
			}
		}
		if w.Sparse && !g.Sparse && w.Type == TypeFile {
			add(w.Path, SeverityWarning, "not sparse any more (allocated %d of %d bytes)", g.Allocated, g.Size)
		}
		compareMode(w, g, add)
		if w.Owner != "" && g.Owner != "" && g.Owner != w.Owner {
			add(w.Path, SeverityError, "owner %s, want %s", g.Owner, w.Owner)
		}
	}
	return ms
}

// missingHint says why a special file can be missing at a site, and the
// cure (docs/guides/awkward-files.md).
func missingHint(typ string) string {
	switch typ {
	case TypeChar, TypeBlock, TypeFIFO, TypeSocket:
		return " (the first cycle of a geo-replication session leaves device nodes, FIFOs and sockets out, and no later cycle " +
			"sends them: make it again on the primary, e.g. a new node moved over it)"
	}
	return ""
}

// NoDevice is the device number of a node made without one: what
// geo-replication leaves at the site for every device node.
const NoDevice = "0:0"

// compareMode reports a mode that differs: an error, except for setuid and
// setgid bits that alone were lost, which geo-replication with tarssh does
// to every file and a restore puts back.
func compareMode(w, g Entry, add func(p, sev, format string, args ...any)) {
	if g.Mode == w.Mode {
		return
	}
	want, _ := strconv.ParseUint(w.Mode, 8, 12)
	got, err := strconv.ParseUint(g.Mode, 8, 12)
	if err == nil && want&0o6000 != 0 && got == want&^0o6000 {
		add(w.Path, SeverityWarning, "setuid/setgid bits lost (mode %s, want %s; a restore sets them again)", g.Mode, w.Mode)
		return
	}
	add(w.Path, SeverityError, "mode %s want %s", orUnknown(g.Mode), w.Mode)
}

// sameInode reports whether a and b are one inode. Without inode numbers
// (a map built by hand), a link count of 1 still proves a lost link.
func sameInode(a, b Entry) bool {
	if a.Inode != 0 && b.Inode != 0 {
		return a.Dev == b.Dev && a.Inode == b.Inode
	}
	return a.Links != 1 && b.Links != 1
}

// Report renders mismatches for an operator: a count, then errors before
// warnings, each naming its file, at most ReportLimit lines and then
// "and N more". It returns "" when there is nothing to report.
func Report(ms []Mismatch) string {
	if len(ms) == 0 {
		return ""
	}
	ms = slices.Clone(ms)
	slices.SortStableFunc(ms, func(a, b Mismatch) int {
		return rank(a.Severity) - rank(b.Severity)
	})
	errs := 0
	for _, m := range ms {
		if m.Severity != SeverityWarning {
			errs++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, %s):\n", plural(len(ms), "problem"), plural(errs, "error"), plural(len(ms)-errs, "warning"))
	for i, m := range ms {
		if i == ReportLimit {
			fmt.Fprintf(&b, "  and %d more\n", len(ms)-ReportLimit)
			break
		}
		fmt.Fprintf(&b, "  %-7s  %s: %s\n", m.Severity, displayPath(m.Path), m.Problem)
	}
	return b.String()
}

func rank(severity string) int {
	if severity == SeverityWarning {
		return 1
	}
	return 0
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// displayPath shows a path as it is, or quoted with escapes when it holds
// anything an operator could not read or copy from a terminal.
func displayPath(p string) string {
	if p != "" && utf8.ValidString(p) && !strings.ContainsFunc(p, func(r rune) bool { return !unicode.IsPrint(r) }) &&
		!strings.HasPrefix(p, " ") && !strings.HasSuffix(p, " ") && !strings.Contains(p, ": ") {
		return p
	}
	return strconv.Quote(p)
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12] + "…"
	}
	return orUnknown(hash)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
