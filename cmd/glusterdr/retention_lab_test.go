//go:build lab

package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// TestLabRetentionSixtyNights simulates sixty nights on the real global
// volume: each night both sites get a verified set with that night's past
// timestamp, and retention is applied over SSH. At the end each site keeps
// exactly N dailies and M weeklies.
func TestLabRetentionSixtyNights(t *testing.T) {
	conn := labConn(t)
	file := writeLabSchedule(t, conn.D, func(s *schedule.Schedule) { s.Rotation = schedule.RotationAll })
	s, err := loadSchedule(&globals{logLevel: "error"}, file)
	if err != nil {
		t.Fatal(err)
	}
	pool := remote.NewPool(slog.New(slog.DiscardHandler))
	defer pool.Close()
	nodes, err := scheduleNodes(&globals{logLevel: "error"}, pool, s)
	if err != nil {
		t.Fatal(err)
	}
	e := &drrun.Engine{Schedule: s, Nodes: nodes}
	ctx := context.Background()
	store := e.Store()
	first := time.Now().UTC().Truncate(24 * time.Hour).Add(-60*24*time.Hour + 2*time.Hour)
	start := time.Now()
	for night := range 60 {
		for _, target := range []string{"sdsc", "tacc"} {
			m := backupset.New(first.Add(time.Duration(night)*24*time.Hour), target, retention.Full, "")
			m.Status = retention.Verified
			for _, step := range backupset.Steps {
				m.Step(step).State = backupset.StateDone
			}
			if err := store.Create(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.Retention(ctx, true, "retention test"); err != nil {
			t.Fatalf("night %d: %v", night, err)
		}
	}
	t.Logf("60 nights of 2 sets with retention applied over SSH in %s", time.Since(start).Round(time.Millisecond))

	sets := decode[setsResult](t, runCLI(t, "sets", "--schedule", file, "--json"))
	p := s.Retention
	count := map[string]map[retention.Tier]int{}
	for _, sum := range sets.Sets {
		if count[sum.Target] == nil {
			count[sum.Target] = map[retention.Tier]int{}
		}
		count[sum.Target][sum.Tier]++
	}
	for _, target := range []string{"sdsc", "tacc"} {
		c := count[target]
		if c[retention.Daily] != p.Daily || c[retention.Weekly] != p.Weekly || len(c) != 2 {
			t.Errorf("%s keeps %v, want exactly %d daily and %d weekly", target, c, p.Daily, p.Weekly)
		}
	}
	if len(sets.Sets) != 2*(p.Daily+p.Weekly) {
		t.Errorf("%d sets kept, want %d", len(sets.Sets), 2*(p.Daily+p.Weekly))
	}
	newest := sets.Sets[len(sets.Sets)-1]
	if !strings.HasPrefix(newest.ID, first.Add(59*24*time.Hour).Format("20060102")) {
		t.Errorf("the newest set %s is not the last night's", newest.ID)
	}
	plan := decode[drrun.RetentionReport](t, runCLI(t, "retention", "--schedule", file, "--json"))
	if plan.Applied || len(plan.Delete) != 0 || len(plan.Promote) != 0 {
		t.Errorf("a second plan is not empty: %+v", plan)
	}
}
