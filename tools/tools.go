//go:build tools

// Package tools pins the provider's build tools in their own module, so
// that they stay out of the provider's go.mod: tfplugindocs generates docs/
// from the schema and examples/.
package tools

import (
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
