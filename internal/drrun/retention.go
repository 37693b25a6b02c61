package drrun

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
)

// RetentionReport is a retention plan, and what applying it did.
type RetentionReport struct {
	Policy  Policy     `json:"policy"`
	Applied bool       `json:"applied"`
	Keep    []Decision `json:"keep"`
	Delete  []Decision `json:"delete"`
	Promote []Decision `json:"promote"`
	// Deleted lists the sets removed, when applied; each went with its
	// restore point.
	Deleted []string `json:"deleted"`
	// Unreadable sets are never touched; an operator decides.
	Unreadable []backupset.Unreadable `json:"unreadable"`
}

// Policy is the schedule's retention policy, as reported.
type Policy struct {
	Daily     int `json:"daily"`
	Weekly    int `json:"weekly"`
	Monthly   int `json:"monthly"`
	FullEvery int `json:"full_every"`
}

// Decision is one line of the plan.
type Decision struct {
	ID     string         `json:"id"`
	Target string         `json:"target"`
	Time   time.Time      `json:"time"`
	Tier   retention.Tier `json:"tier"`
	Reason string         `json:"reason"`
	// RestorePoint is where the set's restore point is, which is kept or
	// deleted with it.
	RestorePoint string `json:"restore_point,omitempty"`
}

func decisions(ds []retention.Decision, byID map[string]*backupset.Meta) []Decision {
	out := make([]Decision, len(ds))
	for i, d := range ds {
		out[i] = Decision{ID: d.ID, Target: d.Target, Time: d.Time, Tier: d.Tier, Reason: d.Reason}
		if m := byID[d.ID]; m != nil && m.RestorePoint != nil {
			out[i].RestorePoint = m.RestorePoint.Node + ":" + m.RestorePoint.Location
		}
	}
	return out
}

// Retention plans retention over the sets in the backup folder and, with
// apply, carries the plan out under the run lock.
func (e *Engine) Retention(ctx context.Context, apply bool, command string) (*RetentionReport, error) {
	if !apply {
		r, _, err := e.planRetention(ctx, nil)
		return r, err
	}
	lock, err := runlock.Acquire(e.Schedule.LockFile, command)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	return e.applyRetention(ctx, nil)
}

// planRetention lists the sets (with current in place of its stored copy)
// and computes the plan.
func (e *Engine) planRetention(ctx context.Context, current *backupset.Meta) (*RetentionReport, map[string]*backupset.Meta, error) {
	listing, err := e.Store().List(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]*backupset.Meta{}
	var sets []retention.Set
	for _, m := range listing.Sets {
		if current != nil && m.ID == current.ID {
			m = current
		}
		byID[m.ID] = m
		sets = append(sets, m.RetentionSet())
	}
	plan, err := retention.Compute(sets, e.Schedule.Retention)
	if err != nil {
		return nil, nil, fmt.Errorf("retention: %w; nothing was deleted", err)
	}
	p := e.Schedule.Retention
	r := &RetentionReport{Policy: Policy{Daily: p.Daily, Weekly: p.Weekly, Monthly: p.Monthly, FullEvery: p.FullEvery},
		Keep: decisions(plan.Keep, byID), Delete: decisions(plan.Delete, byID), Promote: decisions(plan.Promote, byID),
		Deleted: []string{}, Unreadable: listing.Unreadable}
	if r.Unreadable == nil {
		r.Unreadable = []backupset.Unreadable{}
	}
	return r, byID, nil
}

// applyRetention records the plan's promotions in set.json and deletes what
// it says to delete, after checking once more that no target's newest
// verified set and no set still at work is among them.
func (e *Engine) applyRetention(ctx context.Context, current *backupset.Meta) (*RetentionReport, error) {
	r, byID, err := e.planRetention(ctx, current)
	if err != nil {
		return nil, err
	}
	if err := safeToDelete(r.Delete, byID, current); err != nil {
		return r, fmt.Errorf("retention: %w; nothing was deleted", err)
	}
	store := e.Store()
	for _, d := range r.Promote {
		m := byID[d.ID]
		m.Promotions = append(m.Promotions, backupset.Promotion{At: e.now(), From: m.Tier, To: d.Tier, Reason: d.Reason})
		m.Tier = d.Tier
		if current != nil && m.ID == current.ID {
			continue // written by the step itself
		}
		if err := store.Write(ctx, m); err != nil {
			return r, fmt.Errorf("retention: recording the promotion of %s: %w; nothing was deleted", m.ID, err)
		}
	}
	var errs []error
	for _, d := range r.Delete {
		if err := e.deletePoint(ctx, byID[d.ID]); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := store.Remove(ctx, d.ID); err != nil {
			errs = append(errs, err)
			continue
		}
		r.Deleted = append(r.Deleted, d.ID)
		e.log().Info("backup set deleted", "set", d.ID, "target", d.Target, "reason", d.Reason)
	}
	r.Applied = true
	if len(r.Promote)+len(r.Delete) > 0 {
		e.log().Info("retention applied", "kept", len(r.Keep), "promoted", len(r.Promote), "deleted", len(r.Deleted))
	}
	return r, errors.Join(errs...)
}

// deletePoint deletes the restore point of a set that retention deletes,
// first: when that fails, the set stays too, and the two go together on a
// later night.
func (e *Engine) deletePoint(ctx context.Context, m *backupset.Meta) error {
	p := m.RestorePoint
	if p == nil {
		return nil
	}
	if err := e.PointReader(p).Delete(ctx, p); err != nil {
		return fmt.Errorf("retention: deleting the restore point of %s (%s on %s): %w; the set is kept with it", m.ID, p.Location, p.Node, err)
	}
	e.log().Info("restore point deleted", "set", m.ID, "method", p.Method, "location", p.Location, "node", p.Node)
	return nil
}

// safeToDelete is the engine's own check on top of the planner's
// guarantees: never a target's newest verified set, nor the newest
// verified set that has a restore point.
func safeToDelete(del []Decision, byID map[string]*backupset.Meta, current *backupset.Meta) error {
	newest, newestPoint := map[string]*backupset.Meta{}, map[string]*backupset.Meta{}
	for _, m := range byID {
		if m.Status != retention.Verified {
			continue
		}
		if newest[m.Target] == nil || m.Opened.After(newest[m.Target].Opened) {
			newest[m.Target] = m
		}
		if m.RestorePoint != nil && (newestPoint[m.Target] == nil || m.Opened.After(newestPoint[m.Target].Opened)) {
			newestPoint[m.Target] = m
		}
	}
	for _, d := range del {
		m := byID[d.ID]
		switch {
		case m == nil:
			return fmt.Errorf("the plan deletes %s, which was not listed", d.ID)
		case current != nil && m.ID == current.ID:
			return fmt.Errorf("the plan deletes %s, the set this run is working on", d.ID)
		case newest[m.Target] == m:
			return fmt.Errorf("the plan deletes %s, the newest verified set of %s", d.ID, m.Target)
		case newestPoint[m.Target] == m:
			return fmt.Errorf("the plan deletes %s, the newest verified restore point of %s", d.ID, m.Target)
		}
	}
	return nil
}
