package gluster

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

var (
	refVM      = SessionRef{PrimaryVolume: "gv0", SecondaryHost: "vm", SecondaryVolume: "gv1"}
	refMissing = SessionRef{PrimaryVolume: "gv0", SecondaryHost: "vm", SecondaryVolume: "nosuchvol"}
	refRemote  = SessionRef{PrimaryVolume: "gv2", SecondaryHost: "198.51.100.2", SecondaryVolume: "gvdr"}
)

// TestErrorFixtures runs every error fixture through the client call that
// produces it and checks the kind (nil kind: the call must succeed, because
// the fixture is one of the exit-code lies of an already-done step).
func TestErrorFixtures(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		fixture  string
		argv     []string
		call     func(*Client) error
		wantKind error
		wantOK   bool
	}{
		{
			name: "georep config on missing session (plain)", fixture: "err-georep-config-missing-session",
			argv:     g("volume", "geo-replication", "gv0", "vm::nosuchvol", "config", "checkpoint"),
			call:     func(c *Client) error { _, err := c.ConfigGet(ctx, refMissing, "checkpoint"); return err },
			wantKind: ErrNoSession,
		},
		{
			name: "georep delete on missing session (plain text, rc 1)", fixture: "err-georep-delete-missing-session",
			argv:     g("--mode=script", "--xml", "volume", "geo-replication", "gv0", "vm::nosuchvol", "delete"),
			call:     func(c *Client) error { return c.Delete(ctx, refMissing, DeleteOptions{}) },
			wantKind: ErrNoSession,
		},
		{
			name: "georep start on missing session (xml opRet -1)", fixture: "err-georep-start-missing-session.xml",
			argv:     g("--xml", "volume", "geo-replication", "gv0", "vm::nosuchvol", "start"),
			call:     func(c *Client) error { return c.Start(ctx, refMissing, false) },
			wantKind: ErrNoSession,
		},
		{
			name: "georep start on missing session (plain rc 1)", fixture: "err-georep-start-missing-session",
			argv:     g("--xml", "volume", "geo-replication", "gv0", "vm::nosuchvol", "start"),
			call:     func(c *Client) error { return c.Start(ctx, refMissing, false) },
			wantKind: ErrNoSession,
		},
		{
			name: "georep status on missing session (rc 2, no xml)", fixture: "err-georep-status-missing-session.xml",
			argv:     g("--xml", "volume", "geo-replication", "gv0", "vm::nosuchvol", "status", "detail"),
			call:     func(c *Client) error { _, err := c.Status(ctx, refMissing); return err },
			wantKind: ErrNoSession,
		},
		{
			name: "georep stop on stopped session (rc 0, opErrstr not set up)", fixture: "err-georep-stop-already-stopped.xml",
			argv:   g("--mode=script", "--xml", "volume", "geo-replication", "gv0", "vm::gv1", "stop"),
			call:   func(c *Client) error { return c.Stop(ctx, refVM, false) },
			wantOK: true,
		},
		{
			name: "georep stop on stopped session (plain)", fixture: "err-georep-stop-already-stopped",
			argv:   g("--mode=script", "--xml", "volume", "geo-replication", "gv0", "vm::gv1", "stop"),
			call:   func(c *Client) error { return c.Stop(ctx, refVM, false) },
			wantOK: true,
		},
		{
			name: "peer probe of a down host (xml opErrno 107)", fixture: "err-peer-probe-refused.xml",
			argv:     g("--xml", "peer", "probe", "198.51.100.2"),
			call:     func(c *Client) error { return c.Probe(ctx, "198.51.100.2") },
			wantKind: ErrPeerUnreachable,
		},
		{
			name: "peer probe of a down host (plain rc 1)", fixture: "err-peer-probe-refused",
			argv:     g("--xml", "peer", "probe", "198.51.100.2"),
			call:     func(c *Client) error { return c.Probe(ctx, "198.51.100.2") },
			wantKind: ErrPeerUnreachable,
		},
		{
			name: "peer probe of an existing peer (rc 0)", fixture: "site2-err-peer-probe-already",
			argv:   g("--xml", "peer", "probe", "198.51.100.3"),
			call:   func(c *Client) error { return c.Probe(ctx, "198.51.100.3") },
			wantOK: true,
		},
		{
			name: "volume create of an existing volume (rc 1)", fixture: "err-volume-create-exists",
			argv: g("--mode=script", "--xml", "volume", "create", "gv0", "vm:/data/glusterfs/bricks/b1", "force"),
			call: func(c *Client) error {
				return c.CreateVolume(ctx, VolumeSpec{Name: "gv0", Bricks: []Brick{{"vm", "/data/glusterfs/bricks/b1"}}, Force: true})
			},
			wantKind: ErrAlreadyExists,
		},
		{
			name: "volume info of a missing volume (xml)", fixture: "err-volume-info-missing.xml",
			argv:     g("--xml", "volume", "info", "nosuchvol"),
			call:     func(c *Client) error { _, err := c.VolumeInfo(ctx, "nosuchvol"); return err },
			wantKind: ErrNotFound,
		},
		{
			name: "volume info of a missing volume (plain)", fixture: "err-volume-info-missing",
			argv:     g("--xml", "volume", "info", "nosuchvol"),
			call:     func(c *Client) error { _, err := c.VolumeInfo(ctx, "nosuchvol"); return err },
			wantKind: ErrNotFound,
		},
		{
			name: "volume start of a missing volume (xml)", fixture: "err-volume-start-missing.xml",
			argv:     g("--mode=script", "--xml", "volume", "start", "nosuchvol"),
			call:     func(c *Client) error { return c.StartVolume(ctx, "nosuchvol") },
			wantKind: ErrNotFound,
		},
		{
			name: "volume start of a missing volume (plain)", fixture: "err-volume-start-missing",
			argv:     g("--mode=script", "--xml", "volume", "start", "nosuchvol"),
			call:     func(c *Client) error { return c.StartVolume(ctx, "nosuchvol") },
			wantKind: ErrNotFound,
		},
		{
			name: "volume status of a missing volume (xml)", fixture: "err-volume-status-missing.xml",
			argv:     g("--xml", "volume", "status", "nosuchvol"),
			call:     func(c *Client) error { _, err := c.VolumeStatus(ctx, "nosuchvol"); return err },
			wantKind: ErrNotFound,
		},
		{
			name: "volume status of a missing volume (plain)", fixture: "err-volume-status-missing",
			argv:     g("--xml", "volume", "status", "nosuchvol"),
			call:     func(c *Client) error { _, err := c.VolumeStatus(ctx, "nosuchvol"); return err },
			wantKind: ErrNotFound,
		},
		{
			name: "volume stop of a stopped volume (rc 1)", fixture: "err-volume-stop-already",
			argv:   g("--mode=script", "--xml", "volume", "stop", "gv0"),
			call:   func(c *Client) error { return c.StopVolume(ctx, "gv0") },
			wantOK: true,
		},
		{
			name: "georep create with a missing secondary volume (xml opRet -1)", fixture: "georep-create-missing-secondary.xml",
			argv: g("--mode=script", "--xml", "volume", "geo-replication", "gv0", "vm::nosuchvol", "create", "ssh-port", "22", "push-pem", "force"),
			call: func(c *Client) error {
				return c.CreateSession(ctx, refMissing, CreateOptions{Force: true})
			},
		},
		{
			name: "georep create with a missing secondary volume (plain rc 1)", fixture: "georep-create-missing-secondary",
			argv: g("--mode=script", "--xml", "volume", "geo-replication", "gv0", "vm::nosuchvol", "create", "ssh-port", "22", "push-pem", "force"),
			call: func(c *Client) error {
				return c.CreateSession(ctx, refMissing, CreateOptions{Force: true})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t).on(tt.argv, fixture(t, tt.fixture)).
				// Status confirms a missing session with the plain status.
				on(g("volume", "geo-replication", "gv0", "vm::nosuchvol", "status"), fixture(t, "err-georep-status-missing-session"))
			err := tt.call(New(f))
			if tt.wantOK {
				if err != nil {
					t.Fatalf("want success (an already-done step), got %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("want an error, got nil")
			}
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("want *Error, got %T: %v", err, err)
			}
			if ge.Kind != tt.wantKind {
				t.Errorf("kind = %v, want %v\n%v", ge.Kind, tt.wantKind, err)
			}
			if tt.wantKind != nil && !errors.Is(err, tt.wantKind) {
				t.Errorf("errors.Is(err, %v) = false", tt.wantKind)
			}
			if ge.Host != "vm" || len(ge.Argv) == 0 || ge.Hint == "" {
				t.Errorf("error lacks host, argv or hint: %+v", ge)
			}
		})
	}
}

