package remote

import (
	"context"

	"golang.org/x/crypto/ssh"
)

// PoolNodes reaches hosts by name over one Pool, each with Base's settings
// (user, port, key, known_hosts) and its own Host.
type PoolNodes struct {
	Pool *Pool
	Base Config
}

// Config is the SSH configuration for host.
func (p PoolNodes) Config(host string) Config {
	c := p.Base
	c.Host = host
	return c
}

// Runner runs commands on host.
func (p PoolNodes) Runner(host string) Runner { return p.Pool.Runner(p.Config(host)) }

// Files reaches host's files over SFTP.
func (p PoolNodes) Files(host string) Files { return p.Pool.Files(p.Config(host)) }

// HostKey is host's key as the pool's own handshake verified it.
func (p PoolNodes) HostKey(ctx context.Context, host string) (ssh.PublicKey, error) {
	return p.Pool.HostKey(ctx, p.Config(host))
}
