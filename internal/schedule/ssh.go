package schedule

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// SSH says how the engine, on the controller, reaches every node it drives:
// the primary node, the targets' nodes, and the jump hosts in front of
// them. The block's own settings are every node's defaults; a Node block
// overrides them for one host. Host keys are always verified against the
// known_hosts file that applies.
type SSH struct {
	User           string
	Port           int
	PrivateKeyFile string // on the controller
	KnownHostsFile string // on the controller
	// JumpHost is the host every node is reached through (like ssh -J),
	// unless its Node block names another one or NoJumpHost; "" is none.
	// The jump host itself is reached directly, or through the jump host
	// its own Node block names.
	JumpHost string
	// ConfigFile is an OpenSSH client configuration on the controller
	// (ssh_config(5)) that the engine also reads, by the host names it is
	// given; "" reads none. See the package documentation for what it
	// takes from it.
	ConfigFile string
	// Nodes override the defaults per host, by name.
	Nodes []SSHNode
}

// SSHNode is one node block: how to reach the host called Name (the name
// the schedule and gluster use). Empty fields, and Port 0, take the ssh
// block's settings.
type SSHNode struct {
	Name           string
	Address        string // dialed instead of Name
	Port           int
	User           string
	PrivateKeyFile string
	KnownHostsFile string
	// JumpHost overrides the ssh block's jump_host for this host: another
	// host to go through, or NoJumpHost to reach it directly.
	JumpHost string
}

// NoJumpHost, as a node's jump_host, reaches it directly even when the ssh
// block names a jump host (OpenSSH's "ProxyJump none").
const NoJumpHost = "none"

// Node returns the node block of host.
func (s SSH) Node(host string) (SSHNode, bool) {
	for _, n := range s.Nodes {
		if n.Name == host {
			return n, true
		}
	}
	return SSHNode{}, false
}

// JumpFor is the jump host the file says host is reached through, "" for
// none: its node block's jump_host, else the ssh block's, except for that
// jump host itself.
func (s SSH) JumpFor(host string) string {
	jump := s.JumpHost
	if n, ok := s.Node(host); ok && n.JumpHost != "" {
		jump = n.JumpHost
	}
	if jump == NoJumpHost || jump == host {
		return ""
	}
	return jump
}

// Route is the chain of jump hosts that reaching host goes through, the
// first one dialed first, as the file says. It fails when the chain comes
// back to a host already on it.
func (s SSH) Route(host string) ([]string, error) {
	seen := []string{host}
	var route []string
	for jump := s.JumpFor(host); jump != ""; jump = s.JumpFor(jump) {
		if slices.Contains(seen, jump) {
			return nil, fmt.Errorf("reaching %q goes through %s and then %q again; a jump host cannot be reached through itself",
				host, quoteAll(seen[1:]), jump)
		}
		seen = append(seen, jump)
		route = append([]string{jump}, route...)
	}
	return route, nil
}

type rawSSH struct {
	User           hcl.Expression `hcl:"user,optional"`
	Port           hcl.Expression `hcl:"port,optional"`
	PrivateKeyFile hcl.Expression `hcl:"private_key_file,optional"`
	KnownHostsFile hcl.Expression `hcl:"known_hosts_file,optional"`
	JumpHost       hcl.Expression `hcl:"jump_host,optional"`
	ConfigFile     hcl.Expression `hcl:"config_file,optional"`
	Nodes          []rawSSHNode   `hcl:"node,block"`
}

type rawSSHNode struct {
	Name           string         `hcl:"name,label"`
	NameRange      hcl.Range      `hcl:"name,label_range"`
	Address        hcl.Expression `hcl:"address,optional"`
	Port           hcl.Expression `hcl:"port,optional"`
	User           hcl.Expression `hcl:"user,optional"`
	PrivateKeyFile hcl.Expression `hcl:"private_key_file,optional"`
	KnownHostsFile hcl.Expression `hcl:"known_hosts_file,optional"`
	JumpHost       hcl.Expression `hcl:"jump_host,optional"`
}

