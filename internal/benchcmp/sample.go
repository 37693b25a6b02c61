package benchcmp

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
)

// Sample is one run of one side.
type Sample struct {
	Seconds float64
	// PeakRSS is the peak resident set in bytes, for a side run as a
	// process of its own (Exec); 0 otherwise.
	PeakRSS int64
}

// Side runs one side of a comparison once.
type Side func(ctx context.Context) (Sample, error)

// Alternate runs ours and the reference in turn, warm-up runs first, then
// ours, reference, ours, reference... so that the machine's drift (other
// work, caches) falls on both alike.
func Alternate(ctx context.Context, env *Env, ours, ref Side) (o, r []Sample, err error) {
	for i := range env.Warmup + env.Repeats {
		so, err := ours(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("glusterdr's side: %w", err)
		}
		sr, err := ref(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("the reference: %w", err)
		}
		if i >= env.Warmup {
			o, r = append(o, so), append(r, sr)
		}
	}
	return o, r, nil
}

// Timed runs f as a side measured by its wall time.
func Timed(f func(ctx context.Context) error) Side {
	return func(ctx context.Context) (Sample, error) {
		start := time.Now()
		err := f(ctx)
		return Sample{Seconds: time.Since(start).Seconds()}, err
	}
}

// Exec runs argv as a process and measures its wall time and, from the
// kernel's accounting of the finished process, its peak resident set.
func Exec(ctx context.Context, env []string, argv ...string) (Sample, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	s := Sample{Seconds: time.Since(start).Seconds()}
	if err != nil {
		return s, fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, strings.TrimSpace(out.String()))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.PeakRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return s, nil
}

// seconds and mib pick one figure out of samples.
func seconds(s []Sample) []float64 { return pick(s, func(x Sample) float64 { return x.Seconds }) }

func mib(s []Sample) []float64 {
	return pick(s, func(x Sample) float64 { return float64(x.PeakRSS) / (1 << 20) })
}

// throughput is the figures of moving bytes in the samples' seconds on
// both sides: MB/s, the goal on its ratio (our speed as a share of the
// reference's), and the wall times.
func throughput(label string, bytes int64, ours, ref []float64, goal *benchtable.Goal) []benchtable.Metric {
	return []benchtable.Metric{
		benchtable.NewMetric("throughput, "+label, "MB/s", mbPerSecond(bytes, ours), mbPerSecond(bytes, ref), goal),
		benchtable.NewMetric("wall time, "+label, "s", ours, ref, nil),
	}
}

func mbPerSecond(bytes int64, seconds []float64) []float64 {
	out := make([]float64, len(seconds))
	for i, s := range seconds {
		out[i] = float64(bytes) / 1e6 / s
	}
	return out
}

func pick(s []Sample, f func(Sample) float64) []float64 {
	out := make([]float64, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}
