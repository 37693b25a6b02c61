package lab

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Check is one fact about a running lab.
type Check struct {
	Node   string `json:"node"`
	What   string `json:"what"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// Status is what Inspect found.
type Status struct {
	Dir    string  `json:"dir"`
	Checks []Check `json:"checks"`
}

// Healthy reports whether every check passed.
func (s Status) Healthy() bool { return len(s.Problems()) == 0 }

// Problems lists the failed checks.
func (s Status) Problems() []string {
	var out []string
	for _, c := range s.Checks {
		if !c.OK {
			out = append(out, fmt.Sprintf("%s: %s: %s", c.Node, c.What, c.Detail))
		}
	}
	return out
}

// Inspect checks every node of a described lab: its holder and daemons are
// alive, sshd answers, glusterd answers, and on the primary the global
// volume is mounted and etcd is healthy.
func Inspect(ctx context.Context, d *Description) Status {
	st := Status{Dir: d.Dir}
	add := func(node, what string, err error) {
		c := Check{Node: node, What: what, OK: err == nil}
		if err != nil {
			c.Detail = err.Error()
		}
		st.Checks = append(st.Checks, c)
	}
	for _, n := range d.Nodes {
		add(n.Name, "namespace holder", alive(n.HolderPID))
		for daemon, pid := range n.PIDs {
			add(n.Name, daemon+" process", alive(pid))
		}
		if d.isolated(n.Name) {
			checkIsolated(ctx, d, n, add)
		} else {
			add(n.Name, "sshd answers", dialable(ctx, n.Address, 22))
		}
		if alive(n.HolderPID) != nil || n.Site == BastionSite {
			continue
		}
		_, err := gluster.New(enter(n)).PoolList(ctx)
		add(n.Name, "glusterd answers", err)
		if n.Site == "primary" {
			_, err := enter(n).Run(ctx, remote.Command("mountpoint", "-q", MountPath))
			add(n.Name, MountPath+" mounted", err)
		}
	}
	for _, ep := range d.Etcd.Endpoints {
		add("p1", "etcd healthy", etcdHealthy(ctx, ep))
	}
	return st
}

func alive(pid int) error {
	if pid <= 0 {
		return fmt.Errorf("no pid recorded")
	}
	if err := syscall.Kill(pid, 0); err != nil {
		return fmt.Errorf("pid %d: %w", pid, err)
	}
	if state, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); len(state) == 0 {
		return fmt.Errorf("pid %d is gone", pid)
	}
	return nil
}
