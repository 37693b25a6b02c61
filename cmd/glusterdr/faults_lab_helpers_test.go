//go:build lab

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// faultFixture is the schedule the fault tests share, as a controller runs
// night after night: its own backup folder on the global volume, its own
// state_dir and its own copy of the lab's known_hosts, a 20s
// ssh.command_timeout, and a verified set at each target from the start.
type faultFixture struct {
	dir   string // state_dir, known_hosts, schedule.hcl
	file  string
	known string
	s     *schedule.Schedule
}

// faultCommandTimeout is the fixture's ssh.command_timeout: far above what
// a gluster call takes in the lab (1-3 s), short enough for the suite.
const faultCommandTimeout = 20 * time.Second

var (
	fixtureOnce sync.Once
	fixture     *faultFixture
	fixtureErr  error
)

// faultLab is the lab and the shared fixture; the first caller makes the
// baseline sets.
func faultLab(t *testing.T) (lab.Conn, *faultFixture) {
	t.Helper()
	conn := labConn(t)
	ensureSession(t, conn, "sdsc")
	ensureSession(t, conn, "tacc")
	fixtureOnce.Do(func() { fixture, fixtureErr = newFaultFixture(t, conn.D) })
	if fixtureErr != nil {
		t.Fatalf("the fault suite's schedule: %v", fixtureErr)
	}
	return conn, fixture
}

