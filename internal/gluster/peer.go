package gluster

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"
)

// Peer is one member of the trusted pool.
type Peer struct {
	UUID string
	// Hostname is the name the peer was probed by; `pool list` calls the
	// node it runs on "localhost".
	Hostname string
	// Hostnames are all the names glusterd knows the peer by.
	Hostnames []string
	Connected bool
	// State is gluster's stateStr, e.g. "Peer in Cluster"; empty for the
	// local node in `pool list`.
	State string
	// Self is true for the local node's own entry in `pool list`.
	Self bool
}

type xmlPeers struct {
	XMLName xml.Name `xml:"cliOutput"`
	Peers   []struct {
		UUID      string   `xml:"uuid"`
		Hostname  string   `xml:"hostname"`
		Hostnames []string `xml:"hostnames>hostname"`
		Connected string   `xml:"connected"`
		StateStr  string   `xml:"stateStr"`
	} `xml:"peerStatus>peer"`
}

// parsePeers reads `gluster --xml pool list` and `gluster --xml peer status`.
func parsePeers(env *envelope) ([]Peer, error) {
	var x xmlPeers
	if err := env.decode(&x); err != nil {
		return nil, err
	}
	peers := make([]Peer, 0, len(x.Peers))
	for _, xp := range x.Peers {
		p := Peer{
			UUID:      strings.TrimSpace(xp.UUID),
			Hostname:  strings.TrimSpace(xp.Hostname),
			Connected: strings.TrimSpace(xp.Connected) == "1",
			State:     strings.TrimSpace(xp.StateStr),
		}
		for _, h := range xp.Hostnames {
			if h = strings.TrimSpace(h); h != "" {
				p.Hostnames = append(p.Hostnames, h)
			}
		}
		if len(p.Hostnames) == 0 && p.Hostname != "" {
			p.Hostnames = []string{p.Hostname}
		}
		p.Self = p.Hostname == "localhost" && p.State == ""
		peers = append(peers, p)
	}
	return peers, nil
}

// Probe adds host to the trusted pool. A host that is already a peer is
// fine (the CLI says "already in peer list" and exits 0). A host that
// cannot be reached gives ErrPeerUnreachable.
func (c *Client) Probe(ctx context.Context, host string) error {
	if err := ValidHost(host); err != nil {
		return err
	}
	err := c.callAction(ctx, fmt.Sprintf("probe peer %s", host), glusterArgv(false, true, "peer", "probe", host))
	return withHint(err, fmt.Sprintf(
		"glusterd on %s did not answer: check that it runs there, that %q resolves to it from %s, and that TCP 24007 is open between them.",
		host, host, c.Host()), ErrPeerUnreachable)
}

// Detach removes host from the trusted pool; force detaches a peer that
// still holds bricks or is down. A host that is not a peer is fine.
func (c *Client) Detach(ctx context.Context, host string, force bool) error {
	if err := ValidHost(host); err != nil {
		return err
	}
	args := []string{"peer", "detach", host}
	if force {
		args = append(args, "force")
	}
	err := c.callAction(ctx, fmt.Sprintf("detach peer %s", host), glusterArgv(true, true, args...))
	if isKind(err, ErrNotFound) {
		return nil
	}
	return withHint(err, fmt.Sprintf("Move or remove the bricks %s holds first, or detach with force if the host is gone for good.", host), nil)
}

// PoolList lists the trusted pool, the local node included (as "localhost").
func (c *Client) PoolList(ctx context.Context) ([]Peer, error) {
	return c.peers(ctx, "list the trusted pool", "pool", "list")
}

// PeerStatus lists the other members of the trusted pool.
func (c *Client) PeerStatus(ctx context.Context) ([]Peer, error) {
	return c.peers(ctx, "read peer status", "peer", "status")
}

func (c *Client) peers(ctx context.Context, op string, args ...string) ([]Peer, error) {
	argv := glusterArgv(false, true, args...)
	env, err := c.callXML(ctx, op, argv)
	if err != nil {
		return nil, err
	}
	peers, err := parsePeers(env)
	if err != nil {
		return nil, c.parseError(op, argv, err)
	}
	return peers, nil
}
