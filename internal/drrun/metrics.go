package drrun

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
)

// RenderMetrics renders st as a Prometheus textfile for node_exporter's
// textfile collector. Per-target series carry a "target" label; a target
// without a verified copy has no copy or success series, so that an alert
// on absent() or on the age catches it.
func RenderMetrics(st Status) []byte {
	var b strings.Builder
	family := func(name, help string, samples func(emit func(target string, v float64))) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
		samples(func(target string, v float64) {
			if target == "" {
				fmt.Fprintf(&b, "%s %s\n", name, num(v))
				return
			}
			fmt.Fprintf(&b, "%s{target=%q} %s\n", name, target, num(v))
		})
	}
	perTarget := func(get func(TargetStatus) (float64, bool)) func(emit func(string, float64)) {
		return func(emit func(string, float64)) {
			for _, t := range st.Targets {
				if v, ok := get(t); ok {
					emit(t.Name, v)
				}
			}
		}
	}
	lastRun := func(get func(*journal.Entry) float64) func(emit func(string, float64)) {
		return perTarget(func(t TargetStatus) (float64, bool) {
			if t.LastRun == nil {
				return 0, false
			}
			return get(t.LastRun), true
		})
	}

	family("glusterdr_last_success_timestamp_seconds", "When the newest verified backup set of the target was recorded.",
		perTarget(func(t TargetStatus) (float64, bool) {
			if t.LastVerified == nil {
				return 0, false
			}
			return float64(t.LastVerified.Time.Unix()), true
		}))
	family("glusterdr_copy_timestamp_seconds", "The point in time the newest verified copy at the target reflects (its checkpoint); the live RPO is time() minus this.",
		perTarget(func(t TargetStatus) (float64, bool) {
			if t.CopyTime == nil {
				return 0, false
			}
			return float64(t.CopyTime.Unix()), true
		}))
	family("glusterdr_rpo_seconds", "Age of the newest verified copy at the target when this file was written.",
		perTarget(func(t TargetStatus) (float64, bool) {
			if t.RPOSeconds == nil {
				return 0, false
			}
			return *t.RPOSeconds, true
		}))
	family("glusterdr_last_run_timestamp_seconds", "When the target's most recent backup set was recorded.",
		lastRun(func(e *journal.Entry) float64 { return float64(e.Time.Unix()) }))
	family("glusterdr_last_run_success", "1 if the target's most recent backup set was verified, 0 if it failed.",
		lastRun(func(e *journal.Entry) float64 {
			if e.Verified() {
				return 1
			}
			return 0
		}))
	family("glusterdr_last_run_duration_seconds", "Time spent in the steps of the target's most recent backup set.",
		lastRun(func(e *journal.Entry) float64 { return e.Seconds }))
	family("glusterdr_last_run_sync_seconds", "Of that, the geo-replication checkpoint cycle (gluster's sync).",
		lastRun(func(e *journal.Entry) float64 { return e.SyncSeconds }))
	family("glusterdr_last_run_overhead_seconds", "Of that, everything else: glusterdr's own overhead.",
		lastRun(func(e *journal.Entry) float64 { return e.OverheadSeconds }))
	family("glusterdr_checkpoint_stalls", "Checkpoint cycles of the target that stalled and were restarted or nudged, over its journal.",
		perTarget(func(t TargetStatus) (float64, bool) { return float64(t.Stalls), true }))
	family("glusterdr_last_run_bytes", "Bytes in the target's most recent backup set.",
		lastRun(func(e *journal.Entry) float64 { return float64(e.Bytes) }))
	family("glusterdr_restore_drill_last_success_timestamp_seconds", "When a restore drill at the target last passed.",
		perTarget(func(t TargetStatus) (float64, bool) {
			if t.LastPassedDrill == nil {
				return 0, false
			}
			return float64(t.LastPassedDrill.Time.Unix()), true
		}))
	family("glusterdr_restore_drill_last_success", "1 if the target's most recent restore drill passed, 0 if it failed.",
		perTarget(func(t TargetStatus) (float64, bool) {
			if t.LastDrill == nil {
				return 0, false
			}
			if t.LastDrill.Passed {
				return 1, true
			}
			return 0, true
		}))
	family("glusterdr_restore_drill_due", "1 if the target keeps restore points and its last passed restore drill is older than drill_every (or it has none).",
		perTarget(func(t TargetStatus) (float64, bool) {
			if t.RestorePoints == nil && !t.DrillDue {
				return 0, false
			}
			if t.DrillDue {
				return 1, true
			}
			return 0, true
		}))
	family("glusterdr_restore_drill_rto_seconds", "The RTO the target's most recent restore drill extrapolated.",
		perTarget(func(t TargetStatus) (float64, bool) {
			if t.LastDrill == nil {
				return 0, false
			}
			return t.LastDrill.RTOSeconds, true
		}))
	points := func(get func(*backupset.SitePoints) float64) func(emit func(string, float64)) {
		return perTarget(func(t TargetStatus) (float64, bool) {
			if t.RestorePoints == nil {
				return 0, false
			}
			return get(t.RestorePoints), true
		})
	}
	family("glusterdr_restore_points", "How many verified restore points (point-in-time copies of the volume) the target holds.",
		points(func(p *backupset.SitePoints) float64 { return float64(p.Count) }))
	family("glusterdr_restore_point_oldest_timestamp_seconds", "The point in time the target's oldest restore point reflects: how far back a restore can go.",
		points(func(p *backupset.SitePoints) float64 { return float64(p.Oldest.AsOf.Unix()) }))
	family("glusterdr_restore_point_newest_timestamp_seconds", "The point in time the target's newest restore point reflects.",
		points(func(p *backupset.SitePoints) float64 { return float64(p.Newest.AsOf.Unix()) }))
	family("glusterdr_restore_point_store_bytes", "Bytes the target's restore points take together (link-tree; hard-linked files counted once).",
		points(func(p *backupset.SitePoints) float64 { return float64(p.BytesStored) }))
	family("glusterdr_restore_point_new_bytes", "Bytes the target's newest restore point added to its store.",
		points(func(p *backupset.SitePoints) float64 { return float64(p.BytesNewLatest) }))
	family("glusterdr_verified_copies", "How many target sites hold a verified copy.",
		func(emit func(string, float64)) { emit("", float64(st.VerifiedCopies)) })
	family("glusterdr_status_timestamp_seconds", "When this file was written.",
		func(emit func(string, float64)) { emit("", float64(st.Updated.Unix())) })
	return []byte(b.String())
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
