package schedule

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// buildPoints decodes a target's restore point settings. The store of a
// link-tree must be named: it is where a site's history goes, so no
// default folder could be right. The secondary volume is never a store:
// gsyncd rewrites its files in place, which would change older points
// through their hard links.
func (r *rawTarget) buildPoints(d *decoder, t Target) RestorePoints {
	name := func(attr string) string { return fmt.Sprintf("target %q %s", r.Name, attr) }
	p := RestorePoints{
		Method: attr(d, r.Points, name("restore_points"), DefaultPointMethod, oneOf(PointMethods)),
		Node:   attr(d, r.PointNode, name("restore_point_node"), t.VerifyNode, validHost),
		Store:  attr(d, r.PointStore, name("restore_point_store"), "", storePath),
		Volume: attr(d, r.PointVolume, name("restore_point_volume"), "", validVolume),
	}
	switch p.Method {
	case PointsLinkTree:
		r.checkLinkTree(d, p, t)
	default:
		for _, x := range []struct {
			expr hcl.Expression
			attr string
		}{{r.PointStore, "restore_point_store"}, {r.PointVolume, "restore_point_volume"}} {
			if d.isSet(x.expr) {
				d.errorAt(x.expr.Range(), "Invalid Schedule Setting", fmt.Sprintf(
					"%s: only a link-tree store has one; restore_points is %q.", name(x.attr), p.Method))
			}
		}
	}
	return p
}

func (r *rawTarget) checkLinkTree(d *decoder, p RestorePoints, t Target) {
	name := func(attr string) string { return fmt.Sprintf("target %q %s", r.Name, attr) }
	switch {
	case !d.isSet(r.PointStore):
		d.errorAt(r.Points.Range(), "Missing Restore Point Store", fmt.Sprintf(
			"%s: restore_points = %q keeps a whole tree per point in a store at the site; name it, e.g. "+
				"restore_point_store = \"/srv/glusterdr/points\" (a folder on restore_point_node, outside the bricks of %s), "+
				"or a folder inside restore_point_volume.", name("restore_point_store"), PointsLinkTree, t.SecondaryVolume))
	case p.Store == "/" && p.Volume == "":
		d.errorAt(r.PointStore.Range(), "Invalid Schedule Setting", fmt.Sprintf(
			"%s: \"/\" is the root folder of %s; give the store a folder of its own.", name("restore_point_store"), p.Node))
	}
	if p.Volume != "" && p.Volume == t.SecondaryVolume {
		d.errorAt(r.PointVolume.Range(), "Invalid Schedule Setting", fmt.Sprintf(
			"%s: %q is the geo-replication secondary volume. gsyncd rewrites its files in place, which would "+
				"change older points through their hard links; use another volume of the site's pool.",
			name("restore_point_volume"), p.Volume))
	}
}

// withDefaults fills in what a Target built in code may leave out: no
// method is none, and the node is the target's verify node.
func (p RestorePoints) withDefaults(t Target) RestorePoints {
	if p.Method == "" {
		p.Method = DefaultPointMethod
	}
	if p.Node == "" {
		p.Node = t.VerifyNode
	}
	return p
}

// storePath is validPath, or "/": the root of restore_point_volume
// (checkLinkTree refuses it without one).
func storePath(p string) error {
	if p == "/" {
		return nil
	}
	return validPath(p)
}
