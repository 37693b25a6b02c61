package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// observe reads the session into m: config, status, and whether host key
// pinning is in force. found is false when the session is gone.
func (r *georepSessionResource) observe(ctx context.Context, m *georepSessionModel, diags *diagnostics) (found bool) {
	ref := m.ref()
	primary := m.PrimaryNode.ValueString()
	c := r.data.gluster(primary)
	fail := func(err error) bool {
		addError(diags, fmt.Sprintf("Could not read geo-replication session %s on %s", ref, primary), timeoutHint(err, "read"))
		return false
	}
	st, err := c.Status(ctx, ref)
	if errors.Is(err, gluster.ErrNoSession) {
		return false
	}
	if err != nil {
		return fail(err)
	}
	live, err := c.Config(ctx, ref)
	if err != nil {
		return fail(err)
	}
	if err := m.observeConfig(live); err != nil {
		return fail(err)
	}
	m.observeStatus(st)
	if err := r.observePinning(ctx, m, st, live, diags); err != nil {
		return fail(err)
	}
	return true
}

// observePinning sets insecure_skip_host_key_pinning to whether pinning is
// NOT in force, and pinned_host_keys to what the first primary node holds.
// In force means: gsyncd's ssh options point at the pinned file, and every
// primary node's copy holds exactly the keys that the provider's own SSH
// connections verify for the secondary nodes now.
func (r *georepSessionResource) observePinning(ctx context.Context, m *georepSessionModel, st *gluster.SessionStatus, live map[string]string, diags *diagnostics) error {
	ref := m.ref()
	m.PinnedHostKeys = stringList(nil)
	if !georep.Pinned(ref, live) {
		m.InsecureSkipHostKeyPinning = types.BoolValue(true)
		return nil
	}
	var held [][]string
	for _, node := range primaryNodesOf(st, m.PrimaryNode.ValueString()) {
		lines, err := georep.PinnedKeys(ctx, r.data.files(node), ref)
		if err != nil {
			return err
		}
		held = append(held, lines)
	}
	m.PinnedHostKeys = stringList(held[0])
	want, err := r.expectedHostKeys(ctx, m)
	if err != nil {
		// The pinning cannot be checked, which is not the same as it
		// being wrong: keep what state says, and say why.
		diags.AddWarning("Pinned Host Keys Not Verified",
			fmt.Sprintf("gsyncd's ssh options of %s point at the pinned known_hosts file, but the keys in it could not be "+
				"compared with the secondary nodes' keys:\n\n%v", ref, err))
		if m.InsecureSkipHostKeyPinning.IsNull() || m.InsecureSkipHostKeyPinning.IsUnknown() {
			m.InsecureSkipHostKeyPinning = types.BoolValue(false)
		}
		return nil
	}
	inForce := true
	for _, lines := range held {
		inForce = inForce && georep.SameKnownHosts(lines, want)
	}
	m.InsecureSkipHostKeyPinning = types.BoolValue(!inForce)
	return nil
}

// nodes reaches the hosts the engine needs: the primary node's gluster,
// every primary brick host's files (for the pinned file), and the
// secondary node.
func (r *georepSessionResource) nodes(ctx context.Context, m *georepSessionModel) (georep.Nodes, error) {
	return georep.NodesFor(ctx, r.data.hosts(), r.data.gluster(m.PrimaryNode.ValueString()), m.ref())
}

// expectedHostKeys are the known_hosts lines to pin for gsyncd, with the
// keys the provider's own SSH handshakes verified (against known_hosts or
// host_keys), at the session's ssh_port.
func (r *georepSessionResource) expectedHostKeys(ctx context.Context, m *georepSessionModel) ([]string, error) {
	return georep.ExpectedHostKeys(ctx, r.data.hosts(), m.ref(), m.sshPort())
}

// primaryNodesOf lists the primary nodes that run the session's workers;
// just the primary node when there are none.
func primaryNodesOf(st *gluster.SessionStatus, primary string) []string {
	var nodes []string
	for _, w := range st.Workers {
		if w.PrimaryNode != "" && !slices.Contains(nodes, w.PrimaryNode) {
			nodes = append(nodes, w.PrimaryNode)
		}
	}
	if len(nodes) == 0 {
		nodes = []string{primary}
	}
	return nodes
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
