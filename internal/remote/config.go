package remote

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"
)

// Defaults applied by Config when a field is left zero.
const (
	DefaultPort           = 22
	DefaultUser           = "root"
	DefaultConnectTimeout = 15 * time.Second
	DefaultKeepAlive      = 30 * time.Second
	// DefaultMaxSessions matches OpenSSH's MaxSessions default.
	DefaultMaxSessions = 10
)

// keepAliveMaxMissed is how many keepalive intervals may pass without a reply
// before the connection is declared dead (OpenSSH's ServerAliveCountMax).
const keepAliveMaxMissed = 3

// Config says how to reach one host over SSH. Host keys are always verified:
// a Config without KnownHostsFile or HostKeys is refused.
//
// Config holds secrets. Its String and LogValue methods print only the
// destination, so it is safe to log, but never format it field by field.
type Config struct {
	Host string
	Port int    // 22 when zero
	User string // "root" when empty

	// Authentication. Every method configured is offered: public keys
	// (PrivateKey, PrivateKeyFile, then the agent's keys), then Password.
	PrivateKey     []byte // PEM, inline
	PrivateKeyFile string
	Passphrase     string // for an encrypted PrivateKey or PrivateKeyFile
	Password       string
	Agent          bool   // use the ssh-agent at AgentSocket, or at $SSH_AUTH_SOCK
	AgentSocket    string // path of the agent's unix socket

	// Host key verification. A key is accepted when it matches one of
	// HostKeys or an entry for the host in KnownHostsFile.
	KnownHostsFile string
	HostKeys       []string // pinned keys, authorized_keys format ("ssh-ed25519 AAAA... comment")
	// TrustOnFirstUse appends the key of a host that KnownHostsFile does not
	// know yet to that file, and accepts it. A host whose key differs from
	// the recorded one is still refused. Ignored when HostKeys is set.
	TrustOnFirstUse bool

	// JumpHost, when set, is dialed first and the connection to Host is
	// tunnelled through it (like ssh -J).
	JumpHost *Config

	// ConnectTimeout bounds the TCP connection and the SSH handshake
	// together; 15s when zero.
	ConnectTimeout time.Duration
	// KeepAlive is the interval of keepalive@openssh.com requests; 30s when
	// zero, none when negative. Three unanswered intervals close the
	// connection.
	KeepAlive time.Duration
	// CommandTimeout bounds each command whose Cmd.Timeout is zero;
	// DefaultTimeout when zero.
	CommandTimeout time.Duration
	// MaxSessions is the server's limit of sessions per connection (sshd's
	// MaxSessions, 10 when zero). One is kept for SFTP; commands beyond the
	// rest wait for a free session instead of being refused by the server.
	MaxSessions int
}

func (c Config) port() int {
	if c.Port == 0 {
		return DefaultPort
	}
	return c.Port
}

func (c Config) user() string {
	if c.User == "" {
		return DefaultUser
	}
	return c.User
}

func (c Config) connectTimeout() time.Duration {
	if c.ConnectTimeout <= 0 {
		return DefaultConnectTimeout
	}
	return c.ConnectTimeout
}

func (c Config) keepAlive() time.Duration {
	if c.KeepAlive == 0 {
		return DefaultKeepAlive
	}
	return c.KeepAlive
}

// commandSlots is how many commands may run at once on one connection.
func (c Config) commandSlots() int {
	n := c.MaxSessions
	if n <= 0 {
		n = DefaultMaxSessions
	}
	return max(n-1, 1)
}

// Override returns c with what o sets, o being a source more specific
// than c's (a node's own settings over the defaults, a ProxyJump hop's
// user and port): Host, Port, User and KnownHostsFile each where o sets
// it, and the private key as a whole, o's inline key or key file replacing
// both of c's.
func (c Config) Override(o Config) Config {
	if o.Host != "" {
		c.Host = o.Host
	}
	if o.Port != 0 {
		c.Port = o.Port
	}
	if o.User != "" {
		c.User = o.User
	}
	if len(o.PrivateKey) > 0 || o.PrivateKeyFile != "" {
		c.PrivateKey, c.PrivateKeyFile = o.PrivateKey, o.PrivateKeyFile
	}
	if o.KnownHostsFile != "" {
		c.KnownHostsFile = o.KnownHostsFile
	}
	return c
}

// addr is host:port, as dialed and as written in messages.
func (c Config) addr() string {
	return net.JoinHostPort(c.Host, strconv.Itoa(c.port()))
}

// String names the destination, user@host:port, and the jump host if any.
// It never includes a secret.
func (c Config) String() string {
	s := c.user() + "@" + c.addr()
	if c.JumpHost != nil {
		s += " via " + c.JumpHost.String()
	}
	return s
}

// LogValue keeps secrets out of logs when a Config is logged whole.
func (c Config) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("host", c.Host),
		slog.Int("port", c.port()),
		slog.String("user", c.user()),
	}
	if c.JumpHost != nil {
		attrs = append(attrs, slog.String("jump", c.JumpHost.String()))
	}
	return slog.GroupValue(attrs...)
}

// poolKey identifies the connection a Config leads to.
func (c Config) poolKey() string { return c.String() }

// Validate reports what is missing or contradictory, before any dial.
func (c Config) Validate() error {
	var errs []error
	if c.Host == "" {
		errs = append(errs, errors.New("ssh: Host is empty"))
	}
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("ssh %s: Port %d is out of range 1-65535", c.Host, c.Port))
	}
	if len(c.PrivateKey) == 0 && c.PrivateKeyFile == "" && c.Password == "" && !c.Agent {
		errs = append(errs, fmt.Errorf("ssh %s: no authentication method: set a private key, a password or agent use", c))
	}
	if c.KnownHostsFile == "" && len(c.HostKeys) == 0 {
		errs = append(errs, fmt.Errorf("ssh %s: no way to verify the host key: set a known_hosts file or pin the host key "+
			"(trust on first use also needs a known_hosts file to record the key in)", c))
	}
	if c.TrustOnFirstUse && c.KnownHostsFile == "" {
		errs = append(errs, fmt.Errorf("ssh %s: trust on first use needs a known_hosts file to record the key in", c))
	}
	if c.JumpHost != nil {
		if err := c.JumpHost.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("jump host: %w", err))
		}
	}
	return errors.Join(errs...)
}
