package gluster

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// TestParseSSHFailuresHostKeyChanged reads the log the lab's gsyncd wrote
// after tacc1's host key was regenerated: the monitor's first ssh failed
// with its reason lost to a traceback, the second after a restart logged
// ssh's warning.
func TestParseSSHFailuresHostKeyChanged(t *testing.T) {
	log, err := os.ReadFile("testdata/gsyncd-log-host-key-changed.log")
	if err != nil {
		t.Fatal(err)
	}
	got := ParseSSHFailures(log, utc("2026-12-04 20:53:15"))
	if len(got) != 2 {
		t.Fatalf("%d failures since the checkpoint, want the monitor's 2: %+v", len(got), got)
	}
	first, second := got[0], got[1]
	if first.Host != "198.51.100.31" || first.Cause != SSHUnexplained || !first.At.Equal(utc("2026-12-04 20:53:21")) {
		t.Errorf("first failure: %+v", first)
	}
	if second.Host != "198.51.100.31" || second.Cause != SSHHostKeyChanged || second.Detail != "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @" {
		t.Errorf("second failure: %+v", second)
	}
	if want := "ssh -oPasswordAuthentication=no -oStrictHostKeyChecking=yes -oUserKnownHostsFile=/var/lib/glusterd/geo-replication/global_198.51.100.31_global-dr/glusterdr_known_hosts -i /var/lib/glusterd/geo-replication/secret.pem -p 22 198.51.100.31 /usr/sbin/gluster --xml --remote-host=localhost volume info global-dr"; second.Command != want {
		t.Errorf("command %q", second.Command)
	}
	if f, failing := failingSSH(got, 10*time.Second); !failing || f.Cause != SSHHostKeyChanged {
		t.Errorf("a changed host key must fail the cycle at once: %+v %v", f, failing)
	}
	// The worker's failure of the cycle before is older than the checkpoint.
	if all := ParseSSHFailures(log, time.Time{}); len(all) != 3 || all[0].Command == "" || all[0].Host != "198.51.100.31" {
		t.Errorf("the whole log: %+v", all)
	}
}

func TestFailingSSHWaitsForASecondTransientFailure(t *testing.T) {
	at := utc("2026-12-04 20:00:00")
	refused := SSHFailure{At: at, Host: "dr-1", Cause: SSHConnRefused}
	if _, failing := failingSSH([]SSHFailure{refused}, 10*time.Second); failing {
		t.Error("one refused connection may be a blip: gsyncd tries again")
	}
	again := refused
	again.At = at.Add(5 * time.Second)
	if _, failing := failingSSH([]SSHFailure{refused, again}, 10*time.Second); failing {
		t.Error("two failures 5s apart are one attempt's lines")
	}
	again.At = at.Add(40 * time.Second)
	if f, failing := failingSSH([]SSHFailure{refused, again}, 10*time.Second); !failing || f.At != again.At {
		t.Errorf("refused again 40s later: %+v %v", f, failing)
	}
	denied := SSHFailure{At: at, Host: "dr-1", Cause: SSHAuthRefused}
	if _, failing := failingSSH([]SSHFailure{denied}, 10*time.Second); !failing {
		t.Error("a refused key fails at once")
	}
}

func TestSSHDestination(t *testing.T) {
	for cmd, want := range map[string]string{
		"ssh -oA=b -i /k -p 22 -oControlMaster=auto -S /tmp/s.sock 10.0.0.1 /bin/true": "10.0.0.1",
		"ssh -i /k root@dr-1.example.org gluster":                                      "dr-1.example.org",
		"ssh -p 2200 -o StrictHostKeyChecking=yes geoaccount@dr-2 cmd":                 "dr-2",
		"ssh -4 dr-3":   "dr-3",
		"ssh -i /k -p1": "",
	} {
		if got, _ := sshDestination(cmd); got != want {
			t.Errorf("%q: %q, want %q", cmd, got, want)
		}
	}
}

// TestCycleFailsOnGsyncdSSHFailure: after tacc1's host key changed, the
// session reports every worker Stopped right after start; the cycle reads
// gsyncd's log, fails within seconds naming the host and the cause with
// the caller's hint, and stops the session, instead of waiting out its
// timeout and blaming a backlog.
func TestCycleFailsOnGsyncdSSHFailure(t *testing.T) {
	log, err := os.ReadFile("testdata/gsyncd-log-host-key-changed.log")
	if err != nil {
		t.Fatal(err)
	}
	cp := utc("2026-12-04 20:53:15")
	r := newRig(t, cp, func(_, _ int) reply { return fixture(t, "georep-status-detail-stopped.xml") })
	r.f.replies[key(cycLog)] = []reply{ok(string(log))}
	start := r.clk.Now()
	_, err = r.run(CycleOptions{Timeout: time.Hour, SSHHint: func(f SSHFailure) string {
		return "Pinned keys for " + f.Host + " are in /x/known_hosts."
	}})
	if !errors.Is(err, ErrSecondarySSH) {
		t.Fatalf("want ErrSecondarySSH, got %v", err)
	}
	for _, want := range []string{
		"gsyncd on vm cannot reach the secondary node 198.51.100.31 over SSH: the host key changed (REMOTE HOST IDENTIFICATION HAS CHANGED)",
		"Hint: The session was stopped. Pinned keys for 198.51.100.31 are in /x/known_hosts.",
		"Run gsyncd's own command by hand on vm to see ssh's answer: ssh -oPasswordAuthentication=no",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, err)
		}
	}
	if took := r.clk.Now().Sub(start); took > time.Minute {
		t.Errorf("the cycle failed after %s of its hour", took)
	}
	if r.lastCommand() != key(cycStop) {
		t.Error("session not stopped")
	}
}

// TestParseSecondaryGlusterdDown reads the log the lab's gsyncd wrote with
// glusterd stopped on sdsc1: ssh works, and the monitor's `gluster volume
// info` there exits 1, once at start and once after the stall restart.
func TestParseSecondaryGlusterdDown(t *testing.T) {
	log, err := os.ReadFile("testdata/gsyncd-log-secondary-glusterd-down.log")
	if err != nil {
		t.Fatal(err)
	}
	got := ParseSSHFailures(log, utc("2026-12-04 21:10:50"))
	if len(got) != 2 || got[0].Cause != SSHRemoteFailed || got[0].ExitCode != 1 || got[0].Host != "198.51.100.21" ||
		got[0].Remote != "/usr/sbin/gluster --xml --remote-host=localhost volume info global-dr" {
		t.Fatalf("failures: %+v", got)
	}
	if _, failing := failingSSH(got[:1], 10*time.Second); failing {
		t.Error("one failed command may be a glusterd restarting")
	}
	f, failing := failingSSH(got, 10*time.Second)
	if !failing || f.Describe("p1") != "gsyncd on p1 cannot use the secondary node 198.51.100.21: the command it runs there over SSH exited 1: "+
		"/usr/sbin/gluster --xml --remote-host=localhost volume info global-dr" {
		t.Errorf("after gsyncd's retry: %v %q", failing, f.Describe("p1"))
	}
}
