//go:build lab

package gluster_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab/labtest"
)

// These tests run the client against real glusterd in the lab, where the
// fixtures cannot reach: the "already done" answers and the exit codes
// that lie.

func TestLabVolumeLifecycle(t *testing.T) {
	conn := labtest.Conn(t)
	ctx := context.Background()
	c, err := conn.Gluster("tacc1")
	if err != nil {
		t.Fatal(err)
	}
	tacc1, _ := conn.D.Node("tacc1")
	const name = "gdrtest-lifecycle"
	spec := gluster.VolumeSpec{Name: name, Force: true,
		Bricks: []gluster.Brick{{Host: tacc1.Address, Path: lab.BrickPath(conn.D.Dir, "tacc1", name)}}}
	_ = c.StopVolume(ctx, name)
	_ = c.DeleteVolume(ctx, name)

	if err := c.CreateVolume(ctx, spec); err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() {
		_ = c.StopVolume(context.Background(), name)
		_ = c.DeleteVolume(context.Background(), name)
	})
	if err := c.CreateVolume(ctx, spec); !errors.Is(err, gluster.ErrAlreadyExists) {
		t.Errorf("second create: %v, want ErrAlreadyExists", err)
	}
	for range 2 {
		if err := c.StartVolume(ctx, name); err != nil {
			t.Fatalf("start (twice is fine): %v", err)
		}
	}
	vol, err := c.VolumeInfo(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if vol.Status != gluster.VolumeStarted || len(vol.Bricks) != 1 || vol.Bricks[0] != spec.Bricks[0] {
		t.Errorf("info = %+v, want started with brick %s", vol, spec.Bricks[0])
	}
	st, err := c.VolumeStatus(ctx, name)
	if err != nil || !st.AllBricksOnline() {
		t.Errorf("status: %+v, %v; want every brick online", st, err)
	}

	if err := c.SetOptions(ctx, name, map[string]string{"performance.read-ahead": "off"}); err != nil {
		t.Fatal(err)
	}
	if v, err := c.GetOption(ctx, name, "performance.read-ahead"); err != nil || v != "off" {
		t.Errorf("read-ahead = %q, %v; want off", v, err)
	}
	if err := c.ResetOption(ctx, name, "performance.read-ahead"); err != nil {
		t.Fatal(err)
	}
	if vol, _ := c.VolumeInfo(ctx, name); vol.Options["performance.read-ahead"] != "" {
		t.Errorf("after reset the option is still listed: %q", vol.Options["performance.read-ahead"])
	}

	for range 2 { // volume stop of a stopped volume exits 1: still success
		if err := c.StopVolume(ctx, name); err != nil {
			t.Fatalf("stop (twice is fine): %v", err)
		}
	}
	if vol, _ := c.VolumeInfo(ctx, name); vol.Status != gluster.VolumeStopped {
		t.Errorf("status after stop = %s", vol.Status)
	}
	if err := c.DeleteVolume(ctx, name); err != nil {
		t.Fatal(err)
	}
	if _, err := c.VolumeInfo(ctx, name); !errors.Is(err, gluster.ErrNotFound) {
		t.Errorf("info after delete: %v, want ErrNotFound", err)
	}
}

func TestLabPeers(t *testing.T) {
	conn := labtest.Conn(t)
	ctx := context.Background()
	c, _ := conn.Gluster("sdsc1")
	sdsc2, _ := conn.D.Node("sdsc2")
	for range 2 { // probing an existing peer is success
		if err := c.Probe(ctx, sdsc2.Address); err != nil {
			t.Fatalf("probe: %v", err)
		}
	}
	peers, err := c.PoolList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, p := range peers {
		if p.Hostname == sdsc2.Address {
			found = p.Connected
		}
	}
	if !found {
		t.Errorf("pool list %+v has no connected %s", peers, sdsc2.Address)
	}
	// An address on the lab's bridge where nothing listens.
	dead := conn.D.Nodes[0].Address[:len(conn.D.Nodes[0].Address)-2] + "99"
	start := time.Now()
	err = c.Probe(ctx, dead)
	if !errors.Is(err, gluster.ErrPeerUnreachable) {
		t.Errorf("probe of %s: %v, want ErrPeerUnreachable", dead, err)
	}
	t.Logf("probe of a dead host failed after %s: %v", time.Since(start).Round(time.Millisecond), err)
}

