package manifest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// maxHashWorkers bounds the sha256sum commands HashFiles runs at once on
// one host, and so the SSH sessions it takes on the host's connection
// (remote.Client queues any beyond the connection's command slots).
const maxHashWorkers = 8

// batchesPerWorker: with several workers, the files are cut into about
// this many batches per worker, so that a slow batch (cold files, a busy
// processor) does not leave the other workers idle at the end.
const batchesPerWorker = 4

// perFileCost weighs each file like this many more bytes: opening and
// closing a file costs about as much as reading a page.
const perFileCost = 4096

// hashWorkers is how many sha256sum commands to run at once on r's host:
// one per processor (nproc, from coreutils like sha256sum), at most
// maxHashWorkers.
func hashWorkers(ctx context.Context, r remote.Runner) (int, error) {
	argv := []string{"nproc"}
	out, err := run(ctx, r, remote.Cmd{Argv: argv}, "count processors")
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil || n < 1 {
		return 0, parseError(r, argv, fmt.Errorf("nproc printed %q", out))
	}
	return min(n, maxHashWorkers), nil
}

// balancedBatches groups the paths (absolute path to size in bytes) into
// batches of about equal weight, largest files first, each within limit
// bytes once quoted after fixed. A file heavier than a batch's share gets
// a batch of its own. With one worker, only the limit cuts.
func balancedBatches(fixed []string, sizes map[string]int64, workers, limit int) ([][]string, error) {
	weight := func(p string) int64 { return max(sizes[p], 0) + perFileCost }
	paths := slices.SortedFunc(maps.Keys(sizes), func(a, b string) int {
		return cmp.Or(cmp.Compare(sizes[b], sizes[a]), strings.Compare(a, b))
	})
	var total int64
	for _, p := range paths {
		total += weight(p)
	}
	share := total
	if workers > 1 {
		share = max(total/int64(workers*batchesPerWorker), 1)
	}
	base := len(remote.Quote(fixed))
	var out [][]string
	var cur []string
	var curWeight int64
	curLen := base
	for _, p := range paths {
		n := len(remote.QuoteArg(p)) + 1
		if base+n > limit {
			return nil, fmt.Errorf("manifest: path %q is too long for one command", p)
		}
		if len(cur) > 0 && (curLen+n > limit || curWeight >= share) {
			out = append(out, cur)
			cur, curWeight, curLen = nil, 0, base
		}
		cur = append(cur, p)
		curWeight += weight(p)
		curLen += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, nil
}
