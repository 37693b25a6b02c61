package lab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// nodeKeys are the keys a node is built with.
type nodeKeys struct {
	host keyPair // sshd's host key
	root keyPair // root's own identity, used by glusterd's geo-rep hooks
}

// upper is the folder of a node's copy-on-write layer over hostDir; files
// put there before the overlay is mounted are what the node sees.
func upper(dir, node, hostDir string) string {
	return filepath.Join(nodeDir(dir, node), "overlay", strings.TrimPrefix(hostDir, "/"), "upper")
}

func overlayWork(dir, node, hostDir string) string {
	return filepath.Join(nodeDir(dir, node), "overlay", strings.TrimPrefix(hostDir, "/"), "work")
}

// prepareNodeFiles writes the node's folders and the files it starts with,
// before any of its processes run.
func prepareNodeFiles(dir string, all []NodeSpec, n NodeSpec, keys map[string]nodeKeys, engineKey string) error {
	nd := nodeDir(dir, n.Name)
	for _, hostDir := range overlays {
		for _, d := range []string{upper(dir, n.Name, hostDir), overlayWork(dir, n.Name, hostDir)} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
	}
	// gluster makes a missing brick folder, but not its parents.
	if err := os.MkdirAll(filepath.Dir(BrickPath(dir, n.Name, "x")), 0o755); err != nil {
		return err
	}
	// The merged /tmp takes its mode from the upper folder.
	if err := os.Chmod(upper(dir, n.Name, "/tmp"), 0o777|os.ModeSticky); err != nil {
		return err
	}
	sshDir := filepath.Join(upper(dir, n.Name, "/root"), ".ssh")
	if err := os.MkdirAll(sshDir, 0o700); err != nil {
		return err
	}
	// Opaque: the host's own /root/.ssh must not show through.
	if err := unix.Setxattr(sshDir, "trusted.overlay.opaque", []byte("y"), 0); err != nil {
		return fmt.Errorf("lab: marking %s opaque: %w", sshDir, err)
	}
	if err := keys[n.Name].host.write(filepath.Join(nd, "ssh_host_ed25519_key")); err != nil {
		return err
	}
	if err := keys[n.Name].root.write(filepath.Join(sshDir, "id_ed25519")); err != nil {
		return err
	}
	etc := upper(dir, n.Name, "/etc")
	files := []struct {
		path, content string
		mode          os.FileMode
	}{
		{filepath.Join(etc, "hosts"), hostsFile(all), 0o644},
		{filepath.Join(etc, "resolv.conf"), "# glusterdr lab: no name server; every lab name is in /etc/hosts\n", 0o644},
		{filepath.Join(etc, "hostname"), n.Name + "\n", 0o644},
		{filepath.Join(nd, "sshd_config"), sshdConfig(dir, n), 0o600},
		{filepath.Join(sshDir, "authorized_keys"), authorizedKeys(all, keys, engineKey), 0o600},
		{filepath.Join(sshDir, "known_hosts"), knownHosts(all, keys, true), 0o600},
	}
	for _, f := range files {
		if err := os.WriteFile(f.path, []byte(f.content), f.mode); err != nil {
			return err
		}
	}
	return nil
}

func hostsFile(all []NodeSpec) string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n")
	for _, n := range all {
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
func authorizedKeys(all []NodeSpec, keys map[string]nodeKeys, engineKey string) string {
	lines := []string{engineKey}
	for _, n := range all {
		lines = append(lines, keys[n.Name].root.public)
	}
	return strings.Join(lines, "\n") + "\n"
}

// knownHosts lists every node's host key by address and, for the nodes'
// own use, by name.
func knownHosts(all []NodeSpec, keys map[string]nodeKeys, withNames bool) string {
	var b strings.Builder
	for _, n := range all {
		hosts := []string{n.Address}
		if withNames {
			hosts = append(hosts, n.Name)
		}
		b.WriteString(hostKeyLine(hosts, keys[n.Name].host) + "\n")
	}
	return b.String()
}

// mountNodeDirs gives the node its own /run, its copy-on-write views of
// the overlaid host folders, and its host name.
func mountNodeDirs(ctx context.Context, dir string, n Node) error {
	node := enter(n)
	steps := [][]string{
		{"mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", "/run"},
		{"mkdir", "-p", "/run/sshd", "/run/gluster"},
	}
	for _, hostDir := range overlays {
		opts := fmt.Sprintf("lowerdir=%s,upperdir=%s,workdir=%s",
			hostDir, upper(dir, n.Name, hostDir), overlayWork(dir, n.Name, hostDir))
		steps = append(steps, []string{"mount", "-t", "overlay", "overlay", "-o", opts, hostDir})
	}
	if n.Site == "primary" {
		steps = append(steps, []string{"mkdir", "-p", MountPath})
	}
	steps = append(steps, []string{"hostname", n.Name})
	for _, argv := range steps {
		if _, err := node.Run(ctx, remote.Cmd{Argv: argv}); err != nil {
			return fmt.Errorf("lab: preparing %s: %w", n.Name, err)
		}
	}
	return nil
}
