package georep

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// TestCheckPins checks every node the pinned file names, with that node's
// own pins and port, and turns a key that does not match into an error
// naming the node, the file and the primary node that holds it.
func TestCheckPins(t *testing.T) {
	ref := gluster.SessionRef{PrimaryVolume: "global", SecondaryHost: "dr-1", SecondaryVolume: "global-dr"}
	files := &memFiles{m: map[string][]byte{KnownHostsPath(ref): []byte(
		"dr-1 ssh-ed25519 AAAA1\n[dr-2]:2200 ssh-ed25519 AAAA2\n[dr-2]:2200 ssh-rsa BBBB2\n")}}
	var seen []string
	check := func(_ context.Context, cfg remote.Config) error {
		seen = append(seen, cfg.Host+":"+strconv.Itoa(cfg.Port)+"="+strings.Join(cfg.HostKeys, "|"))
		if cfg.Host == "dr-2" {
			return &remote.HostKeyError{Addr: "dr-2:2200", KeyType: "ssh-ed25519", Fingerprint: "SHA256:new",
				CheckedAgainst: []string{"pinned host key ssh-ed25519 SHA256:old"}}
		}
		return nil
	}
	n, err := CheckPins(context.Background(), files, "p1", ref, check)
	if want := []string{"dr-1:22=ssh-ed25519 AAAA1", "dr-2:2200=ssh-ed25519 AAAA2|ssh-rsa BBBB2"}; strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Errorf("checked %v, want %v", seen, want)
	}
	var pm *PinMismatchError
	if n != 2 || !errors.As(err, &pm) || pm.Host != "dr-2" || pm.Port != 2200 {
		t.Fatalf("%d checked, %v", n, err)
	}
	for _, want := range []string{"secondary node dr-2 (port 2200) answers with ssh-ed25519 key SHA256:new",
		"(pinned host key ssh-ed25519 SHA256:old) in " + KnownHostsPath(ref) + " on p1", "gsyncd will refuse to connect"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	delete(files.m, KnownHostsPath(ref))
	if n, err := CheckPins(context.Background(), files, "p1", ref, check); n != 0 || err != nil {
		t.Errorf("a session that pins nothing: %d, %v", n, err)
	}
}
