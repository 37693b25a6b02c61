package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
)

// setsResult is what `glusterdr sets --json` prints.
type setsResult struct {
	Sets       []backupset.Summary    `json:"sets"`
	Unreadable []backupset.Unreadable `json:"unreadable"`
	// RestorePoints sums up each site's points.
	RestorePoints []backupset.SitePoints `json:"restore_points"`
}

func newSetsCommand(g *globals) *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "sets",
		Short: "List the backup sets with their level, target, verification and size",
		Example: `  glusterdr sets
  glusterdr sets --json | jq -r '.sets[] | select(.verified) | .id'`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return withEngine(g, c, path, func(ctx context.Context, e *drrun.Engine) error {
				listing, err := e.Store().List(ctx)
				if err != nil {
					return err
				}
				res := setsResult{Sets: []backupset.Summary{}, Unreadable: listing.Unreadable, RestorePoints: backupset.PointsBySite(listing.Sets)}
				if res.Unreadable == nil {
					res.Unreadable = []backupset.Unreadable{}
				}
				for _, m := range listing.Sets {
					res.Sets = append(res.Sets, m.Summary())
				}
				return printResult(g, c.OutOrStdout(), res, printSets, nil)
			})
		},
	}
	scheduleFlag(cmd, &path)
	return cmd
}

func printSets(w io.Writer, r setsResult) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SET\tTARGET\tTIER\tKIND\tSTATUS\tFILES\tBYTES\tRESTORE POINT\tPROBLEM")
	for _, s := range r.Sets {
		point := "-"
		if p := s.RestorePoint; p != nil {
			point = fmt.Sprintf("%s, %d bytes new", p.Method, p.BytesNew)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", s.ID, s.Target, s.Tier, s.Kind, s.Status, s.Files, s.Bytes, point, firstLine(s.Problem))
	}
	for _, u := range r.Unreadable {
		fmt.Fprintf(tw, "%s\t-\t-\t-\tunreadable\t-\t-\t-\t%s\n", u.ID, firstLine(u.Error))
	}
	tw.Flush()
	printPoints(w, r.RestorePoints)
}

// printPoints writes a line per site with restore points.
func printPoints(w io.Writer, sites []backupset.SitePoints) {
	for _, p := range sites {
		fmt.Fprintf(w, "restore points at %s (%s): %d, from %s to %s; %d bytes stored, %d new in the latest\n", p.Target, p.Method,
			p.Count, p.Oldest.Set, p.Newest.Set, p.BytesStored, p.BytesNewLatest)
	}
}
