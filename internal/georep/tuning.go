package georep

// DefaultRolloverSeconds is the changelog rollover interval glusterdr sets
// on a primary volume unless told otherwise. A checkpoint cycle waits this
// long after its marker before it starts the session (the marker must be
// in a closed changelog when gsyncd's history crawl runs), so it is the
// cycle's floor; each rollover adds about 90 bytes to the brick's HTIME
// index (8 MB a day at 1 s), and empty changelogs are not kept.
const DefaultRolloverSeconds = 1

// MaxRolloverSeconds bounds the rollover time glusterdr sets: a cycle waits
// that long after its marker.
const MaxRolloverSeconds = 600

// DefaultTuning is the gsyncd config glusterdr gives a session unless the
// declaration says otherwise (docs/gluster-facts.md, "Tuning"):
//   - sync_method tarssh: with Debian 12's rsync 3.5.0, gsyncd's rsync
//     left files empty at the secondary;
//   - sync_jobs 3 (gsyncd's own default): parallel tar jobs, safe now that
//     a cycle waits for the batch in flight before it stops the session.
func DefaultTuning() map[string]string {
	return map[string]string{"sync_method": "tarssh", "sync_jobs": "3"}
}
