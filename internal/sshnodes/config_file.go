package sshnodes

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/user"
	"strconv"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// fromFile is what the config_file says about one host name. Empty fields
// are not set there.
type fromFile struct {
	hostName  string
	user      string
	port      int
	identity  string
	proxyJump string
}

// fromConfigFile reads the settings the engine takes from an OpenSSH
// client configuration for host: the first value of each, as OpenSSH does.
func (n *Nodes) fromConfigFile(host string) (fromFile, error) {
	var o fromFile
	get := func(key string) (string, error) {
		v, err := n.conf.Get(host, key)
		if err != nil {
			return "", fmt.Errorf("ssh.config_file %s: %s for %s: %w", n.ssh.ConfigFile, key, host, err)
		}
		return strings.TrimSpace(v), nil
	}
	var err error
	var port string
	for key, dst := range map[string]*string{"HostName": &o.hostName, "User": &o.user, "Port": &port,
		"IdentityFile": &o.identity, "ProxyJump": &o.proxyJump} {
		if *dst, err = get(key); err != nil {
			return o, err
		}
	}
	if port != "" {
		if o.port, err = strconv.Atoi(port); err != nil || o.port < 1 || o.port > 65535 {
			return o, fmt.Errorf("ssh.config_file %s: Port %q for %s is not a port number", n.ssh.ConfigFile, port, host)
		}
	}
	o.hostName = expandTokens(o.hostName, tokens{name: host, host: host})
	t := tokens{name: host, host: o.hostName, remoteUser: o.user}
	if t.host == "" {
		t.host = host
	}
	if t.remoteUser == "" {
		t.remoteUser = n.ssh.User
	}
	o.identity = expandTokens(o.identity, t)
	return o, nil
}

// config is what the file sets, for remote.Config.Override.
func (o fromFile) config() remote.Config {
	return remote.Config{Host: o.hostName, User: o.user, Port: o.port, PrivateKeyFile: o.identity}
}

// tokens are the values of the ssh_config(5) tokens the engine can know.
type tokens struct {
	name       string // %n: the host name as given
	host       string // %h: after HostName
	remoteUser string // %r
}

// expandTokens expands what ssh_config(5) allows in HostName and
// IdentityFile and the engine can know: a leading "~/", %d (this user's
// home), %h, %n, %r, %u (this user) and %%. Other tokens are left as they
// are, so that a path holding one fails to open under its own name.
func expandTokens(v string, t tokens) string {
	if v == "" {
		return v
	}
	home, _ := os.UserHomeDir()
	if rest, ok := strings.CutPrefix(v, "~/"); ok {
		v = home + "/" + rest
	}
	local := ""
	if u, err := user.Current(); err == nil {
		local = u.Username
	}
	values := map[byte]string{'d': home, 'h': t.host, 'n': t.name, 'r': t.remoteUser, 'u': local, '%': "%"}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		val, ok := "", false
		if v[i] == '%' && i+1 < len(v) {
			val, ok = values[v[i+1]]
		}
		if !ok {
			b.WriteByte(v[i])
			continue
		}
		b.WriteString(val)
		i++
	}
	return b.String()
}

// hop is one host of a jump route: "[user@]host[:port]".
type hop struct {
	user, host string
	port       int
}

// parseJump reads a jump host as the schedule writes it (a host name) or as
// ProxyJump does: a comma-separated list of [user@]host[:port] or
// ssh://[user@]host[:port], the first one dialed first.
func parseJump(s string) ([]hop, error) {
	var hops []hop
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "ssh://")
		var h hop
		if at := strings.LastIndex(part, "@"); at >= 0 {
			h.user, part = part[:at], part[at+1:]
		}
		h.host = part
		if host, port, err := net.SplitHostPort(part); err == nil {
			p, perr := strconv.Atoi(port)
			if perr != nil || p < 1 || p > 65535 {
				return nil, fmt.Errorf("%q is not a port number", port)
			}
			h.host, h.port = host, p
		}
		if h.host == "" || strings.HasPrefix(h.host, "-") {
			return nil, errors.New("a hop names no host")
		}
		hops = append(hops, h)
	}
	return hops, nil
}
