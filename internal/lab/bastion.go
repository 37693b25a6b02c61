package lab

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// The bastion: a node on the lab bridge that runs sshd only, the jump host
// in front of tacc.
const (
	Bastion     = "bastion"
	BastionSite = "bastion"
)

// isolatedProbe bounds the check that this host cannot reach an isolated
// node.
const isolatedProbe = 2 * time.Second

// Isolate puts node behind the bastion: from then on this host, which is
// the controller of the lab's nightly runs, cannot reach it at all, while
// the bastion and the other nodes still do. In particular p1 does: its
// gsyncd reaches the site over SSH and its glusterd (gsyncd asks the
// secondary's glusterd about the volume), so geo-replication is untouched;
// the engine reaches the node through the bastion, as a schedule whose ssh
// block names it as the node's jump host says.
//
// It is a prohibit route in the node's network namespace to this host's
// address on the bridge: the node's answers to this host go nowhere, so a
// connection from here is never established. It goes with the namespace
// at Down; Reopen removes it. Isolation is not part of Up: the provider's
// and Ansible's tests reach tacc1 directly, and the tests that need it
// isolate the node for their own duration.
func Isolate(ctx context.Context, d *Description, node string) error {
	n, err := d.Node(node)
	if err != nil {
		return err
	}
	if n.Site == BastionSite {
		return fmt.Errorf("lab: %s is the bastion; isolate a node behind it", node)
	}
	if !d.isolated(node) {
		if _, err := run(ctx, "ip", "-n", n.Netns, "route", "replace", "prohibit", d.Instance.BridgeAddress()+"/32"); err != nil {
			return fmt.Errorf("lab: isolating %s: %w", node, err)
		}
		d.Isolated = append(d.Isolated, node)
	}
	return d.save()
}

// Reopen lets this host reach an isolated node again.
func Reopen(ctx context.Context, d *Description, node string) error {
	n, err := d.Node(node)
	if err != nil {
		return err
	}
	if d.isolated(node) {
		if _, err := run(ctx, "ip", "-n", n.Netns, "route", "del", "prohibit", d.Instance.BridgeAddress()+"/32"); err != nil {
			return fmt.Errorf("lab: reopening %s: %w", node, err)
		}
		d.Isolated = slices.DeleteFunc(d.Isolated, func(s string) bool { return s == node })
	}
	return d.save()
}

func (d *Description) isolated(node string) bool { return slices.Contains(d.Isolated, node) }

// checkIsolated checks an isolated node: this host cannot connect to it,
// and its sshd answers the bastion.
func checkIsolated(ctx context.Context, d *Description, n Node, add func(node, what string, err error)) {
	probe, cancel := context.WithTimeout(ctx, isolatedProbe)
	defer cancel()
	var err error
	if dialable(probe, n.Address, 22) == nil {
		err = fmt.Errorf("this host connected to %s:22", n.Address)
	}
	add(n.Name, "isolated: this host cannot connect", err)
	b, err := d.Node(Bastion)
	if err == nil {
		// bash's /dev/tcp, from inside the bastion's namespaces.
		addr := "/dev/tcp/" + n.Address + "/" + strconv.Itoa(22)
		_, err = enter(b).Run(ctx, remote.Command("timeout", "5", "bash", "-c", "exec 3<>"+addr))
	}
	add(n.Name, "sshd answers the bastion", err)
}
