package lease

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// folder is a backup folder on this machine, as two controllers reach it.
func folder(t *testing.T) (Folder, *clock) {
	c := &clock{t: time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)}
	return Folder{Runner: remote.Local{Name: "p1"}, Files: remote.LocalFiles{}, Dir: filepath.Join(t.TempDir(), "backup"), Now: c.now}, c
}

var (
	ctlA = Holder{Controller: "ctl-a:/var/lib/glusterdr", PID: 11, Command: "glusterdr run"}
	ctlB = Holder{Controller: "ctl-b:/var/lib/glusterdr", PID: 22, Command: "glusterdr failover --site sdsc"}
)

func TestSecondControllerIsRefusedUntilRelease(t *testing.T) {
	ctx := context.Background()
	f, _ := folder(t)
	a, err := Acquire(ctx, f, ctlA, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(ctx, f, ctlB, time.Hour)
	var held *HeldError
	if !errors.As(err, &held) || held.Holder.PID != 11 || held.Holder.Token != a.Holder().Token {
		t.Fatalf("the second controller: %v", err)
	}
	for _, want := range []string{"another controller holds the lease " + filepath.Join(f.Dir, DirName), "controller ctl-a:/var/lib/glusterdr, PID 11 (glusterdr run), until 2026-12-04T03:00:00Z"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if err := Check(ctx, f, ctlB.Controller); !errors.As(err, &held) {
		t.Errorf("a reader of the other controller: %v", err)
	}
	if err := Check(ctx, f, ctlA.Controller); err != nil {
		t.Errorf("a reader of the holder's own controller: %v", err)
	}
	if err := a.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(f.Dir, DirName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lease folder is still there after release: %v", err)
	}
	b, err := Acquire(ctx, f, ctlB, time.Hour)
	if err != nil || b.Holder().Controller != ctlB.Controller {
		t.Fatalf("after release: %v", err)
	}
	if err := a.Release(ctx); err != nil {
		t.Errorf("releasing a lease that is another's now must leave it alone: %v", err)
	}
	if err := Check(ctx, f, ctlA.Controller); !errors.As(err, &held) || held.Holder.PID != 22 {
		t.Errorf("B's lease after A's second release: %v", err)
	}
}

func TestExpiredLeaseIsTakenOverAndItsHolderLearnsIt(t *testing.T) {
	ctx := context.Background()
	f, c := folder(t)
	a, err := Acquire(ctx, f, ctlA, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	c.add(9 * time.Minute)
	if err := a.Renew(ctx); err != nil {
		t.Fatal(err)
	}
	c.add(9 * time.Minute) // renewed at 9: still held at 18
	if _, err := Acquire(ctx, f, ctlB, 10*time.Minute); err == nil {
		t.Fatal("B took a lease that A renewed")
	}
	c.add(2 * time.Minute) // 20: expired
	b, err := Acquire(ctx, f, ctlB, 10*time.Minute)
	if err != nil {
		t.Fatalf("an expired lease: %v", err)
	}
	err = a.Renew(ctx)
	var lost *LostError
	if !errors.As(err, &lost) || lost.Now.Token != b.Holder().Token || !strings.Contains(err.Error(), "taken over by controller ctl-b") {
		t.Errorf("A renewing after B took over: %v", err)
	}
}

func TestOwnLeftoverIsTakenOverAtOnce(t *testing.T) {
	ctx := context.Background()
	f, _ := folder(t)
	if _, err := Acquire(ctx, f, ctlA, time.Hour); err != nil { // then SIGKILLed: never released
		t.Fatal(err)
	}
	again := ctlA
	again.PID = 12
	l, err := Acquire(ctx, f, again, time.Hour)
	if err != nil || l.Holder().PID != 12 {
		t.Fatalf("the same controller after a crash: %v", err)
	}
}

func TestUnrecordedLeaseFolder(t *testing.T) {
	ctx := context.Background()
	f, c := folder(t)
	dir := filepath.Join(f.Dir, DirName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	c.mu.Lock()
	c.t = now
	c.mu.Unlock()
	var held *HeldError
	if _, err := Acquire(ctx, f, ctlB, time.Hour); !errors.As(err, &held) || !strings.Contains(err.Error(), "has not recorded itself yet") {
		t.Fatalf("a lease folder just made: %v", err)
	}
	old := now.Add(-2 * time.Minute)
	if err := os.Chtimes(dir, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(ctx, f, ctlB, time.Hour); err != nil {
		t.Fatalf("a lease folder a crash left without its holder: %v", err)
	}
}

func TestKeepRenewsAndReportsALostLease(t *testing.T) {
	ctx := context.Background()
	f, _ := folder(t)
	f.Now = nil // real time: Keep ticks for real
	a, err := Acquire(ctx, f, ctlA, 400*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	lost := make(chan error, 1)
	stop := a.Keep(ctx, func(err error) { lost <- err })
	defer stop()
	time.Sleep(time.Second) // past the TTL: only renewals keep it
	if err := Check(ctx, f, ctlB.Controller); err == nil {
		t.Fatal("the lease expired although Keep ran")
	}
	// A renewal may write into the folder while it is removed; try again.
	var rmErr error
	for range 10 {
		if rmErr = os.RemoveAll(filepath.Join(f.Dir, DirName)); rmErr == nil {
			break
		}
	}
	if rmErr != nil {
		t.Fatal(rmErr)
	}
	select {
	case err := <-lost:
		var le *LostError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), "was removed while this controller held it") {
			t.Errorf("lost: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Keep did not report the removed lease")
	}
}
