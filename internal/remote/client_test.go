package remote

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func dialTest(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c
}

func TestRunOutputAndExitCodes(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := dialTest(t, srv.config())
	ctx := context.Background()

	res, err := c.Run(ctx, Command("echo", "hello world"))
	if err != nil || string(res.Stdout) != "hello world\n" || res.ExitCode != 0 {
		t.Fatalf("echo: res %+v, err %v", res, err)
	}

	res, err = c.Run(ctx, Command("sh", "-c", "echo partial; echo 'volume busy' >&2; exit 3"))
	var cmdErr *CommandError
	if !errors.As(err, &cmdErr) {
		t.Fatalf("want *CommandError, got %T %v", err, err)
	}
	if cmdErr.ExitCode != 3 || res.ExitCode != 3 || cmdErr.Host != srv.host {
		t.Errorf("exit code %d / %d, host %q", cmdErr.ExitCode, res.ExitCode, cmdErr.Host)
	}
	if string(res.Stdout) != "partial\n" || string(res.Stderr) != "volume busy\n" {
		t.Errorf("Result not filled on failure: %+v", res)
	}
	for _, want := range []string{"Command: sh -c 'echo partial;", "Exit code: 3", "Stderr: volume busy"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestRunPassesStdin(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := dialTest(t, srv.config())
	input := bytes.Repeat([]byte("etcd\x00snapshot\n"), 100_000) // 1.4 MB, NULs included
	res, err := c.Run(context.Background(), Cmd{Argv: []string{"cat"}, Stdin: bytes.NewReader(input)})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.Stdout, input) {
		t.Fatalf("got %d bytes back, want %d", len(res.Stdout), len(input))
	}
}

// TestRunStreamsStdout: with Cmd.Stdout, what the command prints goes to
// the writer as it comes, and the result holds none of it.
func TestRunStreamsStdout(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := dialTest(t, srv.config())
	input := bytes.Repeat([]byte("tar\x00stream\n"), 100_000)
	var out bytes.Buffer
	res, err := c.Run(context.Background(), Cmd{Argv: []string{"cat"}, Stdin: bytes.NewReader(input), Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), input) || len(res.Stdout) != 0 {
		t.Fatalf("streamed %d bytes, want %d; result kept %d", out.Len(), len(input), len(res.Stdout))
	}
	out.Reset()
	if _, err := (Local{}).Run(context.Background(), Cmd{Argv: []string{"echo", "local"}, Stdout: &out}); err != nil || out.String() != "local\n" {
		t.Errorf("local stream %q, %v", out.String(), err)
	}
}

func TestRunArgumentsSurviveRemoteShell(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := dialTest(t, srv.config())
	res, err := c.Run(context.Background(), Command(append([]string{"printf", `%s\0`}, awkwardArgs...)...))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(res.Stdout), "\x00"), "\x00")
	if strings.Join(got, "|") != strings.Join(awkwardArgs, "|") {
		t.Fatalf("arguments changed on the way:\n got %q\nwant %q", got, awkwardArgs)
	}
}

func TestRunContextCancelKillsCommand(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := dialTest(t, srv.config())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Run(ctx, Command("sleep", "30"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want context.DeadlineExceeded, got %v", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("Run returned after %s", elapsed)
	}
	select {
	case sig := <-srv.signals:
		if sig != "KILL" {
			t.Errorf("server got signal %q, want KILL", sig)
		}
	case <-time.After(2 * time.Second):
		t.Error("the server never got a signal for the cancelled command")
	}
	// The connection is still good for the next command.
	if _, err := c.Run(context.Background(), Command("true")); err != nil {
		t.Fatalf("after cancel: %v", err)
	}
}

func TestRunAfterConnectionDropIsConnectionLost(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c, err := Dial(context.Background(), srv.config())
	if err != nil {
		t.Fatal(err)
	}
	srv.dropConnections()
	<-c.done
	_, err = c.Run(context.Background(), Command("true"))
	var lost *ConnectionLostError
	if !errors.Is(err, ErrConnectionLost) || !errors.As(err, &lost) || !lost.NotStarted {
		t.Fatalf("want a not-started *ConnectionLostError, got %v", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("closing a lost connection: %v", err)
	}
}

func TestRunRejectsEmptyCommand(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := dialTest(t, srv.config())
	if _, err := c.Run(context.Background(), Cmd{}); err == nil {
		t.Fatal("empty argv accepted")
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c, err := Dial(context.Background(), srv.config())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestRunQueuesBeyondMaxSessions(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	cfg := srv.config()
	cfg.MaxSessions = 3 // two for commands, one kept for SFTP
	c := dialTest(t, cfg)
	errs := make(chan error, 6)
	for range 6 {
		go func() {
			_, err := c.Run(context.Background(), Command("sleep", "0.05"))
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if peak := srv.peak.Load(); peak != 2 {
		t.Errorf("%d commands ran at once, want at most (and here exactly) 2", peak)
	}
}

func TestRunOnClosedClientIsNotStarted(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c, err := Dial(context.Background(), srv.config())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	_, err = c.Run(context.Background(), Command("true"))
	var lost *ConnectionLostError
	if !errors.As(err, &lost) || !lost.NotStarted {
		t.Fatalf("want a not-started *ConnectionLostError, got %v", err)
	}
	if srv.sessions.Load() != 0 {
		t.Error("a command reached the server")
	}
}
