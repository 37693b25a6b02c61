package gluster

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// SessionRef names one geo-replication session: a primary volume and the
// secondary [user@]host::volume it replicates to.
type SessionRef struct {
	PrimaryVolume string
	// SecondaryUser is the SSH user on the secondary; empty means root.
	SecondaryUser   string
	SecondaryHost   string
	SecondaryVolume string
}

// User is the secondary user, "root" when unset.
func (r SessionRef) User() string {
	if r.SecondaryUser == "" {
		return "root"
	}
	return r.SecondaryUser
}

// Secondary is the CLI's spelling of the secondary: host::vol for root,
// user@host::vol otherwise.
func (r SessionRef) Secondary() string {
	if r.User() == "root" {
		return r.SecondaryHost + "::" + r.SecondaryVolume
	}
	return r.User() + "@" + r.SecondaryHost + "::" + r.SecondaryVolume
}

// String renders the session as "gv0 -> host::vol".
func (r SessionRef) String() string { return r.PrimaryVolume + " -> " + r.Secondary() }

// Name is the session's directory name under /var/lib/glusterd/geo-replication
// and /var/log/glusterfs/geo-replication: primary_host_secondary.
func (r SessionRef) Name() string {
	return r.PrimaryVolume + "_" + r.SecondaryHost + "_" + r.SecondaryVolume
}

// LogPath is the primary-side gsyncd log of the session's workers.
func (r SessionRef) LogPath() string {
	return "/var/log/glusterfs/geo-replication/" + r.Name() + "/gsyncd.log"
}

// Validate checks every part, so that nothing can be read as an option.
func (r SessionRef) Validate() error {
	if err := ValidVolumeName(r.PrimaryVolume); err != nil {
		return fmt.Errorf("primary volume: %w", err)
	}
	if err := ValidSecondaryHost(r.SecondaryHost); err != nil {
		return fmt.Errorf("secondary host: %w", err)
	}
	if err := ValidVolumeName(r.SecondaryVolume); err != nil {
		return fmt.Errorf("secondary volume: %w", err)
	}
	if r.SecondaryUser != "" {
		if err := ValidUser(r.SecondaryUser); err != nil {
			return fmt.Errorf("secondary user: %w", err)
		}
	}
	return nil
}

// ParseSecondary reads "[ssh://][user@]host::volume" into a SessionRef for
// primary. The user is left empty for root.
func ParseSecondary(primary, secondary string) (SessionRef, error) {
	s := strings.TrimPrefix(strings.TrimSpace(secondary), "ssh://")
	hostPart, vol, ok := cutVolume(s)
	if !ok {
		return SessionRef{}, invalid("secondary %q is not host::volume", secondary)
	}
	ref := SessionRef{PrimaryVolume: primary, SecondaryHost: hostPart, SecondaryVolume: vol}
	if user, host, ok := strings.Cut(hostPart, "@"); ok {
		ref.SecondaryHost = host
		if user != "root" {
			ref.SecondaryUser = user
		}
	}
	if err := ref.Validate(); err != nil {
		return SessionRef{}, err
	}
	return ref, nil
}

// cutVolume splits "host::volume" at its last "::": a volume name never
// holds ':', an IPv6 host may ("fd00::1::gv1").
func cutVolume(s string) (host, volume string, found bool) {
	i := strings.LastIndex(s, "::")
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+2:], true
}

// georepArgv builds `gluster [opts] volume geo-replication P S args...`.
func georepArgv(script, xml bool, ref SessionRef, args ...string) []string {
	return glusterArgv(script, xml, append([]string{"volume", "geo-replication", ref.PrimaryVolume, ref.Secondary()}, args...)...)
}

// CreateSecret runs `system:: execute gsec_create`, which generates the
// primary cluster's geo-replication keys (common_secret.pem.pub). It is
// needed once per primary cluster, before the first CreateSession.
func (c *Client) CreateSecret(ctx context.Context) error {
	_, err := c.callPlain(ctx, "generate geo-replication keys (gsec_create)", []string{"gluster", "system::", "execute", "gsec_create"})
	return withHint(err, "gsec_create needs glusterd running on every primary node, and ssh-keygen installed.", nil)
}

// CreateOptions tune CreateSession.
type CreateOptions struct {
	// SSHPort is the secondary's sshd port; 22 when zero.
	SSHPort int
	// Force creates the session even when gluster's checks (secondary
	// size, existing data) fail, and re-creates an existing one.
	Force bool
}

