package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Bounds of the confirmation that a session is gone.
const statusAttempts = 5

// statusPause is the wait between two attempts; a variable for tests.
var statusPause = 2 * time.Second

// sessionStatus reads a session's status on node, and returns
// gluster.ErrNoSession only when gluster says in words that there is no
// such session.
//
// The --xml status of a missing session exits 2 without any XML, but so
// does one refused because glusterd is busy with another transaction (seen
// while another session of the same primary was being created). Taking
// that for "gone" would make plan propose to re-create a live session, so
// the plain status, which says "No active geo-replication sessions
// between ..." for a missing session (and "Another transaction ..." for a
// busy glusterd, which the runner retries), decides.
// c and r reach the same node: c for the --xml status, r for the plain one.
func sessionStatus(ctx context.Context, c *gluster.Client, r remote.Runner, ref gluster.SessionRef) (*gluster.SessionStatus, error) {
	for attempt := 1; ; attempt++ {
		st, err := c.Status(ctx, ref)
		if !errors.Is(err, gluster.ErrNoSession) {
			return st, err
		}
		gone, plain := confirmGone(ctx, r, ref)
		if gone {
			return nil, err
		}
		if attempt == statusAttempts {
			// Not wrapped: this must never read as ErrNoSession.
			return nil, fmt.Errorf("the status of geo-replication session %s on %s is not available after %d attempts: "+
				"the --xml status exits %d without XML, as for a missing session, but the plain status does not say "+
				"that the session is missing:\n%s\nHint: glusterd may be busy or failing; check /var/log/glusterfs/glusterd.log on %s",
				ref, c.Host(), attempt, exitCode(err), plain, c.Host())
		}
		tflog.Debug(ctx, "no status, yet the session is not reported missing; asking again", map[string]any{
			"session": ref.String(), "attempt": attempt, "plain_status": plain,
		})
		t := time.NewTimer(statusPause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// confirmGone runs the plain status of the session; gone is true when
// gluster says that there is no such session. what sums up the answer
// otherwise.
func confirmGone(ctx context.Context, r remote.Runner, ref gluster.SessionRef) (gone bool, what string) {
	res, err := r.Run(ctx, remote.Command("gluster", "volume", "geo-replication", ref.PrimaryVolume, ref.Secondary(), "status"))
	out := strings.TrimSpace(string(res.Stdout) + "\n" + string(res.Stderr))
	if strings.Contains(out, "No active geo-replication sessions between") {
		return true, out
	}
	if err != nil {
		return false, err.Error()
	}
	return false, "it lists the session"
}

func exitCode(err error) int {
	var ge *gluster.Error
	if errors.As(err, &ge) {
		return ge.ExitCode
	}
	return -1
}