func (r *rawSSH) build(d *decoder) SSH {
	s := SSH{
		User:           attr(d, r.User, "ssh.user", DefaultNodeUser, validUser),
		Port:           attr(d, r.Port, "ssh.port", DefaultNodePort, between(1, 65535)),
		PrivateKeyFile: attr(d, r.PrivateKeyFile, "ssh.private_key_file", DefaultPrivateKeyFile, validPath),
		KnownHostsFile: attr(d, r.KnownHostsFile, "ssh.known_hosts_file", DefaultKnownHostsFile, validPath),
		JumpHost:       attr(d, r.JumpHost, "ssh.jump_host", "", validJumpHost),
		ConfigFile:     attr(d, r.ConfigFile, "ssh.config_file", "", validPath),
	}
	if s.JumpHost == NoJumpHost {
		s.JumpHost = "" // the same as leaving it out
	}
	declared := map[string]hcl.Range{}
	for _, n := range r.Nodes {
		if err := validHost(n.Name); err != nil {
			d.errorAt(n.NameRange, "Invalid SSH Node", fmt.Sprintf("ssh node %q: %s.", n.Name, err))
		} else if first, dup := declared[n.Name]; dup {
			d.errorAt(n.NameRange, "Duplicate SSH Node",
				fmt.Sprintf("ssh node %q is already declared at %s; give each host one node block.", n.Name, first))
		}
		declared[n.Name] = n.NameRange
		s.Nodes = append(s.Nodes, n.build(d))
	}
	s.checkRoutes(d, r)
	// By name, as the provider's map has them: one schedule, one file.
	slices.SortStableFunc(s.Nodes, func(a, b SSHNode) int { return strings.Compare(a.Name, b.Name) })
	return s
}

func (r *rawSSHNode) build(d *decoder) SSHNode {
	name := func(attr string) string { return fmt.Sprintf("ssh node %q %s", r.Name, attr) }
	return SSHNode{
		Name:           r.Name,
		Address:        attr(d, r.Address, name("address"), "", validHost),
		Port:           attr(d, r.Port, name("port"), 0, between(1, 65535)),
		User:           attr(d, r.User, name("user"), "", validUser),
		PrivateKeyFile: attr(d, r.PrivateKeyFile, name("private_key_file"), "", validPath),
		KnownHostsFile: attr(d, r.KnownHostsFile, name("known_hosts_file"), "", validPath),
		JumpHost:       attr(d, r.JumpHost, name("jump_host"), "", validJumpHost),
	}
}

// checkRoutes refuses jump hosts that lead back to themselves, at the
// jump_host that closes the loop.
func (s SSH) checkRoutes(d *decoder, r *rawSSH) {
	for i, n := range s.Nodes {
		if n.JumpHost == n.Name {
			d.errorAt(r.Nodes[i].JumpHost.Range(), "Invalid SSH Node",
				fmt.Sprintf("ssh node %q jump_host: %q is the node itself; a host cannot be its own jump host.", n.Name, n.JumpHost))
			continue
		}
		if _, err := s.Route(n.Name); err != nil {
			where := r.Nodes[i].JumpHost.Range()
			if !d.isSet(r.Nodes[i].JumpHost) {
				where = r.JumpHost.Range()
			}
			d.errorAt(where, "Jump Host Loop", fmt.Sprintf("ssh node %q: %s.", n.Name, err))
			return // one loop is reported once, not once per host on it
		}
	}
}

// validJumpHost accepts a host, or NoJumpHost.
func validJumpHost(h string) error {
	if h == NoJumpHost {
		return nil
	}
	return validHost(h)
}

func quoteAll(hosts []string) string {
	q := make([]string, len(hosts))
	for i, h := range hosts {
		q[i] = fmt.Sprintf("%q", h)
	}
	return strings.Join(q, ", ")
}