func TestLabGeorepSessionLifecycle(t *testing.T) {
	conn := labtest.Conn(t)
	ctx := context.Background()
	tacc, _ := conn.Gluster("tacc1")
	tacc1, _ := conn.D.Node("tacc1")
	const secondary = "gdrtest-georep"
	spec := gluster.VolumeSpec{Name: secondary, Force: true,
		Bricks: []gluster.Brick{{Host: tacc1.Address, Path: lab.BrickPath(conn.D.Dir, "tacc1", secondary)}}}
	if err := tacc.CreateVolume(ctx, spec); err != nil && !errors.Is(err, gluster.ErrAlreadyExists) {
		t.Fatal(err)
	}
	if err := tacc.StartVolume(ctx, secondary); err != nil {
		t.Fatal(err)
	}
	primary, _ := conn.Gluster("p1")
	ref := gluster.SessionRef{PrimaryVolume: lab.PrimaryVolume, SecondaryHost: tacc1.Address, SecondaryVolume: secondary}
	t.Cleanup(func() {
		ctx := context.Background()
		_ = primary.Stop(ctx, ref, true)
		_ = primary.Delete(ctx, ref, gluster.DeleteOptions{ResetSyncTime: true})
		_ = tacc.StopVolume(ctx, secondary)
		_ = tacc.DeleteVolume(ctx, secondary)
	})

	if _, err := primary.Status(ctx, ref); !errors.Is(err, gluster.ErrNoSession) {
		t.Fatalf("status before create: %v, want ErrNoSession", err)
	}
	if err := primary.Delete(ctx, ref, gluster.DeleteOptions{}); !errors.Is(err, gluster.ErrNoSession) {
		t.Errorf("delete before create: %v, want ErrNoSession", err)
	}
	keys, _ := conn.D.HostKeys("tacc")
	p1files, _ := conn.Files("p1")
	secondaryRunner, _ := conn.Runner("tacc1")
	nodes := georep.Nodes{Primary: primary, PrimaryFiles: nil, Secondary: secondaryRunner}
	nodes.PrimaryFiles = append(nodes.PrimaryFiles, p1files)
	if err := georep.Create(ctx, nodes, ref, georep.Spec{HostKeys: keys,
		Config: map[string]string{"sync_method": "tarssh", "sync_jobs": "2"}}); err != nil {
		t.Fatalf("create: %v", err)
	}
	st, err := primary.Status(ctx, ref)
	if err != nil || st.Rollup != "created" {
		t.Fatalf("after create: %v %v, want created", st, err)
	}
	cfg, err := primary.Config(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if cfg["sync_method"] != "tarssh" || cfg["sync_jobs"] != "2" || cfg["ssh_port"] != "22" {
		t.Errorf("config sync_method=%q sync_jobs=%q ssh_port=%q", cfg["sync_method"], cfg["sync_jobs"], cfg["ssh_port"])
	}
	if !georep.Pinned(ref, cfg) {
		t.Errorf("gsyncd's ssh options are not pinned: ssh_options=%q ssh_options_tar=%q", cfg["ssh_options"], cfg["ssh_options_tar"])
	}
	// A value that starts like an option reaches gsyncd intact.
	if err := primary.ConfigSet(ctx, ref, "rsync_options", "--bwlimit=100000"); err != nil {
		t.Fatal(err)
	}
	if v, _ := primary.ConfigGet(ctx, ref, "rsync_options"); v != "--bwlimit=100000" {
		t.Errorf("rsync_options = %q", v)
	}
	if err := primary.ConfigReset(ctx, ref, "rsync_options"); err != nil {
		t.Fatal(err)
	}
	if v, _ := primary.ConfigGet(ctx, ref, "rsync_options"); v != "" {
		t.Errorf("rsync_options after reset = %q", v)
	}

	for range 2 {
		if err := primary.Start(ctx, ref, false); err != nil {
			t.Fatalf("start (twice is fine): %v", err)
		}
	}
	waitRollup(t, primary, ref, "up")
	for range 2 {
		if err := primary.Pause(ctx, ref, false); err != nil {
			t.Fatalf("pause (twice is fine): %v", err)
		}
	}
	waitRollup(t, primary, ref, "paused")
	for range 2 {
		if err := primary.Resume(ctx, ref, false); err != nil {
			t.Fatalf("resume (twice is fine): %v", err)
		}
	}
	for range 2 { // geo-rep stop on a stopped session exits 0
		if err := primary.Stop(ctx, ref, false); err != nil {
			t.Fatalf("stop (twice is fine): %v", err)
		}
	}
	waitRollup(t, primary, ref, "stopped")
	if err := primary.Delete(ctx, ref, gluster.DeleteOptions{ResetSyncTime: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := primary.Status(ctx, ref); !errors.Is(err, gluster.ErrNoSession) {
		t.Errorf("status after delete: %v, want ErrNoSession", err)
	}
}

func waitRollup(t *testing.T, c *gluster.Client, ref gluster.SessionRef, want gluster.Rollup) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	var last gluster.Rollup
	for time.Now().Before(deadline) {
		st, err := c.Status(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if last = st.Rollup; last == want {
			return
		}
		time.Sleep(time.Second)
	}
	t.Fatalf("session %s stayed %s, want %s", ref, last, want)
}
