package manifest

import (
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"time"
)

// Sample picks up to n regular files from a Scan at random, for "compare a
// random sample of volume files". The same entries, n and seed give the same
// sample, returned sorted by path.
//
// With a non-zero before (the checkpoint time), only files that had settled
// by then are eligible: the file's mtime and ctime, and the ctime of every
// directory above it that the scan holds, are all before it. The directory
// check matters for renames: a directory renamed after the checkpoint keeps
// its files' times but moves their paths, and they would be reported
// missing at the target. It is conservative: any change in a directory
// after the checkpoint takes its whole subtree out of the draw.
//
// Sample entries carry no SHA256; hash them with HashPaths on the primary,
// then check them at the target with Observe and Compare.
func Sample(entries []Entry, n int, seed int64, before time.Time) []Entry {
	if n <= 0 {
		return nil
	}
	settled := settledBy(entries, before)
	var pool []Entry
	for _, e := range entries {
		if e.Type == TypeFile && settled(e) {
			pool = append(pool, e)
		}
	}
	SortEntries(pool)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x676c757374657264)) // "glusterd"
	n = min(n, len(pool))
	for i := range n {
		j := i + rng.IntN(len(pool)-i)
		pool[i], pool[j] = pool[j], pool[i]
	}
	pick := slices.Clone(pool[:n])
	SortEntries(pick)
	return pick
}

// settledBy says which entries had settled before the given time: their
// own mtime and ctime, and the ctime of every directory above them that
// entries holds, are all before it. A zero time settles everything.
func settledBy(entries []Entry, before time.Time) func(Entry) bool {
	self := func(e Entry) bool {
		return before.IsZero() || (e.MTime.Before(before) && (e.CTime.IsZero() || e.CTime.Before(before)))
	}
	unsettledDirs := make(map[string]bool)
	for _, e := range entries {
		if e.Type == TypeDir && !self(e) {
			unsettledDirs[e.Path] = true
		}
	}
	return func(e Entry) bool { return self(e) && !underAny(e.Path, unsettledDirs) }
}

func underAny(p string, dirs map[string]bool) bool {
	if len(dirs) == 0 {
		return false
	}
	for d := path.Dir(p); d != "." && !strings.HasPrefix(d, "/"); d = path.Dir(d) {
		if dirs[d] {
			return true
		}
	}
	return false
}
