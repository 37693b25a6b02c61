package georep

// DefaultRolloverSeconds is the changelog rollover interval glusterdr sets
// on a primary volume unless told otherwise. A checkpoint cycle waits this
// long after its marker before it starts the session (the marker must be
// in a closed changelog when gsyncd's history crawl runs), so it is part of
// the cycle's floor; each rollover adds about 90 bytes to the brick's HTIME
// index, and empty changelogs are not kept (docs/gluster-facts.md, "The
// changelog rollover time").
const DefaultRolloverSeconds = 5

// MinRolloverSeconds and MaxRolloverSeconds bound the rollover time
// glusterdr sets. At 1 s GlusterFS 10.3 closed two changelogs in one second
// under one name and lost one; at 3 s the closes were still 1-4 s apart.
// A cycle waits the rollover time after its marker.
const (
	MinRolloverSeconds = 3
	MaxRolloverSeconds = 600
)

// DefaultTarBlocking is the blocking factor glusterdr gives the extracting
// tar on the secondary nodes unless told otherwise: 256 blocks, 128 KiB
// records. With GNU tar's default of 20 a large file reached the
// secondary's FUSE mount in 10 KiB writes, and the copy of 1 GiB took
// about 24.6 s against about 9 s at 256 (docs/gluster-facts.md, "The
// receiving tar's record size").
const DefaultTarBlocking = 256

// DefaultTuning is the gsyncd config glusterdr gives a session unless the
// declaration says otherwise (docs/gluster-facts.md, "Tuning"):
//   - sync_method tarssh: with Debian 12's rsync 3.5.0, gsyncd's rsync
//     left files empty at the secondary;
//   - sync_jobs 3 (gsyncd's own default): parallel tar jobs, safe now that
//     a cycle waits for the batch in flight before it stops the session.
func DefaultTuning() map[string]string {
	return map[string]string{"sync_method": "tarssh", "sync_jobs": "3"}
}
