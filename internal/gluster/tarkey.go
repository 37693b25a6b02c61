package gluster

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// gsyncd's tarssh runs `tar --overwrite -xf - -C DIR` on the secondary
// through its tar key, whose authorized_keys line on every secondary node
// forces the command peer_gsec_create wrote: tar, with GNU tar's default
// records of 20 blocks (10 KiB), so that a large file reaches the
// secondary's FUSE mount in 10 KiB writes. gsyncd takes no option for it;
// the forced command is the one place to set the record size
// (docs/gluster-facts.md, "The receiving tar's record size").
const upstreamTarCommand = `tar ${SSH_ORIGINAL_COMMAND#* }`

// Tar blocking factors, in 512-byte blocks: GNU tar's default (push-pem's
// own forced command) and the largest glusterdr sets (2 MiB records).
const (
	DefaultTarBlocking = 20
	MaxTarBlocking     = 4096
)

// What TarBlocking reports instead of a factor.
const (
	// TarKeyMissing: a tar key of the primary has no line on the node.
	TarKeyMissing = 0
	// TarCommandOther: the keys' lines force different factors, or a
	// command TarCommand does not write.
	TarCommandOther = -1
)

// TarCommand is the forced command for gsyncd's tar key that makes the
// extracting tar read whole records of factor blocks (-B, as from a pipe)
// and write the files in pieces of that size. At DefaultTarBlocking it is
// push-pem's own.
func TarCommand(factor int) string {
	if factor == DefaultTarBlocking {
		return upstreamTarCommand
	}
	return fmt.Sprintf("tar -B -b %d ${SSH_ORIGINAL_COMMAND#* }", factor)
}

var tarCommandRE = regexp.MustCompile(`^tar (?:-B -b ([1-9][0-9]{0,3}) )?\$\{SSH_ORIGINAL_COMMAND#\* \}$`)

