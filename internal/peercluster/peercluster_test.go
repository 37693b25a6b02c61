package peercluster

import (
	"slices"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

func TestSpecValidate(t *testing.T) {
	good := Spec{Nodes: []string{"198.51.100.21", "198.51.100.22"}, Volume: gluster.VolumeSpec{Name: "global-dr",
		Bricks: []gluster.Brick{{Host: "198.51.100.21", Path: "/data/b1"}, {Host: "198.51.100.22", Path: "/data/b1"}}}}
	good.Stores = []Volume{{VolumeSpec: gluster.VolumeSpec{Name: "points", Type: gluster.Replicate, Replica: 2,
		Bricks: []gluster.Brick{{Host: "198.51.100.21", Path: "/data/points"}, {Host: "198.51.100.22", Path: "/data/points"}}}}}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid spec refused: %v", err)
	}
	cases := map[string]struct {
		mutate func(*Spec)
		want   string
	}{
		"no nodes":                    {func(s *Spec) { s.Nodes = nil }, "at least one node"},
		"node is an option":           {func(s *Spec) { s.Nodes[1] = "-oProxyCommand=x" }, "-oProxyCommand=x"},
		"brick on a stranger":         {func(s *Spec) { s.Volume.Bricks[1].Host = "198.51.100.99" }, "not one of the nodes"},
		"bad volume name":             {func(s *Spec) { s.Volume.Name = "global;rm" }, "global;rm"},
		"bad store name":              {func(s *Spec) { s.Stores[0].Name = "-points" }, "-points"},
		"store named as the volume":   {func(s *Spec) { s.Stores[0].Name = "global-dr" }, `"global-dr" is declared twice`},
		"two stores of one name":      {func(s *Spec) { s.Stores = append(s.Stores, s.Stores[0]) }, `"points" is declared twice`},
		"store on the volume's brick": {func(s *Spec) { s.Stores[0].Bricks[0].Path = "/data/b1" }, "overlap"},
		"store brick on a stranger":   {func(s *Spec) { s.Stores[0].Bricks[1].Host = "198.51.100.99" }, "not one of the nodes"},
		"store replica too big": {func(s *Spec) { s.Stores[0].Type, s.Stores[0].Replica = gluster.Replicate, 3 },
			"not a multiple of replica 3"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := good
			s.Nodes = slices.Clone(good.Nodes)
			s.Volume.Bricks = slices.Clone(good.Volume.Bricks)
			s.Stores = slices.Clone(good.Stores)
			s.Stores[0].Bricks = slices.Clone(good.Stores[0].Bricks)
			tc.mutate(&s)
			err := s.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestDisconnected(t *testing.T) {
	peers := []gluster.Peer{
		{Hostname: "localhost", Self: true, Connected: true},
		{Hostname: "198.51.100.22", Hostnames: []string{"198.51.100.22", "sdsc2"}, Connected: true},
		{Hostname: "198.51.100.23", Hostnames: []string{"198.51.100.23"}, Connected: false},
	}
	got := Disconnected(peers, []string{"sdsc2", "198.51.100.23", "198.51.100.24"})
	want := []string{"198.51.100.23", "198.51.100.24"}
	if !slices.Equal(got, want) {
		t.Errorf("Disconnected = %v, want %v (a peer known by another name counts)", got, want)
	}
}
