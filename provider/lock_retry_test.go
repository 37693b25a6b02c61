package provider

import (
	"context"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// A command refused for a held cluster lock is sent again; it never ran.
func TestLockRetryRunnerRetriesABusyGlusterd(t *testing.T) {
	busy := reply{"plain", "Another transaction is in progress for N/A. Please try again after some time.\n", 1}
	done := reply{"plain", "", 0}
	r := &scriptedRunner{t: t, replies: []reply{busy, done}}
	if err := gluster.New(lockRetryRunner{r}).CreateSecret(context.Background()); err != nil {
		t.Fatalf("CreateSecret through a busy glusterd: %v", err)
	}
	if len(r.replies) != 0 {
		t.Errorf("replies left: %+v", r.replies)
	}
}

func TestLockBusyOnlyForGlusterWithoutStdin(t *testing.T) {
	res := remote.Result{Stdout: []byte("<opErrstr>Another transaction is in progress for global.</opErrstr>")}
	if !lockBusy(remote.Command("gluster", "--xml", "volume", "stop", "global"), res, nil) {
		t.Error("the --xml refusal is not recognised")
	}
	if lockBusy(remote.Command("cat", "/x"), res, nil) {
		t.Error("a command other than gluster would be retried")
	}
	if lockBusy(remote.Command("gluster", "volume", "info"), remote.Result{Stdout: []byte("Volume Name: x")}, nil) {
		t.Error("a successful answer counts as busy")
	}
}
