package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// killGrace is how long daemons get to exit on SIGTERM before SIGKILL.
const killGrace = 5 * time.Second

// Down removes every namespace, process, mount, bridge and file of the lab.
// It works from what it finds on the host, not only from lab.json, so it
// also clears the remains of a crash halfway through Up.
func Down(ctx context.Context, opts Options) error {
	if os.Geteuid() != 0 {
		return errors.New("lab: must run as root")
	}
	if err := opts.Instance.Valid(); err != nil {
		return err
	}
	log := opts.log()
	var errs []error
	netnses, err := labNetnses(ctx, opts.Instance)
	errs = append(errs, err)
	// Processes go first: with them gone the nodes' mount namespaces, and
	// every mount in them (FUSE included), go too.
	for _, ns := range netnses {
		errs = append(errs, killNetnsProcesses(ctx, ns))
	}
	for _, ns := range netnses {
		_, err := run(ctx, "ip", "netns", "delete", ns)
		errs = append(errs, err)
		log.Info("removed namespace", "netns", ns)
	}
	if bridgeExists(ctx, opts.Instance) {
		_, err := run(ctx, "ip", "link", "delete", opts.Instance.Bridge())
		errs = append(errs, err)
	}
	errs = append(errs, os.RemoveAll(opts.Instance.Dir()))
	return errors.Join(errs...)
}

// killNetnsProcesses stops every process in a lab namespace: SIGTERM, then
// SIGKILL for those still there after killGrace.
func killNetnsProcesses(ctx context.Context, ns string) error {
	pids, err := netnsPIDs(ctx, ns)
	if err != nil || len(pids) == 0 {
		return err
	}
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
	deadline := time.Now().Add(killGrace)
	for time.Now().Before(deadline) {
		if pids, err = netnsPIDs(ctx, ns); err != nil || len(pids) == 0 {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	return waitFor(ctx, "the processes of "+ns+" to exit", 10*time.Second, func(ctx context.Context) error {
		left, err := netnsPIDs(ctx, ns)
		if err == nil && len(left) > 0 {
			err = fmt.Errorf("still running: %v", left)
		}
		return err
	})
}

func netnsPIDs(ctx context.Context, ns string) ([]int, error) {
	out, err := run(ctx, "ip", "netns", "pids", ns)
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, f := range strings.Fields(out) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("lab: unexpected pid %q from ip netns pids", f)
		}
		// Zombies stay listed until their parent reaps them.
		if state, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); strings.Contains(string(state), ") Z ") {
			continue
		}
		pids = append(pids, pid)
	}
	return pids, nil
}
