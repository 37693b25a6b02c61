package main

import (
	"context"
	"fmt"
	"path"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/failover"
	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/sitemount"
	"github.com/glusterdr/terraform-provider-gluster/internal/sshnodes"
)

// switchFlags are failover's and failback's flags.
type switchFlags struct {
	schedule, site string
	dryRun, yes    bool
	primaryDown    bool
	timeout        time.Duration
}

func newFailoverCommand(g *globals) *cobra.Command {
	f := &switchFlags{}
	cmd := &cobra.Command{
		Use:   "failover",
		Short: "Promote a site's volume to be the writable primary (GlusterFS admin guide)",
		Example: `  glusterdr failover --site sdsc --dry-run
  glusterdr failover --site sdsc --yes
  glusterdr failover --site tacc --primary-down --yes --json`,
		Long: `Failover stops the site's session on the primary (skipped with --primary-down) and, on
the site's volume, switches features.read-only off and geo-replication.indexing and
changelog on, so that clients can write there and the changes can later be carried back
by failback. Every step is printed before it runs; --dry-run shows the plan; nothing
changes without --yes. Steps are journaled in the schedule's state_dir, so an interrupted
failover is resumed by running it again.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return runSwitch(g, c, f, func(t failover.Topology) failover.Plan { return failover.Failover(t) })
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&f.primaryDown, "primary-down", false, "the primary site is gone: do not try to stop the session there")
	return cmd
}

func newFailbackCommand(g *globals) *cobra.Command {
	f := &switchFlags{}
	cmd := &cobra.Command{
		Use:   "failback",
		Short: "Carry the changes made at a promoted site back to the repaired primary, and switch back",
		Example: `  glusterdr failback --site sdsc --dry-run
  glusterdr failback --site sdsc --yes --timeout 4h`,
		Long: `Failback creates a reverse session from the site's volume to the primary's
(special-sync-mode recover, host keys pinned), runs one checkpoint cycle while writes at
the site are stopped, deletes the reverse session, makes the primary writable again and
hands the site back to its read-only DR role. Stop the clients writing at the site first.
Every step is printed before it runs; --dry-run shows the plan; nothing changes without
--yes; an interrupted failback is resumed by running it again.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return runSwitch(g, c, f, func(t failover.Topology) failover.Plan {
				return failover.Failback(t, gluster.CycleOptions{Timeout: f.timeout, Progress: progressPrinter(c)})
			})
		},
	}
	f.register(cmd)
	cmd.Flags().DurationVar(&f.timeout, "timeout", 2*time.Hour, "how long the sync back may take")
	return cmd
}

func (f *switchFlags) register(cmd *cobra.Command) {
	scheduleFlag(cmd, &f.schedule)
	cmd.Flags().StringVar(&f.site, "site", "", "the target site (required)")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "print the plan and change nothing")
	cmd.Flags().BoolVar(&f.yes, "yes", false, "confirm: without it nothing is changed")
	_ = cmd.MarkFlagRequired("site")
}

func runSwitch(g *globals, c *cobra.Command, f *switchFlags, plan func(failover.Topology) failover.Plan) error {
	return withEngine(g, c, f.schedule, func(ctx context.Context, e *drrun.Engine) error {
		nodes, ok := e.Nodes.(*sshnodes.Nodes)
		if !ok {
			return fmt.Errorf("failover needs SSH nodes")
		}
		if f.dryRun || !f.yes {
			return runSwitchGuarded(ctx, g, c, e, nodes, f, plan)
		}
		// The primary's volume, where the lease lives, is gone with --primary-down.
		return withGuard(ctx, e, drrun.Writes, f.primaryDown, func(ctx context.Context) error {
			return runSwitchGuarded(ctx, g, c, e, nodes, f, plan)
		})
	})
}

// runSwitchGuarded plans and executes a failover or failback, once the
// schedule is guarded (or for a dry run, which changes nothing).
func runSwitchGuarded(ctx context.Context, g *globals, c *cobra.Command, e *drrun.Engine, nodes *sshnodes.Nodes, f *switchFlags,
	plan func(failover.Topology) failover.Plan) error {
	topo, cleanup, err := switchTopology(ctx, e, nodes, f)
	defer cleanup()
	if err != nil {
		return err
	}
	p := plan(topo)
	journal := failover.Journal{Files: remote.LocalFiles{}, Path: path.Join(e.Schedule.StateDir, p.Kind+"-"+f.site+".json")}
	st, err := failover.Execute(ctx, p, failover.Options{DryRun: f.dryRun, Yes: f.yes, Out: c.ErrOrStderr(), Journal: journal})
	if g.json && st != nil {
		if perr := printJSON(c.OutOrStdout(), st); perr != nil {
			return perr
		}
	}
	return err
}

// switchTopology gathers what failover and failback reach: the primary
// node, the site's nodes (from its volume's bricks), the host keys this
// engine verified for the primary, and a marker writer on the site's
// volume, mounted writable on first use and unmounted by cleanup.
func switchTopology(ctx context.Context, e *drrun.Engine, nodes *sshnodes.Nodes, f *switchFlags) (failover.Topology, func(), error) {
	cleanup := func() {}
	t, err := e.Target(f.site)
	if err != nil {
		return failover.Topology{}, cleanup, err
	}
	s := e.Schedule
	topo := failover.Topology{Site: t.Name, Forward: t.Session(), PrimaryHost: s.Primary.Node,
		PrimaryRunner: nodes.Runner(s.Primary.Node), PrimaryFiles: nodes.Files(s.Primary.Node), SiteGluster: gluster.New(nodes.Runner(t.SecondaryHost)), SyncMethod: "tarssh"}
	if !f.primaryDown {
		topo.Primary = gluster.New(topo.PrimaryRunner)
		if v, err := topo.Primary.ConfigGet(ctx, topo.Forward, "sync_method"); err == nil && v != "" {
			topo.SyncMethod = v
		}
		key, err := nodes.HostKey(ctx, s.Primary.Node)
		if err != nil {
			return topo, cleanup, fmt.Errorf("reaching the primary %s: %w (use --primary-down if the primary site is gone)", s.Primary.Node, err)
		}
		topo.PrimaryHostKeys = []string{georep.KnownHostsLine(s.Primary.Node, 22, key)}
	}
	vol, err := topo.SiteGluster.VolumeInfo(ctx, t.SecondaryVolume)
	if err != nil {
		return topo, cleanup, err
	}
	seen := map[string]bool{}
	for _, b := range vol.Bricks {
		if !seen[b.Host] {
			seen[b.Host] = true
			topo.SiteFiles = append(topo.SiteFiles, nodes.Files(b.Host))
		}
	}
	var m *sitemount.Mount
	topo.Marker = func(ctx context.Context) error {
		if m == nil {
			if m, err = sitemount.ReadWrite(ctx, nodes.Runner(t.SecondaryHost), t.SecondaryHost, t.SecondaryVolume); err != nil {
				return err
			}
		}
		return gluster.Marker{Files: nodes.Files(t.SecondaryHost), Mount: m.Path, By: "glusterdr failback"}.Write(ctx)
	}
	cleanup = func() {
		if m != nil {
			_ = m.Unmount(ctx)
		}
	}
	return topo, cleanup, nil
}
