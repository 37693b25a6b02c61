package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// nullState is a state of the schema whose attributes are all null.
func nullState(ctx context.Context, s interface{ Type() attr.Type }) tftypes.Value {
	obj := s.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, typ := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(typ, nil)
	}
	return tftypes.NewValue(obj, vals)
}

// TestSessionRefModelIsSharedByBothSchemas reads the attributes naming a
// session, through the embedded sessionRefModel, from a state of each
// schema that uses it.
func TestSessionRefModelIsSharedByBothSchemas(t *testing.T) {
	ctx := context.Background()
	want := gluster.SessionRef{PrimaryVolume: "global", SecondaryHost: "203.0.113.31", SecondaryVolume: "global-dr", SecondaryUser: "geoaccount"}
	fill := func(st *tfsdk.State) {
		for name, v := range map[string]string{"primary_node": "203.0.113.10", "primary_volume": want.PrimaryVolume,
			"secondary_node": want.SecondaryHost, "secondary_volume": want.SecondaryVolume, "secondary_user": want.SecondaryUser} {
			if d := st.SetAttribute(ctx, path.Root(name), v); d.HasError() {
				t.Fatal(d)
			}
		}
	}
	var rs resource.SchemaResponse
	NewGeorepSessionResource().Schema(ctx, resource.SchemaRequest{}, &rs)
	st := tfsdk.State{Schema: rs.Schema, Raw: nullState(ctx, rs.Schema)}
	fill(&st)
	var session georepSessionModel
	if d := st.Get(ctx, &session); d.HasError() {
		t.Fatal(d)
	}
	var ds datasource.SchemaResponse
	NewGeorepStatusDataSource().Schema(ctx, datasource.SchemaRequest{}, &ds)
	st = tfsdk.State{Schema: ds.Schema, Raw: nullState(ctx, ds.Schema)}
	fill(&st)
	var status georepStatusModel
	if d := st.Get(ctx, &status); d.HasError() {
		t.Fatal(d)
	}
	for _, m := range []sessionRefModel{session.sessionRefModel, status.sessionRefModel} {
		if got := m.ref(); got != want || m.PrimaryNode.ValueString() != "203.0.113.10" {
			t.Errorf("ref = %+v on %s, want %+v", got, m.PrimaryNode, want)
		}
	}
}
