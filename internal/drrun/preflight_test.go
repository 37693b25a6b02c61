package drrun

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// pinnedNodes is localNodes whose primary keeps gsyncd's pinned
// known_hosts under dir instead of /var/lib/glusterd.
type pinnedNodes struct {
	localNodes
	dir string
}

func (n pinnedNodes) Files(string) remote.Files { return pinnedFiles{remote.LocalFiles{}, n.dir} }

type pinnedFiles struct {
	remote.LocalFiles
	dir string
}

func (f pinnedFiles) ReadFile(ctx context.Context, p string) ([]byte, error) {
	if strings.HasPrefix(p, "/var/lib/glusterd/") {
		p = filepath.Join(f.dir, p)
	}
	return f.LocalFiles.ReadFile(ctx, p)
}

// TestChangedHostKeyFailsBeforeTheCycle: when a secondary node answers with
// a key other than the one gsyncd pins for it, the replicate step fails in
// moments, before any checkpoint cycle, naming the node, the pinned file
// and how to re-pin, and the set is failed, not left waiting.
func TestChangedHostKeyFailsBeforeTheCycle(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	target, _ := h.eng.Schedule.Target("tacc")
	pinned := filepath.Join(dir, georep.KnownHostsPath(target.Session()))
	must(t, os.MkdirAll(filepath.Dir(pinned), 0o755))
	must(t, os.WriteFile(pinned, []byte("tacc1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGej9bI5uihX1i73Qja0n4DHFGxjnrWFzXmHo4pZ/rnb\n"), 0o644))
	h.eng.Nodes = pinnedNodes{dir: dir}
	var checked []string
	h.eng.CheckHostKey = func(_ context.Context, cfg remote.Config) error {
		checked = append(checked, cfg.Host)
		return &remote.HostKeyError{Addr: cfg.Host + ":22", KeyType: "ssh-ed25519", Fingerprint: "SHA256:ODKNDzoEW1O9zZQSSvPKJTME2tenzrt",
			CheckedAgainst: []string{"pinned host key ssh-ed25519 SHA256:old"}}
	}
	h.eng.Schedule.SSH.KnownHostsFile = "/etc/glusterdr/known_hosts"
	start := time.Now()
	rep, err := h.eng.Run(context.Background(), RunOptions{Target: "tacc"})
	var pm *georep.PinMismatchError
	if !errors.As(err, &pm) || rep.FailedStep != backupset.StepReplicate {
		t.Fatalf("want the replicate step to fail on the pinned key, got step %q: %v", rep.FailedStep, err)
	}
	if took := time.Since(start); took > 30*time.Second || h.cycles != 0 {
		t.Errorf("%d checkpoint cycles ran; the run took %s", h.cycles, took)
	}
	for _, want := range []string{"target tacc: secondary node tacc1 (port 22) answers with ssh-ed25519 key SHA256:ODKNDzoEW1O9zZQSSvPKJTME2tenzrt",
		"in " + georep.KnownHostsPath(target.Session()) + " on p1", "put the checked key in this controller's /etc/glusterdr/known_hosts",
		"glusterdr session --schedule FILE --target tacc --state stopped"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, err)
		}
	}
	if len(checked) != 1 || checked[0] != "tacc1" {
		t.Errorf("checked %v, want tacc1", checked)
	}
	if m := rep.Sets[0].Set; m.Status != retention.Failed {
		t.Errorf("the set is %s", m.Status)
	}
}