// CreateSession runs `create ssh-port N push-pem [force]` and then always
// `config ssh_port N`, because create does not save the port. push-pem
// returns before its hook has installed the keys on the secondary: call
// WaitForKeys before starting the session.
func (c *Client) CreateSession(ctx context.Context, ref SessionRef, opts CreateOptions) error {
	if err := ref.Validate(); err != nil {
		return err
	}
	port := opts.SSHPort
	if port == 0 {
		port = 22
	}
	if port < 1 || port > 65535 {
		return invalid("ssh port %d is out of range", port)
	}
	args := []string{"create", "ssh-port", strconv.Itoa(port), "push-pem"}
	if opts.Force {
		args = append(args, "force")
	}
	err := c.callAction(ctx, "create geo-replication session "+ref.String(), georepArgv(true, true, ref, args...))
	if err != nil {
		err = withHint(err, fmt.Sprintf(
			"Check that volume %s exists and is started on %s, that root on %s can ssh to %s@%s on port %d without a password, and that CreateSecret (gsec_create) ran on the primary.",
			ref.SecondaryVolume, ref.SecondaryHost, c.Host(), ref.User(), ref.SecondaryHost, port), nil)
		return withHint(err, "The session exists already: import it, or create with force to re-create it.", ErrAlreadyExists)
	}
	return c.ConfigSet(ctx, ref, "ssh_port", strconv.Itoa(port))
}

// Start starts the session; one that is started already is fine. The exit
// code does not prove the workers run: check Status (or use
// RunCheckpointCycle, which does).
func (c *Client) Start(ctx context.Context, ref SessionRef, force bool) error {
	err := c.georepAction(ctx, ref, "start geo-replication session", false, force, "start")
	if isKind(err, ErrAlreadyStarted) {
		return nil
	}
	return err
}

// Stop stops the session; one that is stopped already is fine (the CLI
// then exits 0 with opErrstr "geo-replication is not set up").
func (c *Client) Stop(ctx context.Context, ref SessionRef, force bool) error {
	err := c.georepAction(ctx, ref, "stop geo-replication session", true, force, "stop")
	if isKind(err, ErrAlreadyStopped) {
		return nil
	}
	return err
}

// Pause pauses a started session; one that is paused already is fine.
func (c *Client) Pause(ctx context.Context, ref SessionRef, force bool) error {
	err := c.georepAction(ctx, ref, "pause geo-replication session", false, force, "pause")
	if errorSays(err, "already paused") {
		return nil
	}
	return err
}

// Resume resumes a paused session; one that is not paused is fine.
func (c *Client) Resume(ctx context.Context, ref SessionRef, force bool) error {
	err := c.georepAction(ctx, ref, "resume geo-replication session", false, force, "resume")
	if errorSays(err, "is not paused", "not in paused state") {
		return nil
	}
	return err
}

// DeleteOptions tune Delete.
type DeleteOptions struct {
	// ResetSyncTime forgets how far the session had synced, so that a new
	// session to the same secondary starts with a full crawl.
	ResetSyncTime bool
}

// Delete deletes a stopped session. A missing one gives ErrNoSession.
func (c *Client) Delete(ctx context.Context, ref SessionRef, opts DeleteOptions) error {
	if err := ref.Validate(); err != nil {
		return err
	}
	args := []string{"delete"}
	if opts.ResetSyncTime {
		args = append(args, "reset-sync-time")
	}
	err := c.callAction(ctx, "delete geo-replication session "+ref.String(), georepArgv(true, true, ref, args...))
	return withHint(err, "Stop the session before deleting it.", nil)
}

func (c *Client) georepAction(ctx context.Context, ref SessionRef, what string, script, force bool, verb string) error {
	if err := ref.Validate(); err != nil {
		return err
	}
	args := []string{verb}
	if force {
		args = append(args, "force")
	}
	return c.callAction(ctx, what+" "+ref.String(), georepArgv(script, true, ref, args...))
}

// errorSays reports whether err is a gluster *Error whose message contains
// one of subs (case-insensitive).
func errorSays(err error, subs ...string) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	text := strings.ToLower(e.OpErrstr + "\n" + e.Stderr + "\n" + e.Stdout)
	for _, s := range subs {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}
