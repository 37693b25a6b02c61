// Package bench measures geo-replication throughput: it writes a file tree
// on the primary's mount, replicates it with one checkpoint cycle, and
// reports bytes and files per second, next to the fixed cost of a cycle
// that carries nothing, so that the baseline separates the two.
package bench

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Options shape the tree.
type Options struct {
	Files    int
	FileSize int64
	// PerDir caps files per folder; 1000 when zero.
	PerDir int
	// Cycle tunes the checkpoint cycles (Marker is set by Run).
	Cycle gluster.CycleOptions
	// KeepTree leaves the tree on the volume; by default it is removed.
	KeepTree bool
	// GrowFor writes each file as a writer that appends to it would: in
	// steps a second apart over about this long (GrowFile). Zero writes each
	// file at once.
	GrowFor time.Duration
}

// Result is one measurement.
type Result struct {
	Session string `json:"session"`
	// Dir is the tree on the primary's mount.
	Dir   string `json:"dir"`
	Files int    `json:"files"`
	Bytes int64  `json:"bytes"`
	// WriteSeconds is the time to write the tree on the primary mount.
	WriteSeconds float64 `json:"write_seconds"`
	// EmptyCycleSeconds is a cycle with only the marker: the fixed cost.
	EmptyCycleSeconds float64 `json:"empty_cycle_seconds"`
	// CycleSeconds is the cycle that carried the tree.
	CycleSeconds float64 `json:"cycle_seconds"`
	// MBPerSecond is bytes over the whole cycle; NetMBPerSecond over the
	// cycle minus the empty cycle's fixed cost.
	MBPerSecond     float64 `json:"mb_per_second"`
	NetMBPerSecond  float64 `json:"net_mb_per_second"`
	FilesPerSecond  float64 `json:"files_per_second"`
	NoticedAfterSec float64 `json:"noticed_after_seconds"`
	// DeleteCycleSeconds is the cycle that carried the tree's removal;
	// zero with KeepTree.
	DeleteCycleSeconds float64 `json:"delete_cycle_seconds,omitempty"`
}

// Mount is the primary node's view of the mounted global volume.
type Mount struct {
	Runner remote.Runner
	Path   string
	// Marker writes the checkpoint marker on the mount.
	Marker func(ctx context.Context) error
}

// writeTree writes n files of size bytes of random data under dir, with a
// fixed script whose values are positional arguments only.
const writeTree = `dir=$1 n=$2 size=$3 per=$4 i=0
while [ "$i" -lt "$n" ]; do
  sub="$dir/d$((i / per))"
  [ -d "$sub" ] || mkdir -p "$sub" || exit 1
  head -c "$size" /dev/urandom > "$sub/f$i" || exit 1
  i=$((i + 1))
done`

// WriteTree writes n files of size bytes of random data under dir on the
// runner's host, at most perDir to a folder.
func WriteTree(ctx context.Context, r remote.Runner, dir string, n int, size int64, perDir int) error {
	argv := []string{"sh", "-c", writeTree, "sh", dir, strconv.Itoa(n), strconv.FormatInt(size, 10), strconv.Itoa(perDir)}
	if _, err := r.Run(ctx, remote.Cmd{Argv: argv, Timeout: remote.NoTimeout}); err != nil {
		return fmt.Errorf("bench: writing the tree on %s: %w", r.Host(), err)
	}
	return nil
}

// growFile appends to a file a piece of random data a second, steps times.
const growFile = `file=$1 steps=$2 piece=$3 i=0
mkdir -p "$(dirname "$file")" && : > "$file" || exit 1
while [ "$i" -lt "$steps" ]; do
  head -c "$piece" /dev/urandom >> "$file" || exit 1
  sleep 1
  i=$((i + 1))
done`

// GrowFile writes size bytes of random data to file on the runner's host
// over about d, a piece a second, as a log or a result written by a long
// job grows.
func GrowFile(ctx context.Context, r remote.Runner, file string, size int64, d time.Duration) error {
	steps := min(max(int64(d/time.Second), 1), max(size, 1))
	argv := []string{"sh", "-c", growFile, "sh", file, strconv.FormatInt(steps, 10), strconv.FormatInt(size/steps, 10)}
	if _, err := r.Run(ctx, remote.Cmd{Argv: argv, Timeout: remote.NoTimeout}); err != nil {
		return fmt.Errorf("bench: growing %s on %s: %w", file, r.Host(), err)
	}
	return nil
}

// Run measures one session's throughput.
func Run(ctx context.Context, c *gluster.Client, ref gluster.SessionRef, m Mount, opts Options) (*Result, error) {
	if opts.Files < 1 || opts.FileSize < 1 {
		return nil, fmt.Errorf("bench: need at least one file of at least one byte, got %d of %d", opts.Files, opts.FileSize)
	}
	if opts.PerDir <= 0 {
		opts.PerDir = 1000
	}
	cycle := opts.Cycle
	cycle.Marker = m.Marker
	res := &Result{Session: ref.String(), Files: opts.Files, Bytes: int64(opts.Files) * opts.FileSize}

	empty, err := c.RunCheckpointCycle(ctx, ref, cycle)
	if err != nil {
		return nil, fmt.Errorf("bench: the empty cycle: %w", err)
	}
	res.EmptyCycleSeconds = empty.Duration.Seconds()

	res.Dir = path.Join(m.Path, ".glusterdr-bench", time.Now().UTC().Format("20060102T150405.000Z"))
	start := time.Now()
	if err := writeFiles(ctx, m.Runner, res.Dir, opts); err != nil {
		return nil, err
	}
	res.WriteSeconds = time.Since(start).Seconds()

	full, err := c.RunCheckpointCycle(ctx, ref, cycle)
	if err != nil {
		return nil, fmt.Errorf("bench: the cycle carrying %d bytes: %w", res.Bytes, err)
	}
	res.CycleSeconds = full.Duration.Seconds()
	res.NoticedAfterSec = full.NoticedAt.Sub(full.CompletedAt).Seconds()
	mb := float64(res.Bytes) / 1e6
	res.MBPerSecond = mb / res.CycleSeconds
	res.FilesPerSecond = float64(res.Files) / res.CycleSeconds
	if net := res.CycleSeconds - res.EmptyCycleSeconds; net > 0 {
		res.NetMBPerSecond = mb / net
	}
	if opts.KeepTree {
		return res, nil
	}
	// Replicate the removal too, so that the next measurement's empty
	// cycle is really empty.
	if _, err := m.Runner.Run(ctx, remote.Cmd{Argv: []string{"rm", "-rf", "--", res.Dir}, Timeout: remote.NoTimeout}); err != nil {
		return res, fmt.Errorf("bench: removing %s: %w", res.Dir, err)
	}
	del, err := c.RunCheckpointCycle(ctx, ref, cycle)
	if err != nil {
		return res, fmt.Errorf("bench: the cycle carrying the removal: %w", err)
	}
	res.DeleteCycleSeconds = del.Duration.Seconds()
	return res, nil
}

// writeFiles writes the tree of opts under dir, at once or growing.
func writeFiles(ctx context.Context, r remote.Runner, dir string, opts Options) error {
	if opts.GrowFor <= 0 {
		return WriteTree(ctx, r, dir, opts.Files, opts.FileSize, opts.PerDir)
	}
	for i := range opts.Files {
		file := path.Join(dir, "d"+strconv.Itoa(i/opts.PerDir), "f"+strconv.Itoa(i))
		if err := GrowFile(ctx, r, file, opts.FileSize, opts.GrowFor); err != nil {
			return err
		}
	}
	return nil
}
