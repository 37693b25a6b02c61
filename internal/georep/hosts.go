package georep

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Hosts reaches a deployment's nodes by name: the Terraform provider's
// pooled connections, or the CLI's from the schedule's SSH settings.
type Hosts interface {
	Runner(host string) remote.Runner
	Files(host string) remote.Files
	// HostKey is host's key as the caller's own SSH handshake verified it.
	HostKey(ctx context.Context, host string) (ssh.PublicKey, error)
}

// NodesFor gathers what Create, PinHostKeys and RemovePinned reach: the
// primary's gluster client, the files of every primary node that runs a
// worker (each keeps a copy of the pinned known_hosts) and the secondary
// host.
func NodesFor(ctx context.Context, h Hosts, primary *gluster.Client, ref gluster.SessionRef) (Nodes, error) {
	hosts, err := workerHosts(ctx, primary, ref, nil)
	if err != nil {
		return Nodes{}, err
	}
	n := Nodes{Primary: primary, Secondary: h.Runner(ref.SecondaryHost)}
	for _, host := range hosts {
		n.PrimaryFiles = append(n.PrimaryFiles, h.Files(host))
	}
	return n, nil
}

// workerHosts are the primary nodes that run the session's workers, the
// one rule for where the pinned known_hosts is written and checked: those
// the status st lists, or without one (a session not created yet) the
// hosts of the primary volume's bricks, since gsyncd runs a worker for each
// brick. Just the primary node when neither names any.
func workerHosts(ctx context.Context, primary *gluster.Client, ref gluster.SessionRef, st *gluster.SessionStatus) ([]string, error) {
	var hosts []string
	if st != nil {
		for _, w := range st.Workers {
			if w.PrimaryNode != "" && !slices.Contains(hosts, w.PrimaryNode) {
				hosts = append(hosts, w.PrimaryNode)
			}
		}
		if len(hosts) > 0 {
			return hosts, nil
		}
	}
	vol, err := primary.VolumeInfo(ctx, ref.PrimaryVolume)
	if err != nil {
		return nil, err
	}
	if hosts := BrickHosts(vol); len(hosts) > 0 {
		return hosts, nil
	}
	return []string{primary.Host()}, nil
}

// ExpectedHostKeys are the known_hosts lines to pin for gsyncd: the
// secondary host and every host with a brick of the secondary volume, each
// with the key the caller's own SSH handshake verified, at port.
func ExpectedHostKeys(ctx context.Context, h Hosts, ref gluster.SessionRef, port int) ([]string, error) {
	hosts, err := secondaryHosts(ctx, h, ref)
	if err != nil {
		return nil, fmt.Errorf("reading the secondary volume, to pin its nodes' host keys: %w", err)
	}
	return hostKeyLines(ctx, h, hosts, port)
}

// hostKeyLines are the known_hosts lines of hosts, each with the key the
// caller's own SSH handshake verified, at port.
func hostKeyLines(ctx context.Context, h Hosts, hosts []string, port int) ([]string, error) {
	if port == 0 {
		port = 22
	}
	lines := make([]string, 0, len(hosts))
	for _, host := range hosts {
		key, err := h.HostKey(ctx, host)
		if err != nil {
			return nil, fmt.Errorf("verifying the host key of secondary node %s: %w", host, err)
		}
		lines = append(lines, KnownHostsLine(host, port, key))
	}
	return lines, nil
}

// secondaryHosts are the secondary nodes gsyncd reaches: the secondary
// host and every host with a brick of the secondary volume, sorted.
func secondaryHosts(ctx context.Context, h Hosts, ref gluster.SessionRef) ([]string, error) {
	vol, err := gluster.New(h.Runner(ref.SecondaryHost)).VolumeInfo(ctx, ref.SecondaryVolume)
	if err != nil {
		return nil, err
	}
	hosts := append([]string{ref.SecondaryHost}, BrickHosts(vol)...)
	slices.Sort(hosts)
	return slices.Compact(hosts), nil
}

// BrickHosts lists the distinct hosts of a volume's bricks, in order.
func BrickHosts(v *gluster.Volume) []string {
	var hosts []string
	for _, b := range v.Bricks {
		if !slices.Contains(hosts, b.Host) {
			hosts = append(hosts, b.Host)
		}
	}
	return hosts
}

// SameKnownHosts compares known_hosts lines as sets, ignoring spacing.
func SameKnownHosts(a, b []string) bool {
	norm := func(lines []string) []string {
		out := make([]string, 0, len(lines))
		for _, l := range lines {
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}
