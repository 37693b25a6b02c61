package drrun

import (
	"context"
	"errors"
	"fmt"

	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// preflight checks, before a checkpoint cycle to t, what a cycle cannot
// tell apart from a backlog: that every secondary node answers with the
// key gsyncd pins for it (checked strictly from this controller, without
// logging in), and that t's verify node answers this controller's own SSH.
// A changed host key then fails the run in seconds, naming the node, the
// pinned file and what to do, instead of a checkpoint wait that times out.
func (e *Engine) preflight(ctx context.Context, t schedule.Target) error {
	ref := t.Session()
	_, pf := e.primary()
	n, err := georep.CheckPins(ctx, pf, e.Schedule.Primary.Node, ref, e.keyChecker())
	var pm *georep.PinMismatchError
	switch {
	case errors.As(err, &pm):
		return fmt.Errorf("target %s: %w %s", t.Name, err, e.repinHint(t))
	case err != nil:
		return fmt.Errorf("target %s: %w", t.Name, err)
	case n == 0:
		e.log().Warn("gsyncd does not pin the secondary nodes' host keys for this session, so it accepts any key; "+
			"pin them with `glusterdr session` or the gluster_georep_session resource", "target", t.Name, "session", ref.String())
	}
	if _, err := e.Nodes.Runner(t.VerifyNode).Run(ctx, remote.Command("true")); err != nil {
		return fmt.Errorf("target %s: its verify node %s does not answer this controller, so the copy could not be verified "+
			"after the cycle: %w", t.Name, t.VerifyNode, err)
	}
	return nil
}

// keyChecker checks a secondary node's key: the test's stand-in, else
// along the route this controller's SSH settings give the host (a node
// behind a jump host is reached through the pooled jump connection), else
// directly.
func (e *Engine) keyChecker() georep.KeyChecker {
	if e.CheckHostKey != nil {
		return e.CheckHostKey
	}
	if n, ok := e.Nodes.(interface {
		CheckHostKey(context.Context, remote.Config) error
	}); ok {
		return n.CheckHostKey
	}
	return remote.CheckHostKey
}

// repinHint says how to re-pin t's secondary nodes after checking a new
// key out of band.
func (e *Engine) repinHint(t schedule.Target) string {
	return fmt.Sprintf("To re-pin: put the checked key in this controller's %s, then run "+
		"`glusterdr session --schedule FILE --target %s --state stopped` (or terraform apply of the target's "+
		"gluster_georep_session), which pins the keys the controller verifies.", e.Schedule.SSH.KnownHostsFile, t.Name)
}

// sshHint says, for the checkpoint cycle's failure, what gsyncd checks and
// what to do about f.
func (e *Engine) sshHint(t schedule.Target) func(gluster.SSHFailure) string {
	file := georep.KnownHostsPath(t.Session())
	return func(f gluster.SSHFailure) string {
		switch f.Cause {
		case gluster.SSHHostKeyChanged, gluster.SSHHostKeyFailed:
			return fmt.Sprintf("gsyncd checks %s's key against %s on %s. If %s was reinstalled or re-keyed, compare its new "+
				"fingerprint with its console (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub); if they match: %s",
				f.Host, file, e.Schedule.Primary.Node, f.Host, e.repinHint(t))
		case gluster.SSHAuthRefused:
			return fmt.Sprintf("%s refuses gsyncd's key: check that the primary's geo-replication keys (secret.pem.pub and "+
				"tar_ssh.pem.pub under /var/lib/glusterd/geo-replication on %s) are in %s's authorized_keys on %s; "+
				"gluster's `create push-pem` puts them there.", f.Host, e.Schedule.Primary.Node, t.SecondaryUser, f.Host)
		case gluster.SSHRemoteFailed:
			return fmt.Sprintf("Check that glusterd runs on %s and that the volume %s is started there "+
				"(`gluster volume status %s` on %s).", f.Host, t.SecondaryVolume, t.SecondaryVolume, f.Host)
		default:
			return fmt.Sprintf("Check that sshd runs on %s, port %d, and that %s can reach it.", f.Host, t.SSHPort, e.Schedule.Primary.Node)
		}
	}
}
