//go:build lab

package main

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/peercluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// sessionTestVolume is a volume of its own on tacc1, so that the session
// lifecycle below never touches the sessions the nightly tests use.
const sessionTestVolume = "global-sessiontest"

// TestSessionAndCheckpointCommandsAgainstTheLab drives `glusterdr session`
// through a whole lifecycle on real glusterd, with a checkpoint cycle in the
// middle, and checks that every invocation reports changed honestly.
func TestSessionAndCheckpointCommandsAgainstTheLab(t *testing.T) {
	conn := labConn(t)
	ctx := context.Background()
	tacc1, err := conn.D.Node("tacc1")
	if err != nil {
		t.Fatal(err)
	}
	secondary, err := conn.Runner("tacc1")
	if err != nil {
		t.Fatal(err)
	}
	spec := peercluster.Spec{Nodes: []string{tacc1.Address}, Volume: gluster.VolumeSpec{Name: sessionTestVolume, Type: gluster.Distribute, Force: true,
		Bricks: []gluster.Brick{{Host: tacc1.Address, Path: lab.BrickPath(conn.D.Dir, "tacc1", sessionTestVolume)}}}}
	if err := peercluster.Ensure(ctx, gluster.New(secondary), spec); err != nil {
		t.Fatalf("the session test volume: %v", err)
	}

	dir := t.TempDir()
	s, err := labSchedule(conn.D, filepath.Join(dir, "state"), path.Join(lab.MountPath, "test", "session-lab", "backup"))
	if err != nil {
		t.Fatal(err)
	}
	s.Targets = []schedule.Target{{Name: "st", PrimaryVolume: lab.PrimaryVolume, SecondaryHost: tacc1.Address,
		SecondaryVolume: sessionTestVolume, SecondaryUser: "root", SSHPort: 22, VerifyNode: tacc1.Address}}
	file := filepath.Join(dir, "schedule.hcl")
	if err := os.WriteFile(file, schedule.Encode(s), 0o640); err != nil {
		t.Fatal(err)
	}
	session := func(args ...string) sessionResult {
		t.Helper()
		r := runCLI(t, append([]string{"session", "--schedule", file, "--target", "st", "--json", "--log-level", "warn"}, args...)...)
		res := decode[sessionResult](t, r)
		if r.code != 0 {
			t.Fatalf("glusterdr session %v exited %d: %s\n%s", args, r.code, res.Error, r.stderr)
		}
		t.Logf("session %v: changed %v %+v in %s", args, res.Changed, res.Changes, r.took.Round(1e6))
		return res
	}
	// Start from nothing, whatever an earlier run left.
	session("--state", "absent")

	plan := session("--state", "stopped", "--config", "sync_method=tarssh", "--plan")
	if !plan.Changed || plan.Before.Exists || !plan.After.Exists || plan.Changes[0].What != georep.ChangeCreate {
		t.Fatalf("plan of a missing session: %+v", plan)
	}
	if again := session("--state", "absent", "--plan"); again.Changed {
		t.Fatal("--plan created the session")
	}

	created := session("--state", "stopped", "--config", "sync_method=tarssh")
	if !created.Changed || !created.After.Exists || created.After.State != "stopped" || !created.After.Pinned ||
		created.After.Config["sync_method"] != "tarssh" {
		t.Fatalf("after create: %+v", created.After)
	}
	if same := session("--state", "stopped", "--config", "sync_method=tarssh"); same.Changed || len(same.Changes) != 0 {
		t.Fatalf("declaring the same session again changed %+v", same.Changes)
	}
	if cfg := session("--state", "present", "--config", "sync-jobs=2"); !cfg.Changed || cfg.After.Config["sync_jobs"] != "2" {
		t.Fatalf("config change: %+v", cfg)
	}

	cp := runCLI(t, "checkpoint", "--schedule", file, "--target", "st", "--json", "--log-level", "warn", "--timeout", "10m")
	res := decode[checkpointResult](t, cp)
	if cp.code != 0 || !res.Completed || res.WorkersActive == 0 || res.WorkersDone != res.WorkersActive {
		t.Fatalf("checkpoint exited %d: %+v\n%s", cp.code, res, cp.stderr)
	}
	t.Logf("checkpoint %s completed at %s in %.1fs", fmtTimePtr(res.CheckpointTime), fmtTimePtr(res.CompletedAt), res.Seconds)

	started := session("--state", "started")
	if !started.Changed || started.After.State != "started" {
		t.Fatalf("start: %+v", started.After)
	}
	if paused := session("--state", "paused"); !paused.Changed || paused.After.State != "paused" {
		t.Fatalf("pause: %+v", paused.After)
	}
	gone := session("--state", "absent")
	if !gone.Changed || gone.After.Exists {
		t.Fatalf("absent: %+v", gone)
	}
	if again := session("--state", "absent"); again.Changed {
		t.Fatal("deleting a missing session changed something")
	}
}
