package provider

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// scriptedRunner answers each command with the next scripted reply whose
// command it is: "xml" for the --xml status, "plain" for the plain one.
type scriptedRunner struct {
	t       *testing.T
	replies []reply
}

type reply struct {
	kind     string
	stdout   string
	exitCode int
}

func (r *scriptedRunner) Host() string { return "vm" }

func (r *scriptedRunner) Run(_ context.Context, cmd remote.Cmd) (remote.Result, error) {
	kind := "plain"
	if len(cmd.Argv) > 1 && cmd.Argv[1] == "--xml" {
		kind = "xml"
	}
	if len(r.replies) == 0 || r.replies[0].kind != kind {
		r.t.Fatalf("unexpected %s command %q; script left: %+v", kind, cmd.Argv, r.replies)
	}
	next := r.replies[0]
	r.replies = r.replies[1:]
	res := remote.Result{Stdout: []byte(next.stdout), ExitCode: next.exitCode}
	if next.exitCode != 0 {
		return res, &remote.CommandError{Host: "vm", Argv: cmd.Argv, ExitCode: next.exitCode}
	}
	return res, nil
}

func TestSessionStatusTellsGoneFromBusy(t *testing.T) {
	statusPause = time.Millisecond
	fixture, err := os.ReadFile("testdata/georep-status-detail-stopped.xml")
	if err != nil {
		t.Fatal(err)
	}
	ref := gluster.SessionRef{PrimaryVolume: "gv0", SecondaryHost: "vm", SecondaryVolume: "gv1"}
	noXML := reply{"xml", "geo-replication command failed\n", 2}
	missing := reply{"plain", "No active geo-replication sessions between gv0 and vm::gv1\ngeo-replication command failed\n", 1}
	busy := reply{"plain", "geo-replication command failed\n", 1}
	status := reply{"xml", string(fixture), 0}

	t.Run("busy, then the status", func(t *testing.T) {
		r := &scriptedRunner{t: t, replies: []reply{noXML, busy, status}}
		st, err := sessionStatus(context.Background(), gluster.New(r), r, ref)
		if err != nil || st.Rollup != gluster.RollupStopped {
			t.Fatalf("sessionStatus = %+v, %v; want the stopped session", st, err)
		}
	})
	t.Run("missing, in words", func(t *testing.T) {
		r := &scriptedRunner{t: t, replies: []reply{noXML, missing}}
		_, err := sessionStatus(context.Background(), gluster.New(r), r, ref)
		if !errors.Is(err, gluster.ErrNoSession) {
			t.Fatalf("sessionStatus error = %v, want ErrNoSession", err)
		}
	})
	t.Run("never a clear answer", func(t *testing.T) {
		var script []reply
		for range statusAttempts {
			script = append(script, noXML, busy)
		}
		r := &scriptedRunner{t: t, replies: script}
		_, err := sessionStatus(context.Background(), gluster.New(r), r, ref)
		if err == nil || errors.Is(err, gluster.ErrNoSession) || !strings.Contains(err.Error(), "not available") {
			t.Fatalf("sessionStatus error = %v, want a plain failure, never ErrNoSession", err)
		}
	})
}
