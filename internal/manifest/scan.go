package manifest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// ScanOptions tunes Scan.
type ScanOptions struct {
	// Exclude lists relative paths to leave out, each with everything under
	// it ("backup/tmp" leaves out backup/tmp and backup/tmp/x, not
	// backup/tmpfile). find prunes them, so they are never read.
	Exclude []string
	// Hash reads every regular file and fills in SHA256.
	Hash bool
	// MaxListing caps what the scan's find prints (about 150 bytes and
	// the path per entry), and the hashes' output; DefaultMaxListing when
	// zero. The scan has no timeout: it grows with the tree, and only ctx
	// bounds it.
	MaxListing int64
}

// DefaultMaxListing lets a scan list about ten million entries.
const DefaultMaxListing int64 = 2 << 30

func (o ScanOptions) maxListing() int64 {
	if o.MaxListing > 0 {
		return o.MaxListing
	}
	return DefaultMaxListing
}

// cLocale makes the tools' messages predictable: HashPaths and StatPaths
// tell "No such file or directory" from other failures by its text.
var cLocale = []string{"env", "LC_ALL=C"}

// Scan lists everything under root on r's host (root itself excluded), with
// metadata from one find and, with opts.Hash, content hashes of the files
// it listed from sha256sum batches run side by side (HashFiles). Hard link
// groups are worked out within the scan; links from outside root are not
// seen. Entries come back sorted by path. A file deleted before find lists
// it is left out; a file deleted after, or that find or sha256sum cannot
// read, fails the scan. Nothing mounted below root is read (find -xdev).
func Scan(ctx context.Context, r remote.Runner, root string, opts ScanOptions) ([]Entry, error) {
	root, err := cleanRoot(root)
	if err != nil {
		return nil, err
	}
	excludes, err := cleanExcludes(opts.Exclude)
	if err != nil {
		return nil, err
	}
	// A file deleted while find reads its directory is not an error: on a
	// live volume that is routine, and the file is simply not listed.
	// -xdev keeps out what is mounted inside root (a bind mount on the
	// primary node): it is another file system, not the volume, and
	// geo-replication never carries it.
	argv := findArgv(root, excludes, []string{"-ignore_readdir_race", "-xdev"}, "-printf", findFormat)
	out, err := run(ctx, r, remote.Cmd{Argv: argv, Timeout: remote.NoTimeout, MaxOutput: opts.maxListing()}, "scan "+root)
	if err != nil {
		return nil, err
	}
	recs, err := parseFind(out)
	if err != nil {
		return nil, parseError(r, argv, err)
	}
	prefix := rootPrefix(root)
	entries := make([]Entry, 0, len(recs))
	for _, rec := range recs {
		rel, ok := strings.CutPrefix(rec.full, prefix)
		if !ok || CheckPath(rel) != nil {
			return nil, parseError(r, argv, fmt.Errorf("path %q is not under %s", rec.full, root))
		}
		if excluded(rel, excludes) {
			continue
		}
		rec.Path = rel
		entries = append(entries, rec.Entry)
	}
	SortEntries(entries)
	if err := fillRdev(ctx, r, root, entries, false); err != nil {
		return nil, err
	}
	markHardLinks(entries)
	if opts.Hash {
		if err := fillHashes(ctx, r, root, entries); err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// StatPaths reads the metadata of the given relative paths under root, like
// Scan does (symlinks are not followed). A path that does not exist, or whose
// parent is no longer a directory, is absent from the map; any other failure
// is an error. HardLink is not worked out: compare Dev and Inode.
func StatPaths(ctx context.Context, r remote.Runner, root string, paths []string) (map[string]Entry, error) {
	root, args, err := rootedPaths(root, paths)
	if err != nil {
		return nil, err
	}
	fixed := slices.Concat(cLocale, []string{"find"})
	tail := []string{"-maxdepth", "0", "-printf", findFormat}
	batches, err := batch(slices.Concat(fixed, tail), slices.Sorted(maps.Keys(args)), maxCommandBytes)
	if err != nil {
		return nil, err
	}
	found := make([][]Entry, len(batches))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(statWorkers) // each find waits on the filesystem more than on a processor
	for i, b := range batches {
		g.Go(func() (err error) {
			found[i], err = statBatch(gctx, r, root, slices.Concat(fixed, b, tail), args)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	got := make(map[string]Entry, len(args))
	for _, es := range found {
		for _, e := range es {
			got[e.Path] = e
		}
	}
	entries := make([]Entry, 0, len(got))
	for _, e := range got {
		entries = append(entries, e)
	}
	if err := fillRdev(ctx, r, root, entries, true); err != nil {
		return nil, err
	}
	for _, e := range entries {
		got[e.Path] = e
	}
	return got, nil
}

// statWorkers is how many find commands StatPaths runs at once.
const statWorkers = 4

// statBatch runs one find of StatPaths and returns the entries it printed,
// named by their paths relative to root.
func statBatch(ctx context.Context, r remote.Runner, root string, argv []string, args map[string]string) ([]Entry, error) {
	res, err := r.Run(ctx, remote.Cmd{Argv: argv})
	if err != nil && !onlyMissing(res, err) {
		return nil, runError(r, "stat paths under "+root, err)
	}
	recs, err := parseFind(res.Stdout)
	if err != nil {
		return nil, parseError(r, argv, err)
	}
	entries := make([]Entry, 0, len(recs))
	for _, rec := range recs {
		rel, ok := args[rec.full]
		if !ok {
			return nil, parseError(r, argv, fmt.Errorf("find printed %q, which was not asked for", rec.full))
		}
		rec.Path = rel
		entries = append(entries, rec.Entry)
	}
	return entries, nil
}

// onlyMissing reports whether a failed command failed only because some of
// its paths do not exist (GNU tools exit 1, print the rest, and say why on
// stderr, one line per path).
func onlyMissing(res remote.Result, err error) bool {
	var ce *remote.CommandError
	if !errors.As(err, &ce) || res.ExitCode != 1 {
		return false
	}
	lines := strings.Split(strings.TrimRight(string(res.Stderr), "\n"), "\n")
	for _, line := range lines {
		if !isMissingLine(line) {
			return false
		}
	}
	return len(lines) > 0
}

func isMissingLine(line string) bool {
	return strings.HasSuffix(line, ": No such file or directory") ||
		strings.HasSuffix(line, ": Not a directory")
}

// fillRdev asks stat for the device numbers of char and block devices.
// With missingOK, a device that vanished meanwhile is left without one.
func fillRdev(ctx context.Context, r remote.Runner, root string, entries []Entry, missingOK bool) error {
	var devPaths []string
	for _, e := range entries {
		if e.Type == TypeChar || e.Type == TypeBlock {
			devPaths = append(devPaths, e.Path)
		}
	}
	if len(devPaths) == 0 {
		return nil
	}
	args, err := absPaths(root, devPaths)
	if err != nil {
		return err
	}
	fixed := slices.Concat(cLocale, []string{"stat", "--printf", statRdevFormat, "--"})
	batches, err := batch(fixed, slices.Sorted(maps.Keys(args)), maxCommandBytes)
	if err != nil {
		return err
	}
	rdev := make(map[string]string, len(args))
	for _, b := range batches {
		argv := slices.Concat(fixed, b)
		res, err := r.Run(ctx, remote.Cmd{Argv: argv})
		if err != nil && !(missingOK && onlyMissing(res, err)) {
			return runError(r, "read device numbers under "+root, err)
		}
		devs, err := parseRdev(res.Stdout)
		if err != nil {
			return parseError(r, argv, err)
		}
		for name, dev := range devs {
			rel, ok := args[name]
			if !ok {
				return parseError(r, argv, fmt.Errorf("stat printed %q, which was not asked for", name))
			}
			rdev[rel] = dev
		}
	}
	for i, e := range entries {
		if e.Type == TypeChar || e.Type == TypeBlock {
			entries[i].Rdev = rdev[e.Path]
		}
	}
	return nil
}

// markHardLinks sets HardLink on the 2nd and later paths (sorted entries)
// of each group of non-directories sharing an inode.
func markHardLinks(sorted []Entry) {
	type key struct{ dev, ino uint64 }
	first := make(map[key]string)
	for i, e := range sorted {
		if e.Type == TypeDir || e.Links < 2 {
			continue
		}
		k := key{e.Dev, e.Inode}
		if p, ok := first[k]; ok {
			sorted[i].HardLink = p
		} else {
			first[k] = e.Path
		}
	}
}

// findArgv builds find -H ROOT GLOBALS -mindepth 1 [( -path X -o ... )
// -prune -o] ACTION. -H follows ROOT itself if it is a symlink, and no other
// symlink.
func findArgv(root string, excludes, globals []string, action ...string) []string {
	argv := slices.Concat(cLocale, []string{"find", "-H", root}, globals, []string{"-mindepth", "1"})
	if len(excludes) > 0 {
		argv = append(argv, "(")
		for i, ex := range excludes {
			if i > 0 {
				argv = append(argv, "-o")
			}
			argv = append(argv, "-path", globEscape(rootPrefix(root)+ex))
		}
		argv = append(argv, ")", "-prune", "-o")
	}
	return append(argv, action...)
}

// globEscape makes s match itself in find's -path, which takes a glob.
func globEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if strings.IndexByte(`*?[]\`, c) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

func excluded(rel string, excludes []string) bool {
	for _, ex := range excludes {
		if rel == ex || strings.HasPrefix(rel, ex+"/") {
			return true
		}
	}
	return false
}

// cleanRoot requires an absolute root, so that no argument built from it can
// be taken for an option or a find expression.
func cleanRoot(root string) (string, error) {
	if !strings.HasPrefix(root, "/") || strings.ContainsRune(root, 0) {
		return "", fmt.Errorf("manifest: root %q is not an absolute path", root)
	}
	return path.Clean(root), nil
}

func rootPrefix(root string) string {
	if root == "/" {
		return "/"
	}
	return root + "/"
}

func cleanExcludes(excludes []string) ([]string, error) {
	out := make([]string, 0, len(excludes))
	for _, ex := range excludes {
		ex = strings.TrimSuffix(ex, "/")
		if err := CheckPath(ex); err != nil {
			return nil, fmt.Errorf("manifest: exclude: %w", err)
		}
		out = append(out, ex)
	}
	return out, nil
}

// rootedPaths checks root and paths, and maps ROOT/p -> p for each
// distinct path.
func rootedPaths(root string, paths []string) (string, map[string]string, error) {
	root, err := cleanRoot(root)
	if err != nil {
		return "", nil, err
	}
	args, err := absPaths(root, paths)
	return root, args, err
}

// absPaths maps ROOT/p -> p for each distinct path.
func absPaths(root string, paths []string) (map[string]string, error) {
	args := make(map[string]string, len(paths))
	for _, p := range paths {
		if err := CheckPath(p); err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		args[rootPrefix(root)+p] = p
	}
	return args, nil
}
