package gluster

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// SSHCause is what ssh said when one of gsyncd's ssh commands failed.
type SSHCause string

// The causes the monitor's and the workers' log tells apart. A changed or
// unknown host key and a refused key do not go away by retrying; the others
// may.
const (
	SSHHostKeyChanged SSHCause = "the host key changed (REMOTE HOST IDENTIFICATION HAS CHANGED)"
	SSHHostKeyFailed  SSHCause = "host key verification failed"
	SSHAuthRefused    SSHCause = "the key was refused (Permission denied (publickey))"
	SSHConnRefused    SSHCause = "the connection was refused (is sshd running, on that port?)"
	SSHUnreachable    SSHCause = "the host could not be reached (no route, time out or unknown name)"
	SSHUnexplained    SSHCause = "ssh exited 255 and gsyncd did not log why"
	// SSHRemoteFailed: ssh worked, the command gsyncd ran on the
	// secondary node failed (glusterd down there, the volume stopped).
	SSHRemoteFailed SSHCause = "the command gsyncd runs there failed"
)

// Persistent reports a cause that retrying does not cure.
func (c SSHCause) Persistent() bool {
	return c == SSHHostKeyChanged || c == SSHHostKeyFailed || c == SSHAuthRefused
}

// SSHFailure is one ssh command of gsyncd's (the monitor's or a worker's)
// that failed, as its log tells.
type SSHFailure struct {
	At      time.Time // the log line's time (the primary node's clock)
	Host    string    // where ssh was going
	Command string    // the ssh command as gsyncd ran it
	// Remote is the command ssh ran on Host (the end of Command).
	Remote   string
	ExitCode int
	Cause    SSHCause
	Detail   string // the line of ssh's that says it, if logged
}

// sshCauses map what ssh prints to a cause, most telling first.
var sshCauses = []struct {
	text  string
	cause SSHCause
}{
	{"REMOTE HOST IDENTIFICATION HAS CHANGED", SSHHostKeyChanged},
	{"Host key verification failed", SSHHostKeyFailed},
	{"Permission denied", SSHAuthRefused},
	{"Connection refused", SSHConnRefused},
	{"No route to host", SSHUnreachable},
	{"Connection timed out", SSHUnreachable},
	{"Could not resolve hostname", SSHUnreachable},
}

var (
	// [2026-12-04 20:53:55.32155] E [syncdutils(monitor):845:errlog] Popen: command returned error [{cmd=ssh ... HOST ...}, {error=255}]
	logLine   = regexp.MustCompile(`^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)[.\d]*\] \w \[[^\]]*\] (.*)$`)
	sshFailed = regexp.MustCompile(`Popen: command returned error \[\{cmd=(ssh [^}]*)\}, \{error=(\d+)\}\]`)
)

// sshValueOptions are ssh's options that take the next word as value.
const sshValueOptions = "BbcDEeFIiJLlmOoPpQRSWw"

// ParseSSHFailures reads a gsyncd log (gsyncd.log of the session) and
// returns the ssh commands that failed at or after since, in order: those
// that exited 255 (ssh's own failure) with what ssh printed about it, and
// those whose command on the secondary node failed.
func ParseSSHFailures(log []byte, since time.Time) []SSHFailure {
	var out []SSHFailure
	var cur *SSHFailure
	sc := bufio.NewScanner(bytes.NewReader(log))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		m := logLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue // a traceback or a cut first line
		}
		at, err := time.ParseInLocation(time.DateTime, m[1], time.UTC)
		if err != nil || at.Before(since.Truncate(time.Second)) {
			continue
		}
		msg := m[2]
		if f := sshFailed.FindStringSubmatch(msg); f != nil {
			host, remote := sshDestination(f[1])
			code, _ := strconv.Atoi(f[2])
			cause := SSHUnexplained
			if code != 255 {
				cause = SSHRemoteFailed
			}
			out = append(out, SSHFailure{At: at, Command: f[1], Host: host, Remote: remote, ExitCode: code, Cause: cause})
			cur = &out[len(out)-1]
			continue
		}
		said, ok := strings.CutPrefix(msg, "Popen: ssh> ")
		if !ok || cur == nil || cur.Cause == SSHRemoteFailed {
			cur = nil
			continue
		}
		for _, c := range sshCauses {
			if strings.Contains(said, c.text) && rank(c.cause) < rank(cur.Cause) {
				cur.Cause, cur.Detail = c.cause, strings.TrimSpace(said)
			}
		}
	}
	return out
}

// rank orders causes as sshCauses does; unexplained last.
func rank(c SSHCause) int {
	for i, x := range sshCauses {
		if x.cause == c {
			return i
		}
	}
	return len(sshCauses)
}

// sshDestination splits an ssh command line into its host (the first word
// that is not an option or an option's value, without a user@) and the
// command it runs there.
func sshDestination(cmd string) (host, remote string) {
	words := strings.Fields(cmd)
	for i := 1; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") {
			_, host, found := strings.Cut(w, "@")
			if !found {
				host = w
			}
			return host, strings.Join(words[i+1:], " ")
		}
		if len(w) == 2 && strings.ContainsRune(sshValueOptions, rune(w[1])) {
			i++ // the option's value is the next word
		}
	}
	return "", ""
}

// failingSSH decides from the failures found whether the secondary cannot
// be reached: at once for a persistent cause, and for any other after two
// attempts at least minApart apart (gsyncd tries again after a restart).
func failingSSH(found []SSHFailure, minApart time.Duration) (SSHFailure, bool) {
	first := map[string]time.Time{}
	for _, f := range found {
		if f.Cause.Persistent() {
			return f, true
		}
		t, seen := first[f.Host]
		if !seen {
			first[f.Host] = f.At
			continue
		}
		if f.At.Sub(t) >= minApart {
			return f, true
		}
	}
	return SSHFailure{}, false
}

// Describe says what happened, for an error's reason.
func (f SSHFailure) Describe(primaryHost string) string {
	if f.Cause == SSHRemoteFailed {
		return fmt.Sprintf("gsyncd on %s cannot use the secondary node %s: the command it runs there over SSH exited %d: %s",
			primaryHost, f.Host, f.ExitCode, f.Remote)
	}
	s := fmt.Sprintf("gsyncd on %s cannot reach the secondary node %s over SSH: %s", primaryHost, f.Host, f.Cause)
	if f.Detail != "" && !strings.Contains(string(f.Cause), f.Detail) {
		s += fmt.Sprintf(" (ssh said: %q)", f.Detail)
	}
	return s
}
