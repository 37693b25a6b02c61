package manifest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

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
// as batched `sha256sum -z -- ROOT/p ...`. Callers pass regular files (a
// FIFO would block the read). A file that does not exist is simply absent
// from the map; the batch still hashes the others. Files that exist but
// cannot be read are returned as an *UnreadableError, with the map of the
// rest.
func HashPaths(ctx context.Context, r remote.Runner, root string, paths []string) (map[string]string, error) {
	root, args, err := rootedPaths(root, paths)
	if err != nil {
		return nil, err
	}
	fixed := slices.Concat(cLocale, []string{"sha256sum", "-z", "--"})
	batches, err := batch(fixed, slices.Sorted(maps.Keys(args)), maxCommandBytes)
	if err != nil {
		return nil, err
	}
	sums := make(map[string]string, len(args))
	var unhashed []string
	var stderr strings.Builder
	for _, b := range batches {
		argv := slices.Concat(fixed, b)
		// Reading the files grows with their size: no bound but ctx.
		res, err := r.Run(ctx, remote.Cmd{Argv: argv, Timeout: remote.NoTimeout})
		var ce *remote.CommandError
		if err != nil && (!errors.As(err, &ce) || res.ExitCode != 1) {
			return nil, runError(r, "hash files under "+root, err) // not a per-file failure
		}
		parsed, perr := parseSums(res.Stdout)
		if perr != nil {
			return nil, parseError(r, argv, perr)
		}
		for _, s := range parsed {
			rel, ok := args[s.name]
			if !ok {
				return nil, parseError(r, argv, fmt.Errorf("sha256sum printed %q, which was not asked for", s.name))
			}
			sums[rel] = s.hash
		}
		var missed []string
		for _, a := range b {
			if _, ok := sums[args[a]]; !ok {
				missed = append(missed, args[a])
			}
		}
		switch {
		case len(missed) == 0 && err == nil:
		case err == nil:
			return nil, parseError(r, argv, fmt.Errorf("sha256sum exited 0 without hashing %s", quoteList(missed, 5)))
		case len(missed) == 0:
			return nil, runError(r, "hash files under "+root, err)
		default:
			unhashed = append(unhashed, missed...)
			if !onlyMissing(res, err) || strings.Count(string(res.Stderr), "\n") != len(missed) {
				stderr.Write(res.Stderr)
			}
		}
	}
	if stderr.Len() == 0 {
		return sums, nil // every unhashed path is missing
	}
	// Some failures were not "No such file": ask find which paths exist.
	present, err := StatPaths(ctx, r, root, unhashed)
	if err != nil {
		return nil, err
	}
	if len(present) == 0 {
		return sums, nil
	}
	return sums, &UnreadableError{Host: r.Host(), Paths: slices.Sorted(maps.Keys(present)), Stderr: stderr.String()}
}

// fillHashes hashes every regular file under root with one find that batches
// sha256sum itself, and sets SHA256 on the file entries.
func fillHashes(ctx context.Context, r remote.Runner, root string, excludes []string, entries []Entry, maxOutput int64) error {
	argv := findArgv(root, excludes, nil, "-type", "f", "-exec", "sha256sum", "-z", "--", "{}", "+")
	out, err := run(ctx, r, remote.Cmd{Argv: argv, Timeout: remote.NoTimeout, MaxOutput: maxOutput}, "hash files under "+root)
	if err != nil {
		return err
	}
	parsed, err := parseSums(out)
	if err != nil {
		return parseError(r, argv, err)
	}
	prefix := rootPrefix(root)
	sums := make(map[string]string, len(parsed))
	for _, s := range parsed {
		rel, ok := strings.CutPrefix(s.name, prefix)
		if !ok {
			return parseError(r, argv, fmt.Errorf("sha256sum printed %q, which is not under %s", s.name, root))
		}
		sums[rel] = s.hash
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
