package runlock

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestAcquireRefusesASecondHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "run.lock")
	l, err := Acquire(path, "glusterdr run --step all")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(path, "glusterdr run")
	var held *HeldError
	if !errors.As(err, &held) {
		t.Fatalf("second Acquire: %v, want a *HeldError", err)
	}
	if held.Holder.PID != os.Getpid() || held.Holder.Command != "glusterdr run --step all" {
		t.Errorf("holder %+v", held.Holder)
	}
	if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("PID %d", os.Getpid())) || !strings.Contains(msg, path) {
		t.Errorf("message does not name the holder PID and the lock: %s", msg)
	}
	h, isHeld, err := Inspect(path)
	if err != nil || !isHeld || h.PID != os.Getpid() {
		t.Errorf("Inspect while held: %+v %v %v", h, isHeld, err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if _, isHeld, err := Inspect(path); err != nil || isHeld {
		t.Errorf("Inspect after release: held %v, %v", isHeld, err)
	}
	l2, err := Acquire(path, "again")
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	if err := l2.Release(); err != nil {
		t.Fatal(err)
	}
	if err := l2.Release(); err != nil {
		t.Errorf("a second Release: %v", err)
	}
}

func TestInspectMissingFile(t *testing.T) {
	if _, held, err := Inspect(filepath.Join(t.TempDir(), "none.lock")); held || err != nil {
		t.Errorf("Inspect of a missing file: held %v, %v", held, err)
	}
}

// TestKilledHolderLeavesNoStaleLock runs a holder in another process, kills
// it with SIGKILL, and takes the lock at once.
func TestKilledHolderLeavesNoStaleLock(t *testing.T) {
	if path := os.Getenv("RUNLOCK_TEST_HOLD"); path != "" {
		if _, err := Acquire(path, "child"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Println("held")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	path := filepath.Join(t.TempDir(), "run.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledHolderLeavesNoStaleLock$")
	cmd.Env = append(os.Environ(), "RUNLOCK_TEST_HOLD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "held\n" {
		t.Fatalf("child did not take the lock: %q %v", buf, err)
	}
	var held *HeldError
	if _, err := Acquire(path, "parent"); !errors.As(err, &held) || held.Holder.PID != cmd.Process.Pid {
		t.Fatalf("Acquire while the child holds it: %v (want the child's PID %d)", err, cmd.Process.Pid)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	l, err := Acquire(path, "parent")
	if err != nil {
		t.Fatalf("Acquire after the holder was killed: %v", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
}

// TestReadersShareWritersDoNot: readers hold the lock side by side; a
// writer is refused while any reader holds it, and a reader while a writer
// does, naming the writer.
func TestReadersShareWritersDoNot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.lock")
	r1, err := AcquireShared(path)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := AcquireShared(path)
	if err != nil {
		t.Fatalf("a second reader: %v", err)
	}
	_, err = Acquire(path, "glusterdr failover --site sdsc")
	var held *HeldError
	if !errors.As(err, &held) || !strings.Contains(err.Error(), "a command that reads the sets (verify, restore-drill)") {
		t.Fatalf("a writer while readers hold it: %v", err)
	}
	for _, r := range []*Lock{r1, r2} {
		if err := r.Release(); err != nil {
			t.Fatal(err)
		}
	}
	w, err := Acquire(path, "glusterdr run")
	if err != nil {
		t.Fatalf("a writer after the readers: %v", err)
	}
	defer w.Release()
	if _, err := AcquireShared(path); !errors.As(err, &held) || held.Holder.Command != "glusterdr run" {
		t.Errorf("a reader while a writer holds it: %v", err)
	}
}
