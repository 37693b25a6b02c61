// Command glusterdr-bench runs every comparison of glusterdr against its
// reference commands in one run against the lab (`make bench`), prints the
// table with the ratios, and writes it as JSON to <out>/<date>.json.
//
//	glusterdr-bench [-instance N] [-repeats 5] [-repl-repeats 3] [-small-files 2000] [-large-mb 1024]
//	                [-plan-sources 30] [-etcd-mb 50,200] [-tree-mb 1024] [-only RE] [-skip RE] [-out bench/results]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchcmp"
	"github.com/glusterdr/terraform-provider-gluster/internal/benchrepl"
	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "glusterdr-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == benchcmp.EtcdSaveMode {
		return saveEtcd(ctx, args[1:], stdout)
	}
	fs := flag.NewFlagSet("glusterdr-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	inst, err := lab.InstanceFromEnv()
	if err != nil {
		return err
	}
	instance := fs.Int("instance", int(inst), "the lab instance (0, 1 or 2; default GLUSTERDR_LAB_INSTANCE or 0)")
	repeats := fs.Int("repeats", 5, "counted runs of each side; the figures are medians")
	warmup := fs.Int("warmup", 1, "runs of each side before the counted ones")
	etcdMB := fs.String("etcd-mb", "50,200", "etcd database sizes in MB, comma-separated: time is compared at the largest, peak memory at each")
	treeMB := fs.Int("tree-mb", 1024, "size of the hashed file tree in MiB")
	scratch := fs.String("scratch", "/var/tmp/glusterdr-bench", "local folder for databases and snapshots, kept between runs")
	replRepeats := fs.Int("repl-repeats", 3, "counted runs of each side of the replication comparisons, no warm-up (the empty cycle takes -repeats)")
	smallFiles := fs.Int("small-files", 2000, "files of 50 kB that one cycle replicates")
	largeMB := fs.Int("large-mb", 1024, "size of the one large file replicated, in MiB")
	session := fs.String("repl-session", "", "gsyncd config on top of glusterdr's defaults for the replication comparisons, key=value,...")
	rollover := fs.Int("repl-rollover", georep.DefaultRolloverSeconds, "the primary volume's changelog rollover time in seconds")
	tarBlocking := fs.Int("repl-tar-blocking", georep.DefaultTarBlocking, "the blocking factor of the secondary nodes' extracting tar")
	planSources := fs.Int("plan-sources", 30, "gluster_georep_status data sources of the larger plan")
	terraform := fs.String("terraform", benchrepl.DefaultTerraform(), "the terraform the plans run")
	providerDir := fs.String("provider-dir", "bin", "the folder holding terraform-provider-gluster, the provider the plans use")
	out := fs.String("out", "bench/results", "folder the JSON table is written to, as <date>.json")
	only := fs.String("only", "", "run only the comparisons whose name matches this regular expression")
	skip := fs.String("skip", "", "leave out the comparisons whose name matches this regular expression")
	if err := fs.Parse(args); err != nil {
		return err
	}
	env := &benchcmp.Env{Instance: lab.Instance(*instance), Repeats: *repeats, Warmup: *warmup,
		Scratch: *scratch, TreeMB: *treeMB, ReplRepeats: *replRepeats, SmallFiles: *smallFiles, LargeMB: *largeMB,
		Repl: benchrepl.Settings{Rollover: *rollover, TarBlocking: *tarBlocking}, PlanSources: *planSources, Terraform: *terraform, ProviderDir: *providerDir, Log: stderr}
	if err := env.Instance.Valid(); err != nil {
		return fmt.Errorf("-instance: %w", err)
	}
	for _, c := range []struct {
		flag     string
		n, least int
	}{{"repeats", *repeats, 1}, {"warmup", *warmup, 0}, {"tree-mb", *treeMB, 1}, {"repl-repeats", *replRepeats, 1},
		{"small-files", *smallFiles, 2}, {"large-mb", *largeMB, 1}, {"plan-sources", *planSources, 1}} {
		if c.n < c.least {
			return fmt.Errorf("-%s: %d is less than %d", c.flag, c.n, c.least)
		}
	}
	if *rollover < georep.MinRolloverSeconds || *rollover > georep.MaxRolloverSeconds {
		return fmt.Errorf("-repl-rollover: %d s is outside %d to %d", *rollover, georep.MinRolloverSeconds, georep.MaxRolloverSeconds)
	}
	if err := gluster.ValidTarBlocking(*tarBlocking); err != nil {
		return fmt.Errorf("-repl-tar-blocking: %w", err)
	}
	if env.Repl.Config, err = benchrepl.ParseConfig(*session); err != nil {
		return fmt.Errorf("-repl-session: %w", err)
	}
	if env.EtcdMB, err = sizes(*etcdMB); err != nil {
		return fmt.Errorf("-etcd-mb: %w", err)
	}
	comps, err := selected(*only, *skip)
	if err != nil {
		return err
	}
	if env.Self, err = os.Executable(); err != nil {
		return err
	}
	defer env.Close()

	table := benchcmp.Run(ctx, env, comps)
	if err := table.Print(stdout); err != nil {
		return err
	}
	path := filepath.Join(*out, table.FileName())
	if err := table.Write(path); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "written to", path)
	if err := table.Check(); err != nil {
		return err
	}
	for _, r := range table.Rows {
		if r.Status == benchtable.StatusFailed {
			return fmt.Errorf("%q failed: %s", r.Name, r.Note)
		}
	}
	return nil
}

func saveEtcd(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: glusterdr-bench %s ENDPOINT FILE", benchcmp.EtcdSaveMode)
	}
	info, err := benchcmp.SaveEtcd(ctx, args[0], args[1])
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%d bytes, revision %d, %d keys, sha256 %s\n", info.Size, info.Revision, info.Keys, info.SHA256)
	return err
}

func sizes(list string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a size in MB", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// selected is the comparisons whose names match only (all when empty) and
// not skip.
func selected(only, skip string) ([]benchcmp.Comparison, error) {
	onlyRE, err := regexp.Compile(only)
	if err != nil {
		return nil, fmt.Errorf("-only: %w", err)
	}
	skipRE, err := regexp.Compile(skip)
	if err != nil {
		return nil, fmt.Errorf("-skip: %w", err)
	}
	var comps []benchcmp.Comparison
	for _, c := range benchcmp.All() {
		if onlyRE.MatchString(c.Name) && (skip == "" || !skipRE.MatchString(c.Name)) {
			comps = append(comps, c)
		}
	}
	if len(comps) == 0 {
		return nil, fmt.Errorf("no comparison matches -only %q and not -skip %q", only, skip)
	}
	return comps, nil
}
