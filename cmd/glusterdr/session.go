package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// Session states that `glusterdr session --state` accepts: the running
// states of georep.States, plus present (exists, running state left alone)
// and absent.
const (
	sessionPresent = "present"
	sessionAbsent  = "absent"
)

// sessionStates lists every --state value, for validation and help.
var sessionStates = []string{sessionPresent, string(georep.Started), string(georep.Stopped), string(georep.Paused), sessionAbsent}

// sessionOwnedKeys are config keys that `glusterdr session --config` does
// not take: the SSH settings come from the schedule's target and the host
// key pinning, and the checkpoint belongs to `glusterdr checkpoint`.
var sessionOwnedKeys = []string{"ssh_port", "ssh_options", "ssh_options_tar", "checkpoint"}

// defaultSessionTimeout bounds `glusterdr session` by default.
const defaultSessionTimeout = 10 * time.Minute

// sessionResult is what `glusterdr session --json` prints.
type sessionResult struct {
	Target      string `json:"target"`
	Session     string `json:"session"`
	PrimaryNode string `json:"primary_node"`
	// State is the state asked for.
	State   string          `json:"state"`
	Plan    bool            `json:"plan"`
	Changed bool            `json:"changed"`
	Changes []sessionChange `json:"changes"`
	Before  sessionView     `json:"before"`
	// After is the session read back; with --plan, what it would be.
	After sessionView `json:"after"`
	Error string      `json:"error,omitempty"`
}

