package schedule

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSSHRoute: which jump hosts the engine goes through to reach a host,
// by the node blocks and the ssh block's default.
func TestSSHRoute(t *testing.T) {
	s := SSH{JumpHost: "bastion", Nodes: []SSHNode{
		{Name: "p1", JumpHost: NoJumpHost},
		{Name: "bastion", JumpHost: "outer"},
		{Name: "outer", JumpHost: NoJumpHost},
		{Name: "tacc1", JumpHost: "tacc-login"},
		{Name: "tacc-login", User: "jump"},
	}}
	for host, want := range map[string][]string{
		"p1":         nil,                                // none, by its node block
		"sdsc1":      {"outer", "bastion"},               // the default, which goes through its own
		"bastion":    {"outer"},                          // not through itself
		"outer":      nil,                                //
		"tacc1":      {"outer", "bastion", "tacc-login"}, // its own, which takes the default
		"tacc-login": {"outer", "bastion"},
	} {
		got, err := s.Route(host)
		if err != nil {
			t.Fatalf("Route(%s): %v", host, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Route(%s) (-want +got):\n%s", host, diff)
		}
	}
	if got, _ := (SSH{}).Route("p1"); got != nil {
		t.Errorf("without jump hosts, Route = %v", got)
	}
}
