package provider

import (
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

func TestPeerClusterIDRoundTrip(t *testing.T) {
	id := peerClusterID("203.0.113.21", "global-dr")
	node, vol, err := parsePeerClusterID(id)
	if err != nil || node != "203.0.113.21" || vol != "global-dr" || id != "203.0.113.21/global-dr" {
		t.Errorf("parse(%q) = %q, %q, %v", id, node, vol, err)
	}
}

func TestParsePeerClusterIDRefuses(t *testing.T) {
	for id, want := range map[string]string{
		"global-dr":              "is not <node>/<volume>",
		"203.0.113.21/a/b":       "is not <node>/<volume>",
		"-oProxyCommand=x/vol":   "node",
		"203.0.113.21/bad name":  "volume",
		"203.0.113.21/":          "volume",
		"sdsc1;reboot/global-dr": "node",
	} {
		_, _, err := parsePeerClusterID(id)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parse(%q) = %v, want an error about %q", id, err, want)
		}
	}
}

func TestSessionIDRoundTrip(t *testing.T) {
	for _, ref := range []gluster.SessionRef{
		{PrimaryVolume: "global", SecondaryHost: "203.0.113.21", SecondaryVolume: "global-dr"},
		{PrimaryVolume: "global", SecondaryUser: "geoaccount", SecondaryHost: "sdsc1.example.org", SecondaryVolume: "dr"},
	} {
		id := sessionID("203.0.113.10", ref)
		node, got, err := parseSessionID(id)
		if err != nil || node != "203.0.113.10" || got != ref {
			t.Errorf("parse(%q) = %q, %+v, %v; want %+v", id, node, got, err, ref)
		}
	}
	if id := sessionID("p1", gluster.SessionRef{PrimaryVolume: "g", SecondaryHost: "s", SecondaryVolume: "d"}); id != "p1/g/s::d" {
		t.Errorf("id = %q", id)
	}
}

func TestParseSessionIDRefuses(t *testing.T) {
	for id, want := range map[string]string{
		"203.0.113.10/global":                        "is not <primary node>",
		"203.0.113.10/global/203.0.113.21":           "host::volume",
		"-x/global/203.0.113.21::dr":                 "primary node",
		"p1/global/$(reboot)::dr":                    "secondary host",
		"p1/glo bal/s::dr":                           "primary volume",
		"p1/global/2001:db8::1::dr":                  "",
		"p1/global/root;id@s::dr":                    "secondary user",
		"203.0.113.10/global/203.0.113.21::dr/extra": "is not <primary node>",
	} {
		_, _, err := parseSessionID(id)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parse(%q) = %v, want an error about %q", id, err, want)
		}
	}
}

func TestScheduleIDRoundTrip(t *testing.T) {
	for _, c := range []struct{ node, path string }{
		{"ctl.example.org", "/etc/glusterdr/schedule.hcl"},
		{"198.18.1.10", "/etc/glusterdr/lab.hcl"},
		{"2001:db8::10", "/etc/glusterdr/schedule.hcl"},
	} {
		id := scheduleID(c.node, c.path)
		node, p, err := parseScheduleID(id)
		if err != nil || node != c.node || p != c.path {
			t.Errorf("parse(%q) = %q, %q, %v", id, node, p, err)
		}
	}
	for id, want := range map[string]string{
		"ctl.example.org":                  "is not <controller node><absolute path>",
		"ctl.example.org/":                 "is not <controller node><absolute path>",
		"-oProxyCommand=x/etc/x.hcl":       "controller node",
		"ctl/etc/../x.hcl":                 "path",
		"ctl/etc/glusterdr/schedule.hcl\n": "path",
	} {
		if _, _, err := parseScheduleID(id); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parse(%q) = %v, want an error about %q", id, err, want)
		}
	}
}

func TestProvisioningIDRoundTrip(t *testing.T) {
	id := provisioningID("gluster1", "/var/glfs/global/backup", "initial")
	if id != "gluster1/var/glfs/global/backup/provisioning/initial" {
		t.Errorf("id = %q", id)
	}
	node, dir, name, err := parseProvisioningID(id)
	if err != nil || node != "gluster1" || dir != "/var/glfs/global/backup" || name != "initial" {
		t.Errorf("parse(%q) = %q, %q, %q, %v", id, node, dir, name, err)
	}
	for _, bad := range []string{
		"gluster1/var/glfs/global/backup/initial",
		"gluster1/provisioning/initial",
		"gluster1/var/glfs/global/backup/provisioning/Initial",
		"gluster1/var/glfs/global/backup/provisioning/",
	} {
		if _, _, _, err := parseProvisioningID(bad); err == nil {
			t.Errorf("parse(%q) succeeded", bad)
		}
	}
}
