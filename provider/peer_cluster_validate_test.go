package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// declaredVolume is a volume as a configuration gives it: only name and
// bricks set.
func declaredVolume(name string, bricks ...string) *volumeModel {
	return &volumeModel{Name: types.StringValue(name), Bricks: stringList(bricks), Options: types.MapNull(stringType)}
}

// peerClusterConfigOf is a configuration of gluster_peer_cluster on two nodes
// with volume dr and the given store_volumes.
func peerClusterConfigOf(t *testing.T, stores types.List) tfsdk.Config {
	t.Helper()
	ctx := context.Background()
	var rs resource.SchemaResponse
	NewPeerClusterResource().Schema(ctx, resource.SchemaRequest{}, &rs)
	st := tfsdk.State{Schema: rs.Schema, Raw: nullState(ctx, rs.Schema)}
	for name, v := range map[string]any{
		"nodes":         []string{"203.0.113.21", "203.0.113.22"},
		"volume":        declaredVolume("dr", "203.0.113.21:/srv/b/dr", "203.0.113.22:/srv/b/dr"),
		"store_volumes": stores,
	} {
		if d := st.SetAttribute(ctx, path.Root(name), v); d.HasError() {
			t.Fatal(d)
		}
	}
	return tfsdk.Config{Schema: st.Schema, Raw: st.Raw}
}

func storesOf(t *testing.T, vols ...*volumeModel) types.List {
	t.Helper()
	var diags diagnostics
	l := storeList(context.Background(), types.ListNull(storeObjectType), vols, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return l
}

// TestPeerClusterValidatesStoreVolumes: a store volume is checked like the
// volume, and against it and the other stores, at plan, with the attribute
// named.
func TestPeerClusterValidatesStoreVolumes(t *testing.T) {
	points := func() *volumeModel {
		return declaredVolume("points", "203.0.113.21:/srv/b/points", "203.0.113.22:/srv/b/points")
	}
	replicated := func(n int64) *volumeModel {
		v := points()
		v.Type, v.ReplicaCount = types.StringValue("replicate"), types.Int64Value(n)
		return v
	}
	unknownBricks := points()
	unknownBricks.Bricks = types.ListUnknown(stringType)
	for _, tc := range []struct {
		name   string
		stores types.List
		at     string // the attribute of the one error; "" for none
		want   string
	}{
		{"none", types.ListNull(storeObjectType), "", ""},
		{"one of its own", storesOf(t, points()), "", ""},
		{"replicated", storesOf(t, replicated(2)), "", ""},
		{"not known yet", types.ListUnknown(storeObjectType), "", ""},
		{"bricks not known yet", storesOf(t, unknownBricks), "", ""},
		{"named as the volume", storesOf(t, declaredVolume("dr", "203.0.113.21:/srv/b/points")), "store_volumes[0]",
			`Attribute store_volumes[0] conflicts with volume: volume name "dr" is declared twice`},
		{"two of one name", storesOf(t, points(), declaredVolume("points", "203.0.113.21:/srv/b/p2")), "store_volumes[1]",
			`Attribute store_volumes[1] conflicts with store_volumes[0]: volume name "points" is declared twice`},
		{"on a brick of the volume", storesOf(t, declaredVolume("points", "203.0.113.22:/srv/b/dr")), "store_volumes[0]",
			`brick 203.0.113.22:/srv/b/dr of volume "points" and brick 203.0.113.22:/srv/b/dr of volume "dr" overlap`},
		{"inside a brick of the volume", storesOf(t, declaredVolume("points", "203.0.113.21:/srv/b/dr/points")), "store_volumes[0]",
			"overlap"},
		{"on a brick of another store", storesOf(t, points(), declaredVolume("p2", "203.0.113.21:/srv/b/points")), "store_volumes[1]",
			`conflicts with store_volumes[0]`},
		{"replicate without a count", storesOf(t, func() *volumeModel { v := points(); v.Type = types.StringValue("replicate"); return v }()),
			"store_volumes[0].replica_count", `Attribute store_volumes[0].replica_count must be set (at least 2) when store_volumes[0].type is "replicate"`},
		{"a count above the bricks", storesOf(t, replicated(3)), "store_volumes[0].replica_count",
			"Attribute store_volumes[0].replica_count 3 is more than the 2 bricks of store_volumes[0].bricks"},
		{"a brick on a stranger", storesOf(t, declaredVolume("points", "203.0.113.21:/srv/b/points", "203.0.113.99:/srv/b/points")),
			"store_volumes[0].bricks[1]", `Attribute store_volumes[0].bricks[1] "203.0.113.99:/srv/b/points" is on 203.0.113.99`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var resp resource.ValidateConfigResponse
			r := &peerClusterResource{}
			r.ValidateConfig(context.Background(), resource.ValidateConfigRequest{Config: peerClusterConfigOf(t, tc.stores)}, &resp)
			if tc.at == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("refused: %v", resp.Diagnostics)
				}
				return
			}
			if len(resp.Diagnostics) != 1 {
				t.Fatalf("diagnostics = %v, want one error at %s", resp.Diagnostics, tc.at)
			}
			d := resp.Diagnostics[0]
			withPath, ok := d.(interface{ Path() path.Path })
			if !ok || withPath.Path().String() != tc.at || !strings.Contains(d.Detail(), tc.want) {
				t.Errorf("diagnostic %q at %v, want %q at %s", d.Detail(), withPath, tc.want, tc.at)
			}
		})
	}
}
