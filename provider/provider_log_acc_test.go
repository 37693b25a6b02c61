//go:build lab

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccProviderLogsNoPrivateKey runs a create and a destroy with the
// lab's private key given inline (private_key, no key file) and every log
// at TRACE, Terraform's and the provider's, into one file; then greps the
// whole file for the key material.
func TestAccProviderLogsNoPrivateKey(t *testing.T) {
	l := newAccLab(t)
	l.resetSites()
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)

	pem, err := os.ReadFile(l.d.SSH.PrivateKeyFile)
	l.must(err)
	var secrets []string
	for _, line := range strings.Split(string(pem), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "-----") {
			secrets = append(secrets, line)
		}
	}
	if len(secrets) == 0 {
		t.Fatalf("%s holds no key material", l.d.SSH.PrivateKeyFile)
	}

	volume := uniqueName("tfacc-log")
	t.Cleanup(func() { l.removeBricks(volume, "tacc1") })
	config := fmt.Sprintf(`
terraform {
  required_providers {
    gluster = { source = "glusterdr/gluster" }
  }
}

provider "gluster" {
  private_key      = file(%q)
  known_hosts_file = %q
}

resource "gluster_peer_cluster" "log" {
  nodes               = [%q]
  volume              = { name = %q, bricks = [%q], force = true }
  deletion_protection = false
}
`, l.d.SSH.PrivateKeyFile, l.d.SSH.KnownHostsFile, l.addr("tacc1"), volume, l.brick("tacc1", volume))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: l.factories(),
		Steps: []resource.TestStep{{
			Config: config,
			Check:  resource.TestCheckResourceAttr("gluster_peer_cluster.log", "volume.state", "started"),
		}},
	})

	log, err := os.ReadFile(logPath)
	l.must(err)
	text := string(log)
	// The file must hold both sides, or the grep below proves nothing.
	for _, want := range []string{"ssh: connected", "gluster_peer_cluster", "ReadResource"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the trace log (%d bytes) lacks %q: it did not capture what it should", len(log), want)
		}
	}
	for i, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("line %d of the private key is in the trace log", i+1)
		}
	}
	t.Logf("trace log: %d bytes, %d lines grepped for %d lines of key material", len(log), strings.Count(text, "\n"), len(secrets))
}
