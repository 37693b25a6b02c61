package benchcmp

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchrepl"
	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
)

func planTime() Comparison {
	return Comparison{
		Name:      "terraform plan, many gluster_georep_status data sources against 2",
		Ours:      "terraform plan of a configuration with -plan-sources (30) gluster_georep_status data sources",
		Reference: "terraform plan of the same configuration with 2",
		Run:       runPlan,
	}
}

// runPlan times the plans in turn, with the provider in env.ProviderDir
// through a CLI configuration of its own, and counts each plan's SSH
// logins on p1.
func runPlan(ctx context.Context, env *Env) (Measured, error) {
	conn, err := env.Lab()
	if err != nil {
		return Measured{}, err
	}
	if err := benchrepl.EnsurePlanSessions(ctx, conn); err != nil {
		return Measured{}, err
	}
	dir, err := os.MkdirTemp("", "glusterdr-bench-plan-")
	if err != nil {
		return Measured{}, err
	}
	defer os.RemoveAll(dir)
	p := benchrepl.Plan{Conn: conn, Terraform: env.Terraform, CLIConfig: filepath.Join(dir, "terraformrc")}
	if err := benchrepl.WriteCLIConfig(p.CLIConfig, env.ProviderDir); err != nil {
		return Measured{}, err
	}
	small, large := filepath.Join(dir, "small"), filepath.Join(dir, "large")
	if err := p.Module(small, 2); err != nil {
		return Measured{}, err
	}
	if err := p.Module(large, env.PlanSources); err != nil {
		return Measured{}, err
	}
	var oursLogins, refLogins []float64
	side := func(dir string, logins *[]float64) Side {
		return func(ctx context.Context) (Sample, error) {
			d, n, err := p.Time(ctx, dir)
			*logins = append(*logins, float64(n))
			return Sample{Seconds: d.Seconds()}, err
		}
	}
	o, r, err := Alternate(ctx, env, side(large, &oursLogins), side(small, &refLogins))
	if err != nil {
		return Measured{}, err
	}
	label := fmt.Sprintf("%d data sources against 2", env.PlanSources)
	return Measured{
		Metrics: []benchtable.Metric{
			// Issue 13, goal 4: at most 1.5x the plan with 2.
			benchtable.NewMetric("wall time, "+label, "s", seconds(o), seconds(r), benchtable.RatioAtMost(1.5)),
			// One SSH handshake per host and plan: p1 is the only host read.
			benchtable.NewMetric("SSH logins on p1 per plan, "+label, "", oursLogins[env.Warmup:], refLogins[env.Warmup:], benchtable.OursAtMost(1)),
		},
		Note: fmt.Sprintf("%s; load %s", benchrepl.PlanNote, benchrepl.LoadAverage()),
	}, nil
}
