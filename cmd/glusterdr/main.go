// Command glusterdr is the operator's face of the DR engine: the nightly
// run, status, verification, restore drills, failover, benchmarks, reports
// and the local lab. The Ansible collection calls it with --json.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runCommandLine(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// runCommandLine runs one command line and returns its exit code (exitcode.go).
// A failure is said on stderr as "Error: …" and, with --json, as the
// "error" object of the document on stdout (errdoc.go).
func runCommandLine(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root, g := newRootCommand()
	out := &heldStdout{json: &g.json, w: stdout}
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(stderr)
	cmd := root
	err := markUsageErrors(root, func() (err error) {
		cmd, err = root.ExecuteContextC(ctx)
		return err
	})
	code, _ := classify(err)
	if err != nil {
		fmt.Fprintln(stderr, "Error:", err)
		if code == exitUsage && cmd != nil {
			fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
	}
	if werr := out.finish(err, g.json || jsonAsked(args)); werr != nil {
		fmt.Fprintln(stderr, "Error: writing the result:", werr)
		return exitFailed
	}
	return code
}

// jsonAsked reports whether the command line asks for --json, for a usage
// error that stopped before the flag was parsed.
func jsonAsked(args []string) bool {
	if i := slices.Index(args, "--"); i >= 0 {
		args = args[:i]
	}
	return slices.Contains(args, "--json") || slices.Contains(args, "--json=true")
}