// sessionChange is one thing the command changes (or, with --plan, would).
type sessionChange struct {
	What string `json:"what"`
	Key  string `json:"key,omitempty"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// sessionView is a session as observed.
type sessionView struct {
	Exists bool `json:"exists"`
	// State is started, stopped or paused; Status the rollup of the
	// workers (up, created, faulty, ...).
	State  string `json:"state,omitempty"`
	Status string `json:"status,omitempty"`
	// Pinned is true when gsyncd verifies the secondary nodes' host keys
	// against the keys the controller's own SSH verified.
	Pinned bool `json:"pinned"`
	// TarBlockingFactor is what the secondary nodes' forced command for
	// gsyncd's tar key sets: 0 when a node lacks the key's line, -1 when
	// they differ or run another command; absent when it could not be read.
	TarBlockingFactor *int              `json:"tar_blocking_factor,omitempty"`
	Config            map[string]string `json:"config"`
	Workers           []workerView      `json:"workers"`
}

// sessionWant is what the command is asked for.
type sessionWant struct {
	State         string
	Config        map[string]string
	SSHPort       int
	ResetSyncTime bool
	TarBlocking   int
}

// spec is want as the engine takes it: present leaves the running state
// alone.
func (w sessionWant) spec() georep.Spec {
	s := georep.Spec{State: georep.State(w.State), SSHPort: w.SSHPort, Config: w.Config, ResetSyncTime: w.ResetSyncTime,
		TarBlocking: w.TarBlocking}
	if w.State == sessionPresent {
		s.State = ""
	}
	return s
}

func newSessionCommand(g *globals) *cobra.Command {
	var (
		path, target, state string
		configs             []string
		plan, resetSync     bool
		timeout             time.Duration
		tarBlocking         int
	)
	cmd := &cobra.Command{
		Use:   "session",
		Short: "Bring the geo-replication session of a schedule target to a declared state",
		Example: `  glusterdr session --target sdsc --state started --config sync_method=tarssh
  glusterdr session --target tacc --state stopped --plan --json
  glusterdr session --target tacc --state absent --reset-sync-time`,
		Long: `Session makes the geo-replication session from the primary volume to a target of the
schedule what --state and --config declare, and changes nothing that already is:

  present  the session exists (created with push-pem, keys waited for, ssh_port set,
           the secondary nodes' host keys pinned for gsyncd); its running state is left alone
  started, stopped, paused
           the session exists and is in that state (checked by reading the status)
  absent   the session is stopped and deleted, and its pinned keys removed

--config key=value (repeatable) sets gsyncd config values, e.g. sync_method=tarssh;
keys not given are left as they are. ssh_port comes from the target's ssh_port, the
ssh options from the host key pinning, and the checkpoint from "glusterdr checkpoint".

--tar-blocking-factor N (default 256) is the record size, in blocks of 512 bytes, of the
tar that writes the files on the secondary nodes (tarssh). gsyncd takes no option for it,
so the command sets it in the forced command of gsyncd's tar key in authorized_keys on
every secondary node: command="tar -B -b N ${SSH_ORIGINAL_COMMAND#* }". With GNU tar's
default of 20 (push-pem's own line) a large file reaches the secondary in 10 KiB writes,
at most a third of the wire's speed. Every session from the primary cluster to the same
secondary user shares the line.

The command reaches the primary node and the secondary nodes with the schedule's ssh
block, takes the schedule's run lock while it changes anything, and reports
"changed": true only when it changed something. --plan changes nothing and reports what
would change (Ansible's check mode). With --json the report is printed even on failure.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			want, err := parseSessionWant(state, configs)
			if err == nil {
				want.TarBlocking, err = tarBlockingFlag(tarBlocking)
			}
			if err != nil {
				return &usageError{err}
			}
			s, t, err := scheduleTarget(g, path, target)
			if err != nil {
				return err
			}
			want.SSHPort, want.ResetSyncTime = t.SSHPort, resetSync
			ctx, cancel := context.WithTimeout(c.Context(), timeout)
			defer cancel()
			pool := remote.NewPool(g.logger())
			defer closePool(g, pool)
			nodes, err := scheduleNodes(g, pool, s)
			if err != nil {
				return err
			}
			sc := &sessionCmd{session: georep.Session{Hosts: nodes, Primary: s.Primary.Node, Ref: t.Session(), Log: g.logger()}}
			res := &sessionResult{Target: t.Name, Session: t.Session().String(), PrimaryNode: s.Primary.Node, State: want.State,
				Plan: plan, Changes: []sessionChange{}}
			err = sc.run(ctx, s, want, res)
			if err != nil {
				res.Error = err.Error()
			}
			return printResult(g, c.OutOrStdout(), res, printSession, err)
		},
	}
	scheduleFlag(cmd, &path)
	cmd.Flags().StringVar(&target, "target", "", "the schedule target whose session this is (required)")
	cmd.Flags().StringVar(&state, "state", sessionPresent, "the state to bring the session to: "+strings.Join(sessionStates, ", "))
	cmd.Flags().StringArrayVar(&configs, "config", nil, "a gsyncd config value as key=value, e.g. sync_method=tarssh (repeatable)")
	cmd.Flags().BoolVar(&plan, "plan", false, "say what would change, change nothing")
	cmd.Flags().BoolVar(&resetSync, "reset-sync-time", false, "with --state absent: delete with reset-sync-time, so that a new session starts with a full crawl")
	cmd.Flags().DurationVar(&timeout, "timeout", defaultSessionTimeout, "bound on the whole command, waits for keys and states included")
	cmd.Flags().IntVar(&tarBlocking, "tar-blocking-factor", georep.DefaultTarBlocking,
		"record size in 512-byte blocks of the secondary nodes' extracting tar (1-4096; 20 is push-pem's own)")
	_ = cmd.MarkFlagRequired("target")
	return cmd
}

// parseSessionWant checks --state and the --config pairs. Config keys are
// spelled as gsyncd prints them: '-' becomes '_'.
func parseSessionWant(state string, pairs []string) (sessionWant, error) {
	want := sessionWant{State: state, Config: map[string]string{}}
	if !slices.Contains(sessionStates, state) {
		return want, fmt.Errorf("--state %q: want one of %s", state, strings.Join(sessionStates, ", "))
	}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		k = strings.ReplaceAll(strings.TrimSpace(k), "-", "_")
		switch {
		case !ok || k == "":
			return want, fmt.Errorf("--config %q: want key=value, e.g. sync_method=tarssh", p)
		case v == "" || strings.ContainsAny(v, "\n\r\x00"):
			return want, fmt.Errorf("--config %s: the value is empty or spans lines", k)
		case slices.Contains(sessionOwnedKeys, k):
			return want, fmt.Errorf("--config %s: glusterdr manages it (ssh_port from the target's ssh_port, the ssh options by "+
				"host key pinning, the checkpoint by `glusterdr checkpoint`)", k)
		}
		if old, dup := want.Config[k]; dup && old != v {
			return want, fmt.Errorf("--config %s is given twice, as %q and %q", k, old, v)
		}
		want.Config[k] = v
	}
	if state == sessionAbsent && len(want.Config) > 0 {
		return want, errors.New("--config makes no sense with --state absent")
	}
	return want, nil
}

