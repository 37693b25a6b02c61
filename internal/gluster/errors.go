package gluster

import (
	"errors"
	"fmt"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Sentinel kinds. A failed call returns an *Error whose Kind is one of
// these (or nil when gluster said something this package does not
// recognise); test with errors.Is.
var (
	// ErrNotFound: the volume (or, for Detach, the peer) does not exist.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: volume create (or geo-rep create) of something that exists.
	ErrAlreadyExists = errors.New("already exists")
	// ErrPeerUnreachable: peer probe could not reach glusterd on the host.
	ErrPeerUnreachable = errors.New("peer unreachable")
	// ErrNoSession: the geo-replication session does not exist.
	ErrNoSession = errors.New("geo-replication session does not exist")
	// ErrAlreadyStarted: the volume or session is already started.
	ErrAlreadyStarted = errors.New("already started")
	// ErrAlreadyStopped: the volume or session is stopped (not started).
	ErrAlreadyStopped = errors.New("already stopped")
	// ErrGlusterdDown: the CLI could not talk to the local glusterd.
	ErrGlusterdDown = errors.New("glusterd not reachable")
	// ErrUnexpectedOutput: the CLI answered, but not in a form we can parse.
	ErrUnexpectedOutput = errors.New("unexpected gluster output")
	// ErrInvalid: an argument failed validation before anything ran.
	ErrInvalid = errors.New("invalid argument")

	// ErrNotStarted: after start, the session stayed Created (see CheckpointError).
	ErrNotStarted = errors.New("geo-replication session did not start")
	// ErrWorkerFaulty: a worker stayed Faulty past the grace period.
	ErrWorkerFaulty = errors.New("geo-replication worker faulty")
	// ErrCheckpointTimeout: the checkpoint did not complete in time.
	ErrCheckpointTimeout = errors.New("checkpoint timed out")
	// ErrSecondarySSH: gsyncd's log shows its ssh to a secondary node
	// failing while no worker works.
	ErrSecondarySSH = errors.New("geo-replication cannot reach the secondary over SSH")
)

// Error is a gluster CLI call that failed. It carries everything needed for
// a diagnostic: what was attempted, where, the exact command, how it exited,
// what gluster said (XML opRet/opErrno/opErrstr, or stderr), and a hint.
type Error struct {
	// Op says what was attempted, e.g. `stop volume "gv0"`.
	Op string
	// Host is the runner's host.
	Host string
	// Argv is the command that ran.
	Argv []string
	// ExitCode is the CLI's exit code; -1 when the command did not finish.
	ExitCode int
	// XML is true when OpRet/OpErrno/OpErrstr came from --xml output.
	XML      bool
	OpRet    int
	OpErrno  int
	OpErrstr string
	Stdout   string
	Stderr   string
	// Kind is one of the sentinels above, or nil.
	Kind error
	// Hint says what to try next.
	Hint string
	// Err is an underlying error (transport, context, parsing), or nil.
	Err error
}

// Error renders a short summary line followed by Command:, Exit code:,
// Stderr: and Hint: lines.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %s failed: %s", e.Op, e.Host, e.reason())
	fmt.Fprintf(&b, "\nCommand: %s", remote.Quote(e.Argv))
	fmt.Fprintf(&b, "\nExit code: %d", e.ExitCode)
	stderr := strings.TrimSpace(e.Stderr)
	if stderr == "" {
		stderr = "(empty)"
	}
	fmt.Fprintf(&b, "\nStderr: %s", stderr)
	if e.XML {
		fmt.Fprintf(&b, "\nGluster: opRet %d, opErrno %d, opErrstr %q", e.OpRet, e.OpErrno, e.OpErrstr)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "\nHint: %s", e.Hint)
	}
	return b.String()
}

