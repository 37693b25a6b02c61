package gluster

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Keys as gsec_create writes them into common_secret.pem.pub: each with the
// forced command of its purpose. Bodies are shortened, not real keys.
const (
	gsyncdKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDgsyncdkeybody0000000000"
	tarKey    = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAItarsshkeybody111111"
	commonPub = `command="/usr/libexec/glusterfs/gsyncd" ` + gsyncdKey + " root@vm\n" +
		`command="tar ${SSH_ORIGINAL_COMMAND#* }" ` + tarKey + " root@vm\n"
)

func TestParseAuthorizedKeys(t *testing.T) {
	text := "# comment\n\n" +
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIotherkeybody22222 admin@laptop\n" +
		`command="tar ${SSH_ORIGINAL_COMMAND#* }",no-pty ` + tarKey + " root@vm\n" +
		`environment="A=b c",command="/usr/libexec/glusterfs/gsyncd \"quoted\" x" ` + gsyncdKey + "\n" +
		"garbage line\n"
	got := parseAuthorizedKeys(text)
	want := map[string]bool{
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIotherkeybody22222": true,
		tarKey:    true,
		gsyncdKey: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
}

func TestWaitForKeys(t *testing.T) {
	clk := newClock()
	primary := newFake(t).on([]string{"cat", CommonSecretPub}, ok(commonPub))
	secondary := newFake(t)
	secondary.host = "198.51.100.2"
	secondary.on([]string{"cat", "/root/.ssh/authorized_keys"},
		reply{stderr: "cat: /root/.ssh/authorized_keys: No such file or directory\n", rc: 1},
		ok("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIotherkeybody22222 admin\n"),
		ok("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIotherkeybody22222 admin\n"+
			`command="/usr/libexec/glusterfs/gsyncd" `+gsyncdKey+" root@vm\n"),
		ok("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIotherkeybody22222 admin\n"+
			`command="/usr/libexec/glusterfs/gsyncd" `+gsyncdKey+" root@vm\n"+
			`command="tar ${SSH_ORIGINAL_COMMAND#* }" `+tarKey+" root@vm\n"))
	err := New(primary, WithClock(clk)).WaitForKeys(context.Background(), refRemote, secondary)
	if err != nil {
		t.Fatal(err)
	}
	if n := secondary.count([]string{"cat", "/root/.ssh/authorized_keys"}); n != 4 {
		t.Errorf("read authorized_keys %d times, want 4", n)
	}
	want := []time.Duration{250 * time.Millisecond, 375 * time.Millisecond, 562500 * time.Microsecond}
	if got := clk.sleeps(); !reflect.DeepEqual(got, want) {
		t.Errorf("backoff = %v, want %v", got, want)
	}
}

func TestWaitForKeysNonRootUser(t *testing.T) {
	ref := SessionRef{PrimaryVolume: "gv0", SecondaryUser: "geoaccount", SecondaryHost: "dr.example", SecondaryVolume: "gvdr"}
	primary := newFake(t).on([]string{"cat", CommonSecretPub}, ok(commonPub))
	secondary := newFake(t).
		on([]string{"getent", "passwd", "geoaccount"}, ok("geoaccount:x:1001:1001::/home/geoaccount:/bin/bash\n")).
		on([]string{"cat", "/home/geoaccount/.ssh/authorized_keys"}, ok(commonPub))
	if err := New(primary, WithClock(newClock())).WaitForKeys(context.Background(), ref, secondary); err != nil {
		t.Fatal(err)
	}
}

func TestWaitForKeysGivesUp(t *testing.T) {
	clk := newClock()
	primary := newFake(t).on([]string{"cat", CommonSecretPub}, ok(commonPub))
	secondary := newFake(t)
	secondary.host = "198.51.100.2"
	secondary.on([]string{"cat", "/root/.ssh/authorized_keys"}, ok(`command="x" `+gsyncdKey+"\n"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	secondary.onRun = func([]string) {
		if clk.Now().Sub(newClock().Now()) > time.Minute {
			cancel()
		}
	}
	err := New(primary, WithClock(clk)).WaitForKeys(ctx, refRemote, secondary)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want the context's error, got %v", err)
	}
	for _, want := range []string{"1 of 2 primary keys are still missing from /root/.ssh/authorized_keys on 198.51.100.2", "Hint: push-pem"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	for _, d := range clk.sleeps() {
		if d > keysPollMax {
			t.Errorf("slept %v, more than %v", d, keysPollMax)
		}
	}
}

func TestWaitForKeysNoSecret(t *testing.T) {
	primary := newFake(t).on([]string{"cat", CommonSecretPub},
		reply{stderr: "cat: " + CommonSecretPub + ": No such file or directory\n", rc: 1})
	err := New(primary).WaitForKeys(context.Background(), refRemote, newFake(t))
	if err == nil || !strings.Contains(err.Error(), "Run CreateSecret") {
		t.Fatalf("got %v", err)
	}
}

func TestWaitForKeysUnreachableSecondary(t *testing.T) {
	primary := newFake(t).on([]string{"cat", CommonSecretPub}, ok(commonPub))
	secondary := newFake(t).on([]string{"cat", "/root/.ssh/authorized_keys"}, reply{err: errors.New("dial tcp: connection refused")})
	err := New(primary, WithClock(newClock())).WaitForKeys(context.Background(), refRemote, secondary)
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("an unreachable secondary must fail at once, got %v", err)
	}
}
