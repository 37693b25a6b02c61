package lab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// nodeKeys are the keys a node is built with.
type nodeKeys struct {
	host keyPair // sshd's host key
	root keyPair // root's own identity, used by glusterd's geo-rep hooks
}

// prepareNodeFiles writes the folders and files that will be bind-mounted
// into the node, before any of its processes start.
func prepareNodeFiles(ctx context.Context, dir string, n NodeSpec, keys map[string]nodeKeys, engineKey string) error {
	nd := nodeDir(dir, n.Name)
	for _, d := range nodeDirs {
		if err := os.MkdirAll(filepath.Join(nd, d.dir), 0o755); err != nil {
			return err
		}
	}
	if err := os.Chmod(filepath.Join(nd, "root-ssh"), 0o700); err != nil {
		return err
	}
	if err := os.Chmod(filepath.Join(nd, "tmp"), 0o1777); err != nil {
		return err
	}
	// glusterd needs the packaged hooks (geo-rep key distribution lives
	// there) and option groups in its working directory.
	for _, sub := range []string{"hooks", "groups"} {
		if _, err := run(ctx, "cp", "-a", filepath.Join("/var/lib/glusterd", sub), filepath.Join(nd, "glusterd")); err != nil {
			return err
		}
	}
	if err := keys[n.Name].host.write(filepath.Join(nd, "ssh_host_ed25519_key")); err != nil {
		return err
	}
	if err := keys[n.Name].root.write(filepath.Join(nd, "root-ssh", "id_ed25519")); err != nil {
		return err
	}
	files := map[string]string{
		"hosts":                           hostsFile(),
		"resolv.conf":                     "# glusterdr lab: no name server, every lab name is in /etc/hosts\n",
		"sshd_config":                     sshdConfig(dir, n),
		filepath.Join("root-ssh", "authorized_keys"): authorizedKeys(keys, engineKey),
		filepath.Join("root-ssh", "known_hosts"):     knownHosts(keys, true),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(nd, name), []byte(content), 0o600); err != nil {
			return err
		}
	}
	return os.Chmod(filepath.Join(nd, "hosts"), 0o644)
}

func hostsFile() string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n")
	for _, n := range Nodes {
		fmt.Fprintf(&b, "%s\t%s\n", n.Address, n.Name)
	}
	return b.String()
}

func sshdConfig(dir string, n NodeSpec) string {
	return strings.Join([]string{
		"# glusterdr lab node " + n.Name,
		"ListenAddress " + n.Address,
		"Port 22",
		"HostKey " + filepath.Join(nodeDir(dir, n.Name), "ssh_host_ed25519_key"),
		"PidFile none",
		"PermitRootLogin prohibit-password",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"UsePAM no",
		"AuthorizedKeysFile .ssh/authorized_keys",
		"Subsystem sftp internal-sftp",
		"MaxSessions 64",
		"MaxStartups 64:30:128",
		"",
	}, "\n")
}

// authorizedKeys lets the engine and every node's root in. Geo-replication
// needs root on the primary to reach the secondaries, and failback needs
// the reverse.
func authorizedKeys(keys map[string]nodeKeys, engineKey string) string {
	lines := []string{engineKey}
	for _, n := range Nodes {
		lines = append(lines, keys[n.Name].root.public)
	}
	return strings.Join(lines, "\n") + "\n"
}

// knownHosts lists every node's host key by address and, for the nodes'
// own use, by name.
func knownHosts(keys map[string]nodeKeys, withNames bool) string {
	var b strings.Builder
	for _, n := range Nodes {
		hosts := []string{n.Address}
		if withNames {
			hosts = append(hosts, n.Name)
		}
		b.WriteString(hostKeyLine(hosts, keys[n.Name].host) + "\n")
	}
	return b.String()
}

// mountNodeDirs gives the node its own /run, glusterd state, logs, root
// SSH folder, /tmp, hosts file and host name.
func mountNodeDirs(ctx context.Context, dir string, n Node) error {
	node, nd := enter(n), nodeDir(dir, n.Name)
	steps := [][]string{
		{"mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", "/run"},
		{"mkdir", "-p", "/run/sshd", "/run/gluster"},
	}
	for _, d := range nodeDirs {
		steps = append(steps, []string{"mount", "--bind", filepath.Join(nd, d.dir), d.target})
	}
	for _, f := range nodeFiles {
		steps = append(steps, []string{"mount", "--bind", filepath.Join(nd, f.file), f.target})
	}
	if n.Site == "primary" {
		steps = append(steps,
			[]string{"mount", "--bind", filepath.Join(nd, "glfs"), filepath.Dir(MountPath)},
			[]string{"mkdir", "-p", MountPath})
	}
	steps = append(steps, []string{"hostname", n.Name})
	for _, argv := range steps {
		if _, err := node.Run(ctx, remote.Cmd{Argv: argv}); err != nil {
			return fmt.Errorf("lab: preparing %s: %w", n.Name, err)
		}
	}
	return nil
}
