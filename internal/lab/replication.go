package lab

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/peercluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// SSHConfig is how the engine reaches a node of the lab: the lab's key,
// verified against the lab's known_hosts.
func (d *Description) SSHConfig(n Node) remote.Config {
	return remote.Config{Host: n.Address, Port: d.SSH.Port, User: d.SSH.User,
		PrivateKeyFile: d.SSH.PrivateKeyFile, KnownHostsFile: d.SSH.KnownHostsFile}
}

// Conn reaches the lab's nodes over SSH through one pool.
type Conn struct {
	D    *Description
	Pool *remote.Pool
}

// Runner runs commands on a node over SSH.
func (c Conn) Runner(node string) (remote.Runner, error) {
	n, err := c.D.Node(node)
	if err != nil {
		return nil, err
	}
	return c.Pool.Runner(c.D.SSHConfig(n)), nil
}

// Files reaches a node's files over SFTP.
func (c Conn) Files(node string) (remote.Files, error) {
	n, err := c.D.Node(node)
	if err != nil {
		return nil, err
	}
	return c.Pool.Files(c.D.SSHConfig(n)), nil
}

// Gluster is the gluster client of a node.
func (c Conn) Gluster(node string) (*gluster.Client, error) {
	r, err := c.Runner(node)
	if err != nil {
		return nil, err
	}
	return gluster.New(r), nil
}

// SiteSpec is the DR volume a site is meant to hold: one brick per node.
func (d *Description) SiteSpec(site string) (peercluster.Spec, error) {
	s, err := d.Site(site)
	if err != nil {
		return peercluster.Spec{}, err
	}
	spec := peercluster.Spec{Volume: gluster.VolumeSpec{Name: s.Volume, Type: gluster.Distribute, Force: true}}
	for _, name := range s.Nodes {
		n, err := d.Node(name)
		if err != nil {
			return spec, err
		}
		spec.Nodes = append(spec.Nodes, n.Address)
		spec.Volume.Bricks = append(spec.Volume.Bricks, gluster.Brick{Host: n.Address, Path: BrickPath(d.Dir, n.Name, s.Volume)})
	}
	return spec, nil
}

// SessionRef is the session from the primary's global volume to a site.
func (d *Description) SessionRef(site string) (gluster.SessionRef, error) {
	s, err := d.Site(site)
	if err != nil {
		return gluster.SessionRef{}, err
	}
	first, err := d.Node(s.Nodes[0])
	if err != nil {
		return gluster.SessionRef{}, err
	}
	return gluster.SessionRef{PrimaryVolume: PrimaryVolume, SecondaryHost: first.Address, SecondaryVolume: s.Volume}, nil
}

// HostKeys are the known_hosts lines of a site's nodes, for pinning.
func (d *Description) HostKeys(site string) ([]string, error) {
	s, err := d.Site(site)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, name := range s.Nodes {
		n, err := d.Node(name)
		if err != nil {
			return nil, err
		}
		f := strings.Fields(n.HostKey)
		lines = append(lines, fmt.Sprintf("%s %s %s", n.Address, f[0], f[1]))
	}
	return lines, nil
}

// SetUpReplication builds a site's pool and volume and the session to it
// from the primary, with host keys pinned for gsyncd and the primary
// volume's changelog rollover time and the secondary nodes' tar blocking
// factor set. The session is left stopped. It gets georep.DefaultTuning,
// with config on top (e.g. sync_method).
func SetUpReplication(ctx context.Context, c Conn, site string, config map[string]string) (gluster.SessionRef, error) {
	tuned := georep.DefaultTuning()
	maps.Copy(tuned, config)
	spec, err := c.D.SiteSpec(site)
	if err != nil {
		return gluster.SessionRef{}, err
	}
	s, _ := c.D.Site(site)
	secondary, err := c.Runner(s.Nodes[0])
	if err != nil {
		return gluster.SessionRef{}, err
	}
	if err := peercluster.Ensure(ctx, gluster.New(secondary), spec); err != nil {
		return gluster.SessionRef{}, err
	}
	ref, _ := c.D.SessionRef(site)
	keys, err := c.D.HostKeys(site)
	if err != nil {
		return ref, err
	}
	primary, err := c.Gluster("p1")
	if err != nil {
		return ref, err
	}
	files, err := c.Files("p1")
	if err != nil {
		return ref, err
	}
	nodes := georep.Nodes{Primary: primary, PrimaryFiles: []remote.Files{files}, Secondary: secondary}
	if nodes.SecondaryNodes, err = c.SiteNodes(site); err != nil {
		return ref, err
	}
	return ref, georep.Create(ctx, nodes, ref, georep.Spec{Config: tuned, HostKeys: keys,
		RolloverSeconds: georep.DefaultRolloverSeconds, TarBlocking: georep.DefaultTarBlocking})
}

// StallAfter is how long a checkpoint cycle in the lab may make no progress
// before its one stop/start. A lab cycle takes 15-60 s; the production
// default of 3 minutes would only make a lab stall slow to answer
// (docs/gluster-facts.md, "Why a cycle stalled").
const StallAfter = 30 * time.Second

// SiteNodes reaches every node of a site, for what georep sets on each
// secondary node.
func (c Conn) SiteNodes(site string) ([]georep.Node, error) {
	s, err := c.D.Site(site)
	if err != nil {
		return nil, err
	}
	nodes := make([]georep.Node, 0, len(s.Nodes))
	for _, name := range s.Nodes {
		r, err := c.Runner(name)
		if err != nil {
			return nil, err
		}
		f, _ := c.Files(name)
		nodes = append(nodes, georep.Node{Runner: r, Files: f})
	}
	return nodes, nil
}
