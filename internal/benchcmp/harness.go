// Package benchcmp is the harness behind `make bench`: every comparison of
// glusterdr's work against the real command it competes with (etcdctl,
// sha256sum, tar and cat over ssh, upstream's schedule_georep.py,
// terraform plan), each run beside its reference, in turn, in one run
// against the lab, and gathered into a benchtable.Table.
//
// A comparison is an entry of All: a name, what runs on each side, and a
// Run that measures both sides with Alternate and returns the figures.
package benchcmp

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchrepl"
	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Comparison is one row of the table.
type Comparison struct {
	Name string
	// Ours is what glusterdr runs; Reference the real command it is held against.
	Ours      string
	Reference string
	// Pending, when not empty, says why the comparison is not measured yet:
	// its row is listed with that note and Run is not called.
	Pending string
	// Run measures both sides and returns the row's figures.
	Run func(ctx context.Context, env *Env) (Measured, error)
}

// Measured is what a comparison's Run returns: the row's figures, and a
// note on how they were taken (the settings measured, the load) when the
// figures alone do not say.
type Measured struct {
	Metrics []benchtable.Metric
	Note    string
}

// Env is what the comparisons share.
type Env struct {
	Instance lab.Instance
	// Repeats counted runs of each side, after Warmup runs that are not.
	Repeats, Warmup int
	// Scratch is a local folder for databases and snapshots; it is kept
	// between runs so that a database is filled once.
	Scratch string
	// EtcdMB are the database sizes of the etcd comparison, in MB: the time
	// is compared at the largest, peak memory at all of them.
	EtcdMB []int
	// TreeMB is the size of the file tree the hashing comparison reads.
	TreeMB int
	// ReplRepeats counted runs of each side of the replication comparisons
	// (slow: no warm-up); the empty cycle takes Repeats.
	ReplRepeats int
	// SmallFiles is how many files of 50 kB one cycle replicates, LargeMB
	// the size in MiB of the one large file.
	SmallFiles, LargeMB int
	// Repl is the session's settings for the replication comparisons.
	Repl benchrepl.Settings
	// PlanSources is how many status data sources the larger plan reads;
	// Terraform is the terraform it runs, with the provider in ProviderDir.
	PlanSources int
	Terraform   string
	ProviderDir string
	// Self is this program, run again for a side that must be a process of
	// its own (so that its peak memory is its own).
	Self string
	// Log receives progress lines.
	Log io.Writer

	conn *lab.Conn
}

// Lab connects to the lab instance, once.
func (e *Env) Lab() (lab.Conn, error) {
	if e.conn != nil {
		return *e.conn, nil
	}
	d, err := lab.Load(e.Instance.Dir())
	if err != nil {
		return lab.Conn{}, fmt.Errorf("bench: the lab (instance %d) is needed: %w", e.Instance, err)
	}
	e.conn = &lab.Conn{D: d, Pool: remote.NewPool(slog.New(slog.DiscardHandler))}
	return *e.conn, nil
}

// Close ends the lab's SSH connections.
func (e *Env) Close() error {
	if e.conn == nil {
		return nil
	}
	return e.conn.Pool.Close()
}

func (e *Env) logf(format string, args ...any) {
	if e.Log != nil {
		fmt.Fprintf(e.Log, "bench: "+format+"\n", args...)
	}
}

// Run runs every comparison, in order, and returns the table. A comparison
// that fails is a row with status failed; the others still run.
func Run(ctx context.Context, env *Env, comps []Comparison) *benchtable.Table {
	host, _ := os.Hostname()
	t := &benchtable.Table{Date: time.Now().UTC(), Host: host, CPUs: runtime.NumCPU(),
		LabInstance: int(env.Instance), Repeats: env.Repeats, Warmup: env.Warmup, LoadBefore: loadAverage()}
	defer func() { t.LoadAfter = loadAverage() }()
	for _, c := range comps {
		row := benchtable.Row{Name: c.Name, Ours: c.Ours, Reference: c.Reference, Metrics: []benchtable.Metric{}}
		switch {
		case c.Pending != "":
			row.Status, row.Note = benchtable.StatusPending, c.Pending
		default:
			env.logf("%s: %s against %s", c.Name, c.Ours, c.Reference)
			start := time.Now()
			m, err := c.Run(ctx, env)
			if err != nil {
				row.Status, row.Note = benchtable.StatusFailed, err.Error()
				env.logf("%s: failed after %s: %v", c.Name, time.Since(start).Round(time.Second), err)
				break
			}
			row.Status, row.Metrics, row.Note = benchtable.StatusMeasured, m.Metrics, m.Note
			env.logf("%s: done in %s", c.Name, time.Since(start).Round(time.Second))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// loadAverage is the 1, 5 and 15 minute load averages, or "" off Linux.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
