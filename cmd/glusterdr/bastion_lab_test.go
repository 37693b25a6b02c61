//go:build lab

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// TestLabNightlyToTaccThroughTheBastion: with tacc1 isolated from this
// machine (the controller), a nightly run to tacc whose schedule names the
// bastion as tacc1's jump host verifies its set at tacc, and tacc1's sshd
// saw the engine come from the bastion, never from this machine. p1's
// gsyncd still reaches tacc1 directly.
func TestLabNightlyToTaccThroughTheBastion(t *testing.T) {
	conn := labConn(t)
	ctx := context.Background()
	ensureSession(t, conn, "tacc") // set up, if need be, while tacc1 is still reachable
	tacc1, err := conn.D.Node("tacc1")
	if err != nil {
		t.Fatal(err)
	}
	bastion, err := conn.D.Node(lab.Bastion)
	if err != nil {
		t.Fatalf("the lab has no bastion (an older lab: run glusterdr lab down && glusterdr lab up): %v", err)
	}
	if err := lab.Isolate(ctx, conn.D, "tacc1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := lab.Reopen(context.Background(), conn.D, "tacc1"); err != nil {
			t.Errorf("reopening tacc1: %v", err)
		}
	})
	direct := conn.D.SSHConfig(tacc1)
	direct.ConnectTimeout = 2 * time.Second
	if c, err := remote.Dial(ctx, direct); err == nil {
		c.Close()
		t.Fatal("tacc1 is isolated, yet this machine reached it directly")
	}

	file := writeLabSchedule(t, conn.D, func(s *schedule.Schedule) {
		s.SSH.Nodes = []schedule.SSHNode{{Name: tacc1.Address, JumpHost: bastion.Address}}
	})
	text, _ := os.ReadFile(file)
	if !strings.Contains(string(text), `jump_host = "`+bastion.Address+`"`) {
		t.Fatalf("the schedule file does not name the bastion:\n%s", text)
	}
	hostAddr := conn.D.Instance.BridgeAddress()
	fromHost, fromBastion := acceptedFrom(t, conn.D, "tacc1", hostAddr), acceptedFrom(t, conn.D, "tacc1", bastion.Address)
	viaBastion := acceptedFrom(t, conn.D, lab.Bastion, hostAddr)

	r := runCLI(t, "run", "--schedule", file, "--target", "tacc", "--json")
	if r.code != 0 {
		t.Fatalf("run to tacc through the bastion exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	rep := decode[drrun.Report](t, r)
	m := rep.Sets[0].Set
	if m.Target != "tacc" || m.Status != retention.Verified || m.Verification == nil || m.Verification.Node != tacc1.Address {
		t.Fatalf("set %s: %s at %s, verification %+v", m.ID, m.Status, m.Target, m.Verification)
	}
	t.Logf("run to tacc through the bastion: %.1fs wall, gluster sync %.1fs, overhead %.1fs", rep.Seconds, rep.SyncSeconds, rep.OverheadSeconds)

	if n := acceptedFrom(t, conn.D, "tacc1", bastion.Address) - fromBastion; n < 1 {
		t.Errorf("tacc1's sshd accepted no login from the bastion during the run")
	}
	if n := acceptedFrom(t, conn.D, "tacc1", hostAddr) - fromHost; n != 0 {
		t.Errorf("tacc1's sshd accepted %d login(s) from this machine during the run", n)
	}
	if n := acceptedFrom(t, conn.D, lab.Bastion, hostAddr) - viaBastion; n != 1 {
		t.Errorf("the bastion accepted %d login(s) from the engine, want 1 (one pooled jump connection)", n)
	}
	st := decode[drrun.Status](t, runCLI(t, "status", "--schedule", file, "--json"))
	if st.Targets[1].Name != "tacc" || st.Targets[1].LastVerified == nil || st.Targets[1].LastVerified.Set != m.ID {
		t.Errorf("status of tacc: %+v", st.Targets[1])
	}
}

// acceptedFrom counts the logins node's sshd accepted from addr.
func acceptedFrom(t *testing.T, d *lab.Description, node, addr string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(d.Dir, "nodes", node, "sshd.out"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "Accepted publickey for "+d.SSH.User+" from "+addr+" ")
}
