package drrun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// PointsFileName is the controller's account of every site's restore
// points, inside state_dir. The record step rewrites it from the backup
// sets, so that `status` and the metrics show the points without reaching
// the primary.
const PointsFileName = "points.json"

// PointsPath is the schedule's points.json on the controller.
func PointsPath(s *schedule.Schedule) string { return path.Join(s.StateDir, PointsFileName) }

type pointsFile struct {
	Updated time.Time              `json:"updated"`
	Sites   []backupset.SitePoints `json:"sites"`
}

// refreshPoints rewrites points.json from the sets on the primary.
func (e *Engine) refreshPoints(ctx context.Context) error {
	listing, err := e.Store().List(ctx)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(pointsFile{Updated: e.now(), Sites: backupset.PointsBySite(listing.Sets)}, "", "  ")
	if err != nil {
		return err
	}
	if err := (remote.LocalFiles{}).WriteFile(ctx, PointsPath(e.Schedule), bytes.NewReader(append(data, '\n')), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", PointsPath(e.Schedule), err)
	}
	return nil
}

// readPoints reads points.json; a missing file is no points.
func readPoints(ctx context.Context, s *schedule.Schedule) ([]backupset.SitePoints, error) {
	data, err := (remote.LocalFiles{}).ReadFile(ctx, PointsPath(s))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var f pointsFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s is damaged (%v); the next run's record step rewrites it", PointsPath(s), err)
	}
	return f.Sites, nil
}

// addPoints fills in each target's restore points.
func addPoints(st *Status, sites []backupset.SitePoints) {
	for i := range st.Targets {
		for _, sp := range sites {
			if sp.Target == st.Targets[i].Name {
				st.Targets[i].RestorePoints = &sp
			}
		}
	}
}
