package backupset

import (
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// Summary is one set as `glusterdr sets --json` and the dr_backup_sets data
// source show it.
type Summary struct {
	ID     string           `json:"id"`
	Target string           `json:"target"`
	Opened time.Time        `json:"opened"`
	Tier   retention.Tier   `json:"tier"` // the level: daily, weekly or monthly
	Kind   retention.Kind   `json:"kind"`
	Parent string           `json:"parent,omitempty"`
	Status retention.Status `json:"status"`
	// Verified is true when reading the set back at its target matched.
	Verified   bool   `json:"verified"`
	FailedStep string `json:"failed_step,omitempty"`
	NextStep   string `json:"next_step,omitempty"`
	Files      int    `json:"files"`
	Bytes      int64  `json:"bytes"`
	// CheckpointTime is the point in time the target's copy reflects.
	CheckpointTime time.Time `json:"checkpoint_time,omitzero"`
	VerifiedAt     time.Time `json:"verified_at,omitzero"`
	// Mismatches counts what verification found wrong.
	Mismatches int    `json:"mismatches"`
	Problem    string `json:"problem,omitempty"`
	// RestorePoint is the set's point-in-time copy of the site's volume.
	RestorePoint *PointSummary `json:"restore_point,omitempty"`
}

// Summary sums up m.
func (m *Meta) Summary() Summary {
	s := Summary{ID: m.ID, Target: m.Target, Opened: m.Opened, Tier: m.Tier, Kind: m.Kind, Parent: m.Parent,
		Status: m.Status, Verified: m.Status == retention.Verified, FailedStep: m.FailedStep, NextStep: m.NextStep(),
		Files: m.Contents.Files, Bytes: m.Contents.Bytes}
	if m.Replication != nil {
		s.CheckpointTime = m.Replication.CheckpointTime
	}
	if v := m.Verification; v != nil {
		s.Mismatches = v.Errors + v.Warnings
		s.Problem = v.Problem
		if v.Verified {
			s.VerifiedAt = v.At
		}
	}
	if p := m.RestorePoint; p != nil {
		s.RestorePoint = &PointSummary{Method: p.Method, Node: p.Node, Location: p.Location, Files: p.Files, Bytes: p.Bytes,
			BytesNew: p.BytesNew, StoreBytes: p.StoreBytes, Verified: p.Verification != nil && p.Verification.Verified}
		if p.Volume != "" && p.Method != "gluster-snapshot" {
			s.RestorePoint.Location = p.Volume + ":" + p.Location
		}
	}
	if s.Problem == "" && m.FailedStep != "" {
		s.Problem = m.Step(m.FailedStep).Error
	}
	return s
}
