package benchrepl

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
)

// PlanSites are the sessions the plan's status data sources read, in turn.
var PlanSites = []string{"sdsc", "tacc"}

// PlanNote says what the plan comparison reads on the lab.
const PlanNote = "the lab has one primary node (p1), so the data sources read 2 sessions there, each read by half of them"

// Plan times `terraform plan` of configurations of gluster_georep_status
// data sources against the lab, with the provider that CLIConfig (a
// Terraform CLI configuration with dev_overrides) points at.
type Plan struct {
	Conn      lab.Conn
	Terraform string
	CLIConfig string
}

// DefaultTerraform is the terraform the plan runs: TF_ACC_TERRAFORM_PATH,
// as the acceptance tests take it, or the machine's.
func DefaultTerraform() string {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	return "/usr/local/bin/terraform"
}

// EnsurePlanSessions creates the sessions the data sources read, unless
// they exist.
func EnsurePlanSessions(ctx context.Context, conn lab.Conn) error {
	for _, site := range PlanSites {
		if _, err := EnsureSession(ctx, conn, site, nil); err != nil {
			return fmt.Errorf("the session to %s: %w", site, err)
		}
	}
	return nil
}

// WriteCLIConfig writes a Terraform CLI configuration to path that takes
// the provider from the folder providerDir, without `terraform init`.
func WriteCLIConfig(path, providerDir string) error {
	abs, err := filepath.Abs(providerDir)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(abs, "terraform-provider-gluster")); err != nil {
		return fmt.Errorf("the provider to plan with (make build puts it in bin/): %w", err)
	}
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"glusterdr/gluster\" = %q\n  }\n  direct {}\n}\n", abs)
	return os.WriteFile(path, []byte(rc), 0o644)
}

// Module writes into dir a configuration with n status data sources.
func (p Plan) Module(dir string, n int) error {
	d := p.Conn.D
	var tf strings.Builder
	fmt.Fprintf(&tf, `terraform {
  required_providers {
    gluster = { source = "glusterdr/gluster" }
  }
}
provider "gluster" {
  user             = %q
  port             = %d
  private_key_file = %q
  known_hosts_file = %q
}
`, d.SSH.User, d.SSH.Port, d.SSH.PrivateKeyFile, d.SSH.KnownHostsFile)
	p1, err := d.Node("p1")
	if err != nil {
		return err
	}
	for i := range n {
		ref, err := d.SessionRef(PlanSites[i%len(PlanSites)])
		if err != nil {
			return err
		}
		fmt.Fprintf(&tf, `data "gluster_georep_status" "s%d" {
  primary_node     = %q
  primary_volume   = %q
  secondary_node   = %q
  secondary_volume = %q
}
`, i, p1.Address, ref.PrimaryVolume, ref.SecondaryHost, ref.SecondaryVolume)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf.String()), 0o644)
}

// Time runs one plan in dir and says how long it took and how many SSH
// logins it made on p1.
func (p Plan) Time(ctx context.Context, dir string) (time.Duration, int, error) {
	before, err := p.logins()
	if err != nil {
		return 0, 0, err
	}
	cmd := exec.CommandContext(ctx, p.Terraform, "-chdir="+dir, "plan", "-input=false", "-lock=false")
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+p.CLIConfig, "TF_IN_AUTOMATION=1")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("terraform plan in %s: %w\n%s", dir, err, out)
	}
	after, err := p.logins()
	return d, after - before, err
}

// logins counts the public-key logins in p1's sshd log.
func (p Plan) logins() (int, error) {
	data, err := os.ReadFile(filepath.Join(p.Conn.D.Dir, "nodes", "p1", "sshd.out"))
	if err != nil {
		return 0, err
	}
	return strings.Count(string(data), "Accepted publickey"), nil
}
