//go:build lab

package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// TestLabFaultChangedHostKey regenerates tacc1's host key, as a reinstall
// does (the lab keeps it in tacc1's node folder; sshd reads it on each
// connection). First only gsyncd's pinned key is stale (the controller's
// known_hosts was updated): the run fails before its cycle, in seconds,
// naming tacc1, the pinned file on p1 and how to re-pin, where it used to
// wait out checkpoint_timeout and blame a backlog. Then only the
// controller's is stale (gsyncd's pin updated): the run fails naming
// tacc1, the controller's known_hosts and the fingerprint.
func TestLabFaultChangedHostKey(t *testing.T) {
	row := recordFault(t, "10", "a changed host key at a site (gsyncd's, then the controller's)")
	conn, f := faultLab(t)
	before := f.newestVerified(t)
	tacc1, err := conn.D.Node("tacc1")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := conn.D.SessionRef("tacc")
	if err != nil {
		t.Fatal(err)
	}
	p1Files, err := conn.Files("p1")
	if err != nil {
		t.Fatal(err)
	}
	pinned := georep.KnownHostsPath(ref)
	oldPins, err := p1Files.ReadFile(context.Background(), pinned)
	if err != nil {
		t.Fatalf("gsyncd's pinned keys on p1: %v", err)
	}
	oldKnown, err := os.ReadFile(f.known)
	if err != nil {
		t.Fatal(err)
	}
	newLine, fingerprint := rekey(t, conn.D, tacc1)
	t.Cleanup(func() {
		if err := p1Files.WriteFile(context.Background(), pinned, strings.NewReader(string(oldPins)), 0o644); err != nil {
			t.Errorf("putting gsyncd's pinned keys back: %v", err)
		}
		if err := os.WriteFile(f.known, oldKnown, 0o600); err != nil {
			t.Errorf("putting the known_hosts back: %v", err)
		}
	})
	newKnown := replaceLine(t, string(oldKnown), tacc1.Address+" ", tacc1.Address+" "+newLine)

	// gsyncd's pin is stale.
	if err := os.WriteFile(f.known, []byte(newKnown), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := runCLI(t, "run", "--schedule", f.file, "--target", "tacc", "--json")
	gsyncd := time.Since(start)
	doc := decode[runDocument](t, r)
	for _, want := range []string{"secondary node " + tacc1.Address + " (port 22) answers with ssh-ed25519 key " + fingerprint,
		"in " + pinned + " on " + f.s.Primary.Node, "gsyncd will refuse to connect",
		"put the checked key in this controller's " + f.known, "glusterdr session --schedule FILE --target tacc --state stopped"} {
		if !strings.Contains(doc.Error.Message, want) {
			t.Errorf("with gsyncd's pin stale, the error does not say %q:\n%s", want, doc.Error.Message)
		}
	}
	if r.code != exitFailed || doc.FailedStep != backupset.StepReplicate || gsyncd > 30*time.Second {
		t.Fatalf("with gsyncd's pin stale: exit %d at step %q after %s", r.code, doc.FailedStep, gsyncd)
	}
	assertStopped(t, conn, "tacc")

	// The controller's known_hosts is stale.
	if err := os.WriteFile(f.known, oldKnown, 0o600); err != nil {
		t.Fatal(err)
	}
	newPins := replaceLine(t, string(oldPins), tacc1.Address+" ", tacc1.Address+" "+newLine)
	if err := p1Files.WriteFile(context.Background(), pinned, strings.NewReader(newPins), 0o644); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	r = runCLI(t, "run", "--schedule", f.file, "--target", "tacc", "--json")
	controller := time.Since(start)
	doc = decode[runDocument](t, r)
	for _, want := range []string{"its verify node " + tacc1.Address + " does not answer this controller",
		"ssh host key verification failed for " + tacc1.Address + ":22: the server presented ssh-ed25519 key " + fingerprint,
		f.known + ":"} {
		if !strings.Contains(doc.Error.Message, want) {
			t.Errorf("with the controller's known_hosts stale, the error does not say %q:\n%s", want, doc.Error.Message)
		}
	}
	if r.code != exitFailed || doc.FailedStep != backupset.StepReplicate || controller > 30*time.Second {
		t.Fatalf("with the controller's known_hosts stale: exit %d at step %q after %s", r.code, doc.FailedStep, controller)
	}
	row.Seconds = max(gsyncd, controller).Seconds()
	row.Outcome = outcomeError
	row.Detail = "before the cycle, in " + gsyncd.Round(100*time.Millisecond).String() + " (gsyncd's pin) and " +
		controller.Round(100*time.Millisecond).String() + " (the controller's), naming tacc1, the stale file and the fingerprint"
	assertStopped(t, conn, "tacc")
	assertFree(t, conn, f.s)
	row.Kept = f.kept(t, before)
}

// rekey gives node a new ed25519 host key, and puts the old one back when
// the test ends. It returns the new key's known_hosts key part and its
// fingerprint.
func rekey(t *testing.T, d *lab.Description, n lab.Node) (line, fingerprint string) {
	t.Helper()
	keyFile := filepath.Join(d.Dir, "nodes", n.Name, "ssh_host_ed25519_key")
	oldPriv, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	oldPub, err := os.ReadFile(keyFile + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.WriteFile(keyFile, oldPriv, 0o600); err != nil {
			t.Errorf("putting %s's host key back: %v", n.Name, err)
		}
		if err := os.WriteFile(keyFile+".pub", oldPub, 0o644); err != nil {
			t.Errorf("putting %s's host key back: %v", n.Name, err)
		}
	})
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "host-"+n.Name+"-reinstalled")
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	line = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub)))
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile+".pub", []byte(line+" host-"+n.Name+"-reinstalled\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// sshd reads its host keys on each connection: the next one shows it.
	if err := remote.CheckHostKey(context.Background(), remote.Config{Host: n.Address, HostKeys: []string{line}}); err != nil {
		t.Fatalf("%s does not answer with its new key: %v", n.Name, err)
	}
	return line, ssh.FingerprintSHA256(sshPub)
}

// replaceLine replaces the line of text starting with prefix by line.
func replaceLine(t *testing.T, text, prefix, line string) string {
	t.Helper()
	lines := strings.Split(text, "\n")
	found := false
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			lines[i], found = line, true
		}
	}
	if !found {
		t.Fatalf("no line starting %q in:\n%s", prefix, text)
	}
	return strings.Join(lines, "\n")
}
