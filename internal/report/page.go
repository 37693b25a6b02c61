package report

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
)

// Inputs is what the HTML page is drawn from: the report and the history
// behind it.
type Inputs struct {
	Report  Report
	Journal []journal.Entry
	Drills  []drill.Record
	// Sets are the backup sets read from the primary (stalls, resends, the
	// sets each site holds); nil when the primary could not be read, and
	// Report.SetsProblem says why.
	Sets []*backupset.Meta
	// Bench is the newest `make bench` table, read from BenchSource; nil
	// when there is none, and BenchProblem says why.
	Bench        *benchtable.Table
	BenchSource  string
	BenchProblem string
}

// rpoPoint is a site's RPO at one moment.
type rpoPoint struct {
	at  time.Time
	rpo time.Duration
}

// rpoHistory is each site's RPO over time, from the journal: after each
// verified copy the RPO is the age of that copy's checkpoint, and it grows
// until the next one, up to now. The series is a saw: at each new copy it
// drops.
func rpoHistory(entries []journal.Entry, now time.Time) map[string][]rpoPoint {
	byTarget := map[string][]journal.Entry{}
	for _, e := range entries {
		if e.Verified() && !e.CheckpointTime.IsZero() {
			byTarget[e.Target] = append(byTarget[e.Target], e)
		}
	}
	out := map[string][]rpoPoint{}
	for target, es := range byTarget {
		slices.SortFunc(es, func(a, b journal.Entry) int { return a.Time.Compare(b.Time) })
		var pts []rpoPoint
		var newest time.Time // the newest checkpoint verified so far
		for _, e := range es {
			if !newest.IsZero() {
				pts = append(pts, rpoPoint{e.Time, e.Time.Sub(newest)})
			}
			newest = later(newest, e.CheckpointTime)
			pts = append(pts, rpoPoint{e.Time, e.Time.Sub(newest)})
		}
		if now.After(es[len(es)-1].Time) {
			pts = append(pts, rpoPoint{now, now.Sub(newest)})
		}
		out[target] = pts
	}
	return out
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// night is one set's run, for the plots of sync time, bytes, stalls and
// resends.
type night struct {
	Set    string
	Target string
	At     time.Time
	Result string
	// SyncSeconds is gluster's checkpoint cycle; Bytes what the set held.
	SyncSeconds float64
	Bytes       int64
	// Stalls are the stop/start rounds and extra markers the cycle needed;
	// ResentFiles the files sent again after a first verification failed.
	Stalls      int
	ResentFiles int
}

// MBPerSecond is the set's bytes over its sync time.
func (n night) MBPerSecond() float64 {
	if n.SyncSeconds <= 0 {
		return 0
	}
	return float64(n.Bytes) / 1e6 / n.SyncSeconds
}

// nights are the journal's runs in order, with the stalls and resends of
// the sets that are still on the primary (the journal does not carry
// them).
func nights(entries []journal.Entry, sets []*backupset.Meta) []night {
	metas := map[string]*backupset.Meta{}
	for _, m := range sets {
		metas[m.ID] = m
	}
	var out []night
	for _, e := range entries {
		if e.Set == "" {
			continue // a night that failed before it opened a set
		}
		n := night{Set: e.Set, Target: e.Target, At: cmp.Or(e.Started, e.Time), Result: e.Result,
			SyncSeconds: e.SyncSeconds, Bytes: e.Bytes}
		if m := metas[e.Set]; m != nil {
			if r := m.Replication; r != nil {
				n.Stalls = r.Restarts + r.Nudges
			}
			if v := m.Verification; v != nil && v.Resent != nil {
				n.ResentFiles = len(v.Resent.Files)
			}
		}
		out = append(out, n)
	}
	slices.SortStableFunc(out, func(a, b night) int { return a.At.Compare(b.At) })
	return out
}

// sitePoints are the points in time a site can be restored to.
type sitePoints struct {
	Site   string
	Points []point
}

type point struct {
	ID       string
	AsOf     time.Time
	Tier     string
	Verified bool
}

// restorePoints lists, per site, the backup sets the primary holds for it,
// newest first: what a restore can go back to with this branch's data.
//
// Hook for the restore-points work: when report.Site carries the site's
// point-in-time copies (Site.RestorePoints, a *backupset.SitePoints), list
// those here, each with its AsOf, in place of or beside the sets.
func restorePoints(r Report, sets []*backupset.Meta) []sitePoints {
	bySite := map[string][]point{}
	for _, s := range r.Sites {
		bySite[s.Name] = nil
	}
	for _, m := range sets {
		s := m.Summary()
		bySite[s.Target] = append(bySite[s.Target], point{ID: s.ID, AsOf: cmp.Or(s.CheckpointTime, s.Opened),
			Tier: string(s.Tier), Verified: s.Verified})
	}
	var out []sitePoints
	for _, site := range slices.Sorted(maps.Keys(bySite)) {
		pts := bySite[site]
		slices.SortFunc(pts, func(a, b point) int { return b.AsOf.Compare(a.AsOf) })
		out = append(out, sitePoints{Site: site, Points: pts})
	}
	return out
}
