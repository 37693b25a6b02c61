package provider

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
)

// sshSettings turn the provider block into one remote.Config per node.
type sshSettings struct {
	// base carries the defaults: credentials, host key sources, jump host
	// and timeout; Host is empty.
	base     remote.Config
	hostKeys []pinnedKey
	// nodes are the node blocks' settings, each over base where it sets
	// them (remote.Config.Override).
	nodes map[string]remote.Config
}

// pinnedKey is one host_keys line: the hosts it names and the key, in
// authorized_keys format as remote.Config.HostKeys wants it.
type pinnedKey struct {
	hosts []string
	key   string
}

func newSSHSettings(m providerModel) (*sshSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := &sshSettings{nodes: map[string]remote.Config{}}
	b := &s.base
	b.User = stringOr(m.User, defaultSSHUser)
	b.Port = int(int64Or(m.Port, defaultSSHPort))
	b.PrivateKey = []byte(m.PrivateKey.ValueString())
	if len(b.PrivateKey) == 0 {
		b.PrivateKey = nil
	}
	b.PrivateKeyFile = expandHome(m.PrivateKeyFile.ValueString())
	b.Passphrase = m.Passphrase.ValueString()
	b.Password = m.Password.ValueString()
	b.Agent = m.Agent.ValueBool()
	b.AgentSocket = m.AgentSocket.ValueString()
	b.KnownHostsFile = expandHome(stringOr(m.KnownHostsFile, defaultKnownHostsFile))
	b.TrustOnFirstUse = m.TrustOnFirstUse.ValueBool()
	b.ConnectTimeout = defaultConnectTimeout
	if v := m.ConnectTimeout.ValueString(); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("connect_timeout"), "Invalid Connect Timeout",
				fmt.Sprintf("Attribute connect_timeout: %q is not a positive duration such as \"30s\".", v))
		}
		b.ConnectTimeout = d
	}

	if b.PrivateKey == nil && b.PrivateKeyFile == "" && b.Password == "" && !b.Agent {
		if os.Getenv("SSH_AUTH_SOCK") == "" && b.AgentSocket == "" && !anyNodeHasKey(m.Nodes) {
			diags.AddError("Missing SSH Credentials",
				"The gluster provider has no way to log in to the nodes: set private_key, private_key_file, "+
					"password or agent = true in the provider block (or a key per node in nodes), or run Terraform "+
					"with an ssh-agent ($SSH_AUTH_SOCK).")
		}
		b.Agent = os.Getenv("SSH_AUTH_SOCK") != "" || b.AgentSocket != ""
	}

	for i, line := range m.HostKeys {
		pk, err := parsePinnedKey(line.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("host_keys").AtListIndex(i), "Invalid Host Key",
				fmt.Sprintf("Attribute host_keys[%d]: %v", i, err))
			continue
		}
		s.hostKeys = append(s.hostKeys, pk)
	}

	if j := m.JumpHost; j != nil {
		jump := s.base
		jump.Host = j.Host.ValueString()
		jump.Port = int(int64Or(j.Port, defaultSSHPort))
		jump.User = stringOr(j.User, b.User)
		jump.HostKeys = s.keysFor(jump.Host, jump.Host, jump.Port)
		b.JumpHost = &jump
	}

	for name, n := range m.Nodes {
		ns := remote.Config{
			Host:           n.Address.ValueString(),
			Port:           int(n.Port.ValueInt64()),
			User:           n.User.ValueString(),
			PrivateKeyFile: expandHome(n.PrivateKeyFile.ValueString()),
			KnownHostsFile: expandHome(n.KnownHostsFile.ValueString()),
		}
		if k := n.PrivateKey.ValueString(); k != "" {
			ns.PrivateKey = []byte(k)
		}
		s.nodes[name] = ns
	}
	return s, diags
}

