package manifest

import (
	"slices"
	"strconv"
	"time"
)

// MaxSpecial caps how many awkward files Special returns: their entries
// are kept in set.json.
const MaxSpecial = 5000

// Special picks a volume's awkward files from a Scan: what file-level
// tools translate in unrestorable ways, so that verification can check
// them at the target and a restore can put back what a hop lost. They
// are, in the order kept when there are more than max:
//
//  1. device nodes, FIFOs, sockets, and anything with the setuid, setgid
//     or sticky bit;
//  2. hard links (every path of a group) and sparse files;
//  3. symlinks.
//
// Like Sample, only what had settled before the checkpoint counts. It
// returns the picks sorted by path, and how many were left out over max.
func Special(entries []Entry, before time.Time, max int) ([]Entry, int) {
	settled := settledBy(entries, before)
	var classes [3][]Entry
	for _, e := range entries {
		if c := specialClass(e); c >= 0 && settled(e) {
			classes[c] = append(classes[c], e)
		}
	}
	var pick []Entry
	omitted := 0
	for _, c := range classes {
		SortEntries(c)
		n := min(len(c), max-len(pick))
		pick = append(pick, c[:n]...)
		omitted += len(c) - n
	}
	SortEntries(pick)
	return slices.Clip(pick), omitted
}

// specialClass is e's rank in Special, or -1 for an ordinary file or
// directory.
func specialClass(e Entry) int {
	switch {
	case e.Type == TypeChar || e.Type == TypeBlock || e.Type == TypeFIFO || e.Type == TypeSocket || SpecialBits(e.Mode) != 0:
		return 0
	case e.Type == TypeFile && (e.Links > 1 || e.Sparse):
		return 1
	case e.Type == TypeSymlink:
		return 2
	}
	return -1
}

// SpecialBits are the setuid (04000), setgid (02000) and sticky (01000)
// bits of a mode as Entry writes it; 0 for a mode that is not octal.
func SpecialBits(mode string) uint64 {
	m, err := strconv.ParseUint(mode, 8, 12)
	if err != nil {
		return 0
	}
	return m & 0o7000
}
