package gluster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// CommonSecretPub is where gsec_create leaves the primary cluster's
// geo-replication public keys, which push-pem installs on the secondary.
const CommonSecretPub = "/var/lib/glusterd/geo-replication/common_secret.pem.pub"

// Backoff bounds of WaitForKeys.
const (
	keysPollMin = 250 * time.Millisecond
	keysPollMax = 5 * time.Second
)

// WaitForKeys waits until the secondary user's ~/.ssh/authorized_keys holds
// every public key of the primary's common_secret.pem.pub. `create push-pem`
// returns before its hook has installed them, and a session started before
// that stays Created for ever (gsyncd: Permission denied (publickey)).
//
// secondary runs commands on the secondary host. Both files are read with
// cat; keys are compared by type and base64 body, ignoring the
// command="..." options that the secondary's lines carry and comments. The
// wait polls with backoff until ctx is done.
func (c *Client) WaitForKeys(ctx context.Context, ref SessionRef, secondary remote.Runner) error {
	if err := ref.Validate(); err != nil {
		return err
	}
	pubOut, err := c.callPlain(ctx, "read the geo-replication public keys", []string{"cat", CommonSecretPub})
	if err != nil {
		return withHint(err, "Run CreateSecret (gluster system:: execute gsec_create) on the primary first.")
	}
	want := parseAuthorizedKeys(pubOut)
	if len(want) == 0 {
		return &Error{Op: "read the geo-replication public keys", Host: c.Host(), Argv: []string{"cat", CommonSecretPub},
			Kind: ErrUnexpectedOutput, Stdout: pubOut, Err: errors.New("no public key in " + CommonSecretPub),
			Hint: "Re-run CreateSecret (gsec_create) on the primary."}
	}

	sec := New(secondary, WithClock(c.clock))
	path, err := sec.authorizedKeysPath(ctx, ref.User())
	if err != nil {
		return err
	}
	delay := keysPollMin
	missing := len(want)
	giveUp := func(cause error) error {
		return fmt.Errorf("wait for geo-replication keys of session %s: %d of %d primary keys are still missing from %s on %s: %w\n"+
			"Hint: push-pem's hook copies them from the primary; check /var/log/glusterfs/glusterd.log on %s, and that root on %s can ssh to %s",
			ref, missing, len(want), path, secondary.Host(), cause, c.Host(), c.Host(), secondary.Host())
	}
	for {
		out, err := sec.callPlain(ctx, "read "+path, []string{"cat", path})
		switch {
		case err == nil:
			have := parseAuthorizedKeys(out)
			missing = 0
			for k := range want {
				if !have[k] {
					missing++
				}
			}
			if missing == 0 {
				return nil
			}
		case ctx.Err() != nil:
			return giveUp(ctx.Err())
		case !isNotYet(err):
			return err
		}
		if err := c.clock.Sleep(ctx, delay); err != nil {
			return giveUp(err)
		}
		delay = min(time.Duration(float64(delay)*1.5), keysPollMax)
	}
}

// isNotYet reports a read that failed because the file is not there yet
// (cat exits 1), as opposed to a host that could not be reached.
func isNotYet(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Err == nil && e.ExitCode == 1
}

// authorizedKeysPath is /root/.ssh/authorized_keys for root, and for
// another user the home directory that getent reports.
func (c *Client) authorizedKeysPath(ctx context.Context, user string) (string, error) {
	if user == "root" {
		return "/root/.ssh/authorized_keys", nil
	}
	if err := ValidUser(user); err != nil {
		return "", err
	}
	out, err := c.callPlain(ctx, "look up user "+user, []string{"getent", "passwd", user})
	if err != nil {
		return "", withHint(err, fmt.Sprintf("Create user %s on %s (a mountbroker user for non-root geo-replication).", user, c.Host()))
	}
	fields := strings.Split(strings.TrimSpace(firstLine(out)), ":")
	if len(fields) < 6 || !strings.HasPrefix(fields[5], "/") {
		return "", c.parseError("look up user "+user, []string{"getent", "passwd", user}, fmt.Errorf("no home directory in %q", out))
	}
	return strings.TrimSuffix(fields[5], "/") + "/.ssh/authorized_keys", nil
}

// parseAuthorizedKeys returns the keys of an authorized_keys (or .pub)
// text as "type base64" strings (parseKeyLine reads each line).
func parseAuthorizedKeys(text string) map[string]bool {
	keys := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		if l, ok := parseKeyLine(line); ok {
			keys[l.key] = true
		}
	}
	return keys
}

// splitKeyLine splits an authorized_keys line on blanks outside double
// quotes.
func splitKeyLine(line string) []string {
	return splitUnquoted(line, func(r rune) bool { return r == ' ' || r == '\t' })
}

// splitUnquoted splits s at the runes sep reports, outside double quotes,
// and drops empty fields; a backslash escapes the next character inside
// quotes, as sshd reads it.
func splitUnquoted(s string, sep func(rune) bool) []string {
	var fields []string
	start, inQuote, escaped := 0, false, false
	for i, r := range s {
		switch {
		case escaped:
			escaped = false
		case inQuote && r == '\\':
			escaped = true
		case r == '"':
			inQuote = !inQuote
		case !inQuote && sep(r):
			if i > start {
				fields = append(fields, s[start:i])
			}
			start = i + len(string(r))
		}
	}
	if start < len(s) {
		fields = append(fields, s[start:])
	}
	return fields
}

// isKeyType reports an OpenSSH key type, e.g. ssh-ed25519,
// ecdsa-sha2-nistp256 or sk-ssh-ed25519@openssh.com: a known prefix, then
// letters, digits and "@._-" only (a quoted option of a key line is not
// one, even when it starts like one).
func isKeyType(s string) bool {
	if !strings.HasPrefix(s, "ssh-") && !strings.HasPrefix(s, "ecdsa-sha2-") && !strings.HasPrefix(s, "sk-") {
		return false
	}
	for _, r := range s {
		if !isASCIIAlnum(r) && !strings.ContainsRune("@._-", r) {
			return false
		}
	}
	return true
}

func isBase64(s string) bool {
	if len(s) < 16 {
		return false
	}
	for _, r := range s {
		if !isASCIIAlnum(r) && r != '+' && r != '/' && r != '=' {
			return false
		}
	}
	return true
}
