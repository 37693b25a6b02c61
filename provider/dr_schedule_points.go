package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/restorepoint"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// snapshotCheckTimeout bounds the look at a site's bricks during plan.
const snapshotCheckTimeout = 30 * time.Second

// checkSnapshotTargets refuses, at plan, a target that takes gluster
// snapshots of a volume whose bricks cannot be snapshotted, where the
// provider can see the bricks: the volume exists and its nodes answer over
// the provider's SSH. A volume that does not exist yet (created by the same
// apply) or a site that cannot be reached is left to the nightly run, which
// refuses it there, naming the bricks.
func (r *scheduleResource) checkSnapshotTargets(ctx context.Context, s *schedule.Schedule, diags *diagnostics) {
	if r.data == nil {
		return
	}
	for i, t := range s.Targets {
		if t.RestorePoints.Method != schedule.PointsSnapshot {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, snapshotCheckTimeout)
		err := restorepoint.SnapshotCapable(cctx, r.data.gluster(t.RestorePoints.Node),
			func(host string) remote.Runner { return r.data.runner(host) }, t.SecondaryVolume)
		cancel()
		switch {
		case errors.Is(err, gluster.ErrSnapshotUnsupported):
			diags.AddAttributeError(path.Root("targets").AtListIndex(i).AtName("restore_points"), "Bricks Cannot Be Snapshotted",
				fmt.Sprintf("Attribute targets[%d].restore_points: target %q takes gluster snapshots, but %v", i, t.Name, err))
		case err != nil:
			diags.AddAttributeWarning(path.Root("targets").AtListIndex(i).AtName("restore_points"), "Bricks Not Checked",
				fmt.Sprintf("The bricks of %s could not be looked at from %s to see whether they can be snapshotted (%v); "+
					"the nightly run checks them before every snapshot.", t.SecondaryVolume, t.RestorePoints.Node, firstLineOf(err)))
		}
	}
}

func firstLineOf(err error) string {
	s := err.Error()
	for i := range s {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
