package schedule

import (
	"fmt"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/valid"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// decoder turns attribute expressions into Go values, applying defaults and
// checks, and collects a diagnostic at the attribute's range for every
// problem.
type decoder struct {
	diags hcl.Diagnostics
}

// check is a semantic check of one value; a nil error passes.
type check[T any] func(T) error

// isSet reports whether the attribute was written. gohcl hands an absent
// optional attribute over as a null expression.
func (d *decoder) isSet(expr hcl.Expression) bool {
	v, diags := expr.Value(nil)
	return diags.HasErrors() || !v.IsNull()
}

func (d *decoder) errorAt(where hcl.Range, summary, detail string) {
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: where.Ptr(),
	})
}

func (d *decoder) warnAt(where hcl.Range, summary, detail string) {
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagWarning, Summary: summary, Detail: detail, Subject: where.Ptr(),
	})
}

// attr decodes an optional attribute, or returns def when it is absent.
// Only values written in the file are checked: defaults are valid, and
// defaults derived from other settings were checked at their source.
func attr[T any](d *decoder, expr hcl.Expression, name string, def T, checks ...check[T]) T {
	if !d.isSet(expr) {
		return def
	}
	if _, diags := expr.Value(nil); diags.HasErrors() {
		d.addNamed(name, diags) // say why it cannot be evaluated, not that it is unknown
		return def
	}
	var v T
	if diags := gohcl.DecodeExpression(expr, nil, &v); diags.HasErrors() {
		d.addNamed(name, diags)
		return def
	}
	for _, c := range checks {
		if err := c(v); err != nil {
			d.errorAt(expr.Range(), "Invalid Schedule Setting", fmt.Sprintf("%s: %s.", name, err))
			break
		}
	}
	return v
}

// addNamed adds HCL's own diagnostics about attribute name ("Unsuitable
// value type", "Variables not allowed"), which do not say which setting they
// are about, with the name before their detail.
func (d *decoder) addNamed(name string, diags hcl.Diagnostics) {
	for _, diag := range diags {
		diag.Detail = name + ": " + diag.Detail
		d.diags = append(d.diags, diag)
	}
}

// required decodes an attribute that must be written.
func required[T any](d *decoder, expr hcl.Expression, name string, checks ...check[T]) T {
	if !d.isSet(expr) {
		d.errorAt(expr.Range(), "Missing Required Argument",
			fmt.Sprintf("The argument %q is required, but no definition was found.", name))
	}
	var zero T
	return attr(d, expr, name, zero, checks...)
}

// list decodes an optional list of strings; an empty list becomes nil.
func list(d *decoder, expr hcl.Expression, name string, def []string, checks ...check[[]string]) []string {
	v := attr(d, expr, name, def, checks...)
	if len(v) == 0 {
		return nil
	}
	return v
}

// duration decodes a Go duration string such as "2h" or "90s", which must be
// positive.
func duration(d *decoder, expr hcl.Expression, name string, def time.Duration) time.Duration {
	if !d.isSet(expr) {
		return def
	}
	before := len(d.diags)
	text := attr(d, expr, name, "")
	if len(d.diags) > before {
		return def
	}
	v, err := time.ParseDuration(text)
	switch {
	case err != nil:
		d.errorAt(expr.Range(), "Invalid Schedule Setting",
			fmt.Sprintf("%s: %s is not a duration; write it like \"2h\", \"90m\" or \"45s\".", name, valid.Quote(text)))
	case v <= 0:
		d.errorAt(expr.Range(), "Invalid Schedule Setting", fmt.Sprintf("%s: %q must be positive.", name, text))
	case v > valid.MaxDuration:
		d.errorAt(expr.Range(), "Invalid Schedule Setting", fmt.Sprintf("%s: %s is longer than %s; no wait of a "+
			"night's run may be that long.", name, formatDuration(v), formatDuration(valid.MaxDuration)))
	}
	return v
}

// derived checks the default of attribute name (unset), made from the
// setting from, which was set: a valid from can still make an invalid
// default, e.g. a state_dir so long that the lock file in it is too long.
func (d *decoder) derived(expr, fromExpr hcl.Expression, from, fromValue, name, value string) {
	if d.isSet(expr) || !d.isSet(fromExpr) || validPath(fromValue) != nil {
		return
	}
	if err := validPath(value); err != nil {
		d.errorAt(fromExpr.Range(), "Invalid Schedule Setting", fmt.Sprintf("%s: the default %s in it, %s: %v; set %s, "+
			"or shorten %s.", from, name, valid.Quote(value), err, name, from))
	}
}

// missingBlock reports a required block that is absent, at where.
func (d *decoder) missingBlock(where hcl.Range, name, example string) {
	d.errorAt(where, "Missing Schedule Block", fmt.Sprintf("A %s block is required, for example:\n%s", name, example))
}
