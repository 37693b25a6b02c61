package georep

import (
	"slices"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

func TestSameKnownHosts(t *testing.T) {
	a := []string{"h1 ssh-ed25519 AAAA", "h2  ssh-ed25519 BBBB"}
	if !SameKnownHosts(a, []string{"h2 ssh-ed25519 BBBB", "h1 ssh-ed25519 AAAA", "h1 ssh-ed25519 AAAA"}) {
		t.Error("order, spacing and duplicates must not matter")
	}
	if SameKnownHosts(a, a[:1]) || SameKnownHosts(nil, a) || SameKnownHosts(a, []string{"h1 ssh-ed25519 AAAA", "h2 ssh-ed25519 CCCC"}) {
		t.Error("a missing or different key must be a difference")
	}
}

func TestBrickHosts(t *testing.T) {
	v := &gluster.Volume{Bricks: []gluster.Brick{{Host: "b", Path: "/1"}, {Host: "a", Path: "/1"}, {Host: "b", Path: "/2"}}}
	if got := BrickHosts(v); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("BrickHosts = %v, want each host once, in brick order", got)
	}
}
