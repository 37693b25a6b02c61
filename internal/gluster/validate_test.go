package gluster

import (
	"errors"
	"strings"
	"testing"
)

func TestValidVolumeName(t *testing.T) {
	good := []string{"gv0", "global", "GV_dr-1", "a", strings.Repeat("v", MaxVolumeNameLen), "0volume", "volumes"}
	bad := []string{"", "-gv0", "gv.0", "gv/0", "gv 0", "gv0\n", "all", "volume", "force", "type",
		"end-volume", "activate-on-create", strings.Repeat("v", MaxVolumeNameLen+1), "gvé", "gv:0", "$(x)"}
	for _, n := range good {
		if err := ValidVolumeName(n); err != nil {
			t.Errorf("ValidVolumeName(%q) = %v, want nil", n, err)
		}
	}
	for _, n := range bad {
		if err := ValidVolumeName(n); !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidVolumeName(%q) = %v, want ErrInvalid", n, err)
		}
	}
}

func TestValidBrickPath(t *testing.T) {
	good := []string{"/data/glusterfs/bricks/b1", "/b", "/data/brick-1_a.b+c", "/x/" + strings.Repeat("c", 255)}
	bad := []string{"", "b1", "-/b", "/", "/data/", "/data//b", "/data/../etc", "/data/./b", "/data/..",
		"/data/b 1", "/data/b\n1", "/data/b\t", "/data/b;rm", "/data/$(id)", "/data/`id`", "/data/b:1",
		"/data/b|x", "/data/b&", "/data/b*", "/data/'b'", `/data/"b"`, "/data/b\x00", "/x/" + strings.Repeat("c", 256),
		"/" + strings.Repeat("a/", 2048)}
	for _, p := range good {
		if err := ValidBrickPath(p); err != nil {
			t.Errorf("ValidBrickPath(%q) = %v, want nil", p, err)
		}
	}
	for _, p := range bad {
		if err := ValidBrickPath(p); !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidBrickPath(%q) = %v, want ErrInvalid", p, err)
		}
	}
}

func TestValidHost(t *testing.T) {
	good := []string{"vm", "gluster-1.sdsc.example.org", "198.51.100.2", "2001:db8::1", "a1", "1host", "xn--bcher-kva.example"}
	bad := []string{"", "-vm", "-oProxyCommand=sh", "vm-", "a..b", ".vm", "vm.", "a_b", "a b", "vm\n",
		"999.1.1.1", "1.2.3", "fe80::1%eth0", "host;id", strings.Repeat("a", 64) + ".org",
		strings.Repeat("abcdefghi.", 26) + "org", "user@host", "host:22"}
	for _, h := range good {
		if err := ValidHost(h); err != nil {
			t.Errorf("ValidHost(%q) = %v, want nil", h, err)
		}
	}
	for _, h := range bad {
		if err := ValidHost(h); !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidHost(%q) = %v, want ErrInvalid", h, err)
		}
	}
}

func TestSessionRefValidate(t *testing.T) {
	good := []SessionRef{refVM, refRemote, {PrimaryVolume: "gv0", SecondaryUser: "geoaccount", SecondaryHost: "dr.example", SecondaryVolume: "gvdr"}}
	bad := []SessionRef{
		{PrimaryVolume: "-gv0", SecondaryHost: "vm", SecondaryVolume: "gv1"},
		{PrimaryVolume: "gv0", SecondaryHost: "-vm", SecondaryVolume: "gv1"},
		{PrimaryVolume: "gv0", SecondaryHost: "vm", SecondaryVolume: ""},
		{PrimaryVolume: "gv0", SecondaryUser: "-u", SecondaryHost: "vm", SecondaryVolume: "gv1"},
		{PrimaryVolume: "gv0", SecondaryUser: "a@b", SecondaryHost: "vm", SecondaryVolume: "gv1"},
		{PrimaryVolume: "gv0", SecondaryHost: "2001:db8::1", SecondaryVolume: "gv1"},
	}
	for _, r := range good {
		if err := r.Validate(); err != nil {
			t.Errorf("%+v: %v", r, err)
		}
	}
	for _, r := range bad {
		if err := r.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: want ErrInvalid, got %v", r, err)
		}
	}
}
