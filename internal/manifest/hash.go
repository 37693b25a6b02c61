package manifest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// maxCommandBytes caps one command line as SSH sends it (the quoted argv).
// The remote shell gets the whole line as a single argument, and Linux
// refuses any single argument over 128 KiB; half of that leaves room.
const maxCommandBytes = 64 << 10

// UnreadableError reports paths that exist but could not be hashed (a
// directory, no permission, an I/O error): unlike a missing file, these say
// nothing about whether the bytes arrived.
type UnreadableError struct {
	Host   string
	Paths  []string
	Stderr string
}

func (e *UnreadableError) Error() string {
	return fmt.Sprintf("manifest: could not read %d file(s) on %s: %s\nStderr: %s",
		len(e.Paths), e.Host, quoteList(e.Paths, 5), strings.TrimSpace(e.Stderr))
}

// HashPaths returns the sha256 of the given relative paths under root, run
// as `sha256sum -z -- ROOT/p ...` in batches, several at once (see
// HashFiles). Callers pass regular files (a FIFO would block the read). A
// file that does not exist is simply absent from the map; the batches
// still hash the others. Files that exist but cannot be read are returned
// as an *UnreadableError, with the map of the rest.
func HashPaths(ctx context.Context, r remote.Runner, root string, paths []string) (map[string]string, error) {
	files := make(map[string]int64, len(paths))
	for _, p := range paths {
		files[p] = 1 // sizes unknown: balance the batches by count
	}
	return HashFiles(ctx, r, root, files)
}

