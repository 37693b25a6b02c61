package georep

import (
	"context"
	"fmt"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// Apply makes the planned changes, in order, and logs each. What it needs
// from the other nodes (the files of the primary nodes, the secondary
// nodes' host keys) it gathers once, on first use.
func Apply(ctx context.Context, s Session, want Spec, changes []Change) error {
	if err := s.Ref.Validate(); err != nil {
		return err
	}
	if err := want.Validate(); err != nil {
		return err
	}
	a := &applier{s: s, want: want, c: s.gluster()}
	for _, ch := range changes {
		s.log().Info("changing the geo-replication session", "session", s.Ref.String(),
			"what", ch.What, "key", ch.Key, "from", ch.From, "to", ch.To)
		if err := a.apply(ctx, ch); err != nil {
			return err
		}
	}
	return nil
}

// applier is one Apply.
type applier struct {
	s     Session
	want  Spec
	c     *gluster.Client
	nodes *Nodes
}

func (a *applier) apply(ctx context.Context, ch Change) error {
	ref := a.s.Ref
	switch ch.What {
	case ChangePort, ChangeConfig:
		return a.c.ConfigSet(ctx, ref, ch.Key, ch.To)
	case ChangeReset:
		return a.c.ConfigReset(ctx, ref, ch.Key)
	case ChangeRollover:
		return setRollover(ctx, a.c, ref, a.want.RolloverSeconds)
	case ChangeState:
		return SetState(ctx, a.c, ref, State(ch.To))
	case ChangeDelete:
		return Delete(ctx, a.s, a.want.ResetSyncTime)
	}
	n, err := a.gather(ctx)
	if err != nil {
		return err
	}
	switch ch.What {
	case ChangeCreate:
		return Create(ctx, n, ref, a.want)
	case ChangePin:
		return PinHostKeys(ctx, n, ref, a.want.HostKeys)
	case ChangeUnpin:
		return Unpin(ctx, n, ref)
	case ChangeTarBlocking:
		return SetTarBlocking(ctx, n, ref, a.want.TarBlocking)
	}
	return fmt.Errorf("unknown change %q to geo-replication session %s", ch.What, ref)
}

// gather reaches the nodes (the secondary ones when the spec sets the tar
// blocking factor) and, unless the spec opts out of pinning or
// names them, the keys to pin.
func (a *applier) gather(ctx context.Context) (Nodes, error) {
	if a.nodes != nil {
		return *a.nodes, nil
	}
	n, err := NodesFor(ctx, a.s.Hosts, a.c, a.s.Ref)
	if err != nil {
		return n, err
	}
	if a.want.TarBlocking != 0 {
		if n.SecondaryNodes, err = secondaryNodes(ctx, a.s.Hosts, a.s.Ref); err != nil {
			return n, err
		}
	}
	if len(a.want.HostKeys) == 0 && !a.want.InsecureSkipHostKeyPinning {
		if a.want.HostKeys, err = ExpectedHostKeys(ctx, a.s.Hosts, a.s.Ref, a.want.port()); err != nil {
			return n, err
		}
	}
	a.nodes = &n
	return n, nil
}
