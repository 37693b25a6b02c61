package peercluster

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// Volume is one volume of the pool as declared: how it is made, its
// options, and whether it is meant to be stopped.
type Volume struct {
	gluster.VolumeSpec
	Options map[string]string
	Stopped bool
}

// Conflict says why two volumes cannot live in one pool: the same name, or
// a brick of one that is a brick of the other or lies inside one (gluster
// refuses a brick nested in another). Empty names and bricks are not
// compared, so a half-known plan can be checked.
func Conflict(a, b gluster.VolumeSpec) error {
	if a.Name != "" && a.Name == b.Name {
		return fmt.Errorf("volume name %q is declared twice; each volume of the pool needs its own", a.Name)
	}
	for _, x := range a.Bricks {
		for _, y := range b.Bricks {
			if nested(x, y) || nested(y, x) {
				return fmt.Errorf("brick %s of volume %q and brick %s of volume %q overlap; give each volume its own brick folders", y, b.Name, x, a.Name)
			}
		}
	}
	return nil
}

// nested reports whether brick in is brick outer or a folder inside it.
func nested(in, outer gluster.Brick) bool {
	if in.Host == "" || in.Host != outer.Host || in.Path == "" || outer.Path == "" {
		return false
	}
	p, o := path.Clean(in.Path), path.Clean(outer.Path)
	return p == o || strings.HasPrefix(p, strings.TrimSuffix(o, "/")+"/")
}

// SameLayout reports whether two declarations make the same volume: type,
// replica count and bricks in order. Anything else changes in place.
func SameLayout(a, b gluster.VolumeSpec) bool {
	return typeOf(a.Type) == typeOf(b.Type) && replicaOf(a) == replicaOf(b) && slices.Equal(a.Bricks, b.Bricks)
}

func typeOf(t gluster.VolumeType) gluster.VolumeType {
	if t == "" {
		return gluster.Distribute
	}
	return t
}

func replicaOf(s gluster.VolumeSpec) int {
	if typeOf(s.Type) == gluster.Distribute {
		return 1
	}
	return s.Replica
}

// matches checks that a live volume is laid out as declared, before it is
// adopted.
func matches(live *gluster.Volume, want gluster.VolumeSpec) error {
	have := gluster.VolumeSpec{Type: live.Type, Replica: live.Replica, Bricks: live.Bricks}
	if live.Type == gluster.DistributedReplicate {
		have.Type = gluster.Replicate
	}
	if SameLayout(have, want) {
		return nil
	}
	return fmt.Errorf("volume %q exists as %s replica %d with bricks %v, not as declared (%s replica %d, bricks %v); "+
		"declare it as it is, or delete it first if it is really unwanted",
		want.Name, live.Type, live.Replica, live.Bricks, typeOf(want.Type), replicaOf(want), want.Bricks)
}

// EnsureVolume creates v if it is missing, starts it and sets its options,
// then stops it if v is meant to be stopped. An existing volume is taken as
// it is: this also repairs a half-built site.
func EnsureVolume(ctx context.Context, c *gluster.Client, v Volume) error {
	live, err := volumeInfo(ctx, c, v.Name)
	if err != nil {
		return err
	}
	return ensure(ctx, c, live, v)
}

// EnsureStore is EnsureVolume for a store volume, which may have been made
// by hand before it was declared: an existing one is adopted only when it
// is laid out as declared.
func EnsureStore(ctx context.Context, c *gluster.Client, v Volume) error {
	live, err := volumeInfo(ctx, c, v.Name)
	if err != nil {
		return err
	}
	if live != nil {
		if err := matches(live, v.VolumeSpec); err != nil {
			return fmt.Errorf("on %s: %w", c.Host(), err)
		}
	}
	return ensure(ctx, c, live, v)
}

func ensure(ctx context.Context, c *gluster.Client, live *gluster.Volume, v Volume) error {
	if live == nil {
		if err := c.CreateVolume(ctx, v.VolumeSpec); err != nil {
			return err
		}
	}
	if err := c.StartVolume(ctx, v.Name); err != nil {
		return err
	}
	if err := c.SetOptions(ctx, v.Name, v.Options); err != nil {
		return err
	}
	if v.Stopped {
		return c.StopVolume(ctx, v.Name)
	}
	return nil
}

// Converge changes an existing volume in place from have to want: options
// set and reset, then started or stopped. It returns the user-defined
// options it left in place, which gluster cannot reset.
func Converge(ctx context.Context, c *gluster.Client, have, want Volume) (left []string, err error) {
	set, reset := OptionChanges(have.Options, want.Options)
	if err := c.SetOptions(ctx, want.Name, set); err != nil {
		return nil, err
	}
	for _, k := range reset {
		if IsUserOption(k) {
			left = append(left, k)
			continue
		}
		if err := c.ResetOption(ctx, want.Name, k); err != nil {
			return left, err
		}
	}
	switch {
	case want.Stopped == have.Stopped:
	case want.Stopped:
		err = c.StopVolume(ctx, want.Name)
	default:
		err = c.StartVolume(ctx, want.Name)
	}
	return left, err
}

