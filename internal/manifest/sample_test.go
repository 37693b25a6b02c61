package manifest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSampleIsDeterministicAndOnlyFiles(t *testing.T) {
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var entries []Entry
	for i := range 500 {
		entries = append(entries, Entry{Path: fmt.Sprintf("d%d/f%03d", i%7, i), Type: TypeFile, MTime: old, CTime: old})
	}
	for i := range 7 {
		entries = append(entries, Entry{Path: fmt.Sprintf("d%d", i), Type: TypeDir, MTime: old, CTime: old})
	}
	entries = append(entries, Entry{Path: "link", Type: TypeSymlink, Target: "d0/f000", MTime: old})

	a := Sample(entries, 25, 7, time.Time{})
	slices.Reverse(entries) // the input order does not matter
	b := Sample(entries, 25, 7, time.Time{})
	c := Sample(entries, 25, 8, time.Time{})
	if len(a) != 25 || !slices.Equal(a, b) {
		t.Fatalf("the same seed gave different samples:\n%v\n%v", paths(a), paths(b))
	}
	if slices.Equal(a, c) {
		t.Error("seeds 7 and 8 gave the same sample")
	}
	if !slices.IsSortedFunc(a, func(x, y Entry) int { return strings.Compare(x.Path, y.Path) }) {
		t.Error("the sample is not sorted by path")
	}
	for _, e := range a {
		if e.Type != TypeFile {
			t.Errorf("sampled a %s: %q", e.Type, e.Path)
		}
	}
	if all := Sample(entries, 10000, 1, time.Time{}); len(all) != 500 {
		t.Errorf("asking for more than there is gave %d, want all 500 files", len(all))
	}
	if none := Sample(entries, 0, 1, time.Time{}); len(none) != 0 {
		t.Errorf("n=0 gave %d", len(none))
	}
}

func TestSampleTakesOnlyFilesSettledBeforeTheCheckpoint(t *testing.T) {
	checkpoint := time.Date(2026, 11, 25, 2, 30, 0, 0, time.UTC)
	before, after := checkpoint.Add(-time.Hour), checkpoint.Add(time.Minute)
	entries := []Entry{
		{Path: "old", Type: TypeFile, MTime: before, CTime: before},
		{Path: "written-after", Type: TypeFile, MTime: after, CTime: after},
		{Path: "renamed-after", Type: TypeFile, MTime: before, CTime: after},
		{Path: "at-checkpoint", Type: TypeFile, MTime: checkpoint, CTime: checkpoint},
		{Path: "moved", Type: TypeDir, MTime: before, CTime: after},
		{Path: "moved/deep/f", Type: TypeFile, MTime: before, CTime: before},
		{Path: "quiet", Type: TypeDir, MTime: before, CTime: before},
		{Path: "quiet/f", Type: TypeFile, MTime: before, CTime: before},
		{Path: "decoded", Type: TypeFile, MTime: before}, // from a manifest: no ctime
	}
	got := paths(Sample(entries, 100, 1, checkpoint))
	if want := []string{"decoded", "old", "quiet/f"}; !slices.Equal(got, want) {
		t.Errorf("sampled %q, want %q", got, want)
	}
}

func paths(entries []Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Path
	}
	return out
}
