//go:build lab

package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchrepl"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab/labtest"
)

// BenchmarkPlanStatusDataSources times `terraform plan` of a configuration
// with 30 gluster_georep_status data sources against the same with 2, in
// turn, with the provider in bin/ (make build terraformrc). The sessions
// are the lab's two, to sdsc and tacc, each read by half of the data
// sources. GLUSTERDR_BENCH_TERRAFORMRC names another CLI configuration (to
// time another build of the provider, named by GLUSTERDR_BENCH_PROVIDER).
func BenchmarkPlanStatusDataSources(b *testing.B) {
	conn := labtest.Conn(b)
	ctx := context.Background()
	for _, site := range []string{"sdsc", "tacc"} {
		primary, _ := conn.Gluster("p1")
		ref, _ := conn.D.SessionRef(site)
		if _, err := primary.Status(ctx, ref); errors.Is(err, gluster.ErrNoSession) {
			if _, err := lab.SetUpReplication(ctx, conn, site, nil); err != nil {
				b.Fatal(err)
			}
		} else if err != nil {
			b.Fatal(err)
		}
	}
	small, large := planModule(b, conn, 2), planModule(b, conn, 30)
	for b.Loop() {
		var ours, ref []float64
		var logins []string
		for range envInt(b, "GLUSTERDR_BENCH_REPEATS", 3) {
			d, _ := timePlan(b, conn, small)
			ref = append(ref, d.Seconds())
			d, n := timePlan(b, conn, large)
			ours = append(ours, d.Seconds())
			logins = append(logins, fmt.Sprint(n))
		}
		name := "terraform plan, 30 gluster_georep_status data sources against 2"
		if p := os.Getenv("GLUSTERDR_BENCH_PROVIDER"); p != "" {
			name += " (provider " + p + ")"
		}
		row := benchrepl.NewRow(name, benchrepl.Cost, ours, ref)
		row.ReferenceCommand = "terraform plan of the same configuration with 2 gluster_georep_status data sources"
		row.Notes = fmt.Sprintf("ratio = ours / reference; goal at most 1.5; the lab has one primary node (p1), so the 30 read "+
			"2 sessions there; SSH logins on p1 per 30-source plan: %s; load %s", strings.Join(logins, ", "), benchrepl.LoadAverage())
		benchrepl.Print(os.Stdout, []benchrepl.Row{row})
		if err := benchrepl.WriteJSON(outFile(b), []benchrepl.Row{row}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(row.Ratio, "ratio")
	}
}

// planModule writes a configuration with n status data sources.
func planModule(b *testing.B, conn lab.Conn, n int) string {
	dir := b.TempDir()
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
`, conn.D.SSH.User, conn.D.SSH.Port, conn.D.SSH.PrivateKeyFile, conn.D.SSH.KnownHostsFile)
	p1, _ := conn.D.Node("p1")
	for i := range n {
		site := []string{"sdsc", "tacc"}[i%2]
		ref, _ := conn.D.SessionRef(site)
		fmt.Fprintf(&tf, `data "gluster_georep_status" "s%d" {
  primary_node     = %q
  primary_volume   = %q
  secondary_node   = %q
  secondary_volume = %q
}
`, i, p1.Address, ref.PrimaryVolume, ref.SecondaryHost, ref.SecondaryVolume)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// timePlan runs one plan and counts the SSH logins it made on p1.
func timePlan(b *testing.B, conn lab.Conn, dir string) (time.Duration, int) {
	rc, err := filepath.Abs("../.terraformrc")
	if err != nil {
		b.Fatal(err)
	}
	if p := os.Getenv("GLUSTERDR_BENCH_TERRAFORMRC"); p != "" {
		rc = p
	}
	before := logins(b, conn)
	cmd := exec.Command(terraform(), "-chdir="+dir, "plan", "-input=false", "-lock=false")
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1")
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("terraform plan in %s: %v\n%s", dir, err, out)
	}
	return time.Since(start), logins(b, conn) - before
}

func terraform() string {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	return "/usr/local/bin/terraform"
}

// logins counts the public-key logins in p1's sshd log.
func logins(b *testing.B, conn lab.Conn) int {
	data, err := os.ReadFile(filepath.Join(conn.D.Dir, "nodes", "p1", "sshd.out"))
	if err != nil {
		b.Fatal(err)
	}
	return strings.Count(string(data), "Accepted publickey")
}
