package benchcmp

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// treeClass is one kind of file in the hashed tree: a share of the bytes
// in files of up to size bytes.
type treeClass struct {
	share float64
	size  int64
}

// treeLayout mixes sizes the way a backup set and a volume do: half the
// bytes in a few large files, the rest in many smaller ones. At 1 GiB: 4
// files of 128 MiB, 64 of 4 MiB, 1024 of 192 KiB and 4096 of 16 KiB.
var treeLayout = []treeClass{{0.5, 128 << 20}, {0.25, 4 << 20}, {0.1875, 192 << 10}, {0.0625, 16 << 10}}

// treeFiles returns, per class, how many files of which size make up a
// tree of total bytes.
func treeFiles(total int64) (counts, sizes []int64) {
	for _, c := range treeLayout {
		share := int64(c.share * float64(total))
		size := min(c.size, share)
		if size < 1 {
			continue
		}
		counts, sizes = append(counts, share/size), append(sizes, size)
	}
	return counts, sizes
}

// writeTree writes the tree under root unless root.layout already names
// the same layout; the arguments after root and the layout are pairs of
// count and size.
const writeTree = `root=$1 layout=$2; shift 2
[ "$(cat "$root.layout" 2>/dev/null)" = "$layout" ] && exit 0
rm -rf -- "$root" "$root.layout" && mkdir -p -- "$root" || exit 1
c=0
while [ $# -ge 2 ]; do
  n=$1 size=$2 i=0; shift 2
  while [ "$i" -lt "$n" ]; do
    d="$root/d$((c / 500))"
    [ -d "$d" ] || mkdir "$d" || exit 1
    head -c "$size" /dev/urandom > "$d/f$c" || exit 1
    i=$((i + 1)) c=$((c + 1))
  done
done
printf '%s' "$layout" > "$root.layout"`

// benchTree is the hashed tree on the primary node of the lab.
type benchTree struct {
	runner remote.Runner
	root   string
	files  int64
	bytes  int64
}

// primaryTree writes (once) a tree of about env.TreeMB MB on the lab's
// primary node, outside any gluster volume: the comparison is about
// hashing, and the tree must not be replicated by other work on the lab.
func primaryTree(ctx context.Context, env *Env) (*benchTree, error) {
	conn, err := env.Lab()
	if err != nil {
		return nil, err
	}
	node := ""
	for _, n := range conn.D.Nodes {
		if n.Site == "primary" {
			node = n.Name
			break
		}
	}
	r, err := conn.Runner(node)
	if err != nil {
		return nil, err
	}
	t := &benchTree{runner: r, root: fmt.Sprintf("/var/tmp/glusterdr-bench/tree-%dMB", env.TreeMB)}
	counts, sizes := treeFiles(int64(env.TreeMB) << 20)
	var layout, pairs []string
	for i := range counts {
		c, sz := strconv.FormatInt(counts[i], 10), strconv.FormatInt(sizes[i], 10)
		layout, pairs = append(layout, c+"x"+sz), append(pairs, c, sz)
		t.files += counts[i]
		t.bytes += counts[i] * sizes[i]
	}
	argv := append([]string{"sh", "-c", writeTree, "sh", t.root, strings.Join(layout, ",")}, pairs...)
	env.logf("hashing: %d files, %d bytes under %s on %s", t.files, t.bytes, t.root, r.Host())
	if _, err := r.Run(ctx, remote.Cmd{Argv: argv}); err != nil {
		return nil, fmt.Errorf("writing the tree: %w", err)
	}
	return t, nil
}

// sha256sum is the reference: GNU sha256sum over every file of the tree.
func (t *benchTree) sha256sum(ctx context.Context) error {
	res, err := t.runner.Run(ctx, remote.Command("find", t.root, "-type", "f", "-exec", "sha256sum", "--", "{}", "+"))
	if err != nil {
		return err
	}
	if n := int64(strings.Count(string(res.Stdout), "\n")); n != t.files {
		return fmt.Errorf("sha256sum hashed %d files, want %d", n, t.files)
	}
	return nil
}

// treeComparison holds ours, run on the primary's tree, against
// t.sha256sum over the same tree.
func treeComparison(name, ours string, run func(context.Context, *Env, *benchTree) (Measured, error)) Comparison {
	return Comparison{
		Name:      name,
		Ours:      ours,
		Reference: "find -type f -exec sha256sum {} +, over the same SSH",
		Run: func(ctx context.Context, env *Env) (Measured, error) {
			t, err := primaryTree(ctx, env)
			if err != nil {
				return Measured{}, err
			}
			return run(ctx, env, t)
		},
	}
}

func manifestScan() Comparison {
	return treeComparison("manifest of a file tree (manifest.Scan with hashes)", "manifest.Scan, over SSH to the primary",
		func(ctx context.Context, env *Env, t *benchTree) (Measured, error) {
			return t.compare(ctx, env, func(ctx context.Context) error {
				entries, err := manifest.Scan(ctx, t.runner, t.root, manifest.ScanOptions{Hash: true})
				if err != nil {
					return err
				}
				return t.checkHashed(entries)
			})
		})
}

func manifestObserve() Comparison {
	return treeComparison("manifest read back at a target (manifest.Observe)", "manifest.Observe, over SSH to the primary",
		func(ctx context.Context, env *Env, t *benchTree) (Measured, error) {
			want, err := manifest.Scan(ctx, t.runner, t.root, manifest.ScanOptions{Hash: true})
			if err != nil {
				return Measured{}, err
			}
			return t.compare(ctx, env, func(ctx context.Context) error {
				got, err := manifest.Observe(ctx, t.runner, t.root, want)
				if err != nil {
					return err
				}
				if ms := manifest.Compare(want, got); len(ms) > 0 {
					return fmt.Errorf("the tree does not match itself: %d mismatches, first %s", len(ms), ms[0])
				}
				return nil
			})
		})
}

func (t *benchTree) compare(ctx context.Context, env *Env, ours func(context.Context) error) (Measured, error) {
	o, r, err := Alternate(ctx, env, Timed(ours), Timed(t.sha256sum))
	if err != nil {
		return Measured{}, err
	}
	label := fmt.Sprintf("%d MB in %d files", t.bytes/1e6, t.files)
	return Measured{Metrics: throughput(label, t.bytes, seconds(o), seconds(r), benchtable.RatioAtLeast(0.8))}, nil
}

func (t *benchTree) checkHashed(entries []manifest.Entry) error {
	var n int64
	var errs []error
	for _, e := range entries {
		if e.Type != manifest.TypeFile {
			continue
		}
		n++
		if e.SHA256 == "" {
			errs = append(errs, fmt.Errorf("%s has no hash", path.Join(t.root, e.Path)))
		}
	}
	if n != t.files {
		errs = append(errs, fmt.Errorf("the scan found %d files, want %d", n, t.files))
	}
	return errors.Join(errs...)
}
