package georep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// Session is one geo-replication session and the way to its nodes: the
// caller's own connections (Hosts), the primary node whose gluster CLI
// runs the session, and the session's reference.
type Session struct {
	Hosts   Hosts
	Primary string
	Ref     gluster.SessionRef
	// Log receives the changes Apply makes and the retries of a busy
	// glusterd; nil discards them.
	Log *slog.Logger
}

func (s Session) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

func (s Session) gluster() *gluster.Client {
	return gluster.New(s.Hosts.Runner(s.Primary), gluster.WithLogger(s.log()))
}

// View is a session as observed.
type View struct {
	Exists bool
	// State is what the workers do; Status is the status as read, nil when
	// the session does not exist.
	State  State
	Status *gluster.SessionStatus
	// Config is gsyncd's config, as it prints it.
	Config map[string]string
	// PinsInUse: gsyncd's ssh options point at the pinned known_hosts file.
	PinsInUse bool
	// PinnedKeys are the lines that file holds on the first primary node
	// that runs a worker; nil when the pins are not in use.
	PinnedKeys []string
	// Pinned: the pins are in use, and every primary node that runs a
	// worker holds exactly the keys the caller's own SSH verifies for the
	// secondary nodes now, at the session's ssh_port.
	Pinned bool
	// RolloverSeconds is the primary volume's changelog rollover time.
	RolloverSeconds int
	// TarBlocking is the blocking factor that the secondary nodes force
	// for the primary's tar keys, or gluster.TarKeyMissing or
	// gluster.TarCommandOther; TarErr says why it could not be read (e.g.
	// a secondary node did not answer), and Plan then leaves it alone.
	TarBlocking int
	TarErr      error
	// PinErr says why the pinned keys could not be compared with the
	// secondary nodes' keys (e.g. a secondary node did not answer). Pinned
	// is then false, which is not the same as the pinning being wrong: Plan
	// leaves it alone.
	PinErr error
}

// Observe reads the session: status, config and the pinned host keys. A
// session that does not exist is a View with Exists false, not an error.
func Observe(ctx context.Context, s Session) (View, error) {
	v := View{Config: map[string]string{}}
	c := s.gluster()
	st, err := c.Status(ctx, s.Ref)
	if errors.Is(err, gluster.ErrNoSession) {
		return v, nil
	}
	if err != nil {
		return v, err
	}
	v.Exists, v.Status, v.State = true, st, StateOf(st.Rollup)
	if v.Config, err = c.Config(ctx, s.Ref); err != nil {
		return v, err
	}
	rollover, err := c.Rollover(ctx, s.Ref.PrimaryVolume)
	if err != nil {
		return v, err
	}
	v.RolloverSeconds = int(rollover / time.Second)
	// The secondary volume is read once for both checks that need its nodes.
	secondaries, secondariesErr := secondaryHosts(ctx, s.Hosts, s.Ref)
	v.TarBlocking, v.TarErr = observeTarBlocking(ctx, s, c, secondaries, secondariesErr)
	if v.PinsInUse = Pinned(s.Ref, v.Config); v.PinsInUse {
		err = observePins(ctx, s, c, &v, secondaries, secondariesErr)
	}
	return v, err
}

// observePins reads the pinned keys on every primary node that runs a
// worker, and compares each copy with the keys expected now for the
// secondary nodes (secondariesErr: why they could not be listed).
func observePins(ctx context.Context, s Session, c *gluster.Client, v *View, secondaries []string, secondariesErr error) error {
	port, err := livePort(v.Config)
	if err != nil {
		return err
	}
	hosts, err := workerHosts(ctx, c, s.Ref, v.Status)
	if err != nil {
		return err
	}
	held := make([][]string, 0, len(hosts))
	for _, h := range hosts {
		lines, err := PinnedKeys(ctx, s.Hosts.Files(h), s.Ref)
		if err != nil {
			return err
		}
		held = append(held, lines)
	}
	v.PinnedKeys = held[0]
	if secondariesErr != nil {
		v.PinErr = fmt.Errorf("reading the secondary volume, to pin its nodes' host keys: %w", secondariesErr)
		return nil
	}
	want, err := hostKeyLines(ctx, s.Hosts, secondaries, port)
	if err != nil {
		v.PinErr = err
		return nil
	}
	v.Pinned = true
	for _, lines := range held {
		v.Pinned = v.Pinned && SameKnownHosts(lines, want)
	}
	return nil
}

// livePort is the session's ssh_port; 22 when gsyncd does not print one.
func livePort(config map[string]string) (int, error) {
	v, ok := config["ssh_port"]
	if !ok {
		return 22, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("gsyncd config ssh_port = %q is not a port number", v)
	}
	return n, nil
}

// Delete stops the session (with force when a plain stop fails, e.g. the
// secondary is unreachable), deletes it, and removes the pinned keys from
// every primary node that runs a worker. A session already gone is fine.
func Delete(ctx context.Context, s Session, resetSyncTime bool) error {
	c := s.gluster()
	if err := c.Stop(ctx, s.Ref, false); err != nil && !errors.Is(err, gluster.ErrNoSession) {
		s.log().Warn("stopping the session failed; stopping it with force", "session", s.Ref.String(), "error", err)
		if err := c.Stop(ctx, s.Ref, true); err != nil && !errors.Is(err, gluster.ErrNoSession) {
			return err
		}
	}
	err := c.Delete(ctx, s.Ref, gluster.DeleteOptions{ResetSyncTime: resetSyncTime})
	if err != nil && !errors.Is(err, gluster.ErrNoSession) {
		return err
	}
	n, err := NodesFor(ctx, s.Hosts, c, s.Ref)
	if err != nil {
		return err
	}
	return RemovePinned(ctx, n.PrimaryFiles, s.Ref)
}
