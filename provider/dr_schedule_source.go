package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// scheduleSource is a dr_schedule configuration written as a schedule file
// with only the values that are set and known. internal/schedule then
// fills in the defaults and runs its checks on it exactly as the nightly
// engine does on the controller: cron, time zone, retention counts, hosts,
// enums, paths and what only makes sense together all have one source.
type scheduleSource struct {
	src []byte
	// targets maps each target block, in order, to its index in the list.
	targets []int
	// unknown are the attributes left out because their value is not known
	// yet; checks about them wait for apply.
	unknown []path.Path
}

// scheduleFileName names the rendered source in hcl's diagnostics, which
// are mapped back to attributes before anyone sees them.
const scheduleFileName = "dr_schedule.hcl"

// topLevelAttrs are the file's top-level attributes, in the file's order.
var topLevelAttrs = []string{"cron", "time_zone", "rotation", "checkpoint_timeout", "checkpoint_stall_after",
	"run_timeout", "sample_files", "drill_every", "state_dir", "lock_file", "metrics_file"}

// emptyIsUnset are the attributes whose empty value means "none", as
// schedule.Encode writes them: left out of the file.
var emptyIsUnset = map[string]bool{"etcd.cacert": true, "etcd.cert": true, "etcd.key": true, "provisioning.image_ref": true}

// blockAttrs are the file's blocks that are single objects here.
var blockAttrs = []string{"primary", "ssh", "retention", "etcd", "cluster_dump", "provisioning"}

func renderScheduleSource(m *scheduleModel) scheduleSource {
	var s scheduleSource
	f := hclwrite.NewEmptyFile()
	root := f.Body()
	values := m.scheduleAttrs()
	for _, name := range topLevelAttrs {
		s.setAttr(root, name, values[name], path.Root(name))
	}
	for _, name := range blockAttrs {
		s.writeBlock(root, name, nil, values[name], path.Root(name), "")
	}
	switch {
	case m.Targets.IsUnknown():
		s.unknown = append(s.unknown, path.Root("targets"))
	case !m.Targets.IsNull():
		for i, e := range m.Targets.Elements() {
			p := path.Root("targets").AtListIndex(i)
			obj, ok := e.(basetypes.ObjectValue)
			if !ok || obj.IsUnknown() || obj.IsNull() {
				s.unknown = append(s.unknown, p)
				continue
			}
			name, _ := obj.Attributes()["name"].(basetypes.StringValue)
			if name.IsUnknown() || name.IsNull() {
				s.unknown = append(s.unknown, p)
				continue
			}
			s.writeBlock(root, "target", []string{name.ValueString()}, obj, p, "name")
			s.targets = append(s.targets, i)
		}
	}
	s.src = f.Bytes()
	return s
}

