// Package georep is the lifecycle of one geo-replication session: Observe
// reads it (status, config, host keys pinned for gsyncd), Plan lists the
// changes from what was observed to a Spec, Apply makes them (keys,
// push-pem, the wait for the keys at the secondary, the SSH port, the
// pinning, the config, the running state) and Delete removes it. The
// Terraform resource and the CLI both manage sessions through it; the lab
// and failback set sessions up with Create.
package georep

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Spec is a session as the user declares it.
type Spec struct {
	// State is the running state to bring the session to; empty leaves it
	// as it is (a new session is left stopped), Absent deletes the session.
	State   State
	SSHPort int // 22 when zero
	// Config holds gsyncd config values to set, e.g. sync_method=tarssh.
	// ssh_port, ssh_options and ssh_options_tar are managed here and are
	// refused in it.
	Config map[string]string
	// Reset holds keys to put back to gluster's default, each with that
	// default as gsyncd prints it (a key gsyncd does not print counts as
	// at its default).
	Reset map[string]string
	// HostKeys pins the secondary nodes' host keys for gsyncd, as
	// known_hosts lines. Apply fills it, when empty, with the keys the
	// caller's own SSH verifies (ExpectedHostKeys); Create needs it unless
	// InsecureSkipHostKeyPinning.
	HostKeys []string
	// InsecureSkipHostKeyPinning leaves gsyncd's own SSH options, which use
	// StrictHostKeyChecking=no; Apply takes an existing pinning away.
	InsecureSkipHostKeyPinning bool
	// ResetSyncTime, with Absent: delete with reset-sync-time, so that a
	// new session starts with a full crawl.
	ResetSyncTime bool
	// RolloverSeconds is the primary volume's changelog.rollover-time to
	// set (gluster.RolloverOption); zero leaves the volume as it is. It is
	// the volume's, shared by every session from it.
	RolloverSeconds int
	// TarBlocking is the blocking factor of the tar that extracts the
	// files on the secondary nodes, set in the forced command of gsyncd's
	// tar key there (gluster.TarCommand); zero leaves the nodes as they
	// are. The line belongs to the primary node's key, shared by every
	// session from the primary cluster to that secondary user.
	TarBlocking int
}

// managedKeys are the config keys Create and Pin own.
var managedKeys = []string{"ssh_port", "ssh_options", "ssh_options_tar"}

// Validate checks the spec before anything runs.
func (s Spec) Validate() error {
	if s.State != "" && s.State != Absent && !slices.Contains(States, s.State) {
		return fmt.Errorf("unknown session state %q; want started, stopped, paused or absent", s.State)
	}
	if s.SSHPort < 0 || s.SSHPort > 65535 {
		return fmt.Errorf("ssh port %d is out of range 1-65535", s.SSHPort)
	}
	if s.RolloverSeconds != 0 && (s.RolloverSeconds < MinRolloverSeconds || s.RolloverSeconds > MaxRolloverSeconds) {
		return fmt.Errorf("changelog rollover time %d s is out of range %d-%d", s.RolloverSeconds, MinRolloverSeconds, MaxRolloverSeconds)
	}
	if s.TarBlocking != 0 {
		if err := gluster.ValidTarBlocking(s.TarBlocking); err != nil {
			return err
		}
	}
	for _, k := range managedKeys {
		_, set := s.Config[k]
		_, reset := s.Reset[k]
		if set || reset {
			return fmt.Errorf("config %s is managed by glusterdr (ssh_port and host key pinning); set it through the spec", k)
		}
	}
	return nil
}

func (s Spec) port() int {
	if s.SSHPort == 0 {
		return 22
	}
	return s.SSHPort
}

// Nodes reach the hosts of a session: the primary node that runs the
// gluster CLI, the files of every primary node that runs a worker (for the
// pinned known_hosts) and a secondary node (to see the keys arrive). For a
// spec with TarBlocking, also every secondary node, whose authorized_keys
// holds the tar key's forced command.
type Nodes struct {
	Primary        *gluster.Client
	PrimaryFiles   []remote.Files
	Secondary      remote.Runner
	SecondaryNodes []Node
}

// Node is one host's commands and files.
type Node struct {
	Runner remote.Runner
	Files  remote.Files
}

// Create sets the session ref up from nothing, in the order that works:
// gsec_create, create push-pem, wait until the keys reached the secondary,
// ssh_port, pinned host keys, then the rest of the config. It leaves the
// session stopped.
func Create(ctx context.Context, n Nodes, ref gluster.SessionRef, s Spec) error {
	if err := checkCreate(ref, s); err != nil {
		return err
	}
	if err := n.Primary.CreateSecret(ctx); err != nil {
		return err
	}
	if err := n.Primary.CreateSession(ctx, ref, gluster.CreateOptions{SSHPort: s.port(), Force: true}); err != nil {
		return err
	}
	if err := n.Primary.WaitForKeys(ctx, ref, n.Secondary); err != nil {
		return err
	}
	if err := configure(ctx, n, ref, s); err != nil {
		return err
	}
	if err := SetTarBlocking(ctx, n, ref, s.TarBlocking); err != nil {
		return err
	}
	return setRollover(ctx, n.Primary, ref, s.RolloverSeconds)
}

// setRollover sets the primary volume's changelog rollover time; zero
// leaves it.
func setRollover(ctx context.Context, c *gluster.Client, ref gluster.SessionRef, seconds int) error {
	if seconds == 0 {
		return nil
	}
	return c.SetOptions(ctx, ref.PrimaryVolume, map[string]string{gluster.RolloverOption: strconv.Itoa(seconds)})
}

func checkCreate(ref gluster.SessionRef, s Spec) error {
	if err := ref.Validate(); err != nil {
		return err
	}
	if len(s.HostKeys) == 0 && !s.InsecureSkipHostKeyPinning {
		return fmt.Errorf("no host keys to pin for the secondary nodes of %s; gsyncd would not verify them. "+
			"Give the keys, or opt out explicitly with InsecureSkipHostKeyPinning", ref)
	}
	return s.Validate()
}

// configure brings an existing session's config to the spec: port, host key
// pinning and the user's values.
func configure(ctx context.Context, n Nodes, ref gluster.SessionRef, s Spec) error {
	if err := n.Primary.ConfigSet(ctx, ref, "ssh_port", strconv.Itoa(s.port())); err != nil {
		return err
	}
	if !s.InsecureSkipHostKeyPinning {
		if err := PinHostKeys(ctx, n, ref, s.HostKeys); err != nil {
			return err
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Config)) {
		if err := n.Primary.ConfigSet(ctx, ref, k, s.Config[k]); err != nil {
			return err
		}
	}
	return nil
}
