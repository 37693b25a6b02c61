package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

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

// Defaults of `glusterdr session`.
const (
	defaultSessionTimeout = 10 * time.Minute
)

// Changes a session command makes, in the order it makes them.
const (
	changeCreate = "create"
	changePort   = "ssh_port"
	changePin    = "pin_host_keys"
	changeConfig = "config"
	changeState  = "state"
	changeDelete = "delete"
)

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
	Pinned  bool              `json:"pinned"`
	Config  map[string]string `json:"config"`
	Workers []workerView      `json:"workers"`
}

// sessionWant is what the command is asked for.
type sessionWant struct {
	State   string
	Config  map[string]string
	SSHPort int
	// HostKeys are the known_hosts lines to pin; nil when not needed
	// (absent) or not known.
	HostKeys []string
}

func newSessionCommand(g *globals) *cobra.Command {
	var (
		path, target, state string
		configs             []string
		plan, resetSync     bool
		timeout             time.Duration
	)
	cmd := &cobra.Command{
		Use:   "session",
		Short: "Bring the geo-replication session of a schedule target to a declared state",
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

The command reaches the primary node and the secondary nodes with the schedule's ssh
block, takes the schedule's run lock while it changes anything, and reports
"changed": true only when it changed something. --plan changes nothing and reports what
would change (Ansible's check mode). With --json the report is printed even on failure.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			want, err := parseSessionWant(state, configs)
			if err != nil {
				return err
			}
			s, t, err := scheduleTarget(g, path, target)
			if err != nil {
				return err
			}
			want.SSHPort = t.SSHPort
			ctx, cancel := context.WithTimeout(c.Context(), timeout)
			defer cancel()
			pool := remote.NewPool(g.logger())
			defer closePool(g, pool)
			sc := &sessionCmd{hosts: scheduleNodes(pool, s), primary: s.Primary.Node,
				ref: t.Session(), resetSyncTime: resetSync, log: g.logger()}
			res := &sessionResult{Target: t.Name, Session: sc.ref.String(), PrimaryNode: sc.primary, State: want.State,
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

// sessionCmd is one run of `glusterdr session`.
type sessionCmd struct {
	hosts         georep.Hosts
	primary       string
	ref           gluster.SessionRef
	resetSyncTime bool
	log           *slog.Logger
}

func (sc *sessionCmd) gluster() *gluster.Client { return gluster.New(sc.hosts.Runner(sc.primary)) }

// run observes the session, plans, and (without plan) applies and reads
// the session back, filling res.
func (sc *sessionCmd) run(ctx context.Context, s *schedule.Schedule, want sessionWant, res *sessionResult) error {
	if err := sc.ref.Validate(); err != nil {
		return err
	}
	if !res.Plan {
		release, err := acquireLock(s, sc.log)
		if err != nil {
			return err
		}
		defer release()
	}
	before, err := sc.observe(ctx)
	if err != nil {
		return err
	}
	res.Before, res.After = before.view, before.view
	if want.State != sessionAbsent {
		if want.HostKeys, err = georep.ExpectedHostKeys(ctx, sc.hosts, sc.ref, want.SSHPort); err != nil {
			return err
		}
		before.view.Pinned = before.view.Exists && georep.Pinned(sc.ref, before.view.Config) && georep.SameKnownHosts(before.pinned, want.HostKeys)
		res.Before, res.After = before.view, before.view
	}
	res.Changes = planSession(before.view, want)
	res.Changed = len(res.Changes) > 0
	if res.Plan {
		res.After = predictSession(before.view, want, res.Changes)
		return nil
	}
	if !res.Changed {
		return nil
	}
	if err := sc.apply(ctx, want, res.Changes); err != nil {
		if after, oerr := sc.observe(ctx); oerr == nil {
			res.After = after.view
		}
		return err
	}
	after, err := sc.observe(ctx)
	if err != nil {
		return err
	}
	if want.State != sessionAbsent {
		after.view.Pinned = after.view.Exists && georep.Pinned(sc.ref, after.view.Config) && georep.SameKnownHosts(after.pinned, want.HostKeys)
	}
	res.After = after.view
	return nil
}

// observed is a session as read, with the keys pinned on the primary node.
type observed struct {
	view   sessionView
	pinned []string
}

// observe reads the session's status, config and pinned keys.
func (sc *sessionCmd) observe(ctx context.Context) (observed, error) {
	o := observed{view: sessionView{Config: map[string]string{}, Workers: []workerView{}}}
	c := sc.gluster()
	st, err := c.Status(ctx, sc.ref)
	if errors.Is(err, gluster.ErrNoSession) {
		return o, nil
	}
	if err != nil {
		return o, err
	}
	o.view.Exists = true
	o.view.Status = string(st.Rollup)
	o.view.State = string(georep.StateOf(st.Rollup))
	o.view.Workers = workerViews(st.Workers)
	if o.view.Config, err = c.Config(ctx, sc.ref); err != nil {
		return o, err
	}
	if o.pinned, err = georep.PinnedKeys(ctx, sc.hosts.Files(sc.primary), sc.ref); err != nil {
		return o, err
	}
	return o, nil
}

// apply makes the planned changes, in order.
func (sc *sessionCmd) apply(ctx context.Context, want sessionWant, changes []sessionChange) error {
	c := sc.gluster()
	var nodes georep.Nodes
	needNodes := slices.ContainsFunc(changes, func(ch sessionChange) bool {
		return ch.What == changeCreate || ch.What == changePin || ch.What == changeDelete
	})
	if needNodes {
		var err error
		if nodes, err = georep.NodesFor(ctx, sc.hosts, c, sc.ref); err != nil {
			return err
		}
	}
	for _, ch := range changes {
		sc.log.Info("changing the geo-replication session", "session", sc.ref.String(), "what", ch.What, "key", ch.Key, "from", ch.From, "to", ch.To)
		var err error
		switch ch.What {
		case changeCreate:
			err = georep.Create(ctx, nodes, georep.Spec{Ref: sc.ref, SSHPort: want.SSHPort, Config: want.Config, HostKeys: want.HostKeys})
		case changePort:
			err = c.ConfigSet(ctx, sc.ref, "ssh_port", ch.To)
		case changePin:
			err = georep.PinHostKeys(ctx, nodes, sc.ref, want.HostKeys)
		case changeConfig:
			err = c.ConfigSet(ctx, sc.ref, ch.Key, ch.To)
		case changeState:
			err = georep.SetState(ctx, c, sc.ref, georep.State(ch.To))
		case changeDelete:
			err = sc.delete(ctx, c, nodes)
		default:
			err = fmt.Errorf("unknown change %q", ch.What)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// delete stops the session (with force when a plain stop fails, e.g. the
// secondary is unreachable), deletes it and removes the pinned keys.
func (sc *sessionCmd) delete(ctx context.Context, c *gluster.Client, nodes georep.Nodes) error {
	if err := c.Stop(ctx, sc.ref, false); err != nil && !errors.Is(err, gluster.ErrNoSession) {
		sc.log.Warn("stopping the session failed; stopping it with force", "session", sc.ref.String(), "error", err)
		if err := c.Stop(ctx, sc.ref, true); err != nil && !errors.Is(err, gluster.ErrNoSession) {
			return err
		}
	}
	err := c.Delete(ctx, sc.ref, gluster.DeleteOptions{ResetSyncTime: sc.resetSyncTime})
	if err != nil && !errors.Is(err, gluster.ErrNoSession) {
		return err
	}
	return georep.RemovePinned(ctx, nodes.PrimaryFiles, sc.ref)
}

// planSession lists the changes that bring have to want, in the order
// apply makes them. A session to create is created with want's config
// and pinned keys, and left stopped.
func planSession(have sessionView, want sessionWant) []sessionChange {
	changes := []sessionChange{}
	if want.State == sessionAbsent {
		if have.Exists {
			changes = append(changes, sessionChange{What: changeDelete, From: have.State})
		}
		return changes
	}
	state := have.State
	if !have.Exists {
		changes = append(changes, sessionChange{What: changeCreate, To: string(georep.Stopped)})
		state = string(georep.Stopped)
	} else {
		port := strconv.Itoa(portOr22(want.SSHPort))
		if live := have.Config["ssh_port"]; live != port {
			changes = append(changes, sessionChange{What: changePort, Key: "ssh_port", From: live, To: port})
		}
		if !have.Pinned {
			changes = append(changes, sessionChange{What: changePin, Key: "ssh_options"})
		}
		for _, k := range slices.Sorted(maps.Keys(want.Config)) {
			if live, ok := have.Config[k]; !ok || live != want.Config[k] {
				changes = append(changes, sessionChange{What: changeConfig, Key: k, From: live, To: want.Config[k]})
			}
		}
	}
	if want.State != sessionPresent && want.State != state {
		changes = append(changes, sessionChange{What: changeState, From: state, To: want.State})
	}
	return changes
}

// predictSession is what the session would be after changes, for --plan.
func predictSession(have sessionView, want sessionWant, changes []sessionChange) sessionView {
	v := have
	v.Config = maps.Clone(have.Config)
	if v.Config == nil {
		v.Config = map[string]string{}
	}
	for _, ch := range changes {
		switch ch.What {
		case changeCreate:
			v = sessionView{Exists: true, State: string(georep.Stopped), Status: string(gluster.RollupCreated), Pinned: true,
				Config: maps.Clone(want.Config), Workers: []workerView{}}
			v.Config["ssh_port"] = strconv.Itoa(portOr22(want.SSHPort))
		case changePort, changeConfig:
			v.Config[ch.Key] = ch.To
		case changePin:
			v.Pinned = true
		case changeState:
			v.State = ch.To
			v.Status = ""
		case changeDelete:
			v = sessionView{Config: map[string]string{}, Workers: []workerView{}}
		}
	}
	return v
}

func portOr22(p int) int {
	if p == 0 {
		return schedule.DefaultSSHPort
	}
	return p
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
		fmt.Fprintf(w, "state %s (%s), host keys pinned %v, sync_method %s\n", r.After.State, r.After.Status, r.After.Pinned, r.After.Config["sync_method"])
	} else {
		fmt.Fprintln(w, "the session does not exist")
	}
	if r.Error != "" {
		fmt.Fprintf(w, "error: %s\n", r.Error)
	}
}
