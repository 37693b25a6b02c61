package drrun

import (
	"context"
	"errors"
	"fmt"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// SessionStopper stops a geo-replication session; the engine uses the
// gluster CLI on the primary node unless a test replaces it.
type SessionStopper func(ctx context.Context, primary remote.Runner, ref gluster.SessionRef) error

func (e *Engine) sessionStopper() SessionStopper {
	if e.StopSession != nil {
		return e.StopSession
	}
	return func(ctx context.Context, primary remote.Runner, ref gluster.SessionRef) error {
		return gluster.New(primary).Stop(ctx, ref, false)
	}
}

// sessionSteps are the steps that start the target's session: replicate's
// checkpoint cycle, and verify's when it sends files once more.
var sessionSteps = []string{backupset.StepReplicate, backupset.StepVerify}

// stopLeftSession stops the session of m's target when a run was killed
// (SIGKILL, the trigger's last resort after run_timeout) in a step that
// starts it, which set.json then still shows running. A run that ends any
// other way, its deadline included, stops the session itself.
func (e *Engine) stopLeftSession(ctx context.Context, m *backupset.Meta) error {
	left := ""
	for _, s := range sessionSteps {
		if m.Step(s).State == backupset.StateRunning {
			left = s
		}
	}
	if left == "" {
		return nil
	}
	t, err := e.Target(m.Target)
	if err != nil {
		return err
	}
	ref := t.Session()
	pr, _ := e.primary()
	e.log().Warn("a killed run left a step running; stopping the session it may have left started",
		"set", m.ID, "step", left, "session", ref.String())
	if err := e.sessionStopper()(ctx, pr, ref); err != nil && !errors.Is(err, gluster.ErrNoSession) {
		return fmt.Errorf("stopping the session %s, which a run killed in step %s of backup set %s may have left started: %w",
			ref, left, m.ID, err)
	}
	return nil
}
