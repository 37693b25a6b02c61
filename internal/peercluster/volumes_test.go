package peercluster

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// site is the captured pool with gvdr declared as its volume and the store
// "points" beside it.
func site() Spec {
	return Spec{
		Nodes:  []string{node2, node3},
		Volume: gluster.VolumeSpec{Name: "gvdr", Bricks: siteBricks("bricks"), Force: true},
		Stores: []Volume{{VolumeSpec: gluster.VolumeSpec{Name: "points", Bricks: siteBricks("points"), Force: true},
			Options: map[string]string{"auth.allow": "198.51.100.*"}}},
	}
}

func TestEnsureMakesTheStoresAfterThePoolAndTheVolume(t *testing.T) {
	f := newFakeSite(t)
	if err := Ensure(context.Background(), f.client(), site()); err != nil {
		t.Fatal(err)
	}
	probe, main, store := f.index("peer probe "+node3), f.index("volume create gvdr"), f.index("volume create points")
	if probe < 0 || main < 0 || store < 0 || !(probe < main && main < store) {
		t.Fatalf("probe at %d, create gvdr at %d, create points at %d; want that order in %q", probe, main, store, f.calls)
	}
	want := "volume create points " + node2 + ":/data/glusterfs/sites/site2/points/b " + node3 + ":/data/glusterfs/sites/site3/points/b force"
	if f.calls[store] != want {
		t.Errorf("create = %q, want %q", f.calls[store], want)
	}
	p := f.vols["points"]
	if p == nil || !p.started || p.options["auth.allow"] != "198.51.100.*" {
		t.Errorf("store after Ensure: %+v, want started with its option", p)
	}

	// Again: everything exists, nothing is created twice.
	f.calls = nil
	if err := Ensure(context.Background(), f.client(), site()); err != nil {
		t.Fatal(err)
	}
	if n := f.count("volume create"); n != 0 {
		t.Errorf("a second Ensure created %d volumes: %q", n, f.calls)
	}
}

func TestEnsureStoreAdoptsOnlyTheDeclaredLayout(t *testing.T) {
	f := newFakeSite(t)
	f.vols["points"] = &fakeVolume{dir: "points", options: map[string]string{}}
	s := site().Stores[0]
	if err := EnsureStore(context.Background(), f.client(), s); err != nil {
		t.Fatalf("store made by hand with the declared bricks: %v", err)
	}
	if !f.vols["points"].started || f.count("volume create") != 0 {
		t.Errorf("adopted store: started %v, calls %q", f.vols["points"].started, f.calls)
	}

	s.Bricks = s.Bricks[:1]
	err := EnsureStore(context.Background(), f.client(), s)
	if err == nil || !strings.Contains(err.Error(), "not as declared") || !strings.Contains(err.Error(), node3) {
		t.Errorf("store with other bricks: err = %v, want one naming the live bricks", err)
	}
}

func TestObserveReadsTheStores(t *testing.T) {
	f := newFakeSite(t)
	f.vols["gvdr"] = &fakeVolume{dir: "bricks", started: true}
	f.vols["points"] = &fakeVolume{dir: "points"}
	st, err := Observe(context.Background(), f.client(), "gvdr", "points", "gone")
	if err != nil {
		t.Fatal(err)
	}
	if st.Volume == nil || st.Volume.Status != gluster.VolumeStarted {
		t.Errorf("volume = %+v, want gvdr started", st.Volume)
	}
	p := st.Stores["points"]
	if p == nil || p.Status != gluster.VolumeStopped || !slices.Equal(p.Bricks, siteBricks("points")) {
		t.Errorf("store = %+v, want points stopped on its bricks", p)
	}
	if _, ok := st.Stores["gone"]; ok || len(st.Stores) != 1 {
		t.Errorf("stores = %v, want only points", slices.Collect(maps.Keys(st.Stores)))
	}
}

func TestRemoveDeletesEveryVolumeBeforeDetaching(t *testing.T) {
	f := newFakeSite(t)
	f.vols["gvdr"] = &fakeVolume{dir: "bricks", started: true}
	f.vols["points"] = &fakeVolume{dir: "points"} // stopped by hand: fine
	if err := Remove(context.Background(), f.client(), []string{node3}, "points", "gvdr", "gone"); err != nil {
		t.Fatal(err)
	}
	detach := f.index("peer detach " + node3)
	for _, v := range []string{"points", "gvdr"} {
		if i := f.index("volume delete " + v); i < 0 || i > detach {
			t.Errorf("delete %s at %d, detach at %d: %q", v, i, detach, f.calls)
		}
	}
	if len(f.vols) != 0 {
		t.Errorf("volumes left: %v", f.vols)
	}
}

