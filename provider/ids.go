package provider

import (
	"fmt"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
)

// peerClusterID is "<first node>/<volume>".
func peerClusterID(node, volume string) string { return node + "/" + volume }

// parsePeerClusterID reads "<node>/<volume>", checking both halves the way
// the schema's validators would.
func parsePeerClusterID(id string) (node, volume string, err error) {
	node, volume, ok := strings.Cut(id, "/")
	if !ok || strings.Contains(volume, "/") {
		return "", "", fmt.Errorf("%q is not <node>/<volume>, e.g. 203.0.113.21/global-dr", id)
	}
	if err := gluster.ValidHost(node); err != nil {
		return "", "", fmt.Errorf("id %q: node: %s", id, plainReason(err))
	}
	if err := gluster.ValidVolumeName(volume); err != nil {
		return "", "", fmt.Errorf("id %q: volume: %s", id, plainReason(err))
	}
	return node, volume, nil
}

// sessionID is "<primary node>/<primary volume>/<secondary>", where the
// secondary is spelled as gluster's CLI spells it: [user@]host::volume.
func sessionID(primaryNode string, ref gluster.SessionRef) string {
	return primaryNode + "/" + ref.PrimaryVolume + "/" + ref.Secondary()
}

// parseSessionID reads a session id back into the primary node and the
// session's reference.
func parseSessionID(id string) (primaryNode string, ref gluster.SessionRef, err error) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 {
		return "", ref, fmt.Errorf("%q is not <primary node>/<primary volume>/[<user>@]<secondary node>::<secondary volume>, "+
			"e.g. 203.0.113.10/global/203.0.113.21::global-dr", id)
	}
	if err := gluster.ValidHost(parts[0]); err != nil {
		return "", ref, fmt.Errorf("id %q: primary node: %s", id, plainReason(err))
	}
	ref, err = gluster.ParseSecondary(parts[1], parts[2])
	if err != nil {
		return "", ref, fmt.Errorf("id %q: %s", id, plainReason(err))
	}
	return parts[0], ref, nil
}

// scheduleID is "<controller node><path>": the path is absolute, so the
// first '/' ends the node.
func scheduleID(node, p string) string { return node + p }

// parseScheduleID reads "<controller node>/<path without its leading />".
func parseScheduleID(id string) (node, p string, err error) {
	node, rest, ok := strings.Cut(id, "/")
	if !ok || rest == "" {
		return "", "", fmt.Errorf("%q is not <controller node><absolute path>, e.g. ctl.example.org/etc/glusterdr/schedule.hcl", id)
	}
	if err := gluster.ValidHost(node); err != nil {
		return "", "", fmt.Errorf("id %q: controller node: %s", id, plainReason(err))
	}
	p = "/" + rest
	if err := valid.Path(p); err != nil {
		return "", "", fmt.Errorf("id %q: path: %v", id, err)
	}
	return node, p, nil
}
