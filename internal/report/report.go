// Package report sums up the DR posture for operators and auditors: how
// many verified, geographically separate copies exist, how old they are,
// when each site last passed a restore drill and what RTO it measured, how
// the nightly runs have gone, and what retention keeps.
package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
)

// RequiredCopies is what audited systems commonly ask for: the primary and
// two separate sites.
const RequiredCopies = 3

// Report is the DR posture at one moment.
type Report struct {
	At time.Time `json:"at"`
	// Copies counts the primary and every site holding a verified copy.
	Copies         int  `json:"copies"`
	RequiredCopies int  `json:"required_copies"`
	CopiesMet      bool `json:"copies_met"`
	// RPOSeconds is the age of the newest verified copy anywhere.
	RPOSeconds *float64 `json:"rpo_seconds"`
	Sites      []Site   `json:"sites"`
	Runs       Runs     `json:"runs"`
	// Sets counts the backup sets by target and tier; nil when the primary
	// could not be read.
	Sets        map[string]map[string]int `json:"sets"`
	SetsProblem string                    `json:"sets_problem,omitempty"`
	// HistoryRebuilt says that the controller had no journal and the
	// history was read back from the backup sets (drrun.Rebuilt).
	HistoryRebuilt *drrun.Rebuilt `json:"history_rebuilt,omitempty"`
}

// Site is one DR site's line.
type Site struct {
	Name              string     `json:"name"`
	VerifiedCopy      bool       `json:"verified_copy"`
	CopyTime          *time.Time `json:"copy_time"`
	RPOSeconds        *float64   `json:"rpo_seconds"`
	LastDrillPassed   *time.Time `json:"last_drill_passed"`
	LastDrillFailed   bool       `json:"last_drill_failed"`
	DrillDue          bool       `json:"drill_due"`
	DrilledRTOSeconds *float64   `json:"drilled_rto_seconds"`
	LastRunResult     string     `json:"last_run_result"`
	// RestorePoints are the site's point-in-time copies of the volume:
	// how far back a restore can go, and what they cost.
	RestorePoints *backupset.SitePoints `json:"restore_points"`
}

// Runs sums up the journal.
type Runs struct {
	Total               int     `json:"total"`
	Verified            int     `json:"verified"`
	Failed              int     `json:"failed"`
	MeanSyncSeconds     float64 `json:"mean_sync_seconds"`
	MeanOverheadSeconds float64 `json:"mean_overhead_seconds"`
}

// Build makes the report from the status, the journal and the sets.
func Build(st drrun.Status, entries []journal.Entry, sets []backupset.Summary, setsErr error) Report {
	r := Report{At: st.Updated, Copies: 1 + st.VerifiedCopies, RequiredCopies: RequiredCopies, RPOSeconds: st.RPOSeconds,
		HistoryRebuilt: st.Rebuilt}
	r.CopiesMet = r.Copies >= r.RequiredCopies
	for _, t := range st.Targets {
		s := Site{Name: t.Name, VerifiedCopy: t.LastVerified != nil, CopyTime: t.CopyTime, RPOSeconds: t.RPOSeconds, LastRunResult: "never",
			RestorePoints: t.RestorePoints, DrillDue: t.DrillDue}
		if t.LastRun != nil {
			s.LastRunResult = t.LastRun.Result
		}
		if d := t.LastPassedDrill; d != nil {
			s.LastDrillPassed = &d.Time
		}
		if d := t.LastDrill; d != nil {
			s.LastDrillFailed = !d.Passed
			rto := d.RTOSeconds
			s.DrilledRTOSeconds = &rto
		}
		r.Sites = append(r.Sites, s)
	}
	for _, e := range entries {
		r.Runs.Total++
		if e.Verified() {
			r.Runs.Verified++
		} else {
			r.Runs.Failed++
		}
		r.Runs.MeanSyncSeconds += e.SyncSeconds
		r.Runs.MeanOverheadSeconds += e.OverheadSeconds
	}
	if r.Runs.Total > 0 {
		r.Runs.MeanSyncSeconds /= float64(r.Runs.Total)
		r.Runs.MeanOverheadSeconds /= float64(r.Runs.Total)
	}
	if setsErr != nil {
		r.SetsProblem = setsErr.Error()
		return r
	}
	r.Sets = map[string]map[string]int{}
	for _, s := range sets {
		if r.Sets[s.Target] == nil {
			r.Sets[s.Target] = map[string]int{}
		}
		r.Sets[s.Target][string(s.Tier)]++
	}
	return r
}

// Render writes the report as text.
func Render(w io.Writer, r Report) {
	verdict := "met"
	if !r.CopiesMet {
		verdict = "NOT met"
	}
	fmt.Fprintf(w, "DR report at %s\n", r.At.UTC().Format(time.RFC3339))
	if h := r.HistoryRebuilt; h != nil {
		fmt.Fprintf(w, "history REBUILT from the backup sets (%s): %s\n", h.Why, strings.Join(h.From, "; "))
	}
	fmt.Fprintf(w, "copies: %d (the primary and %d site(s) with a verified copy); %d required: %s\n",
		r.Copies, r.Copies-1, r.RequiredCopies, verdict)
	if r.RPOSeconds != nil {
		fmt.Fprintf(w, "RPO: %s\n", dur(*r.RPOSeconds))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tVERIFIED COPY\tRPO\tLAST RUN\tLAST DRILL PASSED\tDRILLED RTO\tRESTORE POINTS")
	for _, s := range r.Sites {
		rpo, drill, rto, points := "-", "never", "-", "none"
		if s.RPOSeconds != nil {
			rpo = dur(*s.RPOSeconds)
		}
		if s.LastDrillPassed != nil {
			drill = s.LastDrillPassed.UTC().Format(time.DateTime)
		}
		if s.LastDrillFailed {
			drill += " (newest drill FAILED)"
		}
		if s.DrillDue {
			drill += " (drill due)"
		}
		if s.DrilledRTOSeconds != nil {
			rto = dur(*s.DrilledRTOSeconds)
		}
		if p := s.RestorePoints; p != nil {
			points = fmt.Sprintf("%d back to %s, %d bytes stored, %d new in the latest", p.Count,
				p.Oldest.AsOf.UTC().Format(time.DateOnly), p.BytesStored, p.BytesNewLatest)
		}
		fmt.Fprintf(tw, "%s\t%v\t%s\t%s\t%s\t%s\t%s\n", s.Name, s.VerifiedCopy, rpo, s.LastRunResult, drill, rto, points)
	}
	tw.Flush()
	fmt.Fprintf(w, "runs: %d (%d verified, %d failed); mean gluster sync %.1fs, mean overhead %.1fs\n",
		r.Runs.Total, r.Runs.Verified, r.Runs.Failed, r.Runs.MeanSyncSeconds, r.Runs.MeanOverheadSeconds)
	if r.SetsProblem != "" {
		fmt.Fprintf(w, "backup sets: not read (%s)\n", r.SetsProblem)
	}
	for _, target := range slices.Sorted(maps.Keys(r.Sets)) {
		fmt.Fprintf(w, "backup sets for %s: %v\n", target, r.Sets[target])
	}
}

func dur(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Second).String()
}
