package drrun

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// TestAwkwardFilesThatDidNotSurvive: a dump with a hard link and a sparse
// file, replicated by a copy that keeps neither. Verification says so
// plainly: the lost link is an error, the lost holes a warning.
func TestAwkwardFilesThatDidNotSurvive(t *testing.T) {
	h := newHarness(t)
	h.eng.Schedule.ClusterDump = schedule.ClusterDump{Command: []string{"sh", "-c",
		`mkdir -p "$1" && truncate -s 4M "$1/sparse.img" && echo state > "$1/a" && ln "$1/a" "$1/b"`, "sh", schedule.DirPlaceholder}}
	h.eng.Replicate = func(ctx context.Context, primary remote.Runner, ref gluster.SessionRef, opts gluster.CycleOptions) (*gluster.CycleResult, error) {
		res, err := h.replicate(ctx, primary, ref, opts)
		if err != nil {
			return res, err
		}
		// Copy the set again the naive way: no hard links, no holes.
		site := h.site(ref)
		out, err := exec.Command("sh", "-c", `for d in "$1"/backup/*/cluster-dump; do rel=${d#"$1"/}; rm -rf "$2/$rel"; cp -r --sparse=never "$d" "$2/$rel"; done`,
			"sh", h.primary, site).CombinedOutput()
		if err != nil {
			t.Fatalf("naive copy: %v %s", err, out)
		}
		return res, nil
	}
	_, err := h.eng.Run(context.Background(), RunOptions{})
	var se *StepError
	if !errors.As(err, &se) || se.Step != backupset.StepVerify {
		t.Fatalf("Run: %v, want verification to fail", err)
	}
	for _, want := range []string{"cluster-dump/b: hard link to cluster-dump/a lost (separate inode)",
		"warning  backup/", "cluster-dump/sparse.img: not sparse any more"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, err)
		}
	}
}
