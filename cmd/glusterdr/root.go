package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
)

// globals are the flags every command shares.
type globals struct {
	json     bool
	logLevel string
}

func newRootCommand() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "glusterdr",
		Short:         "Disaster recovery for a Kubernetes + GlusterFS platform",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().BoolVar(&g.json, "json", false, "print the result as JSON (for scripts and the Ansible collection)")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "info", "log level on stderr: debug, info, warn or error")
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
	return root
}

// logger logs to stderr, so that stdout stays the command's result.
func (g *globals) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// printResult prints a command's result: as JSON with --json, otherwise as
// text. It returns the command's own error, which the report may explain,
// unless printing failed.
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
