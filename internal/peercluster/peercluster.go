// Package peercluster brings a site's trusted pool and its volume to a
// declared state, and reads back what is really there. The Terraform
// resource gluster_peer_cluster, the CLI and the lab use it.
package peercluster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// Spec is a site as declared: its nodes (the first runs the commands), its
// volume and the volume's options.
type Spec struct {
	Nodes   []string
	Volume  gluster.VolumeSpec
	Options map[string]string
}

// Validate checks the spec before anything runs.
func (s Spec) Validate() error {
	if len(s.Nodes) == 0 {
		return errors.New("a peer cluster needs at least one node")
	}
	for _, n := range s.Nodes {
		if err := gluster.ValidHost(n); err != nil {
			return fmt.Errorf("node %q: %w", n, err)
		}
	}
	for _, b := range s.Volume.Bricks {
		if !slices.Contains(s.Nodes, b.Host) {
			return fmt.Errorf("brick %s is on %s, which is not one of the nodes %v", b, b.Host, s.Nodes)
		}
	}
	return s.Volume.Validate()
}

// State is what a site really holds.
type State struct {
	// Peers are the pool's members other than the node asked.
	Peers []gluster.Peer
	// Volume is nil when the volume does not exist.
	Volume *gluster.Volume
}

// Ensure probes the other nodes, waits until they are connected, creates
// the volume if it is missing, starts it and sets its options. Each step is
// idempotent, so Ensure also repairs a half-built site.
func Ensure(ctx context.Context, c *gluster.Client, s Spec) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := AddPeers(ctx, c, s.Nodes[1:]); err != nil {
		return err
	}
	_, err := c.VolumeInfo(ctx, s.Volume.Name)
	switch {
	case errors.Is(err, gluster.ErrNotFound):
		if err := c.CreateVolume(ctx, s.Volume); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if err := c.StartVolume(ctx, s.Volume.Name); err != nil {
		return err
	}
	if len(s.Options) == 0 {
		return nil
	}
	return c.SetOptions(ctx, s.Volume.Name, s.Options)
}

// AddPeers probes each host and waits until all are connected members.
func AddPeers(ctx context.Context, c *gluster.Client, hosts []string) error {
	for _, h := range hosts {
		if err := c.Probe(ctx, h); err != nil {
			return err
		}
	}
	return waitConnected(ctx, c, hosts)
}

// peerWait bounds the wait for probed peers to join.
const peerWait = 60 * time.Second

func waitConnected(ctx context.Context, c *gluster.Client, hosts []string) error {
	ctx, cancel := context.WithTimeout(ctx, peerWait)
	defer cancel()
	delay := 100 * time.Millisecond
	for {
		peers, err := c.PoolList(ctx)
		if err != nil {
			return err
		}
		missing := Disconnected(peers, hosts)
		if len(missing) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("peers %v of %s did not become connected within %s; check glusterd on them and that port 24007 is open between the nodes", missing, c.Host(), peerWait)
		case <-time.After(delay):
		}
		delay = min(delay*2, 2*time.Second)
	}
}

// Disconnected lists the hosts that are not connected members of peers.
func Disconnected(peers []gluster.Peer, hosts []string) []string {
	var out []string
	for _, h := range hosts {
		i := slices.IndexFunc(peers, func(p gluster.Peer) bool { return slices.Contains(p.Hostnames, h) || p.Hostname == h })
		if i < 0 || !peers[i].Connected {
			out = append(out, h)
		}
	}
	return out
}

// Observe reads the pool and the volume as they are.
func Observe(ctx context.Context, c *gluster.Client, volume string) (*State, error) {
	peers, err := c.PoolList(ctx)
	if err != nil {
		return nil, err
	}
	st := &State{}
	for _, p := range peers {
		if !p.Self {
			st.Peers = append(st.Peers, p)
		}
	}
	vol, err := c.VolumeInfo(ctx, volume)
	switch {
	case errors.Is(err, gluster.ErrNotFound):
	case err != nil:
		return nil, err
	default:
		st.Volume = vol
	}
	return st, nil
}
