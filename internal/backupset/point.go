package backupset

import (
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
)

// RestorePoint is a point-in-time copy of a target's whole volume, made at
// the site after the set was verified there, while the session was
// stopped. It carries the set's name and is kept or deleted with the set.
type RestorePoint struct {
	// Method is "link-tree" or "gluster-snapshot" (schedule.Points*).
	Method string `json:"method"`
	// Node is the site node that made the point and reads it back.
	Node string `json:"node"`
	// Volume is, for a link-tree, the volume of the site's pool that holds
	// the store ("" for a folder on Node); for a snapshot, the volume it
	// was taken of.
	Volume string `json:"volume,omitempty"`
	// Location is the point's folder (inside Volume when that is set), or
	// the snapshot's name.
	Location string `json:"location"`
	// Previous is the point whose unchanged files this one links to.
	Previous string    `json:"previous,omitempty"`
	Made     time.Time `json:"made"`
	Seconds  float64   `json:"seconds"`
	// Files and Bytes are the regular files in the point and their size;
	// BytesNew is what the point added to the store (files not linked to
	// Previous). Unknown (0) for a snapshot, whose copy-on-write cost
	// grows later.
	Files    int   `json:"files"`
	Bytes    int64 `json:"bytes"`
	BytesNew int64 `json:"bytes_new"`
	// StoreBytes is the size of every point of the target in the store
	// once this one was made (du: hard-linked files counted once).
	StoreBytes int64 `json:"store_bytes,omitempty"`
	// Verification is the point read back: the set's own files against
	// the manifest, and the verification sample against the hashes taken
	// on the primary.
	Verification *PointCheck `json:"verification,omitempty"`
}

// PointCheck is what reading a restore point back found.
type PointCheck struct {
	Verified bool    `json:"verified"`
	Seconds  float64 `json:"seconds"`
	// Entries is how many manifest entries were compared; Sample how many
	// sampled volume files.
	Entries    int                 `json:"entries"`
	Sample     int                 `json:"sample"`
	Errors     int                 `json:"errors"`
	Warnings   int                 `json:"warnings"`
	Mismatches []manifest.Mismatch `json:"mismatches"`
	Problem    string              `json:"problem,omitempty"`
}
