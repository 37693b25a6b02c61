package gluster

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// pushedKeys is a secondary node's authorized_keys as push-pem's hook
// leaves it: the lab's own key first, then the primary's two lines with
// peer_gsec_create's forced commands.
const pushedKeys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIotherkeybody22222 glusterdr-lab-engine\n" +
	`command="/usr/lib/x86_64-linux-gnu/glusterfs/gsyncd" ` + gsyncdKey + " root@p1\n" +
	`command="tar ${SSH_ORIGINAL_COMMAND#* }" ` + tarKey + " root@p1\n"

func TestTarCommandRoundTrip(t *testing.T) {
	if got := TarCommand(DefaultTarBlocking); got != `tar ${SSH_ORIGINAL_COMMAND#* }` {
		t.Errorf("at GNU tar's default the command must be push-pem's own, got %q", got)
	}
	for _, n := range []int{1, DefaultTarBlocking, 256, MaxTarBlocking} {
		if got := tarBlockingOf(TarCommand(n)); got != n {
			t.Errorf("tarBlockingOf(TarCommand(%d)) = %d", n, got)
		}
	}
	for _, cmd := range []string{"", "tar", `tar -b 256 ${SSH_ORIGINAL_COMMAND#* }`, `tar -B -b 0 ${SSH_ORIGINAL_COMMAND#* }`,
		`tar -B -b 256 ${SSH_ORIGINAL_COMMAND#* }; rm -rf /`, `/usr/lib/x86_64-linux-gnu/glusterfs/gsyncd`} {
		if got := tarBlockingOf(cmd); got != TarCommandOther {
			t.Errorf("tarBlockingOf(%q) = %d, want TarCommandOther", cmd, got)
		}
	}
}

func TestValidTarBlocking(t *testing.T) {
	for _, n := range []int{1, 20, 256, MaxTarBlocking} {
		if err := ValidTarBlocking(n); err != nil {
			t.Errorf("%d: %v", n, err)
		}
	}
	for _, n := range []int{-1, 0, MaxTarBlocking + 1} {
		if err := ValidTarBlocking(n); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("%d: got %v, want out of range", n, err)
		}
	}
}

func TestTarKeysOf(t *testing.T) {
	keys := tarKeysOf(commonPub + "\n# comment\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIotherkeybody22222 no-command\n")
	if len(keys) != 1 || keys[0] != tarKey {
		t.Errorf("tar keys = %q, want only the key with the tar forced command", keys)
	}
}

func TestWithTarBlockingKeepsEveryOtherLine(t *testing.T) {
	out, missing := withTarBlocking(pushedKeys, []string{tarKey}, 256)
	if len(missing) != 0 {
		t.Fatalf("missing %q", missing)
	}
	want := strings.Replace(pushedKeys, `command="tar ${SSH_ORIGINAL_COMMAND#* }"`, `command="tar -B -b 256 ${SSH_ORIGINAL_COMMAND#* }"`, 1)
	if out != want {
		t.Errorf("rewritten:\n%s\nwant:\n%s", out, want)
	}
	if got := tarBlocking(out, []string{tarKey}); got != 256 {
		t.Errorf("read back %d, want 256", got)
	}
	back, _ := withTarBlocking(out, []string{tarKey}, DefaultTarBlocking)
	if back != pushedKeys {
		t.Errorf("setting GNU tar's default again must give push-pem's file back, got:\n%s", back)
	}
}

func TestTarBlockingFirstLineCounts(t *testing.T) {
	tuned, _ := withTarBlocking(pushedKeys, []string{tarKey}, 256)
	// A later push-pem appends its own line again, after the tuned one:
	// sshd uses the first line of a key, so the tuning still holds.
	repushed := tuned + `command="tar ${SSH_ORIGINAL_COMMAND#* }" ` + tarKey + " root@p1\n"
	if got := tarBlocking(repushed, []string{tarKey}); got != 256 {
		t.Errorf("after a re-push: %d, want 256 (the first line)", got)
	}
	out, _ := withTarBlocking(repushed, []string{tarKey}, 128)
	if n := strings.Count(out, `command="tar -B -b 128 ${SSH_ORIGINAL_COMMAND#* }"`); n != 2 {
		t.Errorf("both lines of the key must be rewritten, %d were:\n%s", n, out)
	}
}

