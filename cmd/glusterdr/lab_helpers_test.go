//go:build lab

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab/labtest"
	"github.com/glusterdr/terraform-provider-gluster/internal/peercluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// lossyVolume is a second volume on tacc1, fed by a session that keeps
// gsyncd's default sync_method rsync: with Debian 12's rsync 3.5.0 its
// files arrive empty while the checkpoint completes.
const lossyVolume = "global-lossy"

var (
	buildOnce sync.Once
	cliPath   string
	buildErr  error
)

// cli builds this command once per test binary.
func cli(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "glusterdr-cli-")
		if err != nil {
			buildErr = err
			return
		}
		cliPath = filepath.Join(dir, "glusterdr")
		out, err := exec.Command("go", "build", "-o", cliPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("building the CLI: %v", buildErr)
	}
	return cliPath
}

// result is one finished CLI invocation.
type result struct {
	stdout, stderr string
	code           int
	took           time.Duration
}

func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(cli(t), args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String(), took: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running glusterdr %v: %v", args, err)
	}
	return r
}

func decode[T any](t *testing.T, r result) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("stdout is not the JSON expected (%v):\n%s\nstderr:\n%s", err, r.stdout, r.stderr)
	}
	return v
}

// writeLabSchedule writes a schedule for the lab, with its own backup
// folder on the global volume, its own state on this machine and a
// provisioning capture of an inventory with secrets, and returns its path.
func writeLabSchedule(t *testing.T, d *lab.Description, edit func(*schedule.Schedule)) string {
	t.Helper()
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	dir := t.TempDir()
	name := strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name()))
	s, err := labSchedule(d, filepath.Join(dir, "state"), path.Join(lab.MountPath, "test", name+"-"+hex.EncodeToString(suffix), "backup"))
	if err != nil {
		t.Fatal(err)
	}
	inventory := filepath.Join(dir, "hosts.yml")
	if err := os.WriteFile(inventory, []byte(labInventory), 0o600); err != nil {
		t.Fatal(err)
	}
	s.Provisioning = &schedule.Provisioning{Inventory: []string{inventory}, ImageRef: "registry.example.org/platform/node:lab",
		AnsibleInventoryCommand: []string{"ansible-inventory", "-i", inventory, "--list"}}
	if edit != nil {
		edit(s)
	}
	file := filepath.Join(dir, "schedule.hcl")
	if err := os.WriteFile(file, schedule.Encode(s), 0o640); err != nil {
		t.Fatal(err)
	}
	return file
}

// labInventory holds secrets that must never reach a backup set or a log.
const labInventory = `all:
  hosts:
    p1:
      ansible_host: 192.0.2.10
      ansible_password: hunter2-lab-secret
  vars:
    kubeadm_token: abcdef.0123456789abcdef
`

var labSecrets = []string{"hunter2-lab-secret", "abcdef.0123456789abcdef"}

// ensureSession makes sure the lab's session to site exists and syncs with
// tarssh, which delivers the bytes.
func ensureSession(t *testing.T, conn lab.Conn, site string) {
	t.Helper()
	ctx := context.Background()
	primary, err := conn.Gluster("p1")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := conn.D.SessionRef(site)
	if err != nil {
		t.Fatal(err)
	}
	_, err = primary.Status(ctx, ref)
	if errors.Is(err, gluster.ErrNoSession) {
		start := time.Now()
		if _, err := lab.SetUpReplication(ctx, conn, site, map[string]string{"sync_method": "tarssh"}); err != nil {
			t.Fatalf("setting up replication to %s: %v", site, err)
		}
		t.Logf("session to %s set up in %s", site, time.Since(start).Round(time.Millisecond))
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if v, err := primary.ConfigGet(ctx, ref, "sync_method"); err != nil || v != "tarssh" {
		if err := primary.ConfigSet(ctx, ref, "sync_method", "tarssh"); err != nil {
			t.Fatal(err)
		}
	}
}

// ensureLossySession builds the volume global-lossy on tacc1 and a session
// to it that keeps sync_method rsync.
func ensureLossySession(t *testing.T, conn lab.Conn) gluster.SessionRef {
	t.Helper()
	ctx := context.Background()
	tacc1, err := conn.D.Node("tacc1")
	if err != nil {
		t.Fatal(err)
	}
	ref := gluster.SessionRef{PrimaryVolume: lab.PrimaryVolume, SecondaryHost: tacc1.Address, SecondaryVolume: lossyVolume}
	primary, err := conn.Gluster("p1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := primary.Status(ctx, ref); err == nil {
		return ref
	} else if !errors.Is(err, gluster.ErrNoSession) {
		t.Fatal(err)
	}
	start := time.Now()
	secondary, err := conn.Runner("tacc1")
	if err != nil {
		t.Fatal(err)
	}
	spec := peercluster.Spec{Nodes: []string{tacc1.Address}, Volume: gluster.VolumeSpec{Name: lossyVolume, Type: gluster.Distribute, Force: true,
		Bricks: []gluster.Brick{{Host: tacc1.Address, Path: lab.BrickPath(conn.D.Dir, "tacc1", lossyVolume)}}}}
	if err := peercluster.Ensure(ctx, gluster.New(secondary), spec); err != nil {
		t.Fatalf("the lossy volume: %v", err)
	}
	keys, err := conn.D.HostKeys("tacc")
	if err != nil {
		t.Fatal(err)
	}
	files, err := conn.Files("p1")
	if err != nil {
		t.Fatal(err)
	}
	nodes := georep.Nodes{Primary: primary, PrimaryFiles: []remote.Files{files}, Secondary: secondary}
	if err := georep.Create(ctx, nodes, ref, georep.Spec{Config: map[string]string{"sync_method": "rsync"}, HostKeys: keys}); err != nil {
		t.Fatalf("the lossy session: %v", err)
	}
	t.Logf("lossy session %s set up in %s", ref, time.Since(start).Round(time.Millisecond))
	return ref
}

func labConn(t *testing.T) lab.Conn { return labtest.Conn(t) }

func execCmd(argv ...string) remote.Cmd { return remote.Command(argv...) }
