package provider

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/peercluster"
)

func peer(host string, connected bool) gluster.Peer {
	return gluster.Peer{Hostname: host, Hostnames: []string{host}, Connected: connected, State: "Peer in Cluster"}
}

func TestObservedNodes(t *testing.T) {
	self := gluster.Peer{Hostname: "localhost", Hostnames: []string{"localhost"}, Connected: true, Self: true}
	for _, tc := range []struct {
		name  string
		prior []string
		peers []gluster.Peer
		want  []string
	}{
		{"all there", []string{"a", "b", "c"}, []gluster.Peer{self, peer("b", true), peer("c", true)}, []string{"a", "b", "c"}},
		{"a peer left", []string{"a", "b", "c"}, []gluster.Peer{self, peer("c", true)}, []string{"a", "c"}},
		{"a peer is disconnected", []string{"a", "b"}, []gluster.Peer{self, peer("b", false)}, []string{"a"}},
		{"peers probed by hand appear, sorted", []string{"a"}, []gluster.Peer{self, peer("z", true), peer("m", true)}, []string{"a", "m", "z"}},
		{"a peer known by another name", []string{"a", "b"}, []gluster.Peer{self, {Hostname: "b2", Hostnames: []string{"b2", "b"}, Connected: true}}, []string{"a", "b"}},
		{"import: first node only", []string{"a"}, []gluster.Peer{self, peer("b", true)}, []string{"a", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := observedNodes(tc.prior, tc.peers); !slices.Equal(got, tc.want) {
				t.Errorf("observedNodes = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestObservedOptionsHidesGlusterdsOwnUnlessTracked(t *testing.T) {
	live := map[string]string{
		"nfs.disable": "on", "transport.address-family": "inet", "features.read-only": "on",
		"performance.quick-read": "off", "user.note": "x", "user.cifs": "enable",
	}
	got := observedOptions(live, map[string]string{"nfs.disable": "on", "user.note": "y"})
	want := map[string]string{"nfs.disable": "on", "performance.quick-read": "off", "user.note": "x"}
	if !maps.Equal(got, want) {
		t.Errorf("observedOptions = %v, want %v", got, want)
	}
}

func TestNodeChanges(t *testing.T) {
	add, remove := nodeChanges([]string{"a", "b", "c"}, []string{"a", "c", "d"})
	if !slices.Equal(add, []string{"d"}) || !slices.Equal(remove, []string{"b"}) {
		t.Errorf("nodeChanges = %v, %v", add, remove)
	}
}

func TestVolumeTypeAndState(t *testing.T) {
	for in, want := range map[gluster.VolumeType]string{
		gluster.Distribute: "distribute", gluster.Replicate: "replicate",
		gluster.DistributedReplicate: "replicate", gluster.Disperse: "disperse",
	} {
		if got := volumeTypeOf(in); got != want {
			t.Errorf("volumeTypeOf(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[gluster.VolumeState]string{
		gluster.VolumeStarted: "started", gluster.VolumeStopped: "stopped", gluster.VolumeCreated: "created",
	} {
		if got := volumeStateOf(in); got != want {
			t.Errorf("volumeStateOf(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestPeerClusterModelSpecAndObserve(t *testing.T) {
	ctx := context.Background()
	m := &peerClusterModel{
		Nodes: stringList([]string{"203.0.113.21", "203.0.113.22"}),
		Volume: &volumeModel{
			Name: types.StringValue("dr"), Type: types.StringValue("replicate"), ReplicaCount: types.Int64Value(2),
			Bricks: stringList([]string{"203.0.113.21:/b/dr", "203.0.113.22:/b/dr"}),
			Force:  types.BoolValue(true), Options: stringMap(map[string]string{"user.note": "x"}),
			State: types.StringValue("started"),
		},
	}
	spec, diags := m.spec(ctx)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if err := spec.Validate(); err != nil {
		t.Fatalf("spec does not validate: %v", err)
	}
	if spec.Volume.Replica != 2 || !spec.Volume.Force || spec.Volume.Bricks[1] != (gluster.Brick{Host: "203.0.113.22", Path: "/b/dr"}) ||
		spec.Options["user.note"] != "x" {
		t.Errorf("spec = %+v", spec)
	}

	st := &peercluster.State{
		Peers: []gluster.Peer{peer("203.0.113.22", true)},
		Volume: &gluster.Volume{Name: "dr", Status: gluster.VolumeStopped, Type: gluster.Replicate, Replica: 2,
			Bricks:  spec.Volume.Bricks,
			Options: map[string]string{"user.note": "y", "nfs.disable": "on"}},
	}
	prior := *m
	got := *m
	got.observe(ctx, &prior, st, false, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got.Volume.State.ValueString() != "stopped" || !got.Volume.Force.ValueBool() || got.Volume.ReplicaCount.ValueInt64() != 2 {
		t.Errorf("observed volume = %+v", got.Volume)
	}
	if opts := mapStrings(ctx, got.Volume.Options, &diags); !maps.Equal(opts, map[string]string{"user.note": "y"}) {
		t.Errorf("observed options = %v", opts)
	}
}

// TestPeerClusterModelStores: the declared stores reach the engine, and
// reading the site back reports each as it is (stopped, options changed)
// and drops one that is gone, so that plan shows the drift.
func TestPeerClusterModelStores(t *testing.T) {
	ctx := context.Background()
	var diags diagnostics
	points := &volumeModel{
		Name: types.StringValue("points"), Type: types.StringValue("replicate"), ReplicaCount: types.Int64Value(2),
		Bricks: stringList([]string{"203.0.113.21:/b/points", "203.0.113.22:/b/points"}),
		Force:  types.BoolValue(true), Options: stringMap(map[string]string{"performance.quick-read": "off"}),
		State: types.StringValue("started"),
	}
	spare := &volumeModel{
		Name: types.StringValue("spare"), Type: types.StringValue("distribute"), ReplicaCount: types.Int64Null(),
		Bricks: stringList([]string{"203.0.113.21:/b/spare"}), Force: types.BoolValue(false),
		Options: types.MapNull(stringType), State: types.StringValue("stopped"),
	}
	m := &peerClusterModel{
		Nodes:        stringList([]string{"203.0.113.21", "203.0.113.22"}),
		Volume:       declaredVolume("dr", "203.0.113.21:/b/dr"),
		StoreVolumes: storeList(ctx, types.ListNull(storeObjectType), []*volumeModel{points, spare}, &diags),
	}
	spec, d := m.spec(ctx)
	diags.Append(d...)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if err := spec.Validate(); err != nil {
		t.Fatalf("spec does not validate: %v", err)
	}
	if len(spec.Stores) != 2 || spec.Stores[0].Name != "points" || spec.Stores[0].Replica != 2 || !spec.Stores[0].Force ||
		spec.Stores[0].Options["performance.quick-read"] != "off" || spec.Stores[0].Stopped || !spec.Stores[1].Stopped {
		t.Errorf("stores = %+v", spec.Stores)
	}

	st := &peercluster.State{
		Volume: &gluster.Volume{Name: "dr", Status: gluster.VolumeStarted, Type: gluster.Distribute, Bricks: spec.Volume.Bricks},
		Stores: map[string]*gluster.Volume{"points": {Name: "points", Status: gluster.VolumeStopped, Type: gluster.Replicate,
			Replica: 2, Bricks: spec.Stores[0].Bricks, Options: map[string]string{"performance.quick-read": "on", "nfs.disable": "on"}}},
	}
	prior := *m
	got := *m
	got.observe(ctx, &prior, st, false, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	stores := storeModels(ctx, got.StoreVolumes, &diags)
	if len(stores) != 1 {
		t.Fatalf("observed stores = %v, want points only (spare is gone)", got.StoreVolumes)
	}
	p := stores[0]
	if p.Name.ValueString() != "points" || p.State.ValueString() != "stopped" || !p.Force.ValueBool() || p.ReplicaCount.ValueInt64() != 2 {
		t.Errorf("observed points = %+v", p)
	}
	if opts := mapStrings(ctx, p.Options, &diags); !maps.Equal(opts, map[string]string{"performance.quick-read": "on"}) {
		t.Errorf("observed options = %v", opts)
	}

	// Every store gone: an empty list, which plan fills again.
	got.observe(ctx, &prior, &peercluster.State{Volume: st.Volume}, false, &diags)
	if got.StoreVolumes.IsNull() || len(got.StoreVolumes.Elements()) != 0 || diags.HasError() {
		t.Errorf("store_volumes with every store gone = %v, want an empty list", got.StoreVolumes)
	}

	// Without stores declared, none are reported.
	prior.StoreVolumes = types.ListNull(storeObjectType)
	got.observe(ctx, &prior, &peercluster.State{Volume: st.Volume}, false, &diags)
	if !got.StoreVolumes.IsNull() || diags.HasError() {
		t.Errorf("store_volumes = %v, want null", got.StoreVolumes)
	}
}
