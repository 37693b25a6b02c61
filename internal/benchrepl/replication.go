package benchrepl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/bench"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Replication measures one session's checkpoint cycles on the lab.
type Replication struct {
	Primary *gluster.Client
	Ref     gluster.SessionRef
	// Mount is the primary node's mounted global volume, with the marker.
	Mount bench.Mount
	Cycle gluster.CycleOptions
	Wire  Wire
	// Repeats of each side; the row holds medians.
	Repeats int
	// Setup describes the session's settings, for the notes.
	Setup string
}

// Copy replicates files of size bytes with one checkpoint cycle (stopping
// the session, the checkpoint, the marker, the start, the wait, the stop),
// and copies the same tree to the site with the reference command. After
// each repeat the tree is removed and the removal replicated.
func (r *Replication) Copy(ctx context.Context, name string, files int, size int64) (Row, error) {
	return r.copy(ctx, name, bench.Options{Files: files, FileSize: size})
}

// CopyGrown is Copy of one file of size bytes that grew over d before the
// cycle (bench.GrowFile), and so lies in several changelogs: this row shows
// what the rollover time costs a file written by a long job.
func (r *Replication) CopyGrown(ctx context.Context, name string, size int64, d time.Duration) (Row, error) {
	return r.copy(ctx, name, bench.Options{Files: 1, FileSize: size, GrowFor: d})
}

func (r *Replication) copy(ctx context.Context, name string, opts bench.Options) (Row, error) {
	files, size := opts.Files, opts.FileSize
	opts.Cycle, opts.KeepTree = r.Cycle, true
	var ours, ref, empty []float64
	ratios := []string{}
	for i := range max(r.Repeats, 1) {
		res, err := bench.Run(ctx, r.Primary, r.Ref, r.Mount, opts)
		if err != nil {
			return Row{}, err
		}
		ours, empty = append(ours, res.CycleSeconds), append(empty, res.EmptyCycleSeconds)
		name := fmt.Sprintf("copy-%d", i)
		var d time.Duration
		if files == 1 {
			d, err = r.Wire.Cat(ctx, path.Join(res.Dir, "d0", "f0"), name)
		} else {
			d, err = r.Wire.Tar(ctx, res.Dir, name)
		}
		if err != nil {
			return Row{}, err
		}
		ref = append(ref, d.Seconds())
		ratios = append(ratios, fmt.Sprintf("%.2f", d.Seconds()/res.CycleSeconds))
		if err := r.remove(ctx, res.Dir); err != nil {
			return Row{}, err
		}
	}
	row := NewRow(name, Speed, ours, ref)
	row.Bytes = int64(files) * size
	row.ReferenceCommand = TarCommand
	if files == 1 {
		row.ReferenceCommand = CatCommand
	}
	row.Notes = fmt.Sprintf("ratio = reference seconds / ours (speed as a share of the wire's); ours is the whole cycle, "+
		"stop to stop; per repeat %s; the empty cycle before each: %s s; session %s; load %s",
		strings.Join(ratios, ", "), strings.Join(round(empty), ", "), r.Setup, LoadAverage())
	return row, nil
}

// remove deletes the tree on the primary and replicates the removal, so
// that the next repeat starts from an empty backlog.
func (r *Replication) remove(ctx context.Context, dir string) error {
	if _, err := r.Mount.Runner.Run(ctx, remote.Command("rm", "-rf", "--", dir)); err != nil {
		return err
	}
	opts := r.Cycle
	opts.Marker = r.Mount.Marker
	_, err := r.Primary.RunCheckpointCycle(ctx, r.Ref, opts)
	return err
}

// EmptyCycle measures a cycle that carries only the marker against the
// gluster calls a cycle is made of, run bare: stop, `config checkpoint
// now`, start, stop. What is left is gsyncd's start-up and crawl, and the
// wait for the marker's changelog.
func (r *Replication) EmptyCycle(ctx context.Context) (Row, error) {
	var ours, ref []float64
	opts := r.Cycle
	opts.Marker = r.Mount.Marker
	for range max(r.Repeats, 1) {
		res, err := r.Primary.RunCheckpointCycle(ctx, r.Ref, opts)
		if err != nil {
			return Row{}, err
		}
		ours = append(ours, res.Duration.Seconds())
		d, err := r.bareCalls(ctx)
		if err != nil {
			return Row{}, err
		}
		ref = append(ref, d.Seconds())
	}
	row := NewRow("empty checkpoint cycle (checkpoint, marker, start, complete, stop), primary to sdsc", Cost, ours, ref)
	row.ReferenceCommand = "gluster volume geo-replication global SITE stop; config checkpoint now; start; stop (the CLI calls alone, no wait)"
	row.Notes = fmt.Sprintf("ratio = ours / reference; goal: ours at most 3 s; session %s; load %s", r.Setup, LoadAverage())
	return row, nil
}