// tarBlockingOf is the factor a forced command sets, TarCommandOther for
// one TarCommand does not write.
func tarBlockingOf(command string) int {
	m := tarCommandRE.FindStringSubmatch(command)
	if m == nil {
		return TarCommandOther
	}
	if m[1] == "" {
		return DefaultTarBlocking
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// ValidTarBlocking checks a blocking factor glusterdr would set.
func ValidTarBlocking(factor int) error {
	if factor < 1 || factor > MaxTarBlocking {
		return fmt.Errorf("tar blocking factor %d is out of range 1-%d (blocks of 512 bytes; GNU tar's default is %d)",
			factor, MaxTarBlocking, DefaultTarBlocking)
	}
	return nil
}

// keyLine is an authorized_keys line cut in two: its options, and the rest
// from the key type on, as written.
type keyLine struct {
	options []string
	key     string // "type base64"
	rest    string
}

// parseKeyLine reads a key line; ok is false for blanks, comments and
// lines with no key.
func parseKeyLine(line string) (l keyLine, ok bool) {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' {
		return l, false
	}
	fields := splitKeyLine(line)
	switch {
	case len(fields) >= 2 && isKeyType(fields[0]) && isBase64(fields[1]):
		return keyLine{key: fields[0] + " " + fields[1], rest: line}, true
	case len(fields) >= 3 && isKeyType(fields[1]) && isBase64(fields[2]):
		rest := strings.TrimLeft(line[len(fields[0]):], " \t")
		return keyLine{options: splitOptions(fields[0]), key: fields[1] + " " + fields[2], rest: rest}, true
	}
	return l, false
}

// splitOptions splits an options field on commas outside double quotes.
func splitOptions(field string) []string {
	return splitUnquoted(field, func(r rune) bool { return r == ',' })
}

// command is the line's forced command, as written between the quotes.
func (l keyLine) command() (string, bool) {
	for _, o := range l.options {
		if v, ok := strings.CutPrefix(o, `command="`); ok && strings.HasSuffix(v, `"`) {
			return strings.TrimSuffix(v, `"`), true
		}
	}
	return "", false
}

// withCommand is the line with its forced command replaced by cmd, which
// holds no quote; the other options and the key are kept as written.
func (l keyLine) withCommand(cmd string) string {
	opts := make([]string, 0, len(l.options))
	for _, o := range l.options {
		if !strings.HasPrefix(o, "command=") {
			opts = append(opts, o)
		}
	}
	opts = append([]string{`command="` + cmd + `"`}, opts...)
	return strings.Join(opts, ",") + " " + l.rest
}

// tarKeysOf lists the keys of a common_secret.pem.pub text whose forced
// command is tar.
func tarKeysOf(pub string) []string {
	var keys []string
	for _, line := range strings.Split(pub, "\n") {
		l, ok := parseKeyLine(line)
		if cmd, forced := l.command(); ok && forced && strings.HasPrefix(cmd, "tar ") {
			keys = append(keys, l.key)
		}
	}
	return keys
}

// tarBlocking is the factor an authorized_keys text forces for all of keys:
// the first line of each key counts, as it does for sshd.
func tarBlocking(text string, keys []string) int {
	first := map[string]int{}
	for _, line := range strings.Split(text, "\n") {
		l, ok := parseKeyLine(line)
		if _, seen := first[l.key]; !ok || seen {
			continue
		}
		cmd, _ := l.command()
		first[l.key] = tarBlockingOf(cmd)
	}
	factor := TarKeyMissing
	for i, k := range keys {
		f, ok := first[k]
		switch {
		case !ok:
			return TarKeyMissing
		case i == 0:
			factor = f
		case f != factor:
			return TarCommandOther
		}
	}
	return factor
}

// withTarBlocking rewrites every line of keys in an authorized_keys text to
// force TarCommand(factor), and leaves every other line as it is. missing
// lists the keys with no line.
func withTarBlocking(text string, keys []string, factor int) (out string, missing []string) {
	lines := strings.Split(text, "\n")
	found := map[string]bool{}
	for i, line := range lines {
		l, ok := parseKeyLine(line)
		if !ok || !slices.Contains(keys, l.key) {
			continue
		}
		found[l.key] = true
		lines[i] = l.withCommand(TarCommand(factor))
	}
	for _, k := range keys {
		if !found[k] {
			missing = append(missing, k)
		}
	}
	return strings.Join(lines, "\n"), missing
}

// TarKeys reads, on this primary node, the keys gsec_create gave the tar
// forced command in common_secret.pem.pub: one per primary node.
func (c *Client) TarKeys(ctx context.Context) ([]string, error) {
	argv := []string{"cat", CommonSecretPub}
	out, err := c.callPlain(ctx, "read the geo-replication public keys", argv)
	if err != nil {
		return nil, withHint(err, "Run CreateSecret (gluster system:: execute gsec_create) on the primary first.")
	}
	keys := tarKeysOf(out)
	if len(keys) == 0 {
		return nil, c.parseError("read the geo-replication public keys", argv,
			fmt.Errorf("no key with the tar forced command in %s", CommonSecretPub))
	}
	return keys, nil
}

// TarBlocking reads, on this secondary node, the blocking factor that the
// secondary user's authorized_keys forces for the primary's tar keys (from
// TarKeys), or TarKeyMissing or TarCommandOther.
func (c *Client) TarBlocking(ctx context.Context, ref SessionRef, keys []string) (int, error) {
	path, err := c.authorizedKeysPath(ctx, ref.User())
	if err != nil {
		return 0, err
	}
	out, err := c.callPlain(ctx, "read "+path, []string{"cat", path})
	if isNotYet(err) {
		return TarKeyMissing, nil
	}
	if err != nil {
		return 0, err
	}
	return tarBlocking(out, keys), nil
}

// SetTarBlocking makes the secondary user's authorized_keys on this
// secondary node force TarCommand(factor) for every line of the primary's
// tar keys, and reports whether it changed the file. It replaces the file
// atomically through files, 0600 and owned by the user; a key with no line
// is an error (push-pem has not reached the node), and the file is then
// left as it was.
func (c *Client) SetTarBlocking(ctx context.Context, files remote.Files, ref SessionRef, keys []string, factor int) (bool, error) {
	if err := ValidTarBlocking(factor); err != nil {
		return false, err
	}
	path, err := c.authorizedKeysPath(ctx, ref.User())
	if err != nil {
		return false, err
	}
	text, err := c.callPlain(ctx, "read "+path, []string{"cat", path})
	if err != nil && !isNotYet(err) {
		return false, err
	}
	out, missing := withTarBlocking(text, keys, factor)
	if len(missing) > 0 {
		return false, fmt.Errorf("%d of gsyncd's %d tar keys are not in %s on %s, so their record size cannot be set; "+
			"push-pem installs them (gluster volume geo-replication %s %s create push-pem force)",
			len(missing), len(keys), path, c.Host(), ref.PrimaryVolume, ref.Secondary())
	}
	if out == text {
		return false, nil
	}
	if err := files.WriteFile(ctx, path, strings.NewReader(out), 0o600); err != nil {
		return false, fmt.Errorf("rewriting %s on %s: %w", path, c.Host(), err)
	}
	if user := ref.User(); user != "root" {
		if _, err := c.callPlain(ctx, "give "+path+" back to "+user, []string{"chown", "--", user + ":", path}); err != nil {
			return true, err
		}
	}
	return true, nil
}
