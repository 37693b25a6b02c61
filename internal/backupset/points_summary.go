package backupset

import (
	"slices"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// SitePoints sums up the restore points a target holds: what `status`,
// `sets`, `report`, the metrics and dr_backup_sets show per site.
type SitePoints struct {
	Target string `json:"target"`
	Method string `json:"method"`
	// Count is how many verified points the site holds.
	Count  int       `json:"count"`
	Oldest *PointRef `json:"oldest"`
	Newest *PointRef `json:"newest"`
	// BytesStored is the store's size when the newest point was made
	// (link-tree; hard-linked files counted once); BytesNewLatest what the
	// newest point added to it.
	BytesStored    int64 `json:"bytes_stored"`
	BytesNewLatest int64 `json:"bytes_new_latest"`
}

// PointRef names one point by its set, and when the set's copy was taken.
type PointRef struct {
	Set string `json:"set"`
	// AsOf is the checkpoint the point reflects (the set's opening when
	// unknown).
	AsOf time.Time `json:"as_of"`
}

// PointSummary is a set's restore point in a set listing.
type PointSummary struct {
	Method     string `json:"method"`
	Node       string `json:"node"`
	Location   string `json:"location"`
	Files      int    `json:"files"`
	Bytes      int64  `json:"bytes"`
	BytesNew   int64  `json:"bytes_new"`
	StoreBytes int64  `json:"store_bytes"`
	Verified   bool   `json:"verified"`
}

// AsOf is the point in time a set's copy reflects.
func (m *Meta) AsOf() time.Time {
	if m.Replication != nil && !m.Replication.CheckpointTime.IsZero() {
		return m.Replication.CheckpointTime
	}
	return m.Opened
}

// PointsBySite sums up the verified points of sets (oldest first, as List
// returns them), target by target, in target order.
func PointsBySite(sets []*Meta) []SitePoints {
	by := map[string]*SitePoints{}
	for _, m := range sets {
		p := m.RestorePoint
		if p == nil || m.Status != retention.Verified {
			continue
		}
		sp := by[m.Target]
		if sp == nil {
			sp = &SitePoints{Target: m.Target}
			by[m.Target] = sp
		}
		ref := &PointRef{Set: m.ID, AsOf: m.AsOf()}
		if sp.Oldest == nil {
			sp.Oldest = ref
		}
		sp.Count++
		sp.Newest, sp.Method, sp.BytesStored, sp.BytesNewLatest = ref, p.Method, p.StoreBytes, p.BytesNew
	}
	out := make([]SitePoints, 0, len(by))
	for _, sp := range by {
		out = append(out, *sp)
	}
	slices.SortFunc(out, func(a, b SitePoints) int {
		switch {
		case a.Target < b.Target:
			return -1
		case a.Target > b.Target:
			return 1
		}
		return 0
	})
	return out
}
