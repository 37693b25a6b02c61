// Command terraform-provider-gluster serves the Terraform provider "gluster"
// (registry address glusterdr/gluster, protocol 6).
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/glusterdr/terraform-provider-gluster/internal/version"
	"github.com/glusterdr/terraform-provider-gluster/provider"
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider for a debugger (prints TF_REATTACH_PROVIDERS)")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version.Version()), providerserver.ServeOpts{
		Address:         "registry.terraform.io/glusterdr/gluster",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err)
	}
}
