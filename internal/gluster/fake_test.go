package gluster

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// reply is one scripted answer of the fake runner.
type reply struct {
	stdout, stderr string
	rc             int
	err            error // a transport failure instead of an answer
}

// fixture loads testdata/NAME.out, .err and .rc (the last two optional),
// the layout of the real captures in /work/shared/fixtures/gluster.
func fixture(t testing.TB, name string) reply {
	t.Helper()
	out, err := os.ReadFile(filepath.Join("testdata", name+".out"))
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	r := reply{stdout: string(out)}
	if b, err := os.ReadFile(filepath.Join("testdata", name+".err")); err == nil {
		r.stderr = string(b)
	}
	if b, err := os.ReadFile(filepath.Join("testdata", name+".rc")); err == nil {
		if r.rc, err = strconv.Atoi(strings.TrimSpace(string(b))); err != nil {
			t.Fatalf("fixture %s.rc: %v", name, err)
		}
	}
	return r
}

// ok is a successful reply printing stdout.
func ok(stdout string) reply { return reply{stdout: stdout} }

// fakeRunner maps an exact argv to a queue of replies (the last one
// repeats) and records every call.
type fakeRunner struct {
	t       testing.TB
	host    string
	mu      sync.Mutex
	replies map[string][]reply
	dynamic map[string]func() reply
	calls   [][]string
	// onRun, if set, runs before each reply is chosen (e.g. to advance a
	// fake clock by what a real call costs).
	onRun func(argv []string)
}

func newFake(t testing.TB) *fakeRunner {
	return &fakeRunner{t: t, host: "vm", replies: map[string][]reply{}, dynamic: map[string]func() reply{}}
}

func key(argv []string) string { return remote.Quote(argv) }

// on scripts the replies to argv.
func (f *fakeRunner) on(argv []string, rs ...reply) *fakeRunner {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replies[key(argv)] = append(f.replies[key(argv)], rs...)
	return f
}

// handle answers argv by calling fn each time (for replies that depend on
// what ran before, such as status after a restart). It overrides on.
func (f *fakeRunner) handle(argv []string, fn func() reply) *fakeRunner {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dynamic[key(argv)] = fn
	return f
}

func (f *fakeRunner) Host() string { return f.host }

func (f *fakeRunner) Run(ctx context.Context, cmd remote.Cmd) (remote.Result, error) {
	if f.onRun != nil {
		f.onRun(cmd.Argv)
	}
	k := key(cmd.Argv)
	f.mu.Lock()
	f.calls = append(f.calls, append([]string(nil), cmd.Argv...))
	fn := f.dynamic[k]
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return remote.Result{}, err
	}
	var r reply
	if fn != nil {
		r = fn() // outside the lock: fn may look at the calls so far
	} else {
		f.mu.Lock()
		q := f.replies[k]
		if len(q) == 0 {
			f.mu.Unlock()
			f.t.Errorf("unexpected command on %s: %s", f.host, k)
			return remote.Result{ExitCode: 127}, &remote.CommandError{Host: f.host, Argv: cmd.Argv, ExitCode: 127, Stderr: "not scripted"}
		}
		r = q[0]
		if len(q) > 1 {
			f.replies[k] = q[1:]
		}
		f.mu.Unlock()
	}
	if r.err != nil {
		return remote.Result{}, r.err
	}
	res := remote.Result{Stdout: []byte(r.stdout), Stderr: []byte(r.stderr), ExitCode: r.rc}
	if r.rc != 0 {
		return res, &remote.CommandError{Host: f.host, Argv: cmd.Argv, ExitCode: r.rc, Stderr: r.stderr}
	}
	return res, nil
}

// commands returns the calls made, each rendered as one quoted line.
func (f *fakeRunner) commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.calls))
	for i, c := range f.calls {
		out[i] = key(c)
	}
	return out
}

// count counts the calls of argv.
func (f *fakeRunner) count(argv []string) int {
	n := 0
	for _, c := range f.commands() {
		if c == key(argv) {
			n++
		}
	}
	return n
}

// fakeClock is a Clock whose Sleep returns at once, moving time forward.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// g is shorthand for an argv starting with "gluster".
func g(args ...string) []string { return append([]string{"gluster"}, args...) }

// mustEnvelope parses a fixture's stdout as XML.
func mustEnvelope(t testing.TB, name string) *envelope {
	t.Helper()
	env, err := parseEnvelope([]byte(fixture(t, name).stdout))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return env
}
