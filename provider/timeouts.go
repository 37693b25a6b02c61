package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// withTimeout bounds ctx by the timeouts block's value for one operation:
// get is the model's Timeouts.Create, .Read, .Update or .Delete, def its
// default. An invalid value is added to diags, which the caller checks
// once, after reading its plan or state and deferring cancel.
func withTimeout(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	timeout, d := get(ctx, def)
	diags.Append(d...)
	return context.WithTimeout(ctx, timeout)
}

// boundedTimeout adds to a data source's timeouts.read what every duration a
// user gives must be (positive, at most valid.MaxDuration) on top of the
// timeouts package's own parse check.
func boundedTimeout(a schema.Attribute) schema.Attribute {
	sa, ok := a.(schema.StringAttribute)
	if !ok {
		return a
	}
	sa.Validators = append([]validator.String{duration()}, sa.Validators...)
	return sa
}
