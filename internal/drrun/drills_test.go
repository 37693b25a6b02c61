package drrun

import (
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

func TestStatusAndMetricsShowTheLastDrills(t *testing.T) {
	s := &schedule.Schedule{Cron: "0 2 * * *", TimeZone: "UTC", Rotation: schedule.RotationAlternate,
		Targets: []schedule.Target{{Name: "sdsc", SecondaryHost: "198.51.100.21", SecondaryVolume: "global-dr"},
			{Name: "tacc", SecondaryHost: "198.51.100.31", SecondaryVolume: "global-dr"}}}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	passed := drill.Record{Time: now.Add(-48 * time.Hour), Site: "sdsc", Set: "a", Passed: true, RTOSeconds: 600}
	failed := drill.Record{Time: now.Add(-time.Hour), Site: "sdsc", Set: "b", Passed: false, Problem: "etcd snapshot refused", RTOSeconds: 700}
	st := BuildStatus(s, nil, now)
	addDrills(&st, []drill.Record{failed, passed})

	sdsc, tacc := st.Targets[0], st.Targets[1]
	if sdsc.LastDrill == nil || sdsc.LastDrill.Set != "b" || sdsc.LastPassedDrill == nil || sdsc.LastPassedDrill.Set != "a" {
		t.Errorf("sdsc drills: last %+v, last passed %+v", sdsc.LastDrill, sdsc.LastPassedDrill)
	}
	if tacc.LastDrill != nil || tacc.LastPassedDrill != nil {
		t.Errorf("tacc was never drilled, got %+v", tacc.LastDrill)
	}
	metrics := string(RenderMetrics(st))
	for _, want := range []string{
		`glusterdr_restore_drill_last_success{target="sdsc"} 0`,
		`glusterdr_restore_drill_last_success_timestamp_seconds{target="sdsc"} ` + num(float64(passed.Time.Unix())),
		`glusterdr_restore_drill_rto_seconds{target="sdsc"} 700`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q:\n%s", want, metrics)
		}
	}
	if strings.Contains(metrics, `restore_drill_last_success{target="tacc"}`) {
		t.Error("a target never drilled must have no drill series, so absent() alerts catch it")
	}
}
