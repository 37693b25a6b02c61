//go:build tools

// Package tools pins the project's build tools in their own module, so that
// they stay out of the provider's go.mod: tfplugindocs generates docs/ from
// the schema and examples/; goreleaser builds the releases (.goreleaser.yml).
package tools

import (
	_ "github.com/goreleaser/goreleaser/v2"
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