// config is how to reach node, the name a resource gives.
func (s *sshSettings) config(node string) remote.Config {
	cfg := s.base
	cfg.Host = node
	if o, ok := s.nodes[node]; ok {
		cfg = cfg.Override(o)
	}
	cfg.HostKeys = s.keysFor(node, cfg.Host, cfg.Port)
	return cfg
}

// keysFor lists the pinned keys whose hosts name the node, by its name or
// by the address dialed, in known_hosts spelling ("[host]:port" off 22).
func (s *sshSettings) keysFor(name, addr string, port int) []string {
	want := []string{
		knownhosts.Normalize(net.JoinHostPort(addr, strconv.Itoa(port))),
		knownhosts.Normalize(net.JoinHostPort(name, strconv.Itoa(port))),
	}
	var keys []string
	for _, pk := range s.hostKeys {
		for _, h := range pk.hosts {
			if slices.Contains(want, knownhosts.Normalize(h)) {
				keys = append(keys, pk.key)
				break
			}
		}
	}
	return keys
}

// secrets are the values that must never reach a log line: the inline keys,
// each line of their base64 body, the passphrase and the password.
func (s *sshSettings) secrets() []string {
	var out []string
	add := func(v string) {
		if len(v) >= 8 {
			out = append(out, v)
		}
	}
	addKey := func(pem []byte) {
		add(string(pem))
		for _, line := range strings.Split(string(pem), "\n") {
			if !strings.HasPrefix(line, "-----") {
				add(strings.TrimSpace(line))
			}
		}
	}
	addKey(s.base.PrivateKey)
	for _, n := range s.nodes {
		addKey(n.PrivateKey)
	}
	add(s.base.Passphrase)
	add(s.base.Password)
	return out
}

// parsePinnedKey reads one known_hosts line: "host[,host...] keytype base64
// [comment]". Markers, hashed names and patterns are refused: a pin names
// its hosts exactly.
func parsePinnedKey(line string) (pinnedKey, error) {
	if err := valid.Line(line); err != nil {
		return pinnedKey{}, fmt.Errorf("%w; give one known_hosts line per list element", err)
	}
	marker, hosts, key, _, _, err := ssh.ParseKnownHosts([]byte(line))
	switch {
	case err != nil:
		return pinnedKey{}, fmt.Errorf("%s is not a known_hosts line (host keytype base64): %v", valid.Quote(line), err)
	case marker != "":
		return pinnedKey{}, fmt.Errorf("%q carries the marker @%s, which pinned keys do not support", line, marker)
	}
	for _, h := range hosts {
		if strings.HasPrefix(h, "|") || strings.ContainsAny(h, "*?!") {
			return pinnedKey{}, fmt.Errorf("host %s in %s is hashed or a pattern; pin keys to exact host names or addresses", valid.Quote(h), valid.Quote(line))
		}
		if err := pinnedHost(h); err != nil {
			return pinnedKey{}, fmt.Errorf("host %s in %s: %s", valid.Quote(h), valid.Quote(line), plainReason(err))
		}
	}
	return pinnedKey{hosts: hosts, key: strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))}, nil
}

// pinnedHost accepts a known_hosts host as a pin names it: a host or
// address (gluster.ValidHost), or [host]:port for a port other than 22. A
// bracketed host without a port would never match a connection.
func pinnedHost(h string) error {
	if !strings.HasPrefix(h, "[") {
		return gluster.ValidHost(h)
	}
	host, port, err := net.SplitHostPort(h)
	if err != nil || !strings.HasPrefix(h, "["+host+"]:") {
		return fmt.Errorf("a bracketed host must be [host]:port")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port %s is not between 1 and 65535", valid.Quote(port))
	}
	return gluster.ValidHost(host)
}

func anyNodeHasKey(nodes map[string]nodeModel) bool {
	for _, n := range nodes {
		if n.PrivateKey.ValueString() != "" || n.PrivateKeyFile.ValueString() != "" {
			return true
		}
	}
	return false
}

// expandHome turns a leading "~/" into the user's home directory.
func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}
