package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

func TestProviderSchemasAreValid(t *testing.T) {
	ctx := context.Background()
	p := newProvider("test")
	if diags := providerSchema().ValidateImplementation(ctx); diags.HasError() {
		t.Errorf("provider schema: %v", diags)
	}
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("%T: %v", r, diags)
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		d := newDataSource()
		var resp datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("%T: %v", d, diags)
		}
	}
}