func TestTarBlockingOptionsAndDisagreement(t *testing.T) {
	const tarKey2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAItarsshkeybody222222"
	text := `no-pty,command="tar ${SSH_ORIGINAL_COMMAND#* }",from="10.0.0.0/8" ` + tarKey + " root@p1\n" +
		`command="tar -B -b 64 ${SSH_ORIGINAL_COMMAND#* }" ` + tarKey2 + " root@p2\n"
	keys := []string{tarKey, tarKey2}
	if got := tarBlocking(text, keys); got != TarCommandOther {
		t.Errorf("two primary nodes' lines force 20 and 64: got %d, want TarCommandOther", got)
	}
	out, _ := withTarBlocking(text, keys, 256)
	if got := tarBlocking(out, keys); got != 256 {
		t.Errorf("after the rewrite: %d, want 256", got)
	}
	if !strings.Contains(out, `command="tar -B -b 256 ${SSH_ORIGINAL_COMMAND#* }",no-pty,from="10.0.0.0/8" `+tarKey+" root@p1\n") {
		t.Errorf("the line's other options must be kept:\n%s", out)
	}
	if got := tarBlocking(pushedKeys, keys); got != TarKeyMissing {
		t.Errorf("a key with no line: got %d, want TarKeyMissing", got)
	}
}

// secondaryWithHome is a secondary node whose user geoaccount has its
// home in a temporary folder, with authorized_keys holding text; cat reads
// the real file.
func secondaryWithHome(t *testing.T, text string) (*fakeRunner, string) {
	home := t.TempDir()
	path := filepath.Join(home, ".ssh", "authorized_keys")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f := newFake(t).on([]string{"getent", "passwd", "geoaccount"}, ok("geoaccount:x:1001:1001::"+home+":/bin/bash\n")).
		on([]string{"chown", "--", "geoaccount:", path}, ok(""))
	f.handle([]string{"cat", path}, func() reply {
		b, err := os.ReadFile(path)
		if err != nil {
			return reply{stderr: err.Error(), rc: 1}
		}
		return ok(string(b))
	})
	return f, path
}

func TestSetTarBlockingRewritesTheUsersFile(t *testing.T) {
	ctx := context.Background()
	ref := refRemote
	ref.SecondaryUser = "geoaccount"
	f, path := secondaryWithHome(t, pushedKeys)
	c := New(f)
	changed, err := c.SetTarBlocking(ctx, remote.LocalFiles{}, ref, []string{tarKey}, 256)
	if err != nil || !changed {
		t.Fatalf("changed %v, %v", changed, err)
	}
	if got, err := c.TarBlocking(ctx, ref, []string{tarKey}); err != nil || got != 256 {
		t.Errorf("read back %d, %v; want 256", got, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("authorized_keys: %v, %v; want mode 0600", fi, err)
	}
	if f.count([]string{"chown", "--", "geoaccount:", path}) != 1 {
		t.Errorf("the rewritten file must be given back to geoaccount; commands: %q", f.commands())
	}
	changed, err = c.SetTarBlocking(ctx, remote.LocalFiles{}, ref, []string{tarKey}, 256)
	if err != nil || changed {
		t.Errorf("a second call: changed %v, %v; want no change", changed, err)
	}
}

func TestSetTarBlockingRefusesAKeyNotPushed(t *testing.T) {
	ref := refRemote
	ref.SecondaryUser = "geoaccount"
	const before = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIotherkeybody22222 admin\n"
	f, path := secondaryWithHome(t, before)
	_, err := New(f).SetTarBlocking(context.Background(), remote.LocalFiles{}, ref, []string{tarKey}, 256)
	if err == nil || !strings.Contains(err.Error(), "push-pem") {
		t.Fatalf("got %v, want an error naming push-pem", err)
	}
	if b, _ := os.ReadFile(path); string(b) != before {
		t.Errorf("the file must be left as it was, now:\n%s", b)
	}
	if _, err := New(f).SetTarBlocking(context.Background(), remote.LocalFiles{}, ref, []string{tarKey}, 0); err == nil {
		t.Error("a blocking factor of 0 must be refused")
	}
}

func TestTarKeysReadsThePrimary(t *testing.T) {
	keys, err := New(newFake(t).on([]string{"cat", CommonSecretPub}, ok(commonPub))).TarKeys(context.Background())
	if err != nil || len(keys) != 1 || keys[0] != tarKey {
		t.Errorf("keys %q, %v", keys, err)
	}
	_, err = New(newFake(t).on([]string{"cat", CommonSecretPub}, ok(`command="/usr/libexec/glusterfs/gsyncd" `+gsyncdKey+"\n"))).
		TarKeys(context.Background())
	if err == nil {
		t.Error("a common_secret.pem.pub with no tar key must be an error")
	}
}
