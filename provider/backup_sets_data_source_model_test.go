package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

func TestBackupSetsObserve(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	verified := func(m *backupset.Meta) *backupset.Meta {
		m.Status = retention.Verified
		m.Contents.Bytes = 4096
		m.Verification = &backupset.Verification{Verified: true, At: m.Opened.Add(time.Minute)}
		return m
	}
	failed := backupset.New(t0.Add(48*time.Hour), "sdsc", retention.Full, "")
	failed.Fail(backupset.StepVerify)
	failed.Step(backupset.StepVerify).Error = "the copy at sdsc is not what was sent"
	listing := backupset.Listing{
		Sets: []*backupset.Meta{
			verified(backupset.New(t0, "sdsc", retention.Full, "")),
			verified(backupset.New(t0.Add(24*time.Hour), "tacc", retention.Full, "")),
			failed,
		},
		Unreadable: []backupset.Unreadable{{ID: "20261101T020000Z-sdsc", Error: "set.json: unexpected end of JSON input"}},
	}

	m := backupSetsModel{Target: types.StringNull()}
	m.observe(listing)
	if n := len(m.Sets.Elements()); n != 3 || m.NewestVerified.ValueString() != "20261121T020000Z-tacc" || len(m.Unreadable.Elements()) != 1 {
		t.Errorf("all: %d sets, newest verified %s, %d unreadable", n, m.NewestVerified, len(m.Unreadable.Elements()))
	}
	last := m.Sets.Elements()[2].(types.Object).Attributes()
	if last["status"].(types.String).ValueString() != "failed" || last["verified"].(types.Bool).ValueBool() ||
		last["failed_step"].(types.String).ValueString() != "verify" || last["problem"].(types.String).ValueString() == "" ||
		!last["verified_at"].IsNull() || !last["parent"].IsNull() {
		t.Errorf("failed set: %v", last)
	}
	first := m.Sets.Elements()[0].(types.Object).Attributes()
	if first["bytes"].(types.Int64).ValueInt64() != 4096 || first["time"].(types.String).ValueString() != "2026-11-20T02:00:00Z" ||
		first["tier"].(types.String).ValueString() != "daily" || first["verified_at"].IsNull() {
		t.Errorf("first set: %v", first)
	}

	m = backupSetsModel{Target: types.StringValue("sdsc")}
	m.observe(listing)
	if n := len(m.Sets.Elements()); n != 2 || m.NewestVerified.ValueString() != "20261120T020000Z-sdsc" {
		t.Errorf("sdsc: %d sets, newest verified %s", n, m.NewestVerified)
	}
	if n := len(m.RestorePoints.Elements()); n != 0 || !first["restore_point"].IsNull() {
		t.Errorf("restore points without any: %d, %v", n, first["restore_point"])
	}
}

// TestBackupSetsShowRestorePoints: each set names its point, and each site
// sums its points up.
func TestBackupSetsShowRestorePoints(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	var sets []*backupset.Meta
	for i, bytesNew := range []int64{7_000_000, 120_000} {
		m := backupset.New(t0.Add(time.Duration(i)*48*time.Hour), "sdsc", retention.Full, "")
		m.Status = retention.Verified
		m.RestorePoint = &backupset.RestorePoint{Method: "link-tree", Node: "dr-2", Location: "/srv/points/" + m.ID,
			BytesNew: bytesNew, StoreBytes: 7_000_000 + int64(i)*bytesNew, Verification: &backupset.PointCheck{Verified: true}}
		sets = append(sets, m)
	}
	m := backupSetsModel{Target: types.StringNull()}
	m.observe(backupset.Listing{Sets: sets})
	second := m.Sets.Elements()[1].(types.Object).Attributes()
	if second["restore_point"].(types.String).ValueString() != "dr-2:/srv/points/20261122T020000Z-sdsc" ||
		second["restore_point_bytes_new"].(types.Int64).ValueInt64() != 120_000 || second["restore_point_method"].(types.String).ValueString() != "link-tree" {
		t.Errorf("second set: %v", second)
	}
	points := m.RestorePoints.Elements()
	if len(points) != 1 {
		t.Fatalf("%d sites with points", len(points))
	}
	sdsc := points[0].(types.Object).Attributes()
	if sdsc["count"].(types.Int64).ValueInt64() != 2 || sdsc["oldest"].(types.String).ValueString() != "20261120T020000Z-sdsc" ||
		sdsc["bytes_stored"].(types.Int64).ValueInt64() != 7_120_000 || sdsc["bytes_new_latest"].(types.Int64).ValueInt64() != 120_000 {
		t.Errorf("sdsc's points: %v", sdsc)
	}
}