// HashFiles is HashPaths for files whose sizes are known (relative path to
// bytes). sha256sum reads one file at a time on one processor, so the
// files go in batches balanced by size, largest first, and one batch runs
// per processor of the host at once, each on its own SSH session; a
// session that finishes takes the next batch.
func HashFiles(ctx context.Context, r remote.Runner, root string, files map[string]int64) (map[string]string, error) {
	root, err := cleanRoot(root)
	if err != nil {
		return nil, err
	}
	args, err := absPaths(root, slices.Collect(maps.Keys(files)))
	if err != nil {
		return nil, err
	}
	sizes := make(map[string]int64, len(args))
	for a, rel := range args {
		sizes[a] = files[rel]
	}
	fixed := slices.Concat(cLocale, []string{"sha256sum", "-z", "--"})
	workers := 1
	if len(args) > 1 {
		if workers, err = hashWorkers(ctx, r); err != nil {
			return nil, err
		}
	}
	batches, err := balancedBatches(fixed, sizes, workers, maxCommandBytes)
	if err != nil {
		return nil, err
	}
	results := make([]batchResult, len(batches))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i, b := range batches {
		g.Go(func() (err error) {
			results[i], err = hashBatch(gctx, r, root, slices.Concat(fixed, b), b, args)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return mergeBatches(ctx, r, root, len(args), results)
}

// batchResult is what one sha256sum command hashed (relative path to
// hash), which of its paths it did not, and its stderr when that says more
// than "No such file".
type batchResult struct {
	sums     map[string]string
	unhashed []string
	stderr   []byte
}

// hashBatch runs one sha256sum command. Per-file failures are in the
// result; the error is for anything else.
func hashBatch(ctx context.Context, r remote.Runner, root string, argv, b []string, args map[string]string) (batchResult, error) {
	// Reading the files grows with their size: no bound but ctx.
	res, err := r.Run(ctx, remote.Cmd{Argv: argv, Timeout: remote.NoTimeout})
	var ce *remote.CommandError
	if err != nil && (!errors.As(err, &ce) || res.ExitCode != 1) {
		return batchResult{}, runError(r, "hash files under "+root, err) // not a per-file failure
	}
	parsed, perr := parseSums(res.Stdout)
	if perr != nil {
		return batchResult{}, parseError(r, argv, perr)
	}
	out := batchResult{sums: make(map[string]string, len(parsed))}
	for _, s := range parsed {
		rel, ok := args[s.name]
		if !ok {
			return batchResult{}, parseError(r, argv, fmt.Errorf("sha256sum printed %q, which was not asked for", s.name))
		}
		out.sums[rel] = s.hash
	}
	for _, a := range b {
		if _, ok := out.sums[args[a]]; !ok {
			out.unhashed = append(out.unhashed, args[a])
		}
	}
	switch {
	case len(out.unhashed) == 0 && err == nil:
	case err == nil:
		return batchResult{}, parseError(r, argv, fmt.Errorf("sha256sum exited 0 without hashing %s", quoteList(out.unhashed, 5)))
	case len(out.unhashed) == 0:
		return batchResult{}, runError(r, "hash files under "+root, err)
	case !onlyMissing(res, err) || strings.Count(string(res.Stderr), "\n") != len(out.unhashed):
		out.stderr = res.Stderr
	}
	return out, nil
}

// mergeBatches joins the batches' hashes and, when some failures were not
// "No such file", asks find which of the unhashed paths exist: those are
// unreadable.
func mergeBatches(ctx context.Context, r remote.Runner, root string, n int, results []batchResult) (map[string]string, error) {
	sums := make(map[string]string, n)
	var unhashed []string
	var stderr strings.Builder
	for _, res := range results {
		maps.Copy(sums, res.sums)
		unhashed = append(unhashed, res.unhashed...)
		stderr.Write(res.stderr)
	}
	if stderr.Len() == 0 {
		return sums, nil // every unhashed path is missing
	}
	present, err := StatPaths(ctx, r, root, unhashed)
	if err != nil {
		return nil, err
	}
	if len(present) == 0 {
		return sums, nil
	}
	return sums, &UnreadableError{Host: r.Host(), Paths: slices.Sorted(maps.Keys(present)), Stderr: stderr.String()}
}

// fillHashes hashes every regular file of entries (found under root by
// Scan) and sets SHA256 on them. A file that vanished since the listing
// fails the scan, as does one that cannot be read.
func fillHashes(ctx context.Context, r remote.Runner, root string, entries []Entry) error {
	files := make(map[string]int64)
	for _, e := range entries {
		if e.Type == TypeFile {
			files[e.Path] = e.Size
		}
	}
	sums, err := HashFiles(ctx, r, root, files)
	if err != nil {
		return err
	}
	for i, e := range entries {
		if e.Type != TypeFile {
			continue
		}
		h, ok := sums[e.Path]
		if !ok {
			return fmt.Errorf("manifest: scan of %s on %s: %q was not hashed; did it change during the scan?",
				root, r.Host(), e.Path)
		}
		entries[i].SHA256 = h
	}
	return nil
}

// batch splits args into groups so that fixed plus each group, quoted as
// SSH sends it, stays within limit bytes.
func batch(fixed, args []string, limit int) ([][]string, error) {
	base := len(remote.Quote(fixed))
	var out [][]string
	var cur []string
	size := base
	for _, a := range args {
		n := len(remote.QuoteArg(a)) + 1
		if base+n > limit {
			return nil, fmt.Errorf("manifest: path %q is too long for one command", a)
		}
		if size+n > limit {
			out = append(out, cur)
			cur, size = nil, base
		}
		cur = append(cur, a)
		size += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// run runs cmd and returns its stdout; any failure is an error naming the
// host and the command.
func run(ctx context.Context, r remote.Runner, cmd remote.Cmd, what string) ([]byte, error) {
	res, err := r.Run(ctx, cmd)
	if err != nil {
		return nil, runError(r, what, err)
	}
	return res.Stdout, nil
}

func runError(r remote.Runner, what string, err error) error {
	var ce *remote.CommandError
	if errors.As(err, &ce) {
		return fmt.Errorf("manifest: %s: %w", what, err) // names host, command, exit code, stderr
	}
	return fmt.Errorf("manifest: %s on %s: %w", what, r.Host(), err)
}

func parseError(r remote.Runner, argv []string, err error) error {
	return fmt.Errorf("manifest: unexpected output on %s: %w\nCommand: %s", r.Host(), err, remote.Quote(argv))
}

// quoteList renders up to n paths, quoted, and how many more there are.
func quoteList(paths []string, n int) string {
	var parts []string
	for i, p := range paths {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more", len(paths)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%q", p))
	}
	return strings.Join(parts, ", ")
}
