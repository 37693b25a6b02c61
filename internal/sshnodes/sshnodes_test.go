package sshnodes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

func lab(ssh schedule.SSH) *schedule.Schedule {
	return &schedule.Schedule{
		Primary: schedule.Primary{Node: "p1"},
		Targets: []schedule.Target{
			{Name: "sdsc", SecondaryHost: "sdsc1", VerifyNode: "sdsc2", RestorePoints: schedule.RestorePoints{Node: "sdsc2"}},
			{Name: "tacc", SecondaryHost: "tacc1", VerifyNode: "tacc1", RestorePoints: schedule.RestorePoints{Node: "tacc1"}},
		},
		SSH: ssh,
	}
}

func defaults() schedule.SSH {
	return schedule.SSH{User: "root", Port: 22, PrivateKeyFile: "/k/id", KnownHostsFile: "/k/known_hosts"}
}

// direct is a Config with the ssh block's defaults.
func direct(host string) remote.Config {
	return remote.Config{Host: host, Port: 22, User: "root", PrivateKeyFile: "/k/id", KnownHostsFile: "/k/known_hosts"}
}

func mustNew(t *testing.T, s *schedule.Schedule) *Nodes {
	t.Helper()
	n, err := New(remote.NewPool(nil), s, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
}

// TestConfigBastionInFrontOfOneSite: tacc's node is reached through the
// bastion, with the bastion's own user, key and known_hosts; the other
// nodes directly, with the defaults.
func TestConfigBastionInFrontOfOneSite(t *testing.T) {
	ssh := defaults()
	ssh.Nodes = []schedule.SSHNode{
		{Name: "bastion", User: "jump", Port: 2222, PrivateKeyFile: "/k/jump", KnownHostsFile: "/k/known_hosts.jump"},
		{Name: "tacc1", JumpHost: "bastion", User: "dr", PrivateKeyFile: "/k/tacc"},
	}
	n := mustNew(t, lab(ssh))
	bastion := remote.Config{Host: "bastion", Port: 2222, User: "jump", PrivateKeyFile: "/k/jump", KnownHostsFile: "/k/known_hosts.jump"}
	want := map[string]remote.Config{
		"p1":    direct("p1"),
		"sdsc2": direct("sdsc2"),
		"tacc1": {Host: "tacc1", Port: 22, User: "dr", PrivateKeyFile: "/k/tacc", KnownHostsFile: "/k/known_hosts", JumpHost: &bastion},
	}
	for host, w := range want {
		if diff := cmp.Diff(w, n.Config(host)); diff != "" {
			t.Errorf("Config(%s) (-want +got):\n%s", host, diff)
		}
	}
	if got := n.Config("tacc1").String(); got != "dr@tacc1:22 via jump@bastion:2222" {
		t.Errorf("String() = %q", got)
	}
}

// TestConfigDefaultJumpHost: with ssh.jump_host every node goes through it,
// except the jump host itself and a node that says "none"; a node's address
// is dialed instead of its name.
func TestConfigDefaultJumpHost(t *testing.T) {
	ssh := defaults()
	ssh.JumpHost = "bastion"
	ssh.Nodes = []schedule.SSHNode{{Name: "p1", JumpHost: schedule.NoJumpHost}, {Name: "sdsc1", Address: "10.0.0.21"}}
	n := mustNew(t, lab(ssh))
	b := direct("bastion")
	if diff := cmp.Diff(direct("bastion"), n.Config("bastion")); diff != "" {
		t.Errorf("the jump host itself (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(direct("p1"), n.Config("p1")); diff != "" {
		t.Errorf("p1, jump_host none (-want +got):\n%s", diff)
	}
	sdsc1 := direct("10.0.0.21")
	sdsc1.JumpHost = &b
	if diff := cmp.Diff(sdsc1, n.Config("sdsc1")); diff != "" {
		t.Errorf("sdsc1 (-want +got):\n%s", diff)
	}
	// A brick host that the schedule does not name takes the default too.
	brick := direct("sdsc3")
	brick.JumpHost = &b
	if diff := cmp.Diff(brick, n.Config("sdsc3")); diff != "" {
		t.Errorf("sdsc3 (-want +got):\n%s", diff)
	}
}

// TestConfigFollowsTheScheduleRoute: the resolved chain is the route the
// schedule's parser checked.
func TestConfigFollowsTheScheduleRoute(t *testing.T) {
	ssh := defaults()
	ssh.JumpHost = "bastion"
	ssh.Nodes = []schedule.SSHNode{{Name: "bastion", JumpHost: "outer"}, {Name: "outer", JumpHost: schedule.NoJumpHost},
		{Name: "tacc1", JumpHost: "tacc-login"}}
	s := lab(ssh)
	n := mustNew(t, s)
	for _, host := range append(Named(s), "sdsc9") {
		route, err := ssh.Route(host)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for c := n.Config(host).JumpHost; c != nil; c = c.JumpHost {
			got = append([]string{c.Host}, got...)
		}
		if diff := cmp.Diff(route, got); diff != "" {
			t.Errorf("%s: chain (-schedule's route +resolved):\n%s", host, diff)
		}
	}
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ssh_config")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestConfigFile: an opted-in OpenSSH config gives HostName, User, Port,
// IdentityFile and ProxyJump by the name; a node block wins over it; it
// never weakens host key checking.
func TestConfigFile(t *testing.T) {
	ssh := defaults()
	ssh.ConfigFile = writeConfig(t, `
Host tacc-login
  HostName login.tacc.example.org
  User jump
  Port 2022
  IdentityFile /k/%r-%n@%h

Host tacc*
  ProxyJump tacc-login
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null

Host sdsc1
  User sdscuser
  ProxyJump admin@gw.sdsc.example.org:2200,inner

Host *
  IdentityFile /k/fallback
  User nobody
`)
	ssh.Nodes = []schedule.SSHNode{{Name: "tacc1", User: "root"}}
	n := mustNew(t, lab(ssh))

	login := remote.Config{Host: "login.tacc.example.org", Port: 2022, User: "jump", PrivateKeyFile: "/k/jump-tacc-login@login.tacc.example.org",
		KnownHostsFile: "/k/known_hosts"}
	tacc1 := remote.Config{Host: "tacc1", Port: 22, User: "root", PrivateKeyFile: "/k/fallback", KnownHostsFile: "/k/known_hosts",
		JumpHost: &login}
	if diff := cmp.Diff(tacc1, n.Config("tacc1")); diff != "" {
		t.Errorf("tacc1 (-want +got):\n%s", diff)
	}
	gw := remote.Config{Host: "gw.sdsc.example.org", Port: 2200, User: "admin", PrivateKeyFile: "/k/fallback", KnownHostsFile: "/k/known_hosts"}
	inner := remote.Config{Host: "inner", Port: 22, User: "nobody", PrivateKeyFile: "/k/fallback", KnownHostsFile: "/k/known_hosts", JumpHost: &gw}
	sdsc1 := remote.Config{Host: "sdsc1", Port: 22, User: "sdscuser", PrivateKeyFile: "/k/fallback", KnownHostsFile: "/k/known_hosts", JumpHost: &inner}
	if diff := cmp.Diff(sdsc1, n.Config("sdsc1")); diff != "" {
		t.Errorf("sdsc1, a ProxyJump list (-want +got):\n%s", diff)
	}
}

// TestConfigFileIsOptIn: without config_file nothing is read, whatever
// the user's ~/.ssh/config says.
func TestConfigFileIsOptIn(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "config"), []byte("Host *\n  User other\n  ProxyJump x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	n := mustNew(t, lab(defaults()))
	if diff := cmp.Diff(direct("tacc1"), n.Config("tacc1")); diff != "" {
		t.Errorf("tacc1 (-want +got):\n%s", diff)
	}
}

func TestNewRefuses(t *testing.T) {
	for name, c := range map[string]struct{ config, want string }{
		"a loop":          {"Host tacc1\n  ProxyJump a\nHost a\n  ProxyJump b\nHost b\n  ProxyJump tacc1\n", `reaching it goes through "tacc1", which is already on the way`},
		"a bad port":      {"Host p1\n  Port ssh\n", `Port "ssh" for p1 is not a port number`},
		"a bad jump port": {"Host p1\n  ProxyJump gw:0\n", `jump host "gw:0": "0" is not a port number`},
		"Match exec":      {"Match exec \"true\"\n  User x\n", "Match Exec is not supported"},
		"a missing file":  {"", "ssh.config_file: open"},
	} {
		t.Run(name, func(t *testing.T) {
			ssh := defaults()
			ssh.ConfigFile = writeConfig(t, c.config)
			if c.config == "" {
				ssh.ConfigFile += ".missing"
			}
			_, err := New(remote.NewPool(nil), lab(ssh), nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("New: %v, want an error with %q", err, c.want)
			}
		})
	}
}

func TestNamed(t *testing.T) {
	ssh := defaults()
	ssh.JumpHost = "bastion"
	ssh.Nodes = []schedule.SSHNode{{Name: "x", JumpHost: "y"}, {Name: "p1", JumpHost: schedule.NoJumpHost}}
	want := []string{"bastion", "p1", "sdsc1", "sdsc2", "tacc1", "x", "y"}
	if diff := cmp.Diff(want, Named(lab(ssh))); diff != "" {
		t.Errorf("Named (-want +got):\n%s", diff)
	}
}

func TestExpandTokens(t *testing.T) {
	t.Setenv("HOME", "/home/op")
	tk := tokens{name: "tacc1", host: "tacc1.example.org", remoteUser: "dr"}
	for in, want := range map[string]string{
		"~/.ssh/id_%n": "/home/op/.ssh/id_tacc1",
		"%d/k/%r@%h":   "/home/op/k/dr@tacc1.example.org",
		"/k/100%%":     "/k/100%",
		"/k/%C":        "/k/%C",
		"/k/trailing%": "/k/trailing%",
		"":             "",
	} {
		if got := expandTokens(in, tk); got != want {
			t.Errorf("expandTokens(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParseJump: a ProxyJump value never panics the parser, and every hop
// it accepts names a host that is not an option.
func FuzzParseJump(f *testing.F) {
	for _, s := range []string{"bastion", "u@b:2222,c", "ssh://u@[2001:db8::1]:22", "a,,b", "@:", "-oProxyCommand=x", "b:0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hops, err := parseJump(s)
		if err != nil {
			return
		}
		for _, h := range hops {
			if h.host == "" || strings.HasPrefix(h.host, "-") || h.port < 0 || h.port > 65535 {
				t.Errorf("parseJump(%q) accepted hop %+v", s, h)
			}
		}
	})
}
