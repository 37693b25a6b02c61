package gluster

import (
	"context"
	"path"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// MarkerName is the file a checkpoint cycle writes at the root of the
// mounted primary volume: an idle volume completes no checkpoint, since a
// checkpoint completes only when a change after it is processed.
const MarkerName = ".glusterdr-checkpoint"

// Marker writes the checkpoint marker on a node that mounts the volume;
// its Write is CycleOptions.Marker.
type Marker struct {
	Files remote.Files // the node's
	Mount string       // where the volume is mounted there
	// By names what wrote the marker (a backup set's id, "glusterdr
	// checkpoint"), for whoever finds the file.
	By string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Path is the marker's path on the node.
func (m Marker) Path() string { return path.Join(m.Mount, MarkerName) }

// Write writes the marker anew: "<time, RFC 3339 UTC> <By>\n". The
// content changes every time, so that every write is a change to sync.
func (m Marker) Write(ctx context.Context) error {
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	stamp := now().UTC().Format(time.RFC3339Nano) + " " + m.By + "\n"
	return m.Files.WriteFile(ctx, m.Path(), strings.NewReader(stamp), 0o644)
}
