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
// volume and the volume's options, and the further volumes of the same pool
// that hold restore-point stores.
type Spec struct {
	Nodes   []string
	Volume  gluster.VolumeSpec
	Options map[string]string
	Stores  []Volume
}

// Validate checks the spec before anything runs: every volume valid, its
// bricks on the nodes, and no two volumes sharing a name or a brick.
func (s Spec) Validate() error {
	if len(s.Nodes) == 0 {
		return errors.New("a peer cluster needs at least one node")
	}
	for _, n := range s.Nodes {
		if err := gluster.ValidHost(n); err != nil {
			return fmt.Errorf("node %q: %w", n, err)
		}
	}
	vols := s.volumes()
	for i, v := range vols {
		for _, b := range v.Bricks {
			if !slices.Contains(s.Nodes, b.Host) {
				return fmt.Errorf("brick %s is on %s, which is not one of the nodes %v", b, b.Host, s.Nodes)
			}
		}
		if err := v.VolumeSpec.Validate(); err != nil {
			return err
		}
		for _, prev := range vols[:i] {
			if err := Conflict(prev.VolumeSpec, v.VolumeSpec); err != nil {
				return err
			}
		}
	}
	return nil
}

// volumes is the main volume, then the stores.
func (s Spec) volumes() []Volume {
	return append([]Volume{{VolumeSpec: s.Volume, Options: s.Options}}, s.Stores...)
}

// State is what a site really holds.
type State struct {
	// Peers are the pool's members other than the node asked.
	Peers []gluster.Peer
	// Volume is nil when the volume does not exist.
	Volume *gluster.Volume
	// Stores are the store volumes asked for that exist, by name.
	Stores map[string]*gluster.Volume
}

// Ensure probes the other nodes, waits until they are connected, then
// brings the volume (EnsureVolume) and the stores (EnsureStore) to their
// declared state. Each step is idempotent, so Ensure also repairs a
// half-built site.
func Ensure(ctx context.Context, c *gluster.Client, s Spec) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := AddPeers(ctx, c, s.Nodes[1:]); err != nil {
		return err
	}
	if err := EnsureVolume(ctx, c, Volume{VolumeSpec: s.Volume, Options: s.Options}); err != nil {
		return err
	}
	for _, v := range s.Stores {
		if err := EnsureStore(ctx, c, v); err != nil {
			return err
		}
	}
	return nil
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

// Observe reads the pool, the volume and the stores named as they are.
func Observe(ctx context.Context, c *gluster.Client, volume string, stores ...string) (*State, error) {
	peers, err := c.PoolList(ctx)
	if err != nil {
		return nil, err
	}
	st := &State{Stores: map[string]*gluster.Volume{}}
	for _, p := range peers {
		if !p.Self {
			st.Peers = append(st.Peers, p)
		}
	}
	if st.Volume, err = volumeInfo(ctx, c, volume); err != nil {
		return nil, err
	}
	for _, name := range stores {
		v, err := volumeInfo(ctx, c, name)
		if err != nil {
			return nil, err
		}
		if v != nil {
			st.Stores[name] = v
		}
	}
	return st, nil
}
