// Package kubedump runs the cluster dump command of a backup set (by
// default `kubectl cluster-info dump --all-namespaces --output-directory
// DIR`) on the node that mounts the global volume, and checks that it
// really wrote something.
package kubedump

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// DefaultTimeout bounds a dump when the caller's context does not.
const DefaultTimeout = 30 * time.Minute

// Result is a finished dump.
type Result struct {
	Dir  string
	Took time.Duration
}

// Dump runs argv on r so that it writes the dump into dir, which argv must
// name (the schedule's {dir} placeholder, already replaced). dir must be
// absolute. Whatever an interrupted earlier dump left in dir is removed
// first, so that a resumed backup set never holds half of two dumps. The
// command must create dir, as kubectl does, or fill it; a command that exits
// 0 and leaves dir missing or empty fails the dump, because an empty dump
// must never pass for a good one.
func Dump(ctx context.Context, r remote.Runner, argv []string, dir string) (Result, error) {
	if !path.IsAbs(dir) || path.Clean(dir) != dir || dir == "/" {
		return Result{}, fmt.Errorf("cluster dump: %q is not a clean absolute directory", dir)
	}
	if len(argv) == 0 {
		return Result{}, errors.New("cluster dump: the command is empty")
	}
	if _, bounded := ctx.Deadline(); !bounded {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	start := time.Now()
	// The dump and the removal of an old one grow with the cluster: they
	// get DefaultTimeout, the other commands the runner's.
	if _, err := r.Run(ctx, remote.Cmd{Argv: []string{"rm", "-rf", "--", dir}, Timeout: DefaultTimeout}); err != nil {
		return Result{}, fmt.Errorf("cluster dump: removing what an earlier dump left in %s on %s: %w", dir, r.Host(), err)
	}
	if _, err := r.Run(ctx, remote.Command("mkdir", "-p", "--", path.Dir(dir))); err != nil {
		return Result{}, fmt.Errorf("cluster dump: making %s on %s: %w", path.Dir(dir), r.Host(), err)
	}
	if _, err := r.Run(ctx, remote.Cmd{Argv: argv, Timeout: DefaultTimeout}); err != nil {
		return Result{}, fmt.Errorf("cluster dump: the dump command failed on %s; check that it can reach the cluster "+
			"(for kubectl: its kubeconfig) and run it by hand: %w", r.Host(), err)
	}
	res, err := r.Run(ctx, remote.Command("find", dir, "-mindepth", "1", "-print", "-quit"))
	switch {
	case err != nil && strings.Contains(string(res.Stderr), "No such file"):
		return Result{}, fmt.Errorf("cluster dump: %s exited 0 on %s but did not create %s; "+
			"the command must write into the directory given as {dir}", remote.Quote(argv), r.Host(), dir)
	case err != nil:
		return Result{}, fmt.Errorf("cluster dump: checking %s on %s: %w", dir, r.Host(), err)
	case len(strings.TrimSpace(string(res.Stdout))) == 0:
		return Result{}, fmt.Errorf("cluster dump: %s exited 0 on %s but left %s empty", remote.Quote(argv), r.Host(), dir)
	}
	return Result{Dir: dir, Took: time.Since(start)}, nil
}
