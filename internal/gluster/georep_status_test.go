package gluster

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse(glusterTimeLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	b1UUID   = "2754c775-5186-4fea-95eb-d195a7e5054c"
	keyGv1   = b1UUID + ":ssh://vm::gv1:65fc507d-52a1-43b4-9b5a-48a43b3e41ed"
	keyGvdr  = b1UUID + ":ssh://198.51.100.2::gvdr:7c27b147-d168-4d2a-a762-30937376c7d8"
	brickB1  = "/data/glusterfs/bricks/b1"
	brickB2  = "/data/glusterfs/bricks/b2"
	logGv0Vm = "/var/log/glusterfs/geo-replication/gv0_vm_gv1/gsyncd.log"
)

// stoppedWorker is a worker as gluster shows it when Stopped or Created:
// every other column N/A.
func stoppedWorker(brick, status string) Worker {
	return Worker{PrimaryNode: "vm", PrimaryBrick: brick, PrimaryNodeUUID: b1UUID, SecondaryUser: "root", Status: status}
}

func TestParseGeorepStatusFixtures(t *testing.T) {
	tests := []struct {
		fixture string
		want    []SessionStatus
	}{
		{"georep-status-created.xml", []SessionStatus{{Ref: refVM, Key: keyGv1, Rollup: RollupCreated,
			Workers: []Worker{stoppedWorker(brickB1, "Created")}}}},
		{"georep-status-stopped.xml", []SessionStatus{{Ref: refVM, Key: keyGv1, Rollup: RollupStopped,
			Workers: []Worker{stoppedWorker(brickB1, "Stopped")}}}},
		{"georep-status-detail-stopped.xml", []SessionStatus{{Ref: refVM, Key: keyGv1, Rollup: RollupStopped,
			Workers: []Worker{stoppedWorker(brickB1, "Stopped")}}}},
		{"remote-georep-status-detail-stopped.xml", []SessionStatus{{Ref: refRemote, Key: keyGvdr, Rollup: RollupStopped,
			Workers: []Worker{stoppedWorker(brickB2, "Stopped")}}}},
		{"georep-status-running.xml", []SessionStatus{{Ref: refVM, Key: keyGv1, Rollup: RollupUp,
			Workers: []Worker{{PrimaryNode: "vm", PrimaryBrick: brickB1, PrimaryNodeUUID: b1UUID, SecondaryUser: "root",
				Status: "Active", CrawlStatus: "Changelog Crawl", LastSynced: utc("2026-11-25 17:00:38")}}}}},
		{"georep-status-detail-running.xml", []SessionStatus{{Ref: refVM, Key: keyGv1, Rollup: RollupUp,
			Workers: []Worker{{PrimaryNode: "vm", PrimaryBrick: brickB1, PrimaryNodeUUID: b1UUID, SecondaryUser: "root",
				Status: "Active", CrawlStatus: "Changelog Crawl", LastSynced: utc("2026-11-25 17:00:38")}}}}},
		{"georep-status-detail-checkpoint-pending-small100MB.xml", []SessionStatus{{Ref: refVM, Key: keyGv1, Rollup: RollupUp,
			Workers: []Worker{{PrimaryNode: "vm", PrimaryBrick: brickB1, PrimaryNodeUUID: b1UUID, SecondaryUser: "root",
				Status: "Active", CrawlStatus: "History Crawl", LastSynced: utc("2026-11-25 17:12:04"),
				Data: 2002, CheckpointTime: utc("2026-11-25 17:13:34")}}}}},
		{"georep-status-detail-checkpoint-completed-small100MB.xml", []SessionStatus{{Ref: refVM, Key: keyGv1, Rollup: RollupUp,
			Workers: []Worker{{PrimaryNode: "vm", PrimaryBrick: brickB1, PrimaryNodeUUID: b1UUID, SecondaryUser: "root",
				Status: "Active", CrawlStatus: "History Crawl", LastSynced: utc("2026-11-25 17:23:45"),
				CheckpointTime: utc("2026-11-25 17:13:34"), CheckpointCompleted: true,
				CheckpointCompletionTime: utc("2026-11-25 17:25:03")}}}}},
		{"georep-status-detail-checkpoint-pending-big1G.xml", []SessionStatus{{Ref: refVM, Key: keyGv1, Rollup: RollupUp,
			Workers: []Worker{{PrimaryNode: "vm", PrimaryBrick: brickB1, PrimaryNodeUUID: b1UUID, SecondaryUser: "root",
				Status: "Active", CrawlStatus: "History Crawl", LastSynced: utc("2026-11-25 17:23:45"),
				Data: 3, CheckpointTime: utc("2026-11-25 17:25:39")}}}}},
		{"georep-status-detail-checkpoint-completed-big1G.xml", []SessionStatus{{Ref: refVM, Key: keyGv1, Rollup: RollupUp,
			Workers: []Worker{{PrimaryNode: "vm", PrimaryBrick: brickB1, PrimaryNodeUUID: b1UUID, SecondaryUser: "root",
				Status: "Active", CrawlStatus: "History Crawl", LastSynced: utc("2026-11-25 17:25:57"),
				CheckpointTime: utc("2026-11-25 17:25:39"), CheckpointCompleted: true,
				CheckpointCompletionTime: utc("2026-11-25 17:26:22")}}}}},
		{"remote-georep-status-all-running.xml", []SessionStatus{
			{Ref: refVM, Key: keyGv1, Rollup: RollupStopped, Workers: []Worker{stoppedWorker(brickB1, "Stopped")}},
			{Ref: refRemote, Key: keyGvdr, Rollup: RollupUp, Workers: []Worker{{PrimaryNode: "vm", PrimaryBrick: brickB2,
				PrimaryNodeUUID: b1UUID, SecondaryUser: "root", Status: "Active", CrawlStatus: "Changelog Crawl",
				LastSynced: utc("2026-11-25 17:31:00"), CheckpointTime: utc("2026-11-25 17:30:58"), CheckpointCompleted: true,
				CheckpointCompletionTime: utc("2026-11-25 17:31:30")}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			got, err := parseGeorepStatus(mustEnvelope(t, tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// The v9-* files are the GlusterFS <= 9 spelling (master_*, slave*,
// session_slave) of real 10.3 fixtures, made by renaming elements; they
// must parse to exactly what the originals parse to.
func TestParseGeorepStatusLegacyNames(t *testing.T) {
	for _, name := range []string{
		"georep-status-created.xml",
		"georep-status-detail-stopped.xml",
		"georep-status-detail-checkpoint-pending-small100MB.xml",
		"georep-status-detail-checkpoint-completed-small100MB.xml",
		"remote-georep-status-all-running.xml",
	} {
		t.Run(name, func(t *testing.T) {
			legacy := fixture(t, "v9-"+name).stdout
			if strings.Contains(legacy, "<primary") || strings.Contains(legacy, "<secondary") || !strings.Contains(legacy, "<master_node>") {
				t.Fatal("legacy fixture still uses >= 10 names")
			}
			want, err := parseGeorepStatus(mustEnvelope(t, name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseGeorepStatus(mustEnvelope(t, "v9-"+name))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("<= 9 names parse differently:\n got  %+v\n want %+v", got, want)
			}
		})
	}
}

// The legacy test data must be exactly the real fixture with elements
// renamed and one comment added, so that it tests names and nothing else.
func TestLegacyFixturesAreRenames(t *testing.T) {
	tag := regexp.MustCompile(`<(/?)([A-Za-z_][A-Za-z0-9_]*)([\s/>])`)
	rename := func(s string) string {
		return tag.ReplaceAllStringFunc(s, func(m string) string {
			p := tag.FindStringSubmatch(m)
			name := p[2]
			switch {
			case name == "primary":
				name = "master"
			case name == "secondary":
				name = "slave"
			case name == "session_secondary":
				name = "session_slave"
			case name == "isolated_secondarys":
				name = "isolated_slaves"
			case strings.HasPrefix(name, "primary_"):
				name = "master_" + strings.TrimPrefix(name, "primary_")
			case strings.HasPrefix(name, "secondary_"):
				name = "slave_" + strings.TrimPrefix(name, "secondary_")
			}
			return "<" + p[1] + name + p[3]
		})
	}
	matches, _ := filepath.Glob("testdata/v9-*.out")
	if len(matches) < 7 {
		t.Fatalf("only %d legacy fixtures", len(matches))
	}
	for _, m := range matches {
		legacy, _ := os.ReadFile(m)
		orig, err := os.ReadFile(strings.Replace(m, "testdata/v9-", "testdata/", 1))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(legacy), "\n", 3)
		if !strings.HasPrefix(lines[1], "<!-- Test data, not captured output") {
			t.Errorf("%s: the comment saying how it was made is missing", m)
		}
		if got, want := lines[0]+"\n"+lines[2], rename(string(orig)); got != want {
			t.Errorf("%s is not a pure rename of its original", m)
		}
	}
}

func TestRollupOf(t *testing.T) {
	w := func(statuses ...string) []Worker {
		var out []Worker
		for _, s := range statuses {
			out = append(out, Worker{Status: s})
		}
		return out
	}
	tests := []struct {
		workers []Worker
		want    Rollup
	}{
		{nil, RollupUnknown},
		{w("Active"), RollupUp},
		{w("Active", "Passive"), RollupUp},
		{w("Passive", "Passive"), RollupPartial},
		{w("Active", "Offline"), RollupPartial},
		{w("Active", "Initializing..."), RollupPartial},
		{w("Active", "Faulty"), RollupFaulty},
		{w("Faulty", "Stopped"), RollupFaulty},
		{w("Created", "Created"), RollupCreated},
		{w("Stopped"), RollupStopped},
		{w("Paused", "Paused"), RollupPaused},
		{w("Initializing...", "Initializing..."), RollupInitializing},
		{w("Initializing...", "Passive"), RollupInitializing},
		{w("Created", "Stopped"), RollupDown},
		{w("Offline"), RollupDown},
		{w("Paused", "Active"), RollupPartial},
	}
	for _, tt := range tests {
		if got := RollupOf(tt.workers); got != tt.want {
			t.Errorf("RollupOf(%v) = %s, want %s", tt.workers, got, tt.want)
		}
	}
}

func TestSessionStatusHelpers(t *testing.T) {
	cp := utc("2026-11-25 17:13:34")
	st := SessionStatus{Workers: []Worker{
		{Status: "Active", Entry: 1, Data: 2, Meta: 3, Failures: 4, LastSynced: utc("2026-11-25 17:20:00"),
			CheckpointTime: cp, CheckpointCompleted: true, CheckpointCompletionTime: utc("2026-11-25 17:25:03")},
		{Status: "Active", Data: 10, LastSynced: utc("2026-11-25 17:10:00"),
			CheckpointTime: cp, CheckpointCompleted: true, CheckpointCompletionTime: utc("2026-11-25 17:26:00")},
		{Status: "Passive", LastSynced: utc("2026-11-25 16:00:00")},
	}}
	if got, want := st.Pending(), (Pending{Entry: 1, Data: 12, Meta: 3, Failures: 4}); got != want {
		t.Errorf("Pending = %+v, want %+v", got, want)
	}
	if got := st.LastSynced(); !got.Equal(utc("2026-11-25 17:10:00")) {
		t.Errorf("LastSynced = %v (Passive workers do not count)", got)
	}
	if done, at := st.CheckpointReached(cp); !done || !at.Equal(utc("2026-11-25 17:26:00")) {
		t.Errorf("CheckpointReached = %v, %v; want the latest completion over Active workers", done, at)
	}
	if done, _ := st.CheckpointReached(cp.Add(time.Second)); done {
		t.Error("a checkpoint older than ours must not count")
	}
	st.Workers[1].CheckpointCompleted = false
	if done, _ := st.CheckpointReached(cp); done {
		t.Error("one Active worker not done: not reached")
	}
	if done, _ := (&SessionStatus{Workers: []Worker{{Status: "Passive"}}}).CheckpointReached(cp); done {
		t.Error("no Active worker: not reached")
	}
}

func TestStatusCommands(t *testing.T) {
	ctx := context.Background()
	f := newFake(t).
		on(g("--xml", "volume", "geo-replication", "gv2", "198.51.100.2::gvdr", "status", "detail"), fixture(t, "remote-georep-status-detail-stopped.xml")).
		on(g("--xml", "volume", "geo-replication", "status"), fixture(t, "remote-georep-status-all-running.xml"))
	c := New(f)
	st, err := c.Status(ctx, refRemote)
	if err != nil || st.Ref != refRemote || st.Rollup != RollupStopped || len(st.Workers) != 1 {
		t.Errorf("Status = %+v, %v", st, err)
	}
	all, err := c.StatusAll(ctx)
	if err != nil || len(all) != 2 || all[1].Ref != refRemote || all[1].Rollup != RollupUp || all[0].Ref != refVM {
		t.Errorf("StatusAll = %+v, %v", all, err)
	}
}

func TestStatusSessionMissingFromAnswer(t *testing.T) {
	f := newFake(t).on(g("--xml", "volume", "geo-replication", "gv0", "vm::gv9", "status", "detail"),
		fixture(t, "georep-status-detail-running.xml"))
	ref := SessionRef{PrimaryVolume: "gv0", SecondaryHost: "vm", SecondaryVolume: "gv9"}
	if _, err := New(f).Status(context.Background(), ref); !errors.Is(err, ErrNoSession) {
		t.Fatalf("got %v", err)
	}
}

func TestStatusAllNoSessions(t *testing.T) {
	f := newFake(t).on(g("--xml", "volume", "geo-replication", "status"),
		reply{stdout: "No active geo-replication sessions\ngeo-replication command failed\n", rc: 2})
	all, err := New(f).StatusAll(context.Background())
	if err != nil || len(all) != 0 {
		t.Fatalf("got %v, %v", all, err)
	}
}

func TestParseGeorepStatusOddValues(t *testing.T) {
	xml := `<?xml version="1.0"?><cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/><geoRep><volume><name>gv0</name><sessions><session>
<session_secondary>u:ssh://geoaccount@dr.example::gvdr:v</session_secondary>
<pair><primary_node>n1</primary_node><primary_brick>/b</primary_brick><secondary_user>geoaccount</secondary_user>
<secondary>ssh://geoaccount@dr.example::gvdr</secondary><secondary_node>dr2.example</secondary_node><status>Initializing...</status>
<crawl_status>N/A</crawl_status><entry>x</entry><data>-5</data><meta></meta><failures>N/A</failures>
<checkpoint_completed>maybe</checkpoint_completed><last_synced>yesterday</last_synced><checkpoint_time>N/A</checkpoint_time>
<checkpoint_completion_time>2026-13-45 99:00:00</checkpoint_completion_time></pair>
</session></sessions></volume></geoRep></cliOutput>`
	env, err := parseEnvelope([]byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseGeorepStatus(env)
	if err != nil {
		t.Fatal(err)
	}
	want := []SessionStatus{{
		Ref:     SessionRef{PrimaryVolume: "gv0", SecondaryUser: "geoaccount", SecondaryHost: "dr.example", SecondaryVolume: "gvdr"},
		Key:     "u:ssh://geoaccount@dr.example::gvdr:v",
		Rollup:  RollupInitializing,
		Workers: []Worker{{PrimaryNode: "n1", PrimaryBrick: "/b", SecondaryUser: "geoaccount", SecondaryNode: "dr2.example", Status: "Initializing..."}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestSecondaryFromKey(t *testing.T) {
	if got := secondaryFromKey(keyGvdr); got != "ssh://198.51.100.2::gvdr" {
		t.Errorf("got %q", got)
	}
	if got := secondaryFromKey("nocolon"); got != "" {
		t.Errorf("got %q", got)
	}
}
