// Package backupset is the on-disk model of a backup set: the folder
// <backup_dir>/<UTC timestamp>-<target>/ on the primary's global volume, and
// its set.json, which records the set's target, tier, kind, status, the
// state and timing of every step of its cycle, what it holds, how it was
// replicated and what verification at the target found.
//
// The nightly engine writes set.json after every step, so an interrupted
// run can be resumed from the first unfinished step; the dr_backup_sets data
// source and `glusterdr sets` read it back with Store.List.
package backupset

import (
	"fmt"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// Version is the set.json format.
const Version = 1

// The files and folders of a set.
const (
	MetaFile         = "set.json"          // this model; written last, read first
	ManifestFile     = "manifest.json"     // every file of the set with size, mode and sha256
	ProvisioningFile = "provisioning.json" // the provisioning state, redacted, 0600
	EtcdFile         = "etcd.snapshot"     // the etcd snapshot, 0600
	DumpDir          = "cluster-dump"      // the cluster dump
)

// Steps of a set's cycle, in order.
const (
	StepOpen         = "open"
	StepFill         = "fill"
	StepReplicate    = "replicate"
	StepVerify       = "verify"
	StepRestorePoint = "restore-point"
	StepRetention    = "retention"
	StepRecord       = "record"
)

// Steps lists the steps in the order they run.
var Steps = []string{StepOpen, StepFill, StepReplicate, StepVerify, StepRestorePoint, StepRetention, StepRecord}

// States of a step.
const (
	StatePending = "pending" // not started
	StateRunning = "running" // started; a run that was killed leaves it so
	StateDone    = "done"
	StateFailed  = "failed"
	StateSkipped = "skipped" // not run because an earlier step failed
)

// Meta is set.json.
type Meta struct {
	Version int              `json:"version"`
	ID      string           `json:"id"`
	Target  string           `json:"target"`
	Opened  time.Time        `json:"opened"`
	Tier    retention.Tier   `json:"tier"`
	Kind    retention.Kind   `json:"kind"`
	Parent  string           `json:"parent,omitempty"`
	Status  retention.Status `json:"status"`
	Steps   []StepState      `json:"steps"`
	// FailedStep names the step that failed the set, if any.
	FailedStep   string        `json:"failed_step,omitempty"`
	Contents     Contents      `json:"contents"`
	Replication  *Replication  `json:"replication,omitempty"`
	Verification *Verification `json:"verification,omitempty"`
	// RestorePoint is the point-in-time copy of the target's volume made
	// after the set was verified; nil when the target keeps none.
	RestorePoint *RestorePoint `json:"restore_point,omitempty"`
	Promotions   []Promotion   `json:"promotions,omitempty"`
	Updated      time.Time     `json:"updated"`
}

// StepState is one step of a set's cycle.
type StepState struct {
	Name     string    `json:"name"`
	State    string    `json:"state"`
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
	Seconds  float64   `json:"seconds,omitempty"`
	Attempts int       `json:"attempts,omitempty"`
	Error    string    `json:"error,omitempty"`
}

// Contents is what the fill step put into the set.
type Contents struct {
	Files          int               `json:"files"`
	Bytes          int64             `json:"bytes"`
	ManifestSHA256 string            `json:"manifest_sha256,omitempty"`
	Provisioning   *ProvisioningInfo `json:"provisioning,omitempty"`
	Etcd           *EtcdInfo         `json:"etcd,omitempty"`
	ClusterDump    *DumpInfo         `json:"cluster_dump,omitempty"`
}

// ProvisioningInfo describes provisioning.json.
type ProvisioningInfo struct {
	Digest     string `json:"digest"`
	Redactions int    `json:"redactions"`
}

// EtcdInfo describes the etcd snapshot as saved and verified on the
// controller before it was uploaded.
type EtcdInfo struct {
	Endpoint string `json:"endpoint"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	Revision int64  `json:"revision"`
	Keys     int64  `json:"keys"`
	Version  string `json:"version,omitempty"`
}

// DumpInfo describes the cluster dump.
type DumpInfo struct {
	Command []string `json:"command"`
	Files   int      `json:"files"`
	Bytes   int64    `json:"bytes"`
}

// Replication is the checkpoint cycle that carried the set to its target.
type Replication struct {
	Session        string    `json:"session"`
	CheckpointTime time.Time `json:"checkpoint_time"`
	CompletedAt    time.Time `json:"completed_at"`
	// SyncSeconds is gluster's part: from stopping the session before the
	// checkpoint to noticing it completed.
	SyncSeconds float64 `json:"sync_seconds"`
	Restarts    int     `json:"restarts"`
	// Stalls counts the times the cycle made no progress and was restarted
	// or nudged (docs/gluster-facts.md, "Why a cycle stalled").
	Stalls int `json:"stalls,omitempty"`
	// Nudges counts markers written again after the restart.
	Nudges int `json:"nudges,omitempty"`
	Polls  int `json:"polls"`
}

// Verification is what reading the set back at the target found.
type Verification struct {
	Verified bool      `json:"verified"`
	At       time.Time `json:"at"`
	Node     string    `json:"node"`
	Seconds  float64   `json:"seconds"`
	// Entries is how many manifest entries were compared.
	Entries int          `json:"entries"`
	Sample  SampleResult `json:"sample"`
	Etcd    *EtcdCheck   `json:"etcd,omitempty"`
	// Errors and Warnings count the mismatches; Mismatches lists the first
	// MaxMismatches of them.
	Errors     int                 `json:"errors"`
	Warnings   int                 `json:"warnings"`
	Mismatches []manifest.Mismatch `json:"mismatches"`
	// Problem sums up why the set failed verification; "" when verified.
	Problem string `json:"problem,omitempty"`
	// Resent is set when a first verification failed on files of the set
	// alone, and they were sent once more before this verification.
	Resent *Resend `json:"resent,omitempty"`
}

// Resend records the files of a set sent once more after a first
// verification failed on them.
type Resend struct {
	// Files are relative to the volume root.
	Files []string `json:"files"`
	// FirstProblem is what the first verification found.
	FirstProblem string `json:"first_problem"`
	// Seconds covers the rewrite, the extra checkpoint cycle and the
	// verification after it.
	Seconds float64 `json:"seconds"`
}

// MaxMismatches caps the mismatches kept in set.json and reports.
const MaxMismatches = 200

// SampleResult is the random sample of volume files compared at the target.
type SampleResult struct {
	Seed int64 `json:"seed"`
	// Scanned is how many regular files the scan of the primary's volume
	// found to draw from (those that changed after the checkpoint are not
	// drawn).
	Scanned int `json:"scanned"`
	// Files is how many were compared; Dropped were drawn but changed or
	// vanished on the primary while they were being read.
	Files   int      `json:"files"`
	Dropped int      `json:"dropped"`
	Paths   []string `json:"paths"`
	// Bytes is the size of the files compared; VolumeBytes the size of every
	// regular file the scan found, i.e. the volume's data.
	Bytes       int64 `json:"bytes"`
	VolumeBytes int64 `json:"volume_bytes"`
	// Entries are the files compared, with their primary's size, mode and
	// sha256 at verification, so that a restore point made from this copy
	// can be checked against them later, when the primary has moved on.
	Entries []manifest.Entry `json:"entries,omitempty"`
	// Special are the volume's awkward files (manifest.Special: device
	// nodes, FIFOs, sockets, setuid/setgid/sticky modes, hard links, sparse
	// files, symlinks) that had settled before the checkpoint, as the
	// primary had them; they are compared at the target like the sample,
	// and a restore from this set puts back from them what a hop lost.
	Special []manifest.Entry `json:"special,omitempty"`
	// SpecialOmitted counts those left out over manifest.MaxSpecial.
	SpecialOmitted int `json:"special_omitted,omitempty"`
}

// EtcdCheck is the etcd snapshot read back from the target.
type EtcdCheck struct {
	OK       bool   `json:"ok"`
	SHA256   string `json:"sha256"`
	Revision int64  `json:"revision"`
	Keys     int64  `json:"keys"`
	Problem  string `json:"problem,omitempty"`
}

// Promotion is a tier change made by retention.
type Promotion struct {
	At     time.Time      `json:"at"`
	From   retention.Tier `json:"from"`
	To     retention.Tier `json:"to"`
	Reason string         `json:"reason"`
}

// New is the set.json of a set opened at t for target: a pending daily,
// every step pending but open.
func New(t time.Time, target string, kind retention.Kind, parent string) *Meta {
	t = t.UTC().Truncate(time.Second)
	m := &Meta{Version: Version, ID: retention.FolderName(t, target), Target: target, Opened: t,
		Tier: retention.Daily, Kind: kind, Parent: parent, Status: retention.Pending}
	if m.Kind == "" {
		m.Kind = retention.Full
	}
	for _, s := range Steps {
		m.Steps = append(m.Steps, StepState{Name: s, State: StatePending})
	}
	return m
}

// Step returns the state of the named step.
func (m *Meta) Step(name string) *StepState {
	for i := range m.Steps {
		if m.Steps[i].Name == name {
			return &m.Steps[i]
		}
	}
	m.Steps = append(m.Steps, StepState{Name: name, State: StatePending})
	return &m.Steps[len(m.Steps)-1]
}

// orderSteps puts the steps in the order of Steps. A step that a set
// written by an older release does not know is pending if no later step
// has started, and skipped otherwise: the set ran without it.
func (m *Meta) orderSteps() {
	byName := map[string]StepState{}
	for _, s := range m.Steps {
		byName[s.Name] = s
	}
	ordered := make([]StepState, len(Steps))
	later := false
	for i := len(Steps) - 1; i >= 0; i-- {
		s, ok := byName[Steps[i]]
		switch {
		case ok:
			later = later || s.State != StatePending
		case later:
			s = StepState{Name: Steps[i], State: StateSkipped}
		default:
			s = StepState{Name: Steps[i], State: StatePending}
		}
		ordered[i] = s
	}
	m.Steps = ordered
}

// NextStep is the first step that is not done or skipped, or "" when the
// set's cycle is complete.
func (m *Meta) NextStep() string {
	for _, s := range Steps {
		if st := m.Step(s).State; st != StateDone && st != StateSkipped {
			return s
		}
	}
	return ""
}

// Begin marks a step running.
func (m *Meta) Begin(step string, now time.Time) {
	s := m.Step(step)
	s.State, s.Started, s.Finished, s.Seconds, s.Error = StateRunning, now.UTC(), time.Time{}, 0, ""
	s.Attempts++
}

// Finish marks a running step done, or failed with err.
func (m *Meta) Finish(step string, now time.Time, err error) {
	s := m.Step(step)
	s.Finished = now.UTC()
	s.Seconds = s.Finished.Sub(s.Started).Seconds()
	s.State = StateDone
	if err != nil {
		s.State, s.Error = StateFailed, err.Error()
	}
}

// Fail marks the set failed at step. Steps after it are skipped, except
// record, which always runs.
func (m *Meta) Fail(step string) {
	m.Status, m.FailedStep = retention.Failed, step
	after := false
	for _, s := range Steps {
		if after && s != StepRecord && m.Step(s).State == StatePending {
			m.Step(s).State = StateSkipped
		}
		after = after || s == step
	}
}

// Seconds sums the time spent in steps, and in the replicate step alone.
func (m *Meta) Seconds() (total, replicate float64) {
	for _, s := range m.Steps {
		total += s.Seconds
		if s.Name == StepReplicate {
			replicate += s.Seconds
		}
	}
	return total, replicate
}

// RetentionSet is the set as the retention planner sees it.
func (m *Meta) RetentionSet() retention.Set {
	return retention.Set{ID: m.ID, Target: m.Target, Time: m.Opened, Tier: m.Tier, Kind: m.Kind,
		Parent: m.Parent, Status: m.Status}
}

// Validate checks what a reader relies on.
func (m *Meta) Validate() error {
	if m.Version != Version {
		return fmt.Errorf("set.json version %d is not supported (this build reads %d)", m.Version, Version)
	}
	t, target, err := retention.ParseFolderName(m.ID)
	if err != nil {
		return err
	}
	if target != m.Target || !t.Equal(m.Opened) {
		return fmt.Errorf("set.json of %s names target %q opened %s, which does not match its ID", m.ID, m.Target, m.Opened)
	}
	if _, err := retention.Compute([]retention.Set{m.RetentionSet()}, retention.Policy{Daily: 1}); err != nil {
		return fmt.Errorf("set.json of %s: %w", m.ID, err)
	}
	return nil
}
