package gluster

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

const okXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/></cliOutput>`

func TestSessionRefNames(t *testing.T) {
	nonRoot := SessionRef{PrimaryVolume: "gv0", SecondaryUser: "geoaccount", SecondaryHost: "dr.example", SecondaryVolume: "gvdr"}
	tests := []struct {
		ref                           SessionRef
		secondary, str, name, logPath string
	}{
		{refVM, "vm::gv1", "gv0 -> vm::gv1", "gv0_vm_gv1", logGv0Vm},
		{refRemote, "198.51.100.2::gvdr", "gv2 -> 198.51.100.2::gvdr", "gv2_198.51.100.2_gvdr",
			"/var/log/glusterfs/geo-replication/gv2_198.51.100.2_gvdr/gsyncd.log"},
		{nonRoot, "geoaccount@dr.example::gvdr", "gv0 -> geoaccount@dr.example::gvdr", "gv0_dr.example_gvdr",
			"/var/log/glusterfs/geo-replication/gv0_dr.example_gvdr/gsyncd.log"},
		{SessionRef{PrimaryVolume: "gv0", SecondaryUser: "root", SecondaryHost: "vm", SecondaryVolume: "gv1"}, "vm::gv1", "gv0 -> vm::gv1", "gv0_vm_gv1", logGv0Vm},
	}
	for _, tt := range tests {
		r := tt.ref
		if r.Secondary() != tt.secondary || r.String() != tt.str || r.Name() != tt.name || r.LogPath() != tt.logPath {
			t.Errorf("%+v: got %q %q %q %q", r, r.Secondary(), r.String(), r.Name(), r.LogPath())
		}
	}
}

func TestParseSecondary(t *testing.T) {
	tests := []struct {
		in   string
		want SessionRef
	}{
		{"vm::gv1", refVM},
		{"ssh://vm::gv1", refVM},
		{"root@vm::gv1", refVM},
		{"geoaccount@dr.example::gvdr", SessionRef{PrimaryVolume: "gv0", SecondaryUser: "geoaccount", SecondaryHost: "dr.example", SecondaryVolume: "gvdr"}},
	}
	for _, tt := range tests {
		got, err := ParseSecondary("gv0", tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSecondary(%q) = %+v, %v", tt.in, got, err)
		}
	}
	for _, bad := range []string{"vm:gv1", "vm", "::gv1", "vm::", "-x::gv1", "vm::gv 1", "a@b@c::v"} {
		if _, err := ParseSecondary("gv0", bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseSecondary(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestGeorepCommandsArgv(t *testing.T) {
	ctx := context.Background()
	geo := func(opts []string, args ...string) []string {
		return append(g(opts...), append([]string{"volume", "geo-replication", "gv2", "198.51.100.2::gvdr"}, args...)...)
	}
	xmlOnly, script := []string{"--xml"}, []string{"--mode=script", "--xml"}
	want := [][]string{
		{"gluster", "system::", "execute", "gsec_create"},
		geo(script, "create", "ssh-port", "2222", "push-pem", "force"),
		geo(xmlOnly, "config", "ssh_port", "2222"),
		geo(script, "create", "ssh-port", "22", "push-pem"),
		geo(xmlOnly, "config", "ssh_port", "22"),
		geo(xmlOnly, "start"),
		geo(xmlOnly, "start", "force"),
		geo(script, "stop"),
		geo(script, "stop", "force"),
		geo(xmlOnly, "pause"),
		geo(xmlOnly, "resume", "force"),
		geo(script, "delete"),
		geo(script, "delete", "reset-sync-time"),
		geo(xmlOnly, "config", "sync_method", "tarssh"),
		geo(nil, "config", "rsync_options", "--bwlimit=1000"),
		geo(xmlOnly, "config", "!sync_method"),
	}
	f := newFake(t)
	f.on(want[0], ok("Common secret pub file present at /var/lib/glusterd/geo-replication/common_secret.pem.pub\n"))
	f.on(want[1], fixture(t, "georep-create"))
	for _, argv := range want[2:] {
		f.on(argv, ok(okXML))
	}
	c := New(f)
	steps := []error{
		c.CreateSecret(ctx),
		c.CreateSession(ctx, refRemote, CreateOptions{SSHPort: 2222, Force: true}),
		c.CreateSession(ctx, refRemote, CreateOptions{}),
		c.Start(ctx, refRemote, false),
		c.Start(ctx, refRemote, true),
		c.Stop(ctx, refRemote, false),
		c.Stop(ctx, refRemote, true),
		c.Pause(ctx, refRemote, false),
		c.Resume(ctx, refRemote, true),
		c.Delete(ctx, refRemote, DeleteOptions{}),
		c.Delete(ctx, refRemote, DeleteOptions{ResetSyncTime: true}),
		c.ConfigSet(ctx, refRemote, "sync_method", "tarssh"),
		c.ConfigSet(ctx, refRemote, "rsync_options", "--bwlimit=1000"),
		c.ConfigReset(ctx, refRemote, "sync_method"),
	}
	for i, err := range steps {
		if err != nil {
			t.Errorf("step %d: %v", i, err)
		}
	}
	var wantKeys []string
	for _, a := range want {
		wantKeys = append(wantKeys, key(a))
	}
	if got := f.commands(); !reflect.DeepEqual(got, wantKeys) {
		t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantKeys, "\n"))
	}
}

func TestCreateSessionConfigPortFailure(t *testing.T) {
	create := g("--mode=script", "--xml", "volume", "geo-replication", "gv0", "vm::gv1", "create", "ssh-port", "22", "push-pem")
	port := g("--xml", "volume", "geo-replication", "gv0", "vm::gv1", "config", "ssh_port", "22")
	f := newFake(t).on(create, fixture(t, "georep-create")).
		on(port, ok(`<?xml version="1.0"?><cliOutput><opRet>-1</opRet><opErrno>0</opErrno><opErrstr>config-set failed</opErrstr></cliOutput>`))
	err := New(f).CreateSession(context.Background(), refVM, CreateOptions{})
	if err == nil || !strings.Contains(err.Error(), "set config ssh_port") {
		t.Fatalf("a failed config ssh_port must fail CreateSession, got %v", err)
	}
}

func TestCreateSessionExists(t *testing.T) {
	create := g("--mode=script", "--xml", "volume", "geo-replication", "gv0", "vm::gv1", "create", "ssh-port", "22", "push-pem")
	f := newFake(t).on(create, ok(`<?xml version="1.0"?><cliOutput><opRet>-1</opRet><opErrno>30800</opErrno>`+
		`<opErrstr>Session between gv0 and vm::gv1 is already created.</opErrstr></cliOutput>`))
	err := New(f).CreateSession(context.Background(), refVM, CreateOptions{})
	if !errors.Is(err, ErrAlreadyExists) || !strings.Contains(err.Error(), "import it") {
		t.Fatalf("got %v", err)
	}
}

func TestGeorepIdempotentSteps(t *testing.T) {
	ctx := context.Background()
	say := func(msg string) reply {
		return ok(`<?xml version="1.0"?><cliOutput><opRet>-1</opRet><opErrno>0</opErrno><opErrstr>` + msg + `</opErrstr></cliOutput>`)
	}
	geo := func(opts []string, args ...string) []string {
		return append(g(opts...), append([]string{"volume", "geo-replication", "gv0", "vm::gv1"}, args...)...)
	}
	f := newFake(t).
		on(geo([]string{"--xml"}, "start"), say("Geo-replication session between gv0 and vm::gv1 already started.")).
		on(geo([]string{"--xml"}, "pause"), say("Geo-replication session between gv0 and vm::gv1 already Paused.")).
		on(geo([]string{"--xml"}, "resume"), say("Geo-replication session between gv0 and vm::gv1 is not Paused.")).
		on(geo([]string{"--mode=script", "--xml"}, "stop"), say("Geo-replication session between gv0 and vm::gv1 is not running."))
	c := New(f)
	for name, err := range map[string]error{
		"start": c.Start(ctx, refVM, false), "pause": c.Pause(ctx, refVM, false),
		"resume": c.Resume(ctx, refVM, false), "stop": c.Stop(ctx, refVM, false),
	} {
		if err != nil {
			t.Errorf("%s of a session already in that state: %v", name, err)
		}
	}
}

func TestParseGeorepConfig(t *testing.T) {
	for _, name := range []string{"georep-config.xml", "remote-georep-config.xml", "v9-georep-config.xml"} {
		t.Run(name, func(t *testing.T) {
			m, err := parseGeorepConfig(mustEnvelope(t, name))
			if err != nil {
				t.Fatal(err)
			}
			// Every key of the plain listing is in the XML with the same value.
			plain := fixture(t, strings.TrimPrefix(strings.TrimSuffix(name, ".xml"), "v9-")).stdout
			lines := strings.Split(strings.TrimSpace(plain), "\n")
			if len(m) != len(lines) {
				t.Errorf("%d keys, plain listing has %d", len(m), len(lines))
			}
			for _, line := range lines {
				k, v, _ := strings.Cut(line, ":")
				if strings.HasPrefix(name, "v9-") {
					// GlusterFS <= 9 spells the renamed keys master_*/slave_*; values are unchanged.
					if strings.HasPrefix(k, "primary_") || strings.HasPrefix(k, "secondary_") || k == "isolated_secondarys" {
						k = strings.NewReplacer("primary_", "master_", "secondary_", "slave_", "isolated_secondarys", "isolated_slaves").Replace(k)
					}
				}
				if got, ok := m[k]; !ok || got != v {
					t.Errorf("key %s = %q (present %v), plain says %q", k, got, ok, v)
				}
			}
		})
	}
}

func TestConfigQueries(t *testing.T) {
	ctx := context.Background()
	f := newFake(t).
		on(g("--xml", "volume", "geo-replication", "gv2", "198.51.100.2::gvdr", "config"), fixture(t, "remote-georep-config.xml")).
		on(g("volume", "geo-replication", "gv2", "198.51.100.2::gvdr", "config", "checkpoint"), fixture(t, "remote-georep-config-get-checkpoint")).
		on(g("volume", "geo-replication", "gv0", "vm::gv1", "config", "checkpoint"), ok("0\n"))
	c := New(f)
	m, err := c.Config(ctx, refRemote)
	if err != nil || m["ssh_port"] != "22" || m["checkpoint"] != "1795627858" || m["sync_method"] != "rsync" {
		t.Errorf("Config = %v, %v", m["ssh_port"], err)
	}
	v, err := c.ConfigGet(ctx, refRemote, "checkpoint")
	if err != nil || v != "1795627858" {
		t.Errorf("ConfigGet = %q, %v", v, err)
	}
	cp, err := c.Checkpoint(ctx, refRemote)
	// The same checkpoint shows as checkpoint_time in remote-georep-status-all-running.xml.
	if err != nil || !cp.Equal(utc("2026-11-25 17:30:58")) {
		t.Errorf("Checkpoint = %v, %v", cp, err)
	}
	if cp, err := c.Checkpoint(ctx, refVM); err != nil || !cp.IsZero() {
		t.Errorf("no checkpoint: %v, %v", cp, err)
	}
}

func TestConfigInputRejected(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := New(f)
	for i, err := range []error{
		c.ConfigSet(ctx, refVM, "!ssh_port", "22"),
		c.ConfigSet(ctx, refVM, "--xml", "1"),
		c.ConfigSet(ctx, refVM, "ssh_port", ""),
		c.ConfigSet(ctx, refVM, "ssh_port", "22\n23"),
		c.ConfigReset(ctx, refVM, "a b"),
		func() error { _, err := c.ConfigGet(ctx, refVM, "-x"); return err }(),
		c.CreateSession(ctx, refVM, CreateOptions{SSHPort: 70000}),
		c.Start(ctx, SessionRef{PrimaryVolume: "gv0", SecondaryHost: "-oProxyCommand=x", SecondaryVolume: "v"}, false),
	} {
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("case %d: want ErrInvalid, got %v", i, err)
		}
	}
	if len(f.commands()) != 0 {
		t.Errorf("commands ran: %v", f.commands())
	}
}

func TestSetCheckpointReadsBack(t *testing.T) {
	f := newFake(t).
		on(g("--xml", "volume", "geo-replication", "gv2", "198.51.100.2::gvdr", "config", "checkpoint", "now"), ok(okXML)).
		on(g("volume", "geo-replication", "gv2", "198.51.100.2::gvdr", "config", "checkpoint"), ok("1795627858\n"))
	cp, err := New(f).SetCheckpoint(context.Background(), refRemote)
	if err != nil || cp != time.Unix(1795627858, 0).UTC() {
		t.Fatalf("SetCheckpoint = %v, %v", cp, err)
	}
}

func TestCheckpointNotANumber(t *testing.T) {
	f := newFake(t).on(g("volume", "geo-replication", "gv0", "vm::gv1", "config", "checkpoint"), ok("soon\n"))
	if _, err := New(f).Checkpoint(context.Background(), refVM); !errors.Is(err, ErrUnexpectedOutput) {
		t.Fatalf("got %v", err)
	}
}
