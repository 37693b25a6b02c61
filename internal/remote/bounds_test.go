package remote

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// boundedRunners are the two Runners with their own bounds: SSH and local.
func boundedRunners(t *testing.T) map[string]Runner {
	srv := newTestServer(t)
	return map[string]Runner{"ssh": dialTest(t, srv.config()), "local": Local{Name: "here"}}
}

// TestCommandTimeoutKillsAHungCommand: a command that outlives its Timeout
// is killed, and the error names the host, the command and the bound.
func TestCommandTimeoutKillsAHungCommand(t *testing.T) {
	t.Parallel()
	for name, r := range boundedRunners(t) {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := r.Run(context.Background(), Cmd{Argv: []string{"sleep", "30"}, Timeout: 300 * time.Millisecond})
			took := time.Since(start)
			var te *TimeoutError
			if !errors.As(err, &te) || te.Timeout != 300*time.Millisecond || te.Host != r.Host() {
				t.Fatalf("want a *TimeoutError of 300ms on %s, got %T %v", r.Host(), err, err)
			}
			if took > 5*time.Second {
				t.Errorf("the hung command held Run for %s", took)
			}
			for _, want := range []string{"on " + r.Host() + " did not finish within 300ms", "Command: sleep 30"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not say %q", err, want)
				}
			}
		})
	}
}

// TestRunnerDefaultTimeout: a Cmd without a Timeout gets the runner's.
func TestRunnerDefaultTimeout(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	cfg := srv.config()
	cfg.CommandTimeout = 200 * time.Millisecond
	runners := map[string]Runner{"ssh": dialTest(t, cfg), "local": Local{Timeout: 200 * time.Millisecond}}
	for name, r := range runners {
		_, err := r.Run(context.Background(), Command("sleep", "30"))
		var te *TimeoutError
		if !errors.As(err, &te) || te.Timeout != 200*time.Millisecond {
			t.Errorf("%s: want the runner's 200ms timeout, got %v", name, err)
		}
		// NoTimeout leaves the command to its context: it outlives the
		// runner's 200ms (the context's bound is generous, for a loaded
		// machine).
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err = r.Run(ctx, Cmd{Argv: []string{"sleep", "0.5"}, Timeout: NoTimeout})
		cancel()
		if err != nil {
			t.Errorf("%s: a 0.5s command with NoTimeout: %v", name, err)
		}
	}
}

// TestCallerCancelIsNotATimeout: the caller's own deadline comes back as
// the context's error, not as the command's timeout.
func TestCallerCancelIsNotATimeout(t *testing.T) {
	t.Parallel()
	for name, r := range boundedRunners(t) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		_, err := r.Run(ctx, Command("sleep", "30"))
		cancel()
		var te *TimeoutError
		if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &te) {
			t.Errorf("%s: want context.DeadlineExceeded, got %T %v", name, err, err)
		}
	}
}

// TestOutputCap: a command printing more than MaxOutput is stopped with an
// error naming the host, the command and the cap; one within it is whole.
func TestOutputCap(t *testing.T) {
	t.Parallel()
	for name, r := range boundedRunners(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			start := time.Now()
			_, err := r.Run(ctx, Cmd{Argv: []string{"yes"}, MaxOutput: 64 << 10})
			var ol *OutputLimitError
			if !errors.As(err, &ol) || ol.Limit != 64<<10 {
				t.Fatalf("want an *OutputLimitError of 64 KiB, got %T %v", err, err)
			}
			if !strings.Contains(err.Error(), "on "+r.Host()+" printed more than 64 KiB") || !strings.Contains(err.Error(), "Command: yes") {
				t.Errorf("the error does not name the host, cap and command: %v", err)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("stopping an endless output took %s", took)
			}
			res, err := r.Run(ctx, Cmd{Argv: []string{"head", "-c", "65536", "/dev/zero"}, MaxOutput: 64 << 10})
			if err != nil || len(res.Stdout) != 64<<10 {
				t.Errorf("exactly the cap: %d bytes, %v", len(res.Stdout), err)
			}
		})
	}
}

// TestStderrIsCutNotFailed: standard error beyond MaxStderr is dropped and
// marked, and the command's own verdict stands.
func TestStderrIsCutNotFailed(t *testing.T) {
	t.Parallel()
	for name, r := range boundedRunners(t) {
		res, err := r.Run(context.Background(), Command("sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' x >&2; echo done"))
		if err != nil || string(res.Stdout) != "done\n" {
			t.Fatalf("%s: %q, %v", name, res.Stdout, err)
		}
		if len(res.Stderr) > MaxStderr+100 || !strings.HasSuffix(string(res.Stderr), "[standard error cut at 1 MiB]") {
			t.Errorf("%s: stderr of %d bytes, ending %q", name, len(res.Stderr), res.Stderr[max(0, len(res.Stderr)-40):])
		}
	}
}

// TestReadFileCap: ReadFile refuses a file past MaxReadFile, naming the
// file and the cap, over SFTP and locally; one at the cap reads whole.
func TestReadFileCap(t *testing.T) {
	forEachFiles(t, func(t *testing.T, files Files, dir string) {
		big := dir + "/big.json"
		f, err := os.Create(big)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(MaxReadFile + 1); err != nil { // sparse
			t.Fatal(err)
		}
		f.Close()
		_, err = files.ReadFile(context.Background(), big)
		var tl *FileTooLargeError
		if !errors.As(err, &tl) || !strings.Contains(err.Error(), big) || !strings.Contains(err.Error(), "larger than 64 MiB") {
			t.Fatalf("want a *FileTooLargeError naming %s and 64 MiB, got %v", big, err)
		}
		if err := os.Truncate(big, MaxReadFile); err != nil {
			t.Fatal(err)
		}
		if data, err := files.ReadFile(context.Background(), big); err != nil || int64(len(data)) != MaxReadFile {
			t.Errorf("a file of exactly the cap: %d bytes, %v", len(data), err)
		}
	})
}

// TestWriteToAFullFileSystemSaysSo: SFTP reports ENOSPC only as "Failure";
// a write that fails on a full file system says no space is left, and
// where.
func TestWriteToAFullFileSystemSaysSo(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("this test needs root: it mounts a 16 KiB tmpfs; run `go test` as root (as `make test` does)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	srv := newTestServer(t)
	files, err := dialTest(t, srv.config()).Files()
	if err != nil {
		t.Fatal(err)
	}
	err = files.WriteFile(context.Background(), dir+"/etcd.snapshot", bytes.NewReader(make([]byte, 64<<10)), 0o600)
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "no space left on device: the file system of "+dir) {
		t.Fatalf("a write to a full file system: %v", err)
	}
	if _, statErr := os.Stat(dir + "/etcd.snapshot.part"); !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("the partial file was left: %v", statErr)
	}
}
