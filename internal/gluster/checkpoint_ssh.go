package gluster

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Reading gsyncd's log while no worker works.
const (
	// sshLogEvery spaces the reads of the log.
	sshLogEvery = 5 * time.Second
	// sshLogTail is how much of the log's end is read.
	sshLogTail = 256 << 10
	// sshRetryApart: two failures of a cause that may pass, this far apart,
	// are two attempts of gsyncd's, and fail the cycle.
	sshRetryApart = 10 * time.Second
)

// checkSSH fails the cycle when gsyncd's log on the primary node shows its
// ssh to a secondary node failing since the checkpoint, while no worker is
// Active or Passive: a changed host key or a refused key at once, another
// cause when it happens again. Without it the wait sees only workers that
// never start, and times out blaming a backlog.
func (w *cycleWatch) checkSSH(ctx context.Context, st *SessionStatus, now time.Time) error {
	working := slices.ContainsFunc(st.Workers, func(x Worker) bool {
		return x.Status == WorkerActive || x.Status == WorkerPassive
	})
	if working || now.Sub(w.logReadAt) < sshLogEvery {
		return nil
	}
	w.logReadAt = now
	argv := []string{"tail", "-c", fmt.Sprint(sshLogTail), w.ref.LogPath()}
	res, err := w.c.r.Run(ctx, remote.Command(argv...))
	if err != nil {
		w.log.Debug("reading gsyncd's log for ssh failures", "error", err)
		return nil // the log is a diagnosis, never a reason to fail
	}
	f, failing := failingSSH(ParseSSHFailures(res.Stdout, w.cp), sshRetryApart)
	if !failing {
		return nil
	}
	hint := fmt.Sprintf("Run gsyncd's own command by hand on %s to see ssh's answer: %s. The log is %s there.", w.c.Host(), f.Command, w.ref.LogPath())
	if w.o.SSHHint != nil {
		hint = w.o.SSHHint(f) + " " + hint
	}
	return w.failure(ErrSecondarySSH, st, f.Describe(w.c.Host()), "The session was stopped. "+hint)
}
