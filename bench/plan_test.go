//go:build lab

package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchrepl"
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
	if err := benchrepl.EnsurePlanSessions(ctx, conn); err != nil {
		b.Fatal(err)
	}
	rc, err := filepath.Abs("../.terraformrc")
	if err != nil {
		b.Fatal(err)
	}
	if p := os.Getenv("GLUSTERDR_BENCH_TERRAFORMRC"); p != "" {
		rc = p
	}
	plan := benchrepl.Plan{Conn: conn, Terraform: benchrepl.DefaultTerraform(), CLIConfig: rc}
	small, large := filepath.Join(b.TempDir(), "2"), filepath.Join(b.TempDir(), "30")
	if err := plan.Module(small, 2); err != nil {
		b.Fatal(err)
	}
	if err := plan.Module(large, 30); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var ours, ref []float64
		var logins []string
		for range envInt(b, "GLUSTERDR_BENCH_REPEATS", 3) {
			d, _, err := plan.Time(ctx, small)
			if err != nil {
				b.Fatal(err)
			}
			ref = append(ref, d.Seconds())
			d, n, err := plan.Time(ctx, large)
			if err != nil {
				b.Fatal(err)
			}
			ours = append(ours, d.Seconds())
			logins = append(logins, fmt.Sprint(n))
		}
		name := "terraform plan, 30 gluster_georep_status data sources against 2"
		if p := os.Getenv("GLUSTERDR_BENCH_PROVIDER"); p != "" {
			name += " (provider " + p + ")"
		}
		row := benchrepl.NewRow(name, benchrepl.Cost, ours, ref)
		row.ReferenceCommand = "terraform plan of the same configuration with 2 gluster_georep_status data sources"
		row.Notes = fmt.Sprintf("ratio = ours / reference; goal at most 1.5; %s; SSH logins on p1 per 30-source plan: %s; load %s",
			benchrepl.PlanNote, strings.Join(logins, ", "), benchrepl.LoadAverage())
		benchrepl.Print(os.Stdout, []benchrepl.Row{row})
		if err := benchrepl.WriteJSON(outFile(b), []benchrepl.Row{row}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(row.Ratio, "ratio")
	}
}
