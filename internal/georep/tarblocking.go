package georep

import (
	"context"
	"fmt"
	"strconv"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// SetTarBlocking makes the authorized_keys of every secondary node force
// gluster.TarCommand(factor) for the primary cluster's tar keys; zero does
// nothing. On each node it first waits for push-pem's hook to have
// installed the keys there.
func SetTarBlocking(ctx context.Context, n Nodes, ref gluster.SessionRef, factor int) error {
	if factor == 0 {
		return nil
	}
	if len(n.SecondaryNodes) == 0 {
		return fmt.Errorf("setting the tar blocking factor of %s: no secondary nodes to set it on", ref)
	}
	keys, err := n.Primary.TarKeys(ctx)
	if err != nil {
		return err
	}
	for _, node := range n.SecondaryNodes {
		if err := n.Primary.WaitForKeys(ctx, ref, node.Runner); err != nil {
			return err
		}
		if _, err := gluster.New(node.Runner).SetTarBlocking(ctx, node.Files, ref, keys, factor); err != nil {
			return err
		}
	}
	return nil
}

// secondaryNodes reaches every secondary node of the session.
func secondaryNodes(ctx context.Context, h Hosts, ref gluster.SessionRef) ([]Node, error) {
	hosts, err := secondaryHosts(ctx, h, ref)
	if err != nil {
		return nil, fmt.Errorf("reading the secondary volume, to reach its nodes: %w", err)
	}
	nodes := make([]Node, 0, len(hosts))
	for _, host := range hosts {
		nodes = append(nodes, Node{Runner: h.Runner(host), Files: h.Files(host)})
	}
	return nodes, nil
}

// observeTarBlocking reads the blocking factor that the secondary nodes
// (hosts, or hostsErr: why they could not be listed) force for the
// primary's tar keys: the one all of them force, gluster.TarCommandOther
// when they differ, gluster.TarKeyMissing when a key is missing on a node.
func observeTarBlocking(ctx context.Context, s Session, primary *gluster.Client, hosts []string, hostsErr error) (int, error) {
	if hostsErr != nil {
		return 0, fmt.Errorf("reading the secondary volume, to reach its nodes: %w", hostsErr)
	}
	keys, err := primary.TarKeys(ctx)
	if err != nil {
		return 0, err
	}
	factor := gluster.TarKeyMissing
	for i, host := range hosts {
		f, err := gluster.New(s.Hosts.Runner(host)).TarBlocking(ctx, s.Ref, keys)
		switch {
		case err != nil:
			return 0, fmt.Errorf("reading the forced command of gsyncd's tar key on secondary node %s: %w", host, err)
		case f == gluster.TarKeyMissing:
			return f, nil
		case i == 0:
			factor = f
		case f != factor:
			factor = gluster.TarCommandOther
		}
	}
	return factor, nil
}

// TarBlockingText is an observed blocking factor as a plan shows it:
// the number, missing or other.
func TarBlockingText(factor int) string {
	switch factor {
	case gluster.TarKeyMissing:
		return "missing"
	case gluster.TarCommandOther:
		return "other"
	}
	return strconv.Itoa(factor)
}
