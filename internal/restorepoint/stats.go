package restorepoint

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// rsyncStats is what a point holds, from rsync --stats.
type rsyncStats struct {
	files int   // regular files in the point
	bytes int64 // their size
}

var (
	regFilesRE = regexp.MustCompile(`(?m)^Number of files: [0-9,.]+ \(([^)]*)\)`)
	regCountRE = regexp.MustCompile(`reg: ([0-9,.]+)`)
	totalRE    = regexp.MustCompile(`(?m)^Total file size: ([0-9,.]+) bytes`)
)

// parseRsyncStats reads the --stats summary.
func parseRsyncStats(out []byte) (rsyncStats, error) {
	var st rsyncStats
	text := string(out)
	total := totalRE.FindStringSubmatch(text)
	if total == nil {
		return st, fmt.Errorf("no --stats summary in its output: %q", firstLines(text, 3))
	}
	var err error
	if st.bytes, err = number(total[1]); err != nil {
		return st, err
	}
	if m := regFilesRE.FindStringSubmatch(text); m != nil {
		if c := regCountRE.FindStringSubmatch(m[1]); c != nil {
			n, err := number(c[1])
			if err != nil {
				return st, err
			}
			st.files = int(n)
		}
	}
	return st, nil
}

// number reads rsync's counts, with or without thousands separators.
func number(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.NewReplacer(",", "", ".", "").Replace(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("rsync count %q: %w", s, err)
	}
	return n, nil
}

// parseDu reads du's "SIZE<TAB>PATH" lines, the "total" of -c among them.
func parseDu(out []byte) (map[string]int64, error) {
	sizes := map[string]int64{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		size, name, ok := strings.Cut(line, "\t")
		n, err := strconv.ParseInt(size, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("du printed %q, not SIZE<TAB>PATH", line)
		}
		sizes[name] = n
	}
	if _, ok := sizes["total"]; !ok {
		return nil, fmt.Errorf("du printed no total: %q", firstLines(string(out), 3))
	}
	return sizes, nil
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
