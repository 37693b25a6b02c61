package provstate

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// secrets are every secret value in testdata; none may survive a capture.
var secrets = []string{
	"hunter2", "S3cr3tBecome", "abcdef.0123456789abcdef", "pl41n-db-pass", "tok-live-9f8e7d",
	"$ANSIBLE_VAULT", "623133653966", "6231336539666234306139346433", "gr4f4n4-admin", "m1n10-root",
	"MHcCAQEEIBkg4LVWM9nu", "b3BlbnNzaC1rZXktdjEAAAAA", "al1ce-pw", "3338376664643766353637",
}

func testdata(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func capture(t *testing.T) *State {
	t.Helper()
	opts := Options{
		InventoryCommand: []string{"cat", testdata(t, "inventory.json")},
		InventoryFiles:   []string{testdata(t, "hosts.ini"), testdata(t, "all.yml"), testdata(t, "vaulted.yml")},
		ImageRef:         "registry.example.org/platform/node:2026.11",
	}
	st, err := Capture(context.Background(), remote.Local{}, remote.LocalFiles{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestCaptureRedactsEverySecret(t *testing.T) {
	st := capture(t)
	data, err := st.Encode()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("secret %q survived the capture", s)
		}
	}
	// What is not secret is kept, so that the capture is worth restoring from.
	for _, keep := range []string{
		`"ansible_host": "10.0.0.11"`, "/home/deploy/.ssh/id_ed25519", `"cpu_count": 16`,
		"ansible_user=deploy", "private_ip=10.0.0.0/24", "public-is-fine", "monkey_count: 3",
		"registry.example.org/platform/node:2026.11", "url: registry.example.org",
	} {
		if !bytes.Contains(data, []byte(keep)) {
			t.Errorf("capture lost %q:\n%s", keep, data)
		}
	}
	want := []string{
		"inventory: _meta.hostvars.gluster-1.example.org.ansible_password",
		"inventory: _meta.hostvars.gluster-1.example.org.extra_files[0]",
		"inventory: _meta.hostvars.gluster-1.example.org.registry.apiToken",
		"inventory: _meta.hostvars.gluster-1.example.org.vault_db_secret",
	}
	for _, w := range want {
		if !contains(st.Redactions, w) {
			t.Errorf("redactions lack %q: %q", w, st.Redactions)
		}
	}
	if !contains(st.Redactions, testdata(t, "hosts.ini")+" line 3: ansible_password") {
		t.Errorf("redactions do not name the INI line: %q", st.Redactions)
	}
	if len(st.Files) != 3 || st.Host != "localhost" || st.ImageRef == "" {
		t.Errorf("files %d, host %q, image %q", len(st.Files), st.Host, st.ImageRef)
	}
}

func TestDigestIgnoresCaptureTimeAndDetectsChanges(t *testing.T) {
	a, b := capture(t), capture(t)
	if a.Digest != b.Digest {
		t.Errorf("two captures of the same inventory: digests %s and %s", a.Digest, b.Digest)
	}
	data, err := a.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode(Encode): %v", err)
	}
	if back.Digest != a.Digest {
		t.Errorf("digest changed in the round trip")
	}
	altered := bytes.Replace(data, []byte("10.0.0.11"), []byte("10.0.0.99"), 1)
	if _, err := Decode(altered); err == nil || !strings.Contains(err.Error(), "altered") {
		t.Errorf("Decode of an altered copy: %v, want an error saying it was altered", err)
	}
}

func TestWriteIsPrivate(t *testing.T) {
	st := capture(t)
	p := filepath.Join(t.TempDir(), FileName)
	if err := st.Write(context.Background(), remote.LocalFiles{}, p); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
}

func TestCaptureFailures(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"command fails", Options{InventoryCommand: []string{"false"}}, "the inventory command failed on localhost"},
		{"not JSON", Options{InventoryCommand: []string{"echo", "[all]"}}, "did not print JSON"},
		{"two values", Options{InventoryCommand: []string{"echo", "{} {}"}}, "trailing data"},
		{"missing file", Options{InventoryCommand: []string{"echo", "{}"}, InventoryFiles: []string{"/nonexistent/hosts"}},
			"reading inventory file /nonexistent/hosts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Capture(ctx, remote.Local{}, remote.LocalFiles{}, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