func newFaultFixture(t *testing.T, d *lab.Description) (*faultFixture, error) {
	dir, err := os.MkdirTemp("", "glusterdr-faults-")
	if err != nil {
		return nil, err
	}
	f := &faultFixture{dir: dir, file: filepath.Join(dir, "schedule.hcl"), known: filepath.Join(dir, "known_hosts")}
	lines, err := os.ReadFile(d.SSH.KnownHostsFile)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(f.known, lines, 0o600); err != nil {
		return nil, err
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	s, err := labSchedule(d, filepath.Join(dir, "state"), path.Join(lab.MountPath, "test", "faults-"+hex.EncodeToString(suffix), "backup"))
	if err != nil {
		return nil, err
	}
	s.SSH.KnownHostsFile = f.known
	s.SSH.CommandTimeout = faultCommandTimeout
	inventory := filepath.Join(dir, "hosts.yml")
	if err := os.WriteFile(inventory, []byte(labInventory), 0o600); err != nil {
		return nil, err
	}
	s.Provisioning = &schedule.Provisioning{Inventory: []string{inventory}, ImageRef: "registry.example.org/platform/node:lab",
		AnsibleInventoryCommand: []string{"ansible-inventory", "-i", inventory, "--list"}}
	f.s = s
	if err := os.WriteFile(f.file, schedule.Encode(s), 0o640); err != nil {
		return nil, err
	}
	for _, target := range []string{"sdsc", "tacc"} {
		if r := runCLI(t, "run", "--schedule", f.file, "--target", target, "--json"); r.code != 0 {
			return nil, fmt.Errorf("the baseline run to %s exited %d:\n%s", target, r.code, r.stderr)
		}
	}
	return f, nil
}

func faultFixtureCleanup() {
	if fixture != nil {
		os.RemoveAll(fixture.dir)
	}
}

// variant writes a copy of the fixture's schedule with edit applied, for
// one test, and returns its path.
func (f *faultFixture) variant(t *testing.T, edit func(*schedule.Schedule)) string {
	t.Helper()
	s := *f.s
	edit(&s)
	file := filepath.Join(t.TempDir(), "schedule.hcl")
	if err := os.WriteFile(file, schedule.Encode(&s), 0o640); err != nil {
		t.Fatal(err)
	}
	return file
}

// newestVerified maps each target to its newest verified set.
func (f *faultFixture) newestVerified(t *testing.T) map[string]string {
	t.Helper()
	r := runCLI(t, "sets", "--schedule", f.file, "--json")
	if r.code != 0 {
		t.Fatalf("sets exited %d:\n%s", r.code, r.stderr)
	}
	newest := map[string]string{}
	for _, s := range decode[setsResult](t, r).Sets {
		if s.Verified && s.ID > newest[s.Target] {
			newest[s.Target] = s.ID
		}
	}
	return newest
}

// kept checks that every target's newest verified set of before is still
// there and verified, or that a newer verified set replaced it (retention
// keeps one set a day).
func (f *faultFixture) kept(t *testing.T, before map[string]string) bool {
	t.Helper()
	after := f.newestVerified(t)
	ok := true
	for target, id := range before {
		if after[target] < id {
			t.Errorf("the newest verified set of %s was %s before the fault, and is %q after it", target, id, after[target])
			ok = false
		}
	}
	return ok
}

// netnsProcs lists the live processes in a lab node's network namespace,
// by PID, with their command lines (NULs as spaces).
func netnsProcs(t *testing.T, d *lab.Description, node string) map[int]string {
	t.Helper()
	n, err := d.Node(node)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ip", "netns", "pids", n.Netns).Output()
	if err != nil {
		t.Fatalf("ip netns pids %s: %v", n.Netns, err)
	}
	procs := map[int]string{}
	for _, f := range strings.Fields(string(out)) {
		var pid int
		if _, err := fmt.Sscan(f, &pid); err != nil {
			continue
		}
		stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil || strings.Contains(string(stat), ") Z ") {
			continue
		}
		procs[pid] = strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	return procs
}

// killIn sends sig to the processes of a node whose command line match
// accepts, and returns how many it signalled.
func killIn(t *testing.T, d *lab.Description, node string, sig syscall.Signal, match func(cmdline string) bool) int {
	t.Helper()
	n := 0
	for pid, cmdline := range netnsProcs(t, d, node) {
		if match(cmdline) && syscall.Kill(pid, sig) == nil {
			t.Logf("sent %s to PID %d on %s: %s", sig, pid, node, cmdline)
			n++
		}
	}
	return n
}

// waitFor polls cond every 200 ms until it holds or timeout passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", timeout, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// sessionRollup reads a target's session state on p1.
func sessionRollup(t *testing.T, conn lab.Conn, site string) string {
	t.Helper()
	g, err := conn.Gluster("p1")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := conn.D.SessionRef(site)
	if err != nil {
		t.Fatal(err)
	}
	st, err := g.Status(context.Background(), ref)
	if err != nil {
		t.Fatalf("the session to %s: %v", site, err)
	}
	return string(st.Rollup)
}

// runAndWait starts `glusterdr run` on file with args, returns once its
// stderr says ready, and gives a wait function returning its exit code and
// output.
func runAndWait(t *testing.T, file, ready string, args ...string) (*exec.Cmd, func() result) {
	t.Helper()
	cmd := exec.Command(cli(t), append([]string{"run", "--schedule", file, "--json"}, args...)...)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1000)
	var log strings.Builder
	var logMu sync.Mutex
	go func() {
		buf := make([]byte, 4096)
		var pending string
		for {
			n, err := stderr.Read(buf)
			pending += string(buf[:n])
			for {
				line, rest, ok := strings.Cut(pending, "\n")
				if !ok {
					break
				}
				pending = rest
				logMu.Lock()
				log.WriteString(line + "\n")
				logMu.Unlock()
				select {
				case lines <- line:
				default:
				}
			}
			if err != nil {
				close(lines)
				return
			}
		}
	}()
	deadline := time.After(3 * time.Minute)
	for seen := false; !seen; {
		select {
		case line, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				t.Fatalf("the run ended before it said %q:\n%s", ready, log.String())
			}
			seen = strings.Contains(line, ready)
		case <-deadline:
			_ = cmd.Process.Kill()
			t.Fatalf("the run never said %q", ready)
		}
	}
	go func() {
		for range lines {
		}
	}()
	return cmd, func() result {
		err := cmd.Wait()
		r := result{stdout: stdout.String(), took: time.Since(start)}
		logMu.Lock()
		r.stderr = log.String()
		logMu.Unlock()
		if exit, ok := err.(*exec.ExitError); ok {
			r.code = exit.ExitCode()
		} else if err != nil {
			t.Fatalf("the run: %v", err)
		}
		return r
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
