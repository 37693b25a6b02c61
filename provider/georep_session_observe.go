package provider

import (
	"context"
	"fmt"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
)

// session is the session m names, reached over the provider's pooled
// connections.
func (r *georepSessionResource) session(m *georepSessionModel) georep.Session {
	return georep.Session{Hosts: r.data.hosts(), Primary: m.PrimaryNode.ValueString(), Ref: m.ref(), Log: r.data.log}
}

// observe reads the session through the engine into m: config, status,
// and whether host key pinning is in force. found is false when the
// session is gone.
func (r *georepSessionResource) observe(ctx context.Context, m *georepSessionModel, diags *diagnostics) (found bool) {
	s := r.session(m)
	v, err := georep.Observe(ctx, s)
	if err == nil && v.Exists {
		err = m.observe(v)
	}
	if err != nil {
		addError(diags, fmt.Sprintf("Could not read geo-replication session %s on %s", s.Ref, s.Primary), timeoutHint(err, "read"))
		return false
	}
	if v.PinErr != nil {
		diags.AddWarning("Pinned Host Keys Not Verified",
			fmt.Sprintf("gsyncd's ssh options of %s point at the pinned known_hosts file, but the keys in it could not be "+
				"compared with the secondary nodes' keys:\n\n%v", s.Ref, v.PinErr))
	}
	if v.TarErr != nil {
		diags.AddWarning("Tar Blocking Factor Not Read",
			fmt.Sprintf("The forced command of gsyncd's tar key on the secondary nodes of %s could not be read, so "+
				"tar_blocking_factor keeps its last known value:\n\n%v", s.Ref, v.TarErr))
	}
	return v.Exists
}
