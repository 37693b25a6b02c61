package remote

import (
	"reflect"
	"testing"
	"time"
)

func TestOverride(t *testing.T) {
	base := Config{Host: "p1", Port: 22, User: "root", PrivateKey: []byte("inline"), KnownHostsFile: "/k/known_hosts",
		CommandTimeout: time.Minute}
	tests := []struct {
		name string
		o    Config
		want Config
	}{
		{"nothing set keeps everything", Config{}, base},
		{"each setting it gives", Config{Host: "10.0.0.1", Port: 2222, User: "dr", KnownHostsFile: "/k/other"},
			Config{Host: "10.0.0.1", Port: 2222, User: "dr", PrivateKey: []byte("inline"), KnownHostsFile: "/k/other",
				CommandTimeout: time.Minute}},
		// A key file of the node's own must not leave the default inline
		// key to be offered first.
		{"a key file replaces the inline key", Config{PrivateKeyFile: "/k/node"},
			Config{Host: "p1", Port: 22, User: "root", PrivateKeyFile: "/k/node", KnownHostsFile: "/k/known_hosts",
				CommandTimeout: time.Minute}},
		{"an inline key replaces the key file", Config{PrivateKey: []byte("node")},
			Config{Host: "p1", Port: 22, User: "root", PrivateKey: []byte("node"), KnownHostsFile: "/k/known_hosts",
				CommandTimeout: time.Minute}},
		{"what it does not layer is not taken", Config{CommandTimeout: time.Second, Agent: true, HostKeys: []string{"k"}}, base},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := base.Override(tt.o)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Override(%#v)\ngot  %#v\nwant %#v", tt.o, got, tt.want)
			}
		})
	}
	if base.PrivateKeyFile != "" || base.Host != "p1" {
		t.Errorf("Override changed its receiver: %#v", base)
	}
}
