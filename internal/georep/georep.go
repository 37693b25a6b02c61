// Package georep sets up and inspects one geo-replication session as a
// whole: keys, push-pem, the wait for the keys at the secondary, the SSH
// port, host keys pinned for gsyncd, and the config. The Terraform resource,
// the CLI and the lab all set sessions up through it.
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
	Ref     gluster.SessionRef
	SSHPort int // 22 when zero
	// Config holds gsyncd config values to set, e.g. sync_method=tarssh.
	// ssh_port, ssh_options and ssh_options_tar are managed here and are
	// refused in it.
	Config map[string]string
	// HostKeys pins the secondary nodes' host keys for gsyncd, as
	// known_hosts lines. Empty only with InsecureSkipHostKeyPinning.
	HostKeys []string
	// InsecureSkipHostKeyPinning leaves gsyncd's own SSH options alone,
	// which use StrictHostKeyChecking=no.
	InsecureSkipHostKeyPinning bool
}

// managedKeys are the config keys Create and Pin own.
var managedKeys = []string{"ssh_port", "ssh_options", "ssh_options_tar"}

// Validate checks the spec before anything runs.
func (s Spec) Validate() error {
	if err := s.Ref.Validate(); err != nil {
		return err
	}
	if s.SSHPort < 0 || s.SSHPort > 65535 {
		return fmt.Errorf("ssh port %d is out of range 1-65535", s.SSHPort)
	}
	for _, k := range managedKeys {
		if _, ok := s.Config[k]; ok {
			return fmt.Errorf("config %s is managed by glusterdr (ssh_port and host key pinning); set it through the spec", k)
		}
	}
	if len(s.HostKeys) == 0 && !s.InsecureSkipHostKeyPinning {
		return fmt.Errorf("no host keys to pin for the secondary nodes of %s; gsyncd would not verify them. "+
			"Give the keys, or opt out explicitly with InsecureSkipHostKeyPinning", s.Ref)
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
// gluster CLI, every primary node's files (for the pinned known_hosts) and
// a secondary node (to see the keys arrive).
type Nodes struct {
	Primary      *gluster.Client
	PrimaryFiles []remote.Files
	Secondary    remote.Runner
}

// Create sets the session up from nothing, in the order that works:
// gsec_create, create push-pem, wait until the keys reached the secondary,
// ssh_port, pinned host keys, then the rest of the config.
func Create(ctx context.Context, n Nodes, s Spec) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := n.Primary.CreateSecret(ctx); err != nil {
		return err
	}
	if err := n.Primary.CreateSession(ctx, s.Ref, gluster.CreateOptions{SSHPort: s.port(), Force: true}); err != nil {
		return err
	}
	if err := n.Primary.WaitForKeys(ctx, s.Ref, n.Secondary); err != nil {
		return err
	}
	return Configure(ctx, n, s)
}

// Configure brings an existing session's config to the spec: port, host key
// pinning and the user's values.
func Configure(ctx context.Context, n Nodes, s Spec) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := n.Primary.ConfigSet(ctx, s.Ref, "ssh_port", strconv.Itoa(s.port())); err != nil {
		return err
	}
	if !s.InsecureSkipHostKeyPinning {
		if err := PinHostKeys(ctx, n, s.Ref, s.HostKeys); err != nil {
			return err
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Config)) {
		if err := n.Primary.ConfigSet(ctx, s.Ref, k, s.Config[k]); err != nil {
			return err
		}
	}
	return nil
}
