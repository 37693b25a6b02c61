package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/restore"
)

func newRestoreCommand(g *globals) *cobra.Command {
	var schedulePath string
	req := restore.Request{}
	cmd := &cobra.Command{
		Use:   "restore --from SITE --set ID",
		Short: "Put a restore point back into the primary's volume, and hand over the set's etcd, dump and provisioning state",
		Example: `  glusterdr restore --from sdsc --set 20261125T020000Z-sdsc --dry-run
  glusterdr restore --from sdsc --set 20261125T020000Z-sdsc --path projects/alice --yes
  glusterdr restore --from tacc --set 20261124T020000Z-tacc --etcd-data-dir /var/lib/etcd-restored --yes --json`,
		Long: `Restore copies the restore point of a backup set, kept at its site, back into the primary's
global volume: the whole volume, or the subtree --path names (relative to the volume's
root). It first shows what will change: the files restored (missing, or different in
size, mtime or mode; with --checksum also in content) with their bytes, and the files
removed that did not exist at that point. The backup folder and the checkpoint marker are
never touched.

With --yes, under the schedule's run lock, it stops the geo-replication sessions (so that
none carries a half-restored volume to a site), removes, copies (tar from the site's node
through this machine onto the primary) and reads the result back against the point. With
--etcd-data-dir it restores the set's etcd snapshot there (etcdutl's layout, for the member
--etcd-name at --etcd-peer-url), and puts the provisioning state, the cluster dump and
set.json beside it, in the same parent folder. It ends with the steps that remain for the
operator.

Every step is printed before it runs and journaled in the schedule's state_dir; an
interrupted restore is resumed by running the same command again, and no nightly run
starts until it is finished. --dry-run prints the plan; nothing changes without --yes.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return withEngine(g, c, schedulePath, func(ctx context.Context, e *drrun.Engine) error {
				req.Command = commandLine()
				res, err := restore.Restorer{Engine: e, Out: c.ErrOrStderr()}.Run(ctx, req)
				return printResult(g, c.OutOrStdout(), res, printRestore, err)
			})
		},
	}
	scheduleFlag(cmd, &schedulePath)
	f := cmd.Flags()
	f.StringVar(&req.Site, "from", "", "the site whose restore point is restored (required)")
	f.StringVar(&req.Set, "set", "", "the backup set whose restore point is restored (required)")
	f.StringVar(&req.Path, "path", "", "restore only this subtree, relative to the volume's root")
	f.BoolVar(&req.Checksum, "checksum", false, "also compare the content of files whose size, mtime and mode agree (reads both trees)")
	f.StringVar(&req.EtcdDataDir, "etcd-data-dir", "", "restore the set's etcd snapshot into this new folder, with the dump and provisioning state beside it")
	f.StringVar(&req.EtcdMember.Name, "etcd-name", "default", "the etcd member the data directory is for (etcd --name)")
	f.StringVar(&req.EtcdMember.PeerURL, "etcd-peer-url", "http://localhost:2380", "that member's peer URL (etcd --initial-advertise-peer-urls)")
	f.StringVar(&req.EtcdMember.InitialCluster, "etcd-initial-cluster", "", "etcd --initial-cluster (default: the member alone)")
	f.BoolVar(&req.DryRun, "dry-run", false, "print what would change and the plan, change nothing")
	f.BoolVar(&req.Yes, "yes", false, "confirm: without it nothing is changed")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("set")
	return cmd
}

func printRestore(w io.Writer, r *restore.Result) {
	if r == nil {
		return
	}
	where := "the whole volume"
	if r.Path != "" {
		where = r.Path
	}
	c := r.Changes
	verb := map[bool]string{true: "would", false: "did"}[r.DryRun]
	fmt.Fprintf(w, "restore of %s from %s, set %s (data as of %s): %s restore %d files (%d bytes) and remove %d files (%d paths)\n",
		where, r.Site, r.Set, r.AsOf.UTC().Format(time.DateTime), verb, c.FilesRestored, c.BytesRestored, c.FilesRemoved, c.PathsRemoved)
	for _, p := range c.Restored {
		fmt.Fprintf(w, "  restore %s\n", p)
	}
	for _, p := range c.Removed {
		fmt.Fprintf(w, "  remove  %s\n", p)
	}
	if cp := r.Copied; cp != nil {
		fmt.Fprintf(w, "copied in %.1fs (%.1f MB/s)\n", cp.Seconds, cp.BytesPerSecond/1e6)
	}
	if e := r.Etcd; e != nil {
		fmt.Fprintf(w, "etcd restored into %s (revision %d, %d keys)\n", e.DataDir, e.Revision, e.Keys)
	}
	if len(r.Steps) > 0 {
		fmt.Fprintln(w, "what remains for you:")
		for i, s := range r.Steps {
			fmt.Fprintf(w, "  %d. %s\n", i+1, strings.ReplaceAll(s, "\n", "\n     "))
		}
	}
}
