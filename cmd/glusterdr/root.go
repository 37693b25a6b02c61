package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/version"
)

// globals are the flags every command shares.
type globals struct {
	json      bool
	logLevel  string
	logFormat string
}

// logFormats are the values of --log-format.
var logFormats = []string{"text", "json"}

func newRootCommand() (*cobra.Command, *globals) {
	g := &globals{}
	root := &cobra.Command{
		Use:   "glusterdr",
		Short: "Disaster recovery for a Kubernetes + GlusterFS platform",
		Long: `glusterdr keeps verified copies of a GlusterFS "global" volume, the etcd database, the
cluster dump and the Ansible provisioning state at remote sites with geo-replication, and
proves that they restore. The schedule file (written by Terraform's dr_schedule) says what
to do; stdout is the result (JSON with --json), stderr the log.

Exit codes: 0 ok, 1 failed, 2 usage, 3 verification failed (a copy is damaged),
75 another run holds the lock (try later).`,
		Example: `  glusterdr run --schedule /etc/glusterdr/schedule.hcl
  glusterdr status --json
  glusterdr man /usr/local/share/man/man1`,
		Version:       version.Version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(c *cobra.Command, _ []string) error {
			if err := g.check(); err != nil {
				return err
			}
			return checkFlags(c)
		},
	}
	root.PersistentFlags().BoolVar(&g.json, "json", false, "print the result as JSON (for scripts and the Ansible collection)")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "info", "log level on stderr: debug, info, warn or error")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", "text", "log format on stderr: text (key=value) or json (one object a line)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	lab := newLabCommand(g)
	lab.AddCommand(newLabScheduleCommand(g))
	root.AddCommand(lab)
	root.AddCommand(newRunCommand(g))
	root.AddCommand(newStatusCommand(g))
	root.AddCommand(newVerifyCommand(g))
	root.AddCommand(newRetentionCommand(g))
	root.AddCommand(newSetsCommand(g))
	root.AddCommand(newSessionCommand(g))
	root.AddCommand(newCheckpointCommand(g))
	root.AddCommand(newRestoreDrillCommand(g))
	root.AddCommand(newRestoreCommand(g))
	root.AddCommand(newFailoverCommand(g))
	root.AddCommand(newFailbackCommand(g))
	root.AddCommand(newBenchCommand(g))
	root.AddCommand(newReportCommand(g))
	root.AddCommand(newScheduleCommand(g))
	root.AddCommand(newManCommand())
	return root, g
}

// check rejects a --log-level or --log-format that means nothing.
func (g *globals) check() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return &usageError{fmt.Errorf("--log-level %q: want debug, info, warn or error", g.logLevel)}
	}
	if !slices.Contains(logFormats, g.logFormat) {
		return &usageError{fmt.Errorf("--log-format %q: want %s", g.logFormat, strings.Join(logFormats, " or "))}
	}
	return nil
}

// logger logs to stderr, so that stdout stays the command's result.
func (g *globals) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if g.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// printResult prints a command's result: as JSON with --json, otherwise as
// text. It returns the command's own error, which the report may explain,
// unless printing failed. With --json, main adds the error to the document.
func printResult[T any](g *globals, w io.Writer, v T, text func(io.Writer, T), err error) error {
	if g.json {
		if perr := printJSON(w, v); perr != nil {
			return perr
		}
		return err
	}
	text(w, v)
	return err
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "gv0 -> host::vol" stays readable
	return enc.Encode(v)
}
