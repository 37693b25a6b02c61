package lab

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// systemPath puts Debian's own folders first: gsyncd must run on Debian's
// python3, and glusterd passes its PATH on to gsyncd.
const systemPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// overlays are the host folders each node sees through its own
// copy-on-write layer: whatever a node writes there (glusterd state, logs,
// keys, cron entries, the mount point) lands in the node's folder, and the
// host's own files are never touched.
// /tmp is one too, rather than a folder of its own, so that a node sees a
// checkout of this project under the host's /tmp (as CI may place it).
var overlays = []string{"/etc", "/var", "/root", "/usr/local", "/opt", "/tmp"}

func nodeDir(dir, node string) string { return filepath.Join(dir, "nodes", node) }

// BrickPath is where a node keeps its brick of volume.
func BrickPath(dir, node, volume string) string {
	return filepath.Join(dir, "bricks", node, volume)
}

// enter is the runner for commands inside a node, before or besides SSH.
func enter(n Node) remote.Local {
	return remote.Local{Name: n.Name, Prefix: nsenterPrefix(n.HolderPID)}
}

func nsenterPrefix(pid int) []string {
	return []string{"nsenter", "-t", strconv.Itoa(pid), "-n", "-m", "-u", "--"}
}

// startHolder starts the process that owns the node's mount and UTS
// namespaces inside its network namespace, and waits until it is in them.
func startHolder(ctx context.Context, i Instance, n NodeSpec) (int, error) {
	cmd := exec.Command("ip", "netns", "exec", i.netnsName(n.Name),
		"unshare", "--mount", "--uts", "--propagation", "private", "sleep", "infinity")
	pid, err := startDetached(cmd, os.DevNull)
	if err != nil {
		return 0, fmt.Errorf("lab: starting the namespace holder of %s: %w", n.Name, err)
	}
	own, err := os.Readlink("/proc/self/ns/mnt")
	if err != nil {
		return 0, err
	}
	err = waitFor(ctx, "the namespaces of "+n.Name, 10*time.Second, func(context.Context) error {
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		mnt, _ := os.Readlink(fmt.Sprintf("/proc/%d/ns/mnt", pid))
		if string(comm) != "sleep\n" || mnt == own {
			return fmt.Errorf("holder %d not ready", pid)
		}
		return nil
	})
	return pid, err
}

// startDetached starts cmd in its own session with output to logPath and
// reaps it in the background, returning its PID.
func startDetached(cmd *exec.Cmd, logPath string) (int, error) {
	out, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	go func() { _ = cmd.Wait() }()
	return cmd.Process.Pid, nil
}

// reaper runs each daemon under tini as a child subreaper. glusterd's
// bricks and gsyncd's workers, and whatever an SSH session leaves behind,
// are orphaned in the normal course of things; without a reaper of the
// lab's own they go to PID 1, which on these machines does not reap them,
// and they pile up as zombies.
var reaper = []string{"tini", "-s", "--"}

// startDaemon starts argv inside the node with a clean environment, under
// the reaper; its output goes to <node dir>/<name>.out.
func startDaemon(dir string, n Node, name string, argv []string) (int, error) {
	if _, err := exec.LookPath(reaper[0]); err != nil {
		return 0, fmt.Errorf("lab: %s, the lab's reaper of orphaned processes, is missing: run `make deps` (Debian package tini): %w", reaper[0], err)
	}
	full := append(append(slices.Clone(reaper), nsenterPrefix(n.HolderPID)...), argv...)
	cmd := exec.Command(full[0], full[1:]...)
	cmd.Env = []string{systemPath, "HOME=/root", "LANG=C.UTF-8"}
	cmd.Dir = "/"
	pid, err := startDetached(cmd, filepath.Join(nodeDir(dir, n.Name), name+".out"))
	if err != nil {
		return 0, fmt.Errorf("lab: starting %s on %s: %w", name, n.Name, err)
	}
	return pid, nil
}

// waitFor polls check until it succeeds, the timeout passes or ctx ends.
func waitFor(ctx context.Context, what string, timeout time.Duration, check func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	delay := 50 * time.Millisecond
	for {
		err := check(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("lab: waited %s for %s: %w", timeout, what, err)
		case <-time.After(delay):
		}
		delay = min(delay*3/2, time.Second)
	}
}