// tarBlockingFlag checks --tar-blocking-factor.
func tarBlockingFlag(n int) (int, error) {
	if err := gluster.ValidTarBlocking(n); err != nil {
		return 0, fmt.Errorf("--tar-blocking-factor: %w", err)
	}
	return n, nil
}

// sessionCmd is one run of `glusterdr session`.
type sessionCmd struct {
	session georep.Session
}

// run observes the session, plans, and (without plan) applies and reads
// the session back, filling res.
func (sc *sessionCmd) run(ctx context.Context, s *schedule.Schedule, want sessionWant, res *sessionResult) error {
	if err := sc.session.Ref.Validate(); err != nil {
		return err
	}
	if !res.Plan {
		var release func()
		var err error
		if ctx, release, err = guard(ctx, s, sc.session.Hosts, drrun.Writes, sc.session.Log); err != nil {
			return err
		}
		defer release()
	}
	spec := want.spec()
	before, err := georep.Observe(ctx, sc.session)
	if err != nil {
		return err
	}
	if spec.State != georep.Absent {
		// What could not be read cannot be brought to the declaration.
		if err := errors.Join(before.PinErr, before.TarErr); err != nil {
			return err
		}
	}
	res.Before, res.After = viewOf(before), viewOf(before)
	changes := georep.Plan(before, spec)
	res.Changed = len(changes) > 0
	for _, ch := range changes {
		res.Changes = append(res.Changes, sessionChange(ch))
	}
	if res.Plan {
		res.After = viewOf(georep.Predict(before, spec, changes))
		return nil
	}
	if !res.Changed {
		return nil
	}
	applyErr := georep.Apply(ctx, sc.session, spec, changes)
	after, err := georep.Observe(ctx, sc.session)
	if err == nil {
		res.After = viewOf(after)
	}
	if applyErr != nil {
		return applyErr
	}
	return err
}

// viewOf is the engine's view as the command prints it.
func viewOf(v georep.View) sessionView {
	out := sessionView{Exists: v.Exists, State: string(v.State), Pinned: v.Pinned, Config: v.Config, Workers: []workerView{}}
	if v.Exists && v.TarErr == nil {
		out.TarBlockingFactor = &v.TarBlocking
	}
	if v.Status != nil {
		out.Status, out.Workers = string(v.Status.Rollup), workerViews(v.Status.Workers)
	}
	return out
}

// tarBlockingText is a view's tar blocking factor as the text report says
// it.
func tarBlockingText(n *int) string {
	if n == nil {
		return "unread"
	}
	return georep.TarBlockingText(*n)
}

func printSession(w io.Writer, r *sessionResult) {
	verb := "changed"
	if r.Plan {
		verb = "would change"
	}
	if !r.Changed {
		fmt.Fprintf(w, "%s (%s): already %s, nothing to do\n", r.Session, r.Target, r.State)
	} else {
		fmt.Fprintf(w, "%s (%s): %s\n", r.Session, r.Target, verb)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  CHANGE\tKEY\tFROM\tTO")
		for _, ch := range r.Changes {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", ch.What, ch.Key, ch.From, ch.To)
		}
		tw.Flush()
	}
	if r.After.Exists {
		fmt.Fprintf(w, "state %s (%s), host keys pinned %v, sync_method %s, tar blocking factor %s\n", r.After.State,
			r.After.Status, r.After.Pinned, r.After.Config["sync_method"], tarBlockingText(r.After.TarBlockingFactor))
	} else {
		fmt.Fprintln(w, "the session does not exist")
	}
	if r.Error != "" {
		fmt.Fprintf(w, "error: %s\n", r.Error)
	}
}