// Summary is a short Title Case line for a diagnostic's summary; Error()
// is its detail.
func (e *Error) Summary() string {
	switch e.Kind {
	case ErrNotFound:
		return "Gluster Object Not Found"
	case ErrAlreadyExists:
		return "Gluster Object Already Exists"
	case ErrPeerUnreachable:
		return "Gluster Peer Unreachable"
	case ErrNoSession:
		return "Geo-Replication Session Not Found"
	case ErrGlusterdDown:
		return "Glusterd Not Reachable"
	case ErrUnexpectedOutput:
		return "Unexpected Gluster Output"
	}
	if e.Err != nil && e.ExitCode == -1 {
		return "Gluster Command Did Not Finish"
	}
	return "Gluster Command Failed"
}

// Unwrap exposes both the kind and the underlying error to errors.Is/As.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// reason is the one-line cause: gluster's own words when it gave any.
func (e *Error) reason() string {
	for _, s := range []string{e.OpErrstr, firstLine(e.Stderr), firstLine(e.Stdout)} {
		if s != "" {
			return s
		}
	}
	if e.Err != nil {
		return firstLine(e.Err.Error())
	}
	if e.Kind != nil {
		return e.Kind.Error()
	}
	return fmt.Sprintf("exit code %d", e.ExitCode)
}

func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}

// Errnos that gluster passes through from the kernel when a probed host
// cannot be reached.
var unreachableErrnos = map[int]bool{
	101: true, // ENETUNREACH
	104: true, // ECONNRESET
	107: true, // ENOTCONN: seen for a probe of a host with nothing listening
	110: true, // ETIMEDOUT
	111: true, // ECONNREFUSED
	112: true, // EHOSTDOWN
	113: true, // EHOSTUNREACH
}

// glusterd's own op errnos (glusterd-errno.h).
const (
	egNoVol   = 30806 // volume does not exist
	egVolRun  = 30809 // volume is running
	egVolStp  = 30810 // volume is not running
	egVolExst = 30811 // volume exists
)

// classify maps what gluster said to a sentinel kind. text is opErrstr, or
// stderr then stdout for plain output. The order matters: a missing
// geo-replication session also "does not exist".
func classify(errno int, text string) error {
	t := strings.ToLower(text)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(t, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("connection failed. please check if gluster daemon is operational"):
		return ErrGlusterdDown
	case strings.Contains(t, "session between") && has("does not exist", "not present"):
		return ErrNoSession
	case errno == egNoVol || has("does not exist", "is not part of cluster", "not a friend"):
		return ErrNotFound
	case errno == egVolExst || has("already exists", "is already created"):
		return ErrAlreadyExists
	case errno == egVolRun || has("already started"):
		return ErrAlreadyStarted
	case errno == egVolStp || has("is not in the started state", "is not started", "already stopped", "is not running"):
		return ErrAlreadyStopped
	case unreachableErrnos[errno] || has("transport endpoint is not connected", "connection refused", "no route to host"):
		return ErrPeerUnreachable
	}
	return nil
}

// defaultHint says what to try for a kind, on host.
func defaultHint(kind error, host string) string {
	switch kind {
	case ErrGlusterdDown:
		return fmt.Sprintf("Start glusterd on %s (glusterd -N, or systemctl start glusterd) and retry.", host)
	case ErrNotFound:
		return fmt.Sprintf("Check the name with `gluster volume list` or `gluster pool list` on %s.", host)
	case ErrAlreadyExists:
		return "It already exists: import it instead of creating it, or pick another name."
	case ErrPeerUnreachable:
		return fmt.Sprintf("Check that glusterd runs on the peer, that its name resolves on %s, and that TCP 24007 is open between them.", host)
	case ErrNoSession:
		return "Create the session first (geo-replication create push-pem), and check the primary volume and the secondary host::volume spelling."
	case ErrUnexpectedOutput:
		return fmt.Sprintf("Run the command by hand on %s; this client expects GlusterFS 9 or later.", host)
	}
	return fmt.Sprintf("Run the command by hand on %s to see the whole message; glusterd logs to /var/log/glusterfs/glusterd.log.", host)
}
