package provider

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

const (
	keyA = "AAAAC3NzaC1lZDI1NTE5AAAAIPhBPxW2IoPeeOqnlTRrFuxmMOb5O/hhDbT4h+ArARmz"
	keyB = "AAAAC3NzaC1lZDI1NTE5AAAAICqwzcV7ZdK8fnTS2yjSDAZgwej2rQ/Mj8ZqDVZ+Vr1N"
)

func TestSSHSettingsDefaultsAndOverrides(t *testing.T) {
	t.Setenv("SSH_AUTH_SOCK", "")
	s, diags := newSSHSettings(providerModel{
		PrivateKeyFile: types.StringValue("/keys/id"),
		KnownHostsFile: types.StringValue("/kh"),
		ConnectTimeout: types.StringValue("7s"),
		HostKeys: []types.String{
			types.StringValue("203.0.113.21 ssh-ed25519 " + keyA),
			types.StringValue("[public.example]:2222,sdsc2 ssh-ed25519 " + keyB),
		},
		JumpHost: &jumpHostModel{Host: types.StringValue("bastion"), User: types.StringValue("jump")},
		Nodes: map[string]nodeModel{
			"sdsc2": {Address: types.StringValue("public.example"), Port: types.Int64Value(2222), User: types.StringValue("admin"),
				PrivateKey: types.StringValue("PEM")},
		},
	})
	if diags.HasError() {
		t.Fatal(diags)
	}

	c := s.config("203.0.113.21")
	if c.Host != "203.0.113.21" || c.Port != 22 || c.User != "root" || c.PrivateKeyFile != "/keys/id" ||
		c.KnownHostsFile != "/kh" || c.ConnectTimeout != 7*time.Second {
		t.Errorf("defaults: %+v", c)
	}
	if len(c.HostKeys) != 1 || !strings.Contains(c.HostKeys[0], keyA) {
		t.Errorf("pinned keys of 203.0.113.21 = %v", c.HostKeys)
	}
	if c.JumpHost == nil || c.JumpHost.Host != "bastion" || c.JumpHost.User != "jump" || c.JumpHost.Port != 22 {
		t.Errorf("jump host = %+v", c.JumpHost)
	}

	o := s.config("sdsc2")
	if o.Host != "public.example" || o.Port != 2222 || o.User != "admin" || string(o.PrivateKey) != "PEM" || o.PrivateKeyFile != "" {
		t.Errorf("override: %+v", o)
	}
	if len(o.HostKeys) != 1 || !strings.Contains(o.HostKeys[0], keyB) {
		t.Errorf("pinned keys of sdsc2 (dialed as [public.example]:2222) = %v", o.HostKeys)
	}
	if k := s.config("tacc1").HostKeys; len(k) != 0 {
		t.Errorf("tacc1 has pinned keys %v", k)
	}
}

func TestSSHSettingsWithoutCredentials(t *testing.T) {
	t.Setenv("SSH_AUTH_SOCK", "")
	_, diags := newSSHSettings(providerModel{})
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "private_key") {
		t.Errorf("no credentials: %v", diags)
	}
	t.Setenv("SSH_AUTH_SOCK", "/run/agent.sock")
	s, diags := newSSHSettings(providerModel{})
	if diags.HasError() || !s.base.Agent {
		t.Errorf("with an agent: %v, agent = %v", diags, s.base.Agent)
	}
}

func TestSSHSettingsSecretsCoverTheKeyBody(t *testing.T) {
	pem := "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACD4QT8VtiKD3nq\n-----END OPENSSH PRIVATE KEY-----\n"
	s, diags := newSSHSettings(providerModel{PrivateKey: types.StringValue(pem), Password: types.StringValue("hunter22")})
	if diags.HasError() {
		t.Fatal(diags)
	}
	secrets := s.secrets()
	for _, want := range []string{pem, "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", "hunter22"} {
		if !slices.Contains(secrets, want) {
			t.Errorf("secrets lack %q", want)
		}
	}
	if slices.ContainsFunc(secrets, func(s string) bool { return strings.HasPrefix(s, "-----BEGIN") && s != pem }) {
		t.Error("the PEM armour lines are masked on their own, which would mask harmless log lines")
	}
}

func TestSSHSettingsRefusesBadHostKeyAndTimeout(t *testing.T) {
	_, diags := newSSHSettings(providerModel{
		Password:       types.StringValue("x"),
		ConnectTimeout: types.StringValue("-1s"),
		HostKeys:       []types.String{types.StringValue("*.example ssh-ed25519 " + keyA)},
	})
	if len(diags.Errors()) != 2 {
		t.Fatalf("diags = %v, want two errors", diags)
	}
	for _, d := range diags.Errors() {
		if !strings.Contains(d.Detail(), "connect_timeout") && !strings.Contains(d.Detail(), "host_keys[0]") {
			t.Errorf("diagnostic does not name the attribute: %s", d.Detail())
		}
	}
}
