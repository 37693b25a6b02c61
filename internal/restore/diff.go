package restore

import (
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
)

// Changes is what a restore does to the primary's tree: the paths to copy
// from the point, and the paths to delete that the point does not have.
// Paths are relative to the restored tree's root ("" is the root itself).
type Changes struct {
	// Copy lists, parents first, every path to write from the point: what
	// is missing or differs on the primary, and the folders around what
	// changes, whose times the copy sets back.
	Copy []string `json:"-"`
	// Remove lists the topmost paths to delete: those the point lacks, and
	// those whose type differs from the point's.
	Remove []string `json:"-"`

	// FilesRestored and BytesRestored are the regular files copied back
	// and their size; FilesRemoved the regular files deleted (under
	// Remove, which also counts folders and special files as PathsRemoved).
	FilesRestored int   `json:"files_restored"`
	BytesRestored int64 `json:"bytes_restored"`
	FilesRemoved  int   `json:"files_removed"`
	PathsRemoved  int   `json:"paths_removed"`
	// Restored and Removed show the first few paths of each.
	Restored []string `json:"restored"`
	Removed  []string `json:"removed"`
}

// Empty reports a primary tree that is the point's already.
func (c Changes) Empty() bool { return len(c.Copy) == 0 && len(c.Remove) == 0 }

// shown is how many paths Changes lists by name.
const shown = 20

// diff compares the point's tree with the primary's, both scanned without
// hashes. A file differs when its size, mtime or mode does; sums, when
// given, also compare the content of files that look alike (keyed by path,
// for the point and the primary).
func diff(point, primary []manifest.Entry, pointSums, primarySums map[string]string) Changes {
	have := index(primary)
	want := index(point)
	copySet := map[string]bool{}
	var c Changes
	for _, e := range point {
		p, ok := have[e.Path]
		switch {
		case !ok:
			copySet[e.Path] = true
		case p.Type != e.Type || (e.Type == manifest.TypeSymlink && p.Target != e.Target):
			c.Remove = append(c.Remove, e.Path)
			copySet[e.Path] = true
		case differs(e, p) || (e.Type == manifest.TypeFile && pointSums[e.Path] != primarySums[e.Path]):
			copySet[e.Path] = true
		}
	}
	for _, p := range primary {
		if _, ok := want[p.Path]; !ok {
			c.Remove = append(c.Remove, p.Path)
		}
	}
	c.Remove = topmost(c.Remove)
	keepLinksTogether(point, copySet)
	// The folders around what changes get their times back at the end.
	for _, p := range append(slices.Collect(maps.Keys(copySet)), c.Remove...) {
		for dir := parent(p); ; dir = parent(dir) {
			if _, ok := want[dir]; ok {
				copySet[dir] = true
			}
			if dir == "" {
				break
			}
		}
	}
	c.Copy = slices.Sorted(maps.Keys(copySet))
	c.count(want, primary)
	return c
}

func (c *Changes) count(want map[string]manifest.Entry, primary []manifest.Entry) {
	c.Restored, c.Removed = []string{}, []string{}
	for _, p := range c.Copy {
		if e := want[p]; e.Type == manifest.TypeFile {
			c.FilesRestored++
			c.BytesRestored += e.Size
			if len(c.Restored) < shown {
				c.Restored = append(c.Restored, p)
			}
		}
	}
	c.PathsRemoved = len(c.Remove)
	for _, p := range primary {
		if p.Type == manifest.TypeFile && underAny(p.Path, c.Remove) {
			c.FilesRemoved++
		}
	}
	c.Removed = c.Remove[:min(len(c.Remove), shown)]
}

// differs compares what a faithful copy keeps. Times are compared to the
// second: geo-replication's tar (tarssh) carries whole seconds to the site,
// so a point never holds the primary's fractions.
func differs(want, got manifest.Entry) bool {
	if want.Mode != got.Mode {
		return true
	}
	sameTime := want.MTime.Truncate(time.Second).Equal(got.MTime.Truncate(time.Second))
	switch want.Type {
	case manifest.TypeFile:
		return want.Size != got.Size || !sameTime
	case manifest.TypeChar, manifest.TypeBlock:
		return want.Rdev != got.Rdev
	case manifest.TypeDir:
		return !sameTime
	}
	return false
}

// keepLinksTogether copies every path of a hard link group whose any path
// is copied, so that tar makes them one inode again.
func keepLinksTogether(point []manifest.Entry, copySet map[string]bool) {
	groups := map[string][]string{}
	for _, e := range point {
		if e.HardLink != "" {
			groups[e.HardLink] = append(groups[e.HardLink], e.Path)
		}
	}
	for leader, members := range groups {
		all := append([]string{leader}, members...)
		if slices.ContainsFunc(all, func(p string) bool { return copySet[p] }) {
			for _, p := range all {
				copySet[p] = true
			}
		}
	}
}

func index(entries []manifest.Entry) map[string]manifest.Entry {
	m := make(map[string]manifest.Entry, len(entries)+1)
	for _, e := range entries {
		m[e.Path] = e
	}
	return m
}

// topmost drops the paths that lie under another of them.
func topmost(paths []string) []string {
	slices.Sort(paths)
	var out []string
	for _, p := range paths {
		if len(out) == 0 || !under(p, out[len(out)-1]) {
			out = append(out, p)
		}
	}
	return out
}

func underAny(p string, dirs []string) bool {
	return slices.ContainsFunc(dirs, func(d string) bool { return under(p, d) })
}

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

func parent(p string) string {
	if d := path.Dir(p); d != "." {
		return d
	}
	return ""
}
