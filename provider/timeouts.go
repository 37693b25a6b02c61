package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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
