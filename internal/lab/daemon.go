package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// Daemons a fault test may stop and start again.
const (
	DaemonGlusterd = "glusterd"
	DaemonEtcd     = "etcd"
	DaemonSSHD     = "sshd"
)

// StopDaemon stops a node's glusterd or etcd (its reaper, which passes the
// signal on), as a crash or an operator would, and waits until it is gone.
// Bricks and gsyncd workers that glusterd started keep running, as they do
// on a real node.
func StopDaemon(ctx context.Context, d *Description, node, daemon string) error {
	n, err := d.Node(node)
	if err != nil {
		return err
	}
	pid := n.PIDs[daemon]
	if pid == 0 {
		return fmt.Errorf("lab: %s has no %s", node, daemon)
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("lab: stopping %s on %s: %w", daemon, node, err)
	}
	return waitFor(ctx, daemon+" on "+node+" to exit", 30*time.Second, func(context.Context) error {
		if running(pid) {
			return fmt.Errorf("PID %d still runs", pid)
		}
		return nil
	})
}

// running reports whether pid is a live process: not gone, not a zombie
// (which PID 1 may never reap on these machines).
func running(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	return err == nil && !strings.Contains(string(stat), ") Z ")
}

// StartDaemon starts a node's glusterd or etcd again after StopDaemon, as
// Up does, waits until it answers, and records its PID in lab.json.
func StartDaemon(ctx context.Context, d *Description, node, daemon string) error {
	n, err := d.Node(node)
	if err != nil {
		return err
	}
	switch daemon {
	case DaemonEtcd:
		if err := startEtcd(ctx, d, &n); err != nil {
			return err
		}
	case DaemonGlusterd:
		pid, err := startDaemon(d.Dir, n, daemon, []string{"glusterd", "-N"})
		if err != nil {
			return err
		}
		d.setPID(node, daemon, pid)
		if err := waitFor(ctx, "glusterd on "+node, 60*time.Second, func(ctx context.Context) error {
			_, err := gluster.New(enter(n)).PoolList(ctx)
			return err
		}); err != nil {
			return err
		}
	case DaemonSSHD:
		pid, err := startDaemon(d.Dir, n, daemon, sshdArgv(d.Dir, n.Name))
		if err != nil {
			return err
		}
		d.setPID(node, daemon, pid)
		if err := waitFor(ctx, "sshd on "+node, 15*time.Second, func(ctx context.Context) error {
			return dialable(ctx, n.Address, 22)
		}); err != nil {
			return err
		}
	default:
		return fmt.Errorf("lab: no daemon %q to start", daemon)
	}
	return d.save()
}
