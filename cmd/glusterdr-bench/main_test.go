package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchcmp"
)

// Bad flags are refused, naming the flag, before the lab is reached.
func TestRunRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-repl-repeats", "0"}, "-repl-repeats"},
		{[]string{"-small-files", "1"}, "-small-files"},
		{[]string{"-plan-sources", "0"}, "-plan-sources"},
		{[]string{"-repl-rollover", "1"}, "-repl-rollover"},
		{[]string{"-repl-session", "sync_jobs"}, "-repl-session"},
		{[]string{"-skip", "("}, "-skip"},
		{[]string{"-only", "no such comparison"}, "no comparison matches"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append([]string{"-instance", "2"}, tc.args...), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one naming %s", tc.args, err, tc.want)
		}
	}
}

func TestSelectedTakesOnlyAndSkip(t *testing.T) {
	comps, err := selected("replication|cycle|plan", "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range comps {
		names = append(names, c.Name)
	}
	if len(comps) != 5 || strings.Contains(strings.Join(names, "\n"), "etcd") {
		t.Errorf("-only replication|cycle|plan chose %q, want the 4 replication rows and the plan", names)
	}
	comps, err = selected("", "schedule_georep")
	if err != nil {
		t.Fatal(err)
	}
	if len(comps) != len(benchcmp.All())-1 {
		t.Errorf("-skip schedule_georep left %d of %d comparisons, want all but one", len(comps), len(benchcmp.All()))
	}
	for _, c := range comps {
		if c.Pending != "" || c.Run == nil {
			t.Errorf("%q is not measured: %q", c.Name, c.Pending)
		}
	}
}
