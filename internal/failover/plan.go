// Package failover promotes a DR site's volume to be the writable primary,
// and later brings the changes made there back to the repaired primary,
// following the GlusterFS administrator guide:
//
//   - failover: stop the session; on the secondary volume switch read-only
//     off and geo-replication.indexing and changelog on;
//   - failback: a reverse session from the site to the primary, created
//     with special-sync-mode recover, one checkpoint cycle while writes at
//     the site are stopped, then the reverse session deleted, the primary
//     made writable again (push-pem's hook made it read-only, as it does
//     every secondary) and the site handed back to its read-only DR role.
//
// Every step is printed before it runs, journaled when it is done, and
// skipped when a re-run finds it done, so an interrupted switch resumes.
package failover

import (
	"context"
	"fmt"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Topology is what a switch needs to reach.
type Topology struct {
	// Site names the DR site, for messages and the journal.
	Site string
	// Forward is the nightly session, primary volume -> site volume.
	Forward gluster.SessionRef
	// Primary runs gluster on a primary node. Nil when the primary site is
	// down: failover then skips stopping the session there.
	Primary *gluster.Client
	// PrimaryRunner and PrimaryFiles reach that same primary node (the
	// reverse session's secondary end), PrimaryFiles for the forced
	// command of the site's tar key there; without it the reverse session
	// keeps push-pem's.
	PrimaryRunner remote.Runner
	PrimaryFiles  remote.Files
	// PrimaryHost is the primary node's address as the site reaches it.
	PrimaryHost string
	// PrimaryHostKeys pins the primary nodes' host keys for the reverse
	// session's gsyncd (known_hosts lines).
	PrimaryHostKeys []string
	// Site runs gluster on a node of the site.
	SiteGluster *gluster.Client
	// SiteFiles reaches the files of every node of the site, for the
	// reverse session's pinned known_hosts.
	SiteFiles []remote.Files
	// Marker writes a file on the site's mounted volume, so that the
	// failback's checkpoint completes even when nothing else changes.
	Marker func(ctx context.Context) error
	// SyncMethod is gsyncd's sync_method for the reverse session.
	SyncMethod string
}

// Step is one action of a switch.
type Step struct {
	Name string
	// Describe says what the step does, on which host, in words.
	Describe string
	Run      func(ctx context.Context) error
}

// Plan is the ordered steps of a failover or failback (or of another
// switch journaled the same way, such as a restore).
type Plan struct {
	Kind  string // "failover" or "failback"
	Site  string
	Steps []Step
	// Title names the plan in messages ("<kind> to <site>" when empty);
	// Confirm says why it needs --yes ("it changes which copy is writable"
	// when empty).
	Title, Confirm string
}

func (p Plan) title() string {
	if p.Title != "" {
		return p.Title
	}
	return p.Kind + " to " + p.Site
}

func (p Plan) confirm() string {
	if p.Confirm != "" {
		return p.Confirm
	}
	return p.Kind + " changes which copy is writable"
}

// promotionOptions make the site volume a primary that records its changes.
var promotionOptions = map[string]string{
	"features.read-only":       "off",
	"geo-replication.indexing": "on",
	"changelog.changelog":      "on",
}

// Failover promotes the site's volume.
func Failover(t Topology) Plan {
	sv := t.Forward.SecondaryVolume
	p := Plan{Kind: "failover", Site: t.Site}
	if t.Primary != nil {
		p.Steps = append(p.Steps, Step{
			Name:     "stop-session",
			Describe: fmt.Sprintf("stop geo-replication %s on %s (force), so that nothing overwrites the site", t.Forward, t.Primary.Host()),
			Run:      func(ctx context.Context) error { return t.Primary.Stop(ctx, t.Forward, true) },
		})
	}
	p.Steps = append(p.Steps, Step{
		Name: "promote-volume",
		Describe: fmt.Sprintf("on %s set %s: features.read-only off, geo-replication.indexing on, changelog.changelog on",
			t.SiteGluster.Host(), sv),
		Run: func(ctx context.Context) error { return t.SiteGluster.SetOptions(ctx, sv, promotionOptions) },
	})
	return p
}

// Reverse is the session that carries the site's changes back.
func (t Topology) Reverse() gluster.SessionRef {
	return gluster.SessionRef{PrimaryVolume: t.Forward.SecondaryVolume, SecondaryHost: t.PrimaryHost,
		SecondaryVolume: t.Forward.PrimaryVolume}
}

// Failback carries the changes made at the promoted site back to the
// repaired primary and hands the site back to its DR role.
func Failback(t Topology, cycle gluster.CycleOptions) Plan {
	rev, sv := t.Reverse(), t.Forward.SecondaryVolume
	cycle.Marker = t.Marker
	spec := georep.Spec{HostKeys: t.PrimaryHostKeys, Config: map[string]string{
		"special_sync_mode":        "recover",
		"gfid_conflict_resolution": "false",
	}}
	if t.SyncMethod != "" {
		spec.Config["sync_method"] = t.SyncMethod
	}
	nodes := georep.Nodes{Primary: t.SiteGluster, PrimaryFiles: t.SiteFiles, Secondary: t.PrimaryRunner}
	tuning := ""
	if t.PrimaryFiles != nil {
		spec.TarBlocking = georep.DefaultTarBlocking
		nodes.SecondaryNodes = []georep.Node{{Runner: t.PrimaryRunner, Files: t.PrimaryFiles}}
		tuning = fmt.Sprintf(", tar records of %d blocks at the primary", spec.TarBlocking)
	}
	return Plan{Kind: "failback", Site: t.Site, Steps: []Step{
		{
			Name:     "stop-forward-session",
			Describe: fmt.Sprintf("stop geo-replication %s on %s (force)", t.Forward, t.Primary.Host()),
			Run:      func(ctx context.Context) error { return t.Primary.Stop(ctx, t.Forward, true) },
		},
		{
			Name: "create-reverse-session",
			Describe: fmt.Sprintf("on %s create the reverse session %s (push-pem, special-sync-mode recover, host keys pinned%s)",
				t.SiteGluster.Host(), rev, tuning),
			Run: func(ctx context.Context) error { return georep.Create(ctx, nodes, rev, spec) },
		},
		{
			Name: "sync-back",
			Describe: fmt.Sprintf("with writes at %s stopped, run one checkpoint cycle of %s until every change is on the primary",
				t.Site, rev),
			Run: func(ctx context.Context) error {
				_, err := t.SiteGluster.RunCheckpointCycle(ctx, rev, cycle)
				return err
			},
		},
		{
			Name:     "delete-reverse-session",
			Describe: fmt.Sprintf("on %s delete the reverse session %s", t.SiteGluster.Host(), rev),
			Run: func(ctx context.Context) error {
				return t.SiteGluster.Delete(ctx, rev, gluster.DeleteOptions{ResetSyncTime: true})
			},
		},
		{
			Name:     "primary-writable",
			Describe: fmt.Sprintf("on %s set %s features.read-only off: the primary takes writes again", t.Primary.Host(), rev.SecondaryVolume),
			Run: func(ctx context.Context) error {
				return t.Primary.SetOptions(ctx, rev.SecondaryVolume, map[string]string{"features.read-only": "off"})
			},
		},
		{
			Name: "demote-volume",
			Describe: fmt.Sprintf("on %s set %s features.read-only on, and reset its geo-replication.indexing (force) and changelog.changelog",
				t.SiteGluster.Host(), sv),
			Run: func(ctx context.Context) error {
				if err := t.SiteGluster.SetOptions(ctx, sv, map[string]string{"features.read-only": "on"}); err != nil {
					return err
				}
				if err := t.SiteGluster.ForceResetOption(ctx, sv, "geo-replication.indexing"); err != nil {
					return err
				}
				return t.SiteGluster.ResetOption(ctx, sv, "changelog.changelog")
			},
		},
	}}
}