// OptionChanges lists the options to set (new or changed) and to reset (no
// longer declared) to go from have to want.
func OptionChanges(have, want map[string]string) (set map[string]string, reset []string) {
	set = map[string]string{}
	for k, v := range want {
		if cur, ok := have[k]; !ok || cur != v {
			set[k] = v
		}
	}
	for k := range have {
		if _, ok := want[k]; !ok {
			reset = append(reset, k)
		}
	}
	slices.Sort(reset)
	return set, reset
}

// IsUserOption reports a user-defined option, "user.<anything>".
func IsUserOption(k string) bool { return strings.HasPrefix(k, "user.") }

// Replaced names the stores of have that going to want deletes: those no
// longer declared, and those whose layout changed (made again).
func Replaced(have, want []Volume) []string {
	var out []string
	for _, h := range have {
		i := slices.IndexFunc(want, func(w Volume) bool { return w.Name == h.Name })
		if i < 0 || !SameLayout(h.VolumeSpec, want[i].VolumeSpec) {
			out = append(out, h.Name)
		}
	}
	return out
}

// UpdateStores brings the stores from have to want, matched by name: the
// Replaced ones are stopped and deleted, the new and the replaced ones are
// created (EnsureStore), and the others converge in place. It returns the
// user-defined options left in place, as `<option> of volume "<name>"`.
func UpdateStores(ctx context.Context, c *gluster.Client, have, want []Volume) (left []string, err error) {
	gone := Replaced(have, want)
	for _, name := range gone {
		if err := RemoveVolume(ctx, c, name); err != nil {
			return left, err
		}
	}
	for _, w := range want {
		i := slices.IndexFunc(have, func(h Volume) bool { return h.Name == w.Name })
		if i < 0 || slices.Contains(gone, w.Name) {
			if err := EnsureStore(ctx, c, w); err != nil {
				return left, err
			}
			continue
		}
		kept, err := Converge(ctx, c, have[i], w)
		for _, k := range kept {
			left = append(left, LeftOption(w.Name, k))
		}
		if err != nil {
			return left, err
		}
	}
	return left, nil
}

// LeftOption names an option of a volume in messages.
func LeftOption(volume, option string) string { return fmt.Sprintf("%s of volume %q", option, volume) }

// RemoveVolume stops and deletes a volume; one already gone is fine. The
// files stay in the brick folders.
func RemoveVolume(ctx context.Context, c *gluster.Client, name string) error {
	if err := c.StopVolume(ctx, name); err != nil && !errors.Is(err, gluster.ErrNotFound) {
		return err
	}
	if err := c.DeleteVolume(ctx, name); err != nil && !errors.Is(err, gluster.ErrNotFound) {
		return err
	}
	return nil
}

// Remove takes a site down: it removes the volumes in order (RemoveVolume),
// and only then detaches the other nodes, which gluster refuses while they
// hold a brick.
func Remove(ctx context.Context, c *gluster.Client, others []string, volumes ...string) error {
	for _, v := range volumes {
		if err := RemoveVolume(ctx, c, v); err != nil {
			return err
		}
	}
	for _, n := range others {
		if err := c.Detach(ctx, n, false); err != nil {
			return err
		}
	}
	return nil
}

// HeldError refuses to detach a node that holds bricks of a volume.
type HeldError struct {
	Node, Volume string
	Bricks       []string
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("node %s holds the bricks %s of volume %q", e.Node, strings.Join(e.Bricks, ", "), e.Volume)
}

// DetachNodes detaches nodes from the pool. Before detaching any, it reads
// the volumes and returns a *HeldError when one of the nodes holds a brick
// of one of them. A volume that does not exist holds nothing.
func DetachNodes(ctx context.Context, c *gluster.Client, nodes []string, volumes ...string) error {
	for _, name := range volumes {
		v, err := volumeInfo(ctx, c, name)
		if err != nil {
			return fmt.Errorf("reading the bricks of volume %q before detaching nodes: %w", name, err)
		}
		for _, n := range nodes {
			if held := bricksOn(v, n); len(held) > 0 {
				return &HeldError{Node: n, Volume: name, Bricks: held}
			}
		}
	}
	for _, n := range nodes {
		if err := c.Detach(ctx, n, false); err != nil {
			return err
		}
	}
	return nil
}

// bricksOn lists the bricks of v that live on node.
func bricksOn(v *gluster.Volume, node string) []string {
	var out []string
	if v == nil {
		return nil
	}
	for _, b := range v.Bricks {
		if b.Host == node {
			out = append(out, b.String())
		}
	}
	return out
}

// volumeInfo is the volume, or nil when it does not exist.
func volumeInfo(ctx context.Context, c *gluster.Client, name string) (*gluster.Volume, error) {
	v, err := c.VolumeInfo(ctx, name)
	if errors.Is(err, gluster.ErrNotFound) {
		return nil, nil
	}
	return v, err
}
