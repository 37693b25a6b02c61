// Package drrun is the nightly DR engine behind `glusterdr run`: for one
// schedule it takes the run lock, chooses tonight's target, opens a backup
// set on the primary's global volume and fills it (provisioning state, etcd
// snapshot, cluster dump, manifest), replicates it with one geo-replication
// checkpoint cycle, verifies it by reading the bytes back at the target,
// applies retention and records the result (journal, status.json,
// Prometheus textfile).
//
// Every step can run on its own (the Ansible collection runs them as
// separate tasks), and every step's state is kept in the set's set.json, so
// a run that was interrupted, even by SIGKILL, is resumed by the next one
// from its first unfinished step.
//
// The engine reaches every node over SSH (Nodes), etcd directly with
// client/v3, and the controller's own files (state_dir, lock, metrics)
// locally.
package drrun

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"log/slog"
	"os"
	"path"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/restorepoint"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
	"github.com/glusterdr/terraform-provider-gluster/internal/sitemount"
)

// ResumeWindow is how old a pending set may be for a run to resume it. An
// older one was abandoned: it is marked failed and a new set is opened.
const ResumeWindow = 36 * time.Hour

// Nodes reaches the hosts the engine drives.
type Nodes interface {
	Runner(host string) remote.Runner
	Files(host string) remote.Files
}

// Replicator runs one checkpoint cycle of a session; the engine uses the
// gluster CLI on the primary node unless a test replaces it.
type Replicator func(ctx context.Context, primary remote.Runner, ref gluster.SessionRef, opts gluster.CycleOptions) (*gluster.CycleResult, error)

// Mounter mounts a target's volume read-only on a node and returns where,
// and how to unmount it.
type Mounter func(ctx context.Context, r remote.Runner, host, volume string) (dir string, unmount func(context.Context) error, err error)

// Engine runs the cycle of one schedule. Only Schedule and Nodes are
// required.
type Engine struct {
	Schedule *schedule.Schedule
	Nodes    Nodes
	// Controller runs the provisioning inventory command and
	// ControllerFiles reads the inventory files; this machine by default.
	Controller      remote.Runner
	ControllerFiles remote.Files
	Log             *slog.Logger
	// Progress receives the checkpoint wait's progress after every poll.
	Progress func(gluster.Progress)
	// Now is the clock; time.Now by default.
	Now func() time.Time
	// Replicate, StopSession and Mount replace gluster and sitemount, for
	// tests.
	Replicate   Replicator
	StopSession SessionStopper
	Mount       Mounter
	// PointMounts mounts volumes and snapshots for restore points;
	// sitemount's FUSE mounts by default.
	PointMounts restorepoint.Mounts
	// Seed draws the seed of the verification sample; random by default.
	Seed func() int64
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now().UTC()
	}
	return time.Now().UTC()
}

func (e *Engine) log() *slog.Logger {
	if e.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Log
}

func (e *Engine) controller() (remote.Runner, remote.Files) {
	r, f := e.Controller, e.ControllerFiles
	if r == nil {
		name, _ := os.Hostname()
		r = remote.Local{Name: name}
	}
	if f == nil {
		f = remote.LocalFiles{}
	}
	return r, f
}

func (e *Engine) replicator() Replicator {
	if e.Replicate != nil {
		return e.Replicate
	}
	return func(ctx context.Context, primary remote.Runner, ref gluster.SessionRef, opts gluster.CycleOptions) (*gluster.CycleResult, error) {
		return gluster.New(primary).RunCheckpointCycle(ctx, ref, opts)
	}
}

func (e *Engine) mounter() Mounter {
	if e.Mount != nil {
		return e.Mount
	}
	return func(ctx context.Context, r remote.Runner, host, volume string) (string, func(context.Context) error, error) {
		m, err := sitemount.ReadOnly(ctx, r, host, volume)
		if err != nil {
			return "", nil, err
		}
		return m.Path, m.Unmount, nil
	}
}

func (e *Engine) seed() int64 {
	if e.Seed != nil {
		return e.Seed()
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

// primary is the node that mounts the global volume.
func (e *Engine) primary() (remote.Runner, remote.Files) {
	h := e.Schedule.Primary.Node
	return e.Nodes.Runner(h), e.Nodes.Files(h)
}

// Store is the backup folder on the primary node.
func (e *Engine) Store() backupset.Store {
	r, f := e.primary()
	return backupset.Store{Files: f, Runner: r, Dir: e.Schedule.Primary.BackupDir}
}

// BackupRel is the backup folder relative to the mount, which is where it
// is found in the target's copy of the volume.
func (e *Engine) BackupRel() (string, error) {
	p := e.Schedule.Primary
	rel, ok := strings.CutPrefix(path.Clean(p.BackupDir), path.Clean(p.Mount)+"/")
	if !ok || rel == "" {
		return "", fmt.Errorf("primary.backup_dir %s is not inside primary.mount %s: it would not be replicated, so nothing could be verified at a target", p.BackupDir, p.Mount)
	}
	return rel, nil
}

// Target is the schedule's target of that name, or an error listing them.
func (e *Engine) Target(name string) (schedule.Target, error) {
	t, ok := e.Schedule.Target(name)
	if !ok {
		var names []string
		for _, t := range e.Schedule.Targets {
			names = append(names, t.Name)
		}
		return t, fmt.Errorf("target %q is not in the schedule (targets: %s)", name, strings.Join(names, ", "))
	}
	return t, nil
}

// JournalPath is the schedule's journal on the controller.
func JournalPath(s *schedule.Schedule) string { return path.Join(s.StateDir, journal.FileName) }

// StatusPath is the schedule's status.json on the controller.
func StatusPath(s *schedule.Schedule) string { return path.Join(s.StateDir, StatusFileName) }
