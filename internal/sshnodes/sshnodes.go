// Package sshnodes reaches a schedule's nodes over SSH as its ssh block
// says: the block's defaults, the node blocks, the jump hosts, and, when
// the block opts in with config_file, an OpenSSH client configuration.
// Every connection, jump hosts included, goes through one remote.Pool, so a
// jump host is dialed once and every node behind it is tunnelled through
// that one connection.
package sshnodes

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"

	"github.com/kevinburke/ssh_config"
	"golang.org/x/crypto/ssh"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// Nodes reaches hosts by the names the schedule and gluster use.
type Nodes struct {
	Pool *remote.Pool
	ssh  schedule.SSH
	conf *ssh_config.Config // nil: no config_file
	log  *slog.Logger
}

// New reads the schedule's ssh block, and its config_file when it names
// one, and checks that every host the schedule names can be reached: a
// route through jump hosts that comes back on itself, or a config_file
// that cannot be read or parsed, is an error before anything is dialed.
func New(pool *remote.Pool, s *schedule.Schedule, log *slog.Logger) (*Nodes, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	n := &Nodes{Pool: pool, ssh: s.SSH, log: log}
	if f := s.SSH.ConfigFile; f != "" {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("ssh.config_file: %w", err)
		}
		if n.conf, err = ssh_config.DecodeBytes(data); err != nil {
			return nil, fmt.Errorf("ssh.config_file %s: %w", f, err)
		}
	}
	for _, host := range Named(s) {
		if _, err := n.resolve(host, nil); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// Named lists every host the schedule names: the primary node, each
// target's nodes, and the ssh block's nodes and jump hosts.
func Named(s *schedule.Schedule) []string {
	hosts := []string{s.Primary.Node}
	for _, t := range s.Targets {
		hosts = append(hosts, t.SecondaryHost, t.VerifyNode, t.RestorePoints.Node)
	}
	if s.SSH.JumpHost != "" {
		hosts = append(hosts, s.SSH.JumpHost)
	}
	for _, n := range s.SSH.Nodes {
		hosts = append(hosts, n.Name)
		if n.JumpHost != "" && n.JumpHost != schedule.NoJumpHost {
			hosts = append(hosts, n.JumpHost)
		}
	}
	slices.Sort(hosts)
	return slices.Compact(slices.DeleteFunc(hosts, func(h string) bool { return h == "" }))
}

// Config is how to reach host. New has checked every host the schedule
// names; a host found later (a brick host) whose config_file route cannot
// be followed is reached as far as it can be, and the problem is logged.
func (n *Nodes) Config(host string) remote.Config {
	cfg, err := n.resolve(host, nil)
	if err != nil {
		n.log.Warn("ssh: the route to a host cannot be followed", "host", host, "error", err)
	}
	return cfg
}

// CheckHostKey checks the key cfg's host presents against cfg's pins,
// without logging in, along the route these settings give the host: a
// host behind a jump host is reached through the pool's connection to it.
func (n *Nodes) CheckHostKey(ctx context.Context, cfg remote.Config) error {
	cfg.JumpHost = n.Config(cfg.Host).JumpHost
	return n.Pool.CheckHostKey(ctx, cfg)
}

// Runner runs commands on host.
func (n *Nodes) Runner(host string) remote.Runner { return n.Pool.Runner(n.Config(host)) }

// Files reaches host's files over SFTP.
func (n *Nodes) Files(host string) remote.Files { return n.Pool.Files(n.Config(host)) }

// HostKey is host's key as the pool's own handshake verified it.
func (n *Nodes) HostKey(ctx context.Context, host string) (ssh.PublicKey, error) {
	return n.Pool.HostKey(ctx, n.Config(host))
}

// resolve builds host's Config: the ssh block's defaults, then what the
// config_file says for the name, then the host's node block; then its jump
// hosts, each resolved the same way. via are the hosts whose route is
// being built, to refuse a loop.
func (n *Nodes) resolve(host string, via []string) (remote.Config, error) {
	s := n.ssh
	cfg := remote.Config{Host: host, Port: s.Port, User: s.User, PrivateKeyFile: s.PrivateKeyFile, KnownHostsFile: s.KnownHostsFile,
		CommandTimeout: s.CommandTimeout}
	jump := s.JumpHost
	if n.conf != nil {
		o, err := n.fromConfigFile(host)
		if err != nil {
			return cfg, err
		}
		cfg = cfg.Override(o.config())
		if o.proxyJump != "" {
			jump = o.proxyJump
		}
	}
	if nd, ok := s.Node(host); ok {
		cfg = cfg.Override(remote.Config{Host: nd.Address, Port: nd.Port, User: nd.User, PrivateKeyFile: nd.PrivateKeyFile,
			KnownHostsFile: nd.KnownHostsFile})
		if nd.JumpHost != "" {
			jump = nd.JumpHost
		}
	}
	if jump == "" || jump == schedule.NoJumpHost || jump == host {
		return cfg, nil
	}
	hops, err := parseJump(jump)
	if err != nil {
		return cfg, fmt.Errorf("ssh %s: jump host %q: %w", host, jump, err)
	}
	via = append(slices.Clone(via), host)
	var prev *remote.Config
	for i, h := range hops {
		if slices.Contains(via, h.host) {
			return cfg, fmt.Errorf("ssh %s: reaching it goes through %q, which is already on the way (%v); a jump host "+
				"cannot be reached through itself", host, h.host, via)
		}
		hc, err := n.resolve(h.host, via)
		if err != nil {
			return cfg, err
		}
		if i > 0 {
			hc.JumpHost = prev // a later hop of a ProxyJump list goes through the one before it
		}
		hc = hc.Override(remote.Config{User: h.user, Port: h.port})
		prev = &hc
	}
	cfg.JumpHost = prev
	return cfg, nil
}
