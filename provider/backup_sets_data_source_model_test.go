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
}
