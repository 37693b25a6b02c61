package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/sitemount"
)

// demoFiles and demoFileSize shape the data the demo replicates.
const (
	demoFiles    = 20
	demoFileSize = 512 << 10
)

func newLabDemoCommand(g *globals, dir func() string) *cobra.Command {
	var site string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Replicate fresh files from the primary to a site with one checkpoint cycle, and compare the bytes",
		Example: `  glusterdr lab demo
  glusterdr lab demo --site tacc --log-level warn`,
		RunE: func(c *cobra.Command, _ []string) error {
			d, err := lab.Load(dir())
			if err != nil {
				return err
			}
			pool := remote.NewPool(g.logger())
			defer pool.Close()
			return runDemo(c.Context(), c.OutOrStdout(), lab.Conn{D: d, Pool: pool}, site)
		},
	}
	cmd.Flags().StringVar(&site, "site", "sdsc", "the site to replicate to: sdsc or tacc")
	return cmd
}

func runDemo(ctx context.Context, out io.Writer, conn lab.Conn, site string) error {
	step := func(format string, args ...any) { fmt.Fprintf(out, "==> "+format+"\n", args...) }
	primary, err := conn.Gluster("p1")
	if err != nil {
		return err
	}
	ref, err := conn.D.SessionRef(site)
	if err != nil {
		return err
	}
	if _, err := primary.Status(ctx, ref); errors.Is(err, gluster.ErrNoSession) {
		step("setting up %s's pool and volume, and the session %s (host keys pinned for gsyncd)", site, ref)
		start := time.Now()
		if _, err := lab.SetUpReplication(ctx, conn, site, map[string]string{"sync_method": "tarssh"}); err != nil {
			return err
		}
		step("session ready in %s", time.Since(start).Round(time.Millisecond))
	} else if err != nil {
		return err
	}

	dir := path.Join("demo", time.Now().UTC().Format("20060102T150405Z"))
	if err := writeDemoFiles(ctx, conn, path.Join(lab.MountPath, dir)); err != nil {
		return err
	}
	step("wrote %d files of %d KiB to p1:%s", demoFiles, demoFileSize>>10, path.Join(lab.MountPath, dir))

	p1files, err := conn.Files("p1")
	if err != nil {
		return err
	}
	marker := gluster.Marker{Files: p1files, Mount: lab.MountPath, By: "glusterdr lab demo"}
	cycle := func() error {
		step("checkpoint cycle: checkpoint, marker, start, wait, stop")
		res, err := primary.RunCheckpointCycle(ctx, ref, gluster.CycleOptions{
			Timeout:    10 * time.Minute,
			StallAfter: lab.StallAfter,
			Marker:     marker.Write,
			Progress:   func(p gluster.Progress) { fmt.Fprintf(out, "    %s\n", progressLine(p)) },
		})
		if err != nil {
			return err
		}
		step("checkpoint %s completed at %s; noticed %s later; cycle took %s",
			res.CheckpointTime.Format(time.TimeOnly), res.CompletedAt.Format(time.TimeOnly),
			res.NoticedAt.Sub(res.CompletedAt).Round(time.Millisecond), res.Duration.Round(time.Millisecond))
		return nil
	}
	if err := cycle(); err != nil {
		return err
	}
	mismatches, err := compareAtSite(ctx, out, conn, site, dir)
	if err != nil {
		return err
	}
	if len(mismatches) > 0 {
		// As the nightly verify step does with a set's own files.
		step("%d files differ at %s; writing them again on p1 for one more cycle:\n%s", len(mismatches), site, manifest.Report(mismatches))
		p1, err := conn.Runner("p1")
		if err != nil {
			return err
		}
		if err := drrun.RewriteMismatched(ctx, p1, path.Join(lab.MountPath, dir), mismatches); err != nil {
			return err
		}
		if err := cycle(); err != nil {
			return err
		}
		if mismatches, err = compareAtSite(ctx, out, conn, site, dir); err != nil {
			return err
		}
	}
	st, err := primary.Status(ctx, ref)
	if err != nil {
		return err
	}
	printSessionStatus(out, st)
	if len(mismatches) > 0 {
		return fmt.Errorf("the bytes at %s differ from the primary:\n%s", site, manifest.Report(mismatches))
	}
	return nil
}

func writeDemoFiles(ctx context.Context, conn lab.Conn, dir string) error {
	files, err := conn.Files("p1")
	if err != nil {
		return err
	}
	if err := files.MkdirAll(ctx, dir, 0o755); err != nil {
		return err
	}
	for i := range demoFiles {
		name := path.Join(dir, fmt.Sprintf("file-%02d.bin", i))
		if err := files.WriteFile(ctx, name, io.LimitReader(rand.Reader, demoFileSize), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// compareAtSite scans dir on the primary, mounts the site's volume
// read-only on its first node and compares every file there.
func compareAtSite(ctx context.Context, out io.Writer, conn lab.Conn, site, dir string) ([]manifest.Mismatch, error) {
	p1, err := conn.Runner("p1")
	if err != nil {
		return nil, err
	}
	want, err := manifest.Scan(ctx, p1, path.Join(lab.MountPath, dir), manifest.ScanOptions{Hash: true})
	if err != nil {
		return nil, err
	}
	s, err := conn.D.Site(site)
	if err != nil {
		return nil, err
	}
	node, err := conn.D.Node(s.Nodes[0])
	if err != nil {
		return nil, err
	}
	r, err := conn.Runner(node.Name)
	if err != nil {
		return nil, err
	}
	m, err := sitemount.ReadOnly(ctx, r, node.Address, s.Volume)
	if err != nil {
		return nil, err
	}
	got, obsErr := manifest.Observe(ctx, r, path.Join(m.Path, dir), want)
	if err := errors.Join(obsErr, m.Unmount(ctx)); err != nil {
		return nil, err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "FILE\tSIZE\tSHA256 AT P1\tSHA256 AT %s\n", strings.ToUpper(site))
	for _, e := range want {
		fmt.Fprintf(tw, "%s\t%d\t%.16s\t%.16s\n", path.Join(dir, e.Path), e.Size, e.SHA256, got[e.Path].SHA256)
	}
	tw.Flush()
	return manifest.Compare(want, got), nil
}

func progressLine(p gluster.Progress) string {
	return fmt.Sprintf("%s/%s %s: %d/%d workers done, pending entry %d data %d meta %d",
		p.Elapsed.Round(time.Second), p.Timeout, p.Rollup, p.Done, p.Total, p.Pending.Entry, p.Pending.Data, p.Pending.Meta)
}

func printSessionStatus(out io.Writer, st *gluster.SessionStatus) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\nSESSION %s: %s\n", st.Ref, st.Rollup)
	fmt.Fprintln(tw, "PRIMARY BRICK\tSTATUS\tCRAWL\tLAST SYNCED\tCHECKPOINT\tCOMPLETED")
	for _, w := range st.Workers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%v\n", w.Brick(), w.Status, w.CrawlStatus,
			fmtTime(w.LastSynced), fmtTime(w.CheckpointTime), w.CheckpointCompleted)
	}
	tw.Flush()
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "N/A"
	}
	return t.UTC().Format(time.DateTime)
}