func TestCreateMissingSecondaryHint(t *testing.T) {
	argv := g("--mode=script", "--xml", "volume", "geo-replication", "gv0", "vm::nosuchvol", "create", "ssh-port", "22", "push-pem", "force")
	f := newFake(t).on(argv, fixture(t, "georep-create-missing-secondary.xml"))
	err := New(f).CreateSession(context.Background(), refMissing, CreateOptions{Force: true})
	msg := err.Error()
	for _, want := range []string{
		`create geo-replication session gv0 -> vm::nosuchvol on vm failed: Unable to mount and fetch secondary volume details`,
		"\nCommand: " + remote.Quote(argv) + "\n",
		"\nExit code: 0\n",
		"\nStderr: (empty)\n",
		"\nGluster: opRet -1, opErrno 30800, opErrstr \"Unable to mount",
		"\nHint: Check that volume nosuchvol exists and is started on vm",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if f.count(g("--xml", "volume", "geo-replication", "gv0", "vm::nosuchvol", "config", "ssh_port", "22")) != 0 {
		t.Error("config ssh_port must not run after a failed create")
	}
}

func TestErrorMessagePlain(t *testing.T) {
	e := &Error{
		Op: `create volume "gv0"`, Host: "vm", ExitCode: 1, Kind: ErrAlreadyExists,
		Argv:   g("--mode=script", "--xml", "volume", "create", "gv0", "vm:/data/b 1"),
		Stderr: "volume create: gv0: failed: Volume gv0 already exists\n",
		Hint:   "Import it.",
	}
	want := `create volume "gv0" on vm failed: volume create: gv0: failed: Volume gv0 already exists
Command: ` + remote.Quote(e.Argv) + `
Exit code: 1
Stderr: volume create: gv0: failed: Volume gv0 already exists
Hint: Import it.`
	if got := e.Error(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := e.Summary(); got != "Gluster Object Already Exists" {
		t.Errorf("Summary = %q", got)
	}
}

func TestErrorSummaries(t *testing.T) {
	for kind, want := range map[error]string{
		ErrNotFound: "Gluster Object Not Found", ErrPeerUnreachable: "Gluster Peer Unreachable",
		ErrNoSession: "Geo-Replication Session Not Found", ErrGlusterdDown: "Glusterd Not Reachable",
		ErrUnexpectedOutput: "Unexpected Gluster Output", nil: "Gluster Command Failed",
	} {
		if got := (&Error{Kind: kind}).Summary(); got != want {
			t.Errorf("Summary(%v) = %q, want %q", kind, got, want)
		}
	}
	if got := (&Error{ExitCode: -1, Err: context.Canceled}).Summary(); got != "Gluster Command Did Not Finish" {
		t.Errorf("Summary = %q", got)
	}
	for kind, want := range map[error]string{
		ErrWorkerFaulty: "Geo-Replication Worker Faulty", ErrNotStarted: "Geo-Replication Session Did Not Start",
		ErrCheckpointTimeout: "Geo-Replication Checkpoint Timed Out",
	} {
		if got := (&CheckpointError{Kind: kind}).Summary(); got != want {
			t.Errorf("Summary(%v) = %q, want %q", kind, got, want)
		}
	}
}

func TestTransportErrorUnwraps(t *testing.T) {
	f := newFake(t).on(g("--xml", "volume", "list"), reply{err: context.DeadlineExceeded})
	_, err := New(f).ListVolumes(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want DeadlineExceeded in the chain, got %v", err)
	}
	var ge *Error
	if !errors.As(err, &ge) || ge.ExitCode != -1 || !strings.Contains(ge.Hint, "reachable") {
		t.Errorf("unexpected error %#v", err)
	}
}

func TestGlusterdDown(t *testing.T) {
	f := newFake(t).on(g("--xml", "volume", "list"), reply{
		stdout: "Connection failed. Please check if gluster daemon is operational.\n", rc: 1})
	_, err := New(f).ListVolumes(context.Background())
	if !errors.Is(err, ErrGlusterdDown) || !strings.Contains(err.Error(), "Start glusterd on vm") {
		t.Fatalf("got %v", err)
	}
}

func TestUnexpectedOutput(t *testing.T) {
	f := newFake(t).on(g("--xml", "volume", "list"), ok("not xml at all\n"))
	_, err := New(f).ListVolumes(context.Background())
	if !errors.Is(err, ErrUnexpectedOutput) {
		t.Fatalf("got %v", err)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		errno int
		text  string
		want  error
	}{
		{0, "Geo-replication session between gv0 and vm::nosuchvol does not exist.", ErrNoSession},
		{30806, "Volume does not exist", ErrNotFound},
		{30800, "Volume nosuchvol does not exist", ErrNotFound},
		{0, "volume create: gv0: failed: Volume gv0 already exists", ErrAlreadyExists},
		{30811, "", ErrAlreadyExists},
		{0, "volume start: gv0: failed: Volume gv0 already started", ErrAlreadyStarted},
		{0, "volume stop: gv0: failed: Volume gv0 is not in the started state", ErrAlreadyStopped},
		{0, "Volume gv0 is not started", ErrAlreadyStopped},
		{107, "Probe returned with Transport endpoint is not connected", ErrPeerUnreachable},
		{113, "", ErrPeerUnreachable},
		{0, "peer detach: failed: 198.51.100.9 is not part of cluster", ErrNotFound},
		{0, "Connection failed. Please check if gluster daemon is operational.", ErrGlusterdDown},
		{30800, "Unable to mount and fetch secondary volume details.", nil},
	}
	for _, tt := range tests {
		if got := classify(tt.errno, tt.text); got != tt.want {
			t.Errorf("classify(%d, %q) = %v, want %v", tt.errno, tt.text, got, tt.want)
		}
	}
}
