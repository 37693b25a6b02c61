package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

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
		inForce = inForce && sameLines(lines, want)
	}
	m.InsecureSkipHostKeyPinning = types.BoolValue(!inForce)
	return nil
}

// nodes reaches the hosts the engine needs: the primary node's gluster,
// every primary brick host's files (for the pinned file), and the
// secondary node.
func (r *georepSessionResource) nodes(ctx context.Context, m *georepSessionModel) (georep.Nodes, error) {
	primary := m.PrimaryNode.ValueString()
	c := r.data.gluster(primary)
	vol, err := c.VolumeInfo(ctx, m.PrimaryVolume.ValueString())
	if err != nil {
		return georep.Nodes{}, err
	}
	n := georep.Nodes{Primary: c, Secondary: r.data.runner(m.SecondaryNode.ValueString())}
	for _, h := range brickHosts(vol) {
		n.PrimaryFiles = append(n.PrimaryFiles, r.data.files(h))
	}
	return n, nil
}

// expectedHostKeys are the known_hosts lines to pin for gsyncd: the
// secondary node and every node that holds a brick of the secondary
// volume, each with the key that the provider's own SSH handshake verified
// (against known_hosts or host_keys), at the session's ssh_port.
func (r *georepSessionResource) expectedHostKeys(ctx context.Context, m *georepSessionModel) ([]string, error) {
	secondary := m.SecondaryNode.ValueString()
	vol, err := r.data.gluster(secondary).VolumeInfo(ctx, m.SecondaryVolume.ValueString())
	if err != nil {
		return nil, err
	}
	hosts := append([]string{secondary}, brickHosts(vol)...)
	slices.Sort(hosts)
	hosts = slices.Compact(hosts)
	lines := make([]string, 0, len(hosts))
	for _, h := range hosts {
		key, err := r.data.hostKey(ctx, h)
		if err != nil {
			return nil, fmt.Errorf("verifying the host key of secondary node %s: %w", h, err)
		}
		lines = append(lines, georep.KnownHostsLine(h, m.sshPort(), key))
	}
	return lines, nil
}

// brickHosts lists the distinct hosts of a volume's bricks, in order.
func brickHosts(v *gluster.Volume) []string {
	var hosts []string
	for _, b := range v.Bricks {
		if !slices.Contains(hosts, b.Host) {
			hosts = append(hosts, b.Host)
		}
	}
	return hosts
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

// sameLines compares known_hosts lines as sets, ignoring spacing.
func sameLines(a, b []string) bool {
	norm := func(lines []string) []string {
		out := make([]string, 0, len(lines))
		for _, l := range lines {
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
