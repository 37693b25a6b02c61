package gluster

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseVolumeInfo(t *testing.T) {
	tests := []struct {
		fixture string
		want    []Volume
	}{
		{"volume-info.xml", []Volume{
			{Name: "gv0", ID: "8090f274-1e1e-4b45-8090-68cf407823bc", Status: VolumeStarted, Type: Distribute, Replica: 1,
				Bricks: []Brick{{"vm", "/data/glusterfs/bricks/b1"}},
				Options: map[string]string{"changelog.changelog": "on", "geo-replication.ignore-pid-check": "on",
					"geo-replication.indexing": "on", "storage.fips-mode-rchecksum": "on",
					"transport.address-family": "inet", "nfs.disable": "on"}},
			{Name: "gv1", ID: "65fc507d-52a1-43b4-9b5a-48a43b3e41ed", Status: VolumeStarted, Type: Distribute, Replica: 1,
				Bricks: []Brick{{"vm", "/data/glusterfs/bricks/s1"}},
				Options: map[string]string{"features.read-only": "on", "storage.fips-mode-rchecksum": "on",
					"transport.address-family": "inet", "nfs.disable": "on"}},
		}},
		{"site2-volume-info-gvdr.xml", []Volume{
			{Name: "gvdr", ID: "7c27b147-d168-4d2a-a762-30937376c7d8", Status: VolumeStarted, Type: Distribute, Replica: 1,
				Bricks:  []Brick{{"198.51.100.2", "/data/glusterfs/sites/site2/bricks/b"}, {"198.51.100.3", "/data/glusterfs/sites/site3/bricks/b"}},
				Options: map[string]string{"storage.fips-mode-rchecksum": "on", "transport.address-family": "inet", "nfs.disable": "on"}},
		}},
		{"err-volume-info-missing.xml", []Volume{}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			got, err := parseVolumeInfo(mustEnvelope(t, tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseVolumeStatus(t *testing.T) {
	tests := []struct {
		fixture string
		want    []VolumeStatus
	}{
		{"volume-status.xml", []VolumeStatus{
			{Name: "gv0", Bricks: []BrickStatus{{Host: "vm", Path: "/data/glusterfs/bricks/b1", PeerID: "2754c775-5186-4fea-95eb-d195a7e5054c", Online: true, Port: 49349, PID: 9283}}},
			{Name: "gv1", Bricks: []BrickStatus{{Host: "vm", Path: "/data/glusterfs/bricks/s1", PeerID: "2754c775-5186-4fea-95eb-d195a7e5054c", Online: true, Port: 55661, PID: 10576}}},
		}},
		{"volume-status-gv0-detail.xml", []VolumeStatus{
			{Name: "gv0", Bricks: []BrickStatus{{Host: "vm", Path: "/data/glusterfs/bricks/b1", PeerID: "2754c775-5186-4fea-95eb-d195a7e5054c", Online: true, Port: 49349, PID: 9283}}},
		}},
		{"site2-volume-status-gvdr.xml", []VolumeStatus{
			{Name: "gvdr", Bricks: []BrickStatus{
				{Host: "198.51.100.2", Path: "/data/glusterfs/sites/site2/bricks/b", PeerID: "b1475b3f-be65-4e60-9622-6bd5ca32795d", Online: true, Port: 59270, PID: 2288},
				{Host: "198.51.100.3", Path: "/data/glusterfs/sites/site3/bricks/b", PeerID: "8a205816-9511-43db-896c-4cd00b720d44", Online: true, Port: 53005, PID: 2304},
			}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			got, err := parseVolumeStatus(mustEnvelope(t, tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// A replicated volume also lists daemons and offline bricks; no fixture
// has them, so this XML follows the structure of the real ones.
func TestParseVolumeStatusDaemonsAndOffline(t *testing.T) {
	xml := `<?xml version="1.0"?><cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/><volStatus><volumes><volume>
<volName>r3</volName><nodeCount>2</nodeCount>
<node><hostname>h1</hostname><path>/b/1</path><peerid>u1</peerid><status>0</status><port>N/A</port><ports><tcp>N/A</tcp><rdma>N/A</rdma></ports><pid>-1</pid></node>
<node><hostname>Self-heal Daemon</hostname><path>h1</path><peerid>u1</peerid><status>1</status><port>N/A</port><ports><tcp>N/A</tcp><rdma>N/A</rdma></ports><pid>77</pid></node>
</volume></volumes></volStatus></cliOutput>`
	env, err := parseEnvelope([]byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseVolumeStatus(env)
	if err != nil {
		t.Fatal(err)
	}
	want := []VolumeStatus{{Name: "r3",
		Bricks:  []BrickStatus{{Host: "h1", Path: "/b/1", PeerID: "u1"}},
		Daemons: []DaemonStatus{{Name: "Self-heal Daemon", Host: "h1", PeerID: "u1", Online: true, PID: 77}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if got[0].AllBricksOnline() {
		t.Error("AllBricksOnline with an offline brick")
	}
}

func TestVolumeQueries(t *testing.T) {
	ctx := context.Background()
	f := newFake(t).
		on(g("--xml", "volume", "info", "gvdr"), fixture(t, "site2-volume-info-gvdr.xml")).
		on(g("--xml", "volume", "list"), fixture(t, "volume-list.xml")).
		on(g("--xml", "volume", "status", "gv0"), fixture(t, "volume-status-gv0-detail.xml")).
		on(g("--xml", "volume", "get", "gv0", "changelog.changelog"), fixture(t, "volume-get-gv0-changelog.xml"))
	c := New(f)

	v, err := c.VolumeInfo(ctx, "gvdr")
	if err != nil || v.Name != "gvdr" || len(v.Bricks) != 2 || v.Bricks[1].Host != "198.51.100.3" {
		t.Errorf("VolumeInfo = %+v, %v", v, err)
	}
	names, err := c.ListVolumes(ctx)
	if err != nil || !reflect.DeepEqual(names, []string{"gv0", "gv1"}) {
		t.Errorf("ListVolumes = %v, %v", names, err)
	}
	st, err := c.VolumeStatus(ctx, "gv0")
	if err != nil || !st.AllBricksOnline() || st.Bricks[0].Port != 49349 {
		t.Errorf("VolumeStatus = %+v, %v", st, err)
	}
	val, err := c.GetOption(ctx, "gv0", "changelog.changelog")
	if err != nil || val != "on" {
		t.Errorf("GetOption = %q, %v", val, err)
	}
}

func TestVolumeStatusOfStoppedVolume(t *testing.T) {
	// Written after the real missing-volume fixture; the stopped-volume
	// message is glusterd's "Volume %s is not started".
	f := newFake(t).on(g("--xml", "volume", "status", "gv0"), ok(`<?xml version="1.0"?>
<cliOutput><opRet>-1</opRet><opErrno>30800</opErrno><opErrstr>Volume gv0 is not started</opErrstr><cliOp>volStatus</cliOp><output>Volume gv0 is not started</output></cliOutput>`))
	_, err := New(f).VolumeStatus(context.Background(), "gv0")
	if !errors.Is(err, ErrAlreadyStopped) || !strings.Contains(err.Error(), "start it to see its bricks") {
		t.Fatalf("got %v", err)
	}
}

func TestVolumeCommandsArgv(t *testing.T) {
	ctx := context.Background()
	done := ok("")
	f := newFake(t).
		on(g("--mode=script", "--xml", "volume", "create", "gvr", "replica", "2",
			"198.51.100.2:/data/b1", "198.51.100.3:/data/b1", "198.51.100.2:/data/b2", "198.51.100.3:/data/b2", "force"), done).
		on(g("--mode=script", "--xml", "volume", "create", "gvd", "198.51.100.2:/data/d"), done).
		on(g("--mode=script", "--xml", "volume", "start", "gvd"), done).
		on(g("--mode=script", "--xml", "volume", "stop", "gvd"), fixture(t, "volume-stop-gv1.xml")).
		on(g("--mode=script", "--xml", "volume", "delete", "gvd"), fixture(t, "volume-delete-gv0")).
		on(g("--mode=script", "--xml", "volume", "set", "gvd", "changelog.changelog", "on"), done).
		on(g("--mode=script", "--xml", "volume", "set", "gvd", "geo-replication.indexing", "on"), done).
		on(g("--mode=script", "--xml", "volume", "reset", "gvd", "nfs.disable"), done).
		on(g("--mode=script", "--xml", "volume", "reset", "gvd", "geo-replication.indexing", "force"), done)
	c := New(f)
	steps := []func() error{
		func() error {
			return c.CreateVolume(ctx, VolumeSpec{Name: "gvr", Type: Replicate, Replica: 2, Force: true, Bricks: []Brick{
				{"198.51.100.2", "/data/b1"}, {"198.51.100.3", "/data/b1"}, {"198.51.100.2", "/data/b2"}, {"198.51.100.3", "/data/b2"}}})
		},
		func() error {
			return c.CreateVolume(ctx, VolumeSpec{Name: "gvd", Bricks: []Brick{{"198.51.100.2", "/data/d"}}})
		},
		func() error { return c.StartVolume(ctx, "gvd") },
		func() error { return c.StopVolume(ctx, "gvd") },
		func() error { return c.DeleteVolume(ctx, "gvd") },
		func() error {
			return c.SetOptions(ctx, "gvd", map[string]string{"geo-replication.indexing": "on", "changelog.changelog": "on"})
		},
		func() error { return c.ResetOption(ctx, "gvd", "nfs.disable") },
		func() error { return c.ForceResetOption(ctx, "gvd", "geo-replication.indexing") },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	got := f.commands()
	want := []string{
		key(g("--mode=script", "--xml", "volume", "create", "gvr", "replica", "2", "198.51.100.2:/data/b1", "198.51.100.3:/data/b1", "198.51.100.2:/data/b2", "198.51.100.3:/data/b2", "force")),
		key(g("--mode=script", "--xml", "volume", "create", "gvd", "198.51.100.2:/data/d")),
		key(g("--mode=script", "--xml", "volume", "start", "gvd")),
		key(g("--mode=script", "--xml", "volume", "stop", "gvd")),
		key(g("--mode=script", "--xml", "volume", "delete", "gvd")),
		key(g("--mode=script", "--xml", "volume", "set", "gvd", "changelog.changelog", "on")),
		key(g("--mode=script", "--xml", "volume", "set", "gvd", "geo-replication.indexing", "on")),
		key(g("--mode=script", "--xml", "volume", "reset", "gvd", "nfs.disable")),
		key(g("--mode=script", "--xml", "volume", "reset", "gvd", "geo-replication.indexing", "force")),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestStartVolumeAlreadyStarted(t *testing.T) {
	f := newFake(t).on(g("--mode=script", "--xml", "volume", "start", "gv0"), ok(`<?xml version="1.0"?>
<cliOutput><opRet>-1</opRet><opErrno>30800</opErrno><opErrstr>Volume gv0 already started</opErrstr></cliOutput>`))
	if err := New(f).StartVolume(context.Background(), "gv0"); err != nil {
		t.Fatalf("already started must be success, got %v", err)
	}
}

func TestDeleteVolumeMissing(t *testing.T) {
	f := newFake(t).on(g("--mode=script", "--xml", "volume", "delete", "nosuchvol"), fixture(t, "err-volume-start-missing.xml"))
	if err := New(f).DeleteVolume(context.Background(), "nosuchvol"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v", err)
	}
}

func TestVolumeInputRejectedBeforeRunning(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := New(f)
	bad := []error{
		c.StartVolume(ctx, "-x"),
		c.StopVolume(ctx, "all"),
		c.DeleteVolume(ctx, "a/b"),
		c.SetOptions(ctx, "gv0", map[string]string{"--help": "x"}),
		c.SetOptions(ctx, "gv0", map[string]string{"rsync.opt": "--bwlimit=1"}),
		c.ResetOption(ctx, "gv0", "a b"),
		c.CreateVolume(ctx, VolumeSpec{Name: "gv0"}),
		c.CreateVolume(ctx, VolumeSpec{Name: "gv0", Bricks: []Brick{{"localhost", "/b"}}}),
		c.CreateVolume(ctx, VolumeSpec{Name: "gv0", Bricks: []Brick{{"h", "/b"}, {"h", "/b"}}}),
		c.CreateVolume(ctx, VolumeSpec{Name: "gv0", Type: Replicate, Replica: 2, Bricks: []Brick{{"h", "/b"}}}),
		c.CreateVolume(ctx, VolumeSpec{Name: "gv0", Type: Replicate, Replica: 1, Bricks: []Brick{{"h", "/b"}}}),
		c.CreateVolume(ctx, VolumeSpec{Name: "gv0", Type: Distribute, Replica: 3, Bricks: []Brick{{"h", "/b"}}}),
		c.CreateVolume(ctx, VolumeSpec{Name: "gv0", Type: Disperse, Bricks: []Brick{{"h", "/b"}}}),
		c.CreateVolume(ctx, VolumeSpec{Name: "gv0", Bricks: []Brick{{"h", "b"}}}),
	}
	for i, err := range bad {
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("case %d: want ErrInvalid, got %v", i, err)
		}
	}
	if n := len(f.commands()); n != 0 {
		t.Errorf("%d commands ran for invalid input", n)
	}
}
