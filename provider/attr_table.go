package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// attrSpec is one computed attribute of a nested object; a table of them
// drives both the schema and the object type.
type attrSpec struct {
	name string
	typ  attr.Type
	desc string
}

// attrTypes are the object type's attribute types from a table.
func attrTypes(table []attrSpec) map[string]attr.Type {
	out := map[string]attr.Type{}
	for _, a := range table {
		out[a.name] = a.typ
	}
	return out
}

// computedAttrs are a data source's read-only attributes from a table (a
// resource's schema package has types of its own: see workersAttribute).
func computedAttrs(table []attrSpec) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for _, a := range table {
		switch a.typ {
		case types.BoolType:
			out[a.name] = schema.BoolAttribute{Computed: true, MarkdownDescription: a.desc}
		case types.Int64Type:
			out[a.name] = schema.Int64Attribute{Computed: true, MarkdownDescription: a.desc}
		default:
			out[a.name] = schema.StringAttribute{Computed: true, MarkdownDescription: a.desc}
		}
	}
	return out
}
