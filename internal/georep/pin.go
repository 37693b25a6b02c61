package georep

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"path"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

const geoRepDir = "/var/lib/glusterd/geo-replication"

// KnownHostsPath is the known_hosts file glusterdr keeps on every primary
// node for the session's gsyncd.
func KnownHostsPath(ref gluster.SessionRef) string {
	return path.Join(geoRepDir, ref.Name(), "glusterdr_known_hosts")
}

// SSHOptions is the ssh_options value that makes gsyncd verify the
// secondary nodes against the pinned keys; key is gsyncd's identity file
// (secret.pem for ssh_options, tar_ssh.pem for ssh_options_tar).
func SSHOptions(ref gluster.SessionRef, key string) string {
	return strings.Join([]string{
		"-oPasswordAuthentication=no",
		"-oStrictHostKeyChecking=yes",
		"-oUserKnownHostsFile=" + KnownHostsPath(ref),
		"-i", path.Join(geoRepDir, key),
	}, " ")
}

// PinHostKeys writes the known_hosts file onto every primary node, then
// points gsyncd's ssh_options and ssh_options_tar at it.
func PinHostKeys(ctx context.Context, n Nodes, ref gluster.SessionRef, lines []string) error {
	content, err := knownHostsContent(lines)
	if err != nil {
		return err
	}
	for _, files := range n.PrimaryFiles {
		if err := files.MkdirAll(ctx, path.Dir(KnownHostsPath(ref)), 0o755); err != nil {
			return err
		}
		if err := files.WriteFile(ctx, KnownHostsPath(ref), strings.NewReader(content), 0o644); err != nil {
			return fmt.Errorf("writing the pinned host keys for %s: %w", ref, err)
		}
	}
	if err := n.Primary.ConfigSet(ctx, ref, "ssh_options", SSHOptions(ref, "secret.pem")); err != nil {
		return err
	}
	return n.Primary.ConfigSet(ctx, ref, "ssh_options_tar", SSHOptions(ref, "tar_ssh.pem"))
}

// knownHostsContent checks that every line is "hosts keytype base64".
func knownHostsContent(lines []string) (string, error) {
	var b strings.Builder
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 3 || strings.HasPrefix(f[0], "-") || strings.ContainsAny(l, "\n\r") {
			return "", fmt.Errorf("host key %q is not a known_hosts line (hosts keytype base64)", l)
		}
		b.WriteString(strings.Join(f, " ") + "\n")
	}
	return b.String(), nil
}

// Pinned reports whether the session's gsyncd verifies host keys against
// the file glusterdr keeps, from its config.
func Pinned(ref gluster.SessionRef, config map[string]string) bool {
	return config["ssh_options"] == SSHOptions(ref, "secret.pem") &&
		config["ssh_options_tar"] == SSHOptions(ref, "tar_ssh.pem")
}

// KnownHostsLine is the known_hosts line that pins key for host as gsyncd's
// ssh reaches it on port: "host keytype base64", "[host]:port ..." off 22.
func KnownHostsLine(host string, port int, key ssh.PublicKey) string {
	return knownhosts.Line([]string{knownhosts.Normalize(net.JoinHostPort(host, strconv.Itoa(port)))}, key)
}

// PinnedKeys reads the known_hosts lines that PinHostKeys wrote on one
// primary node; none when the file is missing.
func PinnedKeys(ctx context.Context, files remote.Files, ref gluster.SessionRef) ([]string, error) {
	data, err := files.ReadFile(ctx, KnownHostsPath(ref))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the pinned host keys of %s: %w", ref, err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// Unpin puts gsyncd's ssh_options and ssh_options_tar back to gluster's
// defaults (which do not verify host keys) and removes the pinned file
// from every primary node.
func Unpin(ctx context.Context, n Nodes, ref gluster.SessionRef) error {
	for _, k := range []string{"ssh_options", "ssh_options_tar"} {
		if err := n.Primary.ConfigReset(ctx, ref, k); err != nil {
			return err
		}
	}
	return RemovePinned(ctx, n.PrimaryFiles, ref)
}

// RemovePinned removes the pinned known_hosts file from the primary nodes;
// a file already gone is fine.
func RemovePinned(ctx context.Context, primaryFiles []remote.Files, ref gluster.SessionRef) error {
	for _, files := range primaryFiles {
		if err := files.Remove(ctx, KnownHostsPath(ref)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing the pinned host keys of %s: %w", ref, err)
		}
	}
	return nil
}
