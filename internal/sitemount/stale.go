package sitemount

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"
	"syscall"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// owner names this controller process in the mount points it makes,
// "<host>.<pid>", so that a later run can tell a mount left by a run that
// was killed (SIGKILL leaves no chance to unmount) from one of a run still
// at work, or of another controller, which it leaves alone.
func owner() string { return ownerHost() + "." + strconv.Itoa(os.Getpid()) }

func ownerHost() string {
	host, err := os.Hostname()
	if err != nil || gluster.ValidHost(host) != nil {
		return "controller"
	}
	return host
}

// clearStale unmounts and removes the mount points on r's node that this
// controller made from a process that is gone. It returns those it
// cleared.
func clearStale(ctx context.Context, r remote.Runner) ([]string, error) {
	host := ownerHost()
	if _, err := r.Run(ctx, remote.Command("mkdir", "-p", baseDir)); err != nil {
		return nil, err
	}
	res, err := r.Run(ctx, remote.Command("find", baseDir, "-mindepth", "1", "-maxdepth", "1", "-type", "d", "-name", "*@"+host+".*"))
	if err != nil {
		return nil, err
	}
	var cleared []string
	var errs []error
	for _, mp := range strings.Fields(string(res.Stdout)) {
		pid, ok := ownerPID(path.Base(mp), host)
		if !ok || processAlive(pid) {
			continue
		}
		if _, err := r.Run(ctx, remote.Command("mountpoint", "-q", mp)); err == nil {
			if _, err := r.Run(ctx, remote.Command("umount", "-l", mp)); err != nil {
				errs = append(errs, fmt.Errorf("unmounting the stale %s on %s: %w", mp, r.Host(), err))
				continue
			}
		}
		if _, err := r.Run(ctx, remote.Command("rmdir", mp)); err != nil {
			errs = append(errs, err)
			continue
		}
		cleared = append(cleared, mp)
	}
	return cleared, errors.Join(errs...)
}

// ownerPID reads the PID from a mount point named
// "<volume>@<host>.<pid>.<random>".
func ownerPID(name, host string) (int, bool) {
	_, rest, ok := strings.Cut(name, "@"+host+".")
	if !ok {
		return 0, false
	}
	pidText, _, ok := strings.Cut(rest, ".")
	pid, err := strconv.Atoi(pidText)
	return pid, ok && err == nil && pid > 0
}

// processAlive reports whether pid is a process on this machine. A PID
// reused by another process counts as alive: the mount is then left for a
// later run, never taken from a run still at work.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