// writeBlock writes a block from a known object, leaving out skip.
func (s *scheduleSource) writeBlock(parent *hclwrite.Body, kind string, labels []string, v attr.Value, p path.Path, skip string) {
	if v.IsNull() {
		return
	}
	obj, ok := v.(basetypes.ObjectValue)
	if !ok || v.IsUnknown() {
		s.unknown = append(s.unknown, p)
		return
	}
	body := parent.AppendNewBlock(kind, labels).Body()
	attrs := obj.Attributes()
	names := make([]string, 0, len(attrs))
	for k := range attrs {
		if k != skip {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		if nested, ok := nestedBlocks[kind+"."+k]; ok {
			s.writeNested(body, nested, attrs[k], p.AtName(k))
			continue
		}
		s.setAttr(body, k, attrs[k], p.AtName(k))
	}
}

// writeNested writes a map of objects as one labelled block per key, in
// key order: ssh's nodes as its node "<name>" blocks.
func (s *scheduleSource) writeNested(parent *hclwrite.Body, kind string, v attr.Value, p path.Path) {
	if v == nil || v.IsNull() {
		return
	}
	m, ok := v.(basetypes.MapValue)
	if !ok || m.IsUnknown() {
		s.unknown = append(s.unknown, p)
		return
	}
	elems := m.Elements()
	for _, key := range sortedKeys(elems) {
		s.writeBlock(parent, kind, []string{key}, elems[key], p.AtMapKey(key), "")
	}
}

// setAttr writes one value; null is left out (the file's default applies)
// and unknown is noted.
func (s *scheduleSource) setAttr(body *hclwrite.Body, name string, v attr.Value, p path.Path) {
	if v == nil || v.IsNull() {
		return
	}
	if v.IsUnknown() {
		s.unknown = append(s.unknown, p)
		return
	}
	switch x := v.(type) {
	case basetypes.StringValue:
		if x.ValueString() == "" && emptyIsUnset[p.String()] {
			return
		}
		body.SetAttributeValue(name, cty.StringVal(x.ValueString()))
	case basetypes.Int64Value:
		body.SetAttributeValue(name, cty.NumberIntVal(x.ValueInt64()))
	case basetypes.ListValue:
		var vals []cty.Value
		for _, e := range x.Elements() {
			str, ok := e.(basetypes.StringValue)
			if !ok || str.IsUnknown() || str.IsNull() {
				s.unknown = append(s.unknown, p)
				return
			}
			vals = append(vals, cty.StringVal(str.ValueString()))
		}
		if len(vals) == 0 {
			body.SetAttributeValue(name, cty.ListValEmpty(cty.String))
		} else {
			body.SetAttributeValue(name, cty.ListVal(vals))
		}
	}
}

// parse checks the source as the engine would check the file. The
// schedule is nil when there are errors.
func (s scheduleSource) parse() (*schedule.Schedule, diag.Diagnostics) {
	sched, hd := schedule.Parse(scheduleFileName, s.src)
	return sched, s.diagnostics(hd)
}

// encoded is the canonical file of a parsed schedule and its sha256.
func encoded(s *schedule.Schedule) ([]byte, string) {
	content := schedule.Encode(s)
	return content, sha256Hex(content)
}

// diagnostics turns the file's diagnostics into attribute diagnostics.
// Those about a value that is not known yet are dropped.
func (s scheduleSource) diagnostics(hd hcl.Diagnostics) diag.Diagnostics {
	var out diag.Diagnostics
	body, _ := hclsyntax.ParseConfig(s.src, scheduleFileName, hcl.InitialPos)
	var syntax *hclsyntax.Body
	if body != nil {
		syntax, _ = body.Body.(*hclsyntax.Body)
	}
	for _, d := range hd {
		p, fileName, found := s.locate(syntax, d.Subject)
		if s.isUnknown(p, found) {
			continue
		}
		detail := d.Detail
		if found {
			detail = "Attribute " + p.String() + ": " + strings.TrimPrefix(detail, fileName+": ")
		}
		switch {
		case found && d.Severity == hcl.DiagError:
			out.AddAttributeError(p, d.Summary, detail)
		case found:
			out.AddAttributeWarning(p, d.Summary, detail)
		case d.Severity == hcl.DiagError:
			out.AddError(d.Summary, detail)
		default:
			out.AddWarning(d.Summary, detail)
		}
	}
	return out
}

// isUnknown reports a diagnostic that concerns a value not known yet: at
// an unknown attribute, inside one, or around one (a block missing an
// attribute that was left out). With anything unknown, a diagnostic that
// cannot be placed is dropped too.
func (s scheduleSource) isUnknown(p path.Path, found bool) bool {
	if !found {
		return len(s.unknown) > 0
	}
	ps := p.String()
	for _, u := range s.unknown {
		us := u.String()
		if ps == us || isPathPrefix(us, ps) || isPathPrefix(ps, us) {
			return true
		}
	}
	return false
}

func isPathPrefix(prefix, p string) bool {
	return strings.HasPrefix(p, prefix+".") || strings.HasPrefix(p, prefix+"[")
}

// locate finds the attribute a diagnostic's subject lies in, and the name
// the file gives it in its own messages ("retention.daily",
// `target "sdsc" secondary_host`).
func (s scheduleSource) locate(body *hclsyntax.Body, subject *hcl.Range) (path.Path, string, bool) {
	if body == nil || subject == nil {
		return path.Empty(), "", false
	}
	at := subject.Start.Byte
	for name, a := range body.Attributes {
		if inRange(a.SrcRange, at) {
			return path.Root(name), name, true
		}
	}
	target := 0
	for _, b := range body.Blocks {
		var base path.Path
		var prefix string
		if b.Type == "target" {
			if target >= len(s.targets) {
				continue
			}
			base = path.Root("targets").AtListIndex(s.targets[target])
			prefix = fmt.Sprintf("target %q ", b.Labels[0])
			target++
			if len(b.LabelRanges) > 0 && inRange(b.LabelRanges[0], at) {
				return base.AtName("name"), "", true
			}
		} else {
			base, prefix = path.Root(b.Type), b.Type+"."
		}
		if !inRange(b.Range(), at) {
			continue
		}
		return locateIn(b.Body, base, prefix, at)
	}
	return path.Empty(), "", false
}

// locateIn finds the attribute of a block that at lies in, or of a block
// nested in it (ssh's node blocks, the map ssh.nodes here).
func locateIn(body *hclsyntax.Body, base path.Path, prefix string, at int) (path.Path, string, bool) {
	for name, a := range body.Attributes {
		if inRange(a.SrcRange, at) {
			return base.AtName(name), prefix + name, true
		}
	}
	for _, nb := range body.Blocks {
		if !inRange(nb.Range(), at) || len(nb.Labels) != 1 {
			continue
		}
		for attrName, kind := range nestedBlocks {
			if parent, mapName, _ := strings.Cut(attrName, "."); kind == nb.Type && strings.HasPrefix(prefix, parent) {
				key := base.AtName(mapName).AtMapKey(nb.Labels[0])
				inner := fmt.Sprintf("%s %s %q ", strings.TrimSuffix(prefix, "."), nb.Type, nb.Labels[0])
				if inRange(nb.LabelRanges[0], at) {
					return key, "", true
				}
				return locateIn(nb.Body, key, inner, at)
			}
		}
	}
	return base, strings.TrimSuffix(strings.TrimSuffix(prefix, "."), " "), true
}

func inRange(r hcl.Range, at int) bool {
	return r.Start.Byte <= at && (at < r.End.Byte || r.Start.Byte == r.End.Byte && at == r.Start.Byte)
}