func (r *Replication) bareCalls(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	if err := r.Primary.Stop(ctx, r.Ref, false); err != nil {
		return 0, err
	}
	if _, err := r.Primary.SetCheckpoint(ctx, r.Ref); err != nil {
		return 0, err
	}
	if err := r.Primary.Start(ctx, r.Ref, false); err != nil {
		return 0, err
	}
	if err := r.Primary.Stop(ctx, r.Ref, false); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// LoadAverage is this machine's load average, 1, 5 and 15 minutes.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// Stalls runs n checkpoint cycles in a row, each carrying a different mix
// of new files (none, small ones, a few large ones), and counts the stalls.
func (r *Replication) Stalls(ctx context.Context, n int) (Row, error) {
	opts := r.Cycle
	opts.Marker = r.Mount.Marker
	dir := path.Join(r.Mount.Path, ".glusterdr-bench", "stalls-"+time.Now().UTC().Format("20060102T150405Z"))
	var secs []float64
	stalls, restarts := 0, 0
	for i := range n {
		files, size := mixedLoad(i)
		if files > 0 {
			sub := path.Join(dir, fmt.Sprintf("c%02d", i))
			if err := bench.WriteTree(ctx, r.Mount.Runner, sub, files, size, 1000); err != nil {
				return Row{}, err
			}
		}
		res, err := r.Primary.RunCheckpointCycle(ctx, r.Ref, opts)
		if err != nil {
			return Row{}, fmt.Errorf("cycle %d of %d: %w", i+1, n, err)
		}
		secs = append(secs, res.Duration.Seconds())
		stalls, restarts = stalls+res.Stalls, restarts+res.Restarts
	}
	if err := r.remove(ctx, dir); err != nil {
		return Row{}, err
	}
	row := NewRow(fmt.Sprintf("%d consecutive checkpoint cycles of mixed sizes, primary to sdsc: stalls", n), Cost, secs, nil)
	row.ReferenceCommand = "none: the goal is 0 stalls"
	row.Notes = fmt.Sprintf("stalls %d, restarts %d in %d cycles; ours_seconds is the median cycle, slowest %.1f s; session %s; load %s",
		stalls, restarts, n, slices.Max(secs), r.Setup, LoadAverage())
	return row, nil
}

// mixedLoad is cycle i's new files: every fifth carries nothing, the others
// 1 to 200 small files or 1 to 3 files of 16 MB.
func mixedLoad(i int) (files int, size int64) {
	switch i % 5 {
	case 0:
		return 0, 0
	case 1, 3:
		return 1 + i*7%200, 50_000
	case 2:
		return 1 + i%3, 16 << 20
	}
	return 1 + i*13%100, 200_000
}

// ScheduleGeorep is upstream's scheduler as the glusterfs package ships it.
const ScheduleGeorep = "/usr/lib/x86_64-linux-gnu/glusterfs/scripts/schedule_georep.py"

// upstreamTimeout is the --timeout given to upstream's scheduler. Its
// cycle touches the mount's root after the start, which only the workers'
// live crawl carries, and that crawl is handed changes in some worker
// starts only (docs/gluster-facts.md, "The live changelog crawl"): a run
// that does not complete within a few minutes does not complete at all.
const upstreamTimeout = 5 * time.Minute

// upstreamTimedOut tells upstream's own give-up after its --timeout (exit
// 1, "[NOT OK] Timed out") from any other failure.
func upstreamTimedOut(err error) bool {
	var ce *remote.CommandError
	return errors.As(err, &ce) && ce.ExitCode == 1 && strings.Contains(ce.Stderr, "Timed out")
}

// AgainstUpstream carries files of size bytes with one glusterdr cycle, and
// as many new files with upstream's schedule_georep.py on the same session,
// in turn.
func (r *Replication) AgainstUpstream(ctx context.Context, name string, files int, size int64) (Row, error) {
	opts := r.Cycle
	opts.Marker = r.Mount.Marker
	dir := path.Join(r.Mount.Path, ".glusterdr-bench", "upstream-"+time.Now().UTC().Format("20060102T150405Z"))
	var ours, ref []float64
	timedOut := 0
	for i := range max(r.Repeats, 1) {
		if err := bench.WriteTree(ctx, r.Mount.Runner, path.Join(dir, fmt.Sprintf("ours%d", i)), files, size, 1000); err != nil {
			return Row{}, err
		}
		res, err := r.Primary.RunCheckpointCycle(ctx, r.Ref, opts)
		if err != nil {
			return Row{}, err
		}
		ours = append(ours, res.Duration.Seconds())
		if err := bench.WriteTree(ctx, r.Mount.Runner, path.Join(dir, fmt.Sprintf("upstream%d", i)), files, size, 1000); err != nil {
			return Row{}, err
		}
		start := time.Now()
		argv := []string{"python3", ScheduleGeorep, r.Ref.PrimaryVolume, r.Ref.SecondaryHost, r.Ref.SecondaryVolume,
			"--timeout", strconv.Itoa(int(upstreamTimeout / time.Minute))}
		// The script gives up by itself after its --timeout; the runner's
		// default bound (minutes) would kill it before.
		cmd := remote.Cmd{Argv: argv, Timeout: upstreamTimeout + time.Minute}
		if _, err := r.Mount.Runner.Run(ctx, cmd); upstreamTimedOut(err) {
			timedOut++
		} else if err != nil {
			return Row{}, fmt.Errorf("upstream %s: %w", ScheduleGeorep, err)
		}
		ref = append(ref, time.Since(start).Seconds())
	}
	if err := r.remove(ctx, dir); err != nil {
		return Row{}, err
	}
	row := NewRow(name, Speed, ours, ref)
	row.Bytes = int64(files) * size
	row.ReferenceCommand = "python3 " + ScheduleGeorep + " global SITE global-dr (upstream: stop force, checkpoint, start, sleep 60 s, touch, poll every 10 s)"
	row.Notes = fmt.Sprintf("ratio = reference seconds / ours; each side carries its own %d new files; session %s; load %s", files, r.Setup, LoadAverage())
	if timedOut > 0 {
		row.Notes += fmt.Sprintf("; upstream gave up after its --timeout of %s in %d of %d runs (its touches after the start "+
			"are carried only by the live crawl), which count as that long: a lower bound", upstreamTimeout, timedOut, len(ref))
	}
	return row, nil
}