func TestUpdateStores(t *testing.T) {
	store := func(name, dir string, opts map[string]string, stopped bool) Volume {
		return Volume{VolumeSpec: gluster.VolumeSpec{Name: name, Bricks: siteBricks(dir)}, Options: opts, Stopped: stopped}
	}
	have := []Volume{
		store("moved", "moved", nil, false),
		store("dropped", "dropped", nil, false),
		store("kept", "kept", map[string]string{"user.note": "x", "performance.quick-read": "off"}, false),
	}
	want := []Volume{
		store("kept", "kept", map[string]string{"performance.read-ahead": "off"}, true),
		store("moved", "moved2", nil, false),
		store("new", "new", nil, false),
	}
	if got := Replaced(have, want); !slices.Equal(got, []string{"moved", "dropped"}) {
		t.Errorf("Replaced = %v, want [moved dropped]", got)
	}

	f := newFakeSite(t)
	for _, v := range have {
		f.vols[v.Name] = &fakeVolume{dir: v.Name, started: true, options: maps.Clone(v.Options)}
	}
	left, err := UpdateStores(context.Background(), f.client(), have, want)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(left, []string{`user.note of volume "kept"`}) {
		t.Errorf("left = %q", left)
	}
	if _, ok := f.vols["dropped"]; ok {
		t.Error("dropped is still there")
	}
	if m := f.vols["moved"]; m == nil || m.dir != "moved2" || !m.started {
		t.Errorf("moved = %+v, want it made again on moved2 and started", m)
	}
	if n := f.vols["new"]; n == nil || !n.started {
		t.Errorf("new = %+v, want it created and started", n)
	}
	k := f.vols["kept"]
	if k.started || !maps.Equal(k.options, map[string]string{"user.note": "x", "performance.read-ahead": "off"}) {
		t.Errorf("kept = %+v, want stopped, read-ahead set, quick-read reset, user.note left", k)
	}
	if f.index("volume delete moved") > f.index("volume create moved") {
		t.Errorf("moved created before it was deleted: %q", f.calls)
	}
}

func TestDetachNodesRefusesANodeHoldingAStoreBrick(t *testing.T) {
	f := newFakeSite(t)
	f.vols["gvdr"] = &fakeVolume{dir: "bricks", started: true}
	f.vols["points"] = &fakeVolume{dir: "points", started: true}
	err := DetachNodes(context.Background(), f.client(), []string{node3}, "gone", "points", "gvdr")
	var held *HeldError
	if !errors.As(err, &held) || held.Node != node3 || held.Volume != "points" ||
		!slices.Equal(held.Bricks, []string{node3 + ":/data/glusterfs/sites/site3/points/b"}) {
		t.Fatalf("err = %v, want node3 holding the points brick", err)
	}
	if f.count("peer detach") != 0 {
		t.Errorf("detached anyway: %q", f.calls)
	}
	if err := DetachNodes(context.Background(), f.client(), []string{node3}, "gone"); err != nil || f.count("peer detach") != 1 {
		t.Errorf("node holding nothing: err %v, calls %q", err, f.calls)
	}
}

func TestConflict(t *testing.T) {
	vol := func(name string, bricks ...string) gluster.VolumeSpec {
		s := gluster.VolumeSpec{Name: name}
		for _, b := range bricks {
			h, p, _ := strings.Cut(b, ":")
			s.Bricks = append(s.Bricks, gluster.Brick{Host: h, Path: p})
		}
		return s
	}
	main := vol("dr", "a:/b/dr", "b:/b/dr")
	for _, tc := range []struct {
		name  string
		store gluster.VolumeSpec
		want  string // "" for no conflict
	}{
		{"own bricks", vol("points", "a:/b/points", "b:/b/points"), ""},
		{"a sibling with the same prefix", vol("points", "a:/b/dr2"), ""},
		{"the same path on another node", vol("points", "c:/b/dr"), ""},
		{"a name unknown yet", vol("", "a:/b/points"), ""},
		{"the same name", vol("dr", "a:/b/points"), `volume name "dr" is declared twice`},
		{"the same brick", vol("points", "a:/b/points", "b:/b/dr"), `brick b:/b/dr of volume "points" and brick b:/b/dr of volume "dr" overlap`},
		{"a brick inside one", vol("points", "a:/b/dr/points"), "overlap"},
		{"a brick around one", vol("points", "b:/b"), "overlap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Conflict(main, tc.store)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Conflict = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSameLayout(t *testing.T) {
	a := gluster.VolumeSpec{Name: "x", Bricks: siteBricks("x")}
	b := a
	b.Type, b.Force, b.Name = gluster.Distribute, true, "y"
	if !SameLayout(a, b) {
		t.Error("an empty type is distribute, and name and force are not layout")
	}
	b.Type, b.Replica = gluster.Replicate, 2
	if SameLayout(a, b) {
		t.Error("replicate 2 is not distribute")
	}
	c := a
	c.Bricks = slices.Clone(a.Bricks)
	slices.Reverse(c.Bricks)
	if SameLayout(a, c) {
		t.Error("brick order makes the replica sets")
	}
}

func TestOptionChanges(t *testing.T) {
	set, reset := OptionChanges(
		map[string]string{"a": "1", "b": "2", "c": "3"},
		map[string]string{"a": "1", "b": "20", "d": "4"})
	if !maps.Equal(set, map[string]string{"b": "20", "d": "4"}) || !slices.Equal(reset, []string{"c"}) {
		t.Errorf("OptionChanges = %v, %v", set, reset)
	}
}
