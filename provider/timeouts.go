package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
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

// dataSourceTimeouts is a data source's timeouts attribute, with read's
// default in its description. Its read value must also be what every
// duration a user gives must be (positive, at most valid.MaxDuration), on
// top of the timeouts package's own parse check.
func dataSourceTimeouts(ctx context.Context, read time.Duration) schema.Attribute {
	a := timeouts.AttributesWithOpts(ctx, timeouts.Opts{
		ReadDescription: fmt.Sprintf("Time allowed for the read, as a Go duration. Default `%s`.", read),
	}).(schema.SingleNestedAttribute)
	a.MarkdownDescription = "How long the read may take, SSH connections included."
	if ra, ok := a.Attributes["read"].(schema.StringAttribute); ok {
		ra.Validators = append([]validator.String{duration()}, ra.Validators...)
		a.Attributes["read"] = ra
	}
	return a
}
