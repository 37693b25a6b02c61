package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
)

// verifyResult is what `glusterdr verify --json` prints.
type verifyResult struct {
	Set          string                  `json:"set"`
	Target       string                  `json:"target"`
	Verified     bool                    `json:"verified"`
	Verification *backupset.Verification `json:"verification"`
	Error        string                  `json:"error,omitempty"`
}

func newVerifyCommand(g *globals) *cobra.Command {
	var path, setID, target string
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Read a backup set back at its target and compare it with what was sent; change nothing",
		Example: `  glusterdr verify
  glusterdr verify --target tacc --json
  glusterdr verify --set 20261125T020000Z-sdsc; echo "exit $?"   # 3: the copy is damaged`,
		Long: `Verify mounts the target's volume read-only on its verify node, compares every
manifest entry of the set and a random sample of other volume files, and opens the etcd
snapshot fetched from the target. It changes nothing, set.json included: the nightly
verify step is "glusterdr run --step verify". By default it checks the newest set that was
replicated (of --target). It exits 3 when the copy is not what was sent, and 1 when
it could not be verified (an unreachable node, a failed mount).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return withEngine(g, c, path, func(ctx context.Context, e *drrun.Engine) error {
				ctx, release, err := e.Guard(ctx, drrun.GuardOptions{Access: drrun.Reads, Command: commandLine()})
				if err != nil {
					return err
				}
				defer release()
				m, err := replicatedSet(ctx, e, setID, target)
				if err != nil {
					return err
				}
				v, err := e.Verify(ctx, m)
				res := verifyResult{Set: m.ID, Target: m.Target, Verification: v}
				switch {
				case err != nil:
					res.Error = err.Error()
				case !v.Verified:
					err = &drrun.DamagedError{Target: m.Target, Problem: v.Problem}
					res.Error = v.Problem
				default:
					res.Verified = true
				}
				return printResult(g, c.OutOrStdout(), res, printVerification, err)
			})
		},
	}
	scheduleFlag(cmd, &path)
	cmd.Flags().StringVar(&setID, "set", "", "the backup set (default: the newest replicated one)")
	cmd.Flags().StringVar(&target, "target", "", "the newest replicated set of this target")
	return cmd
}

// replicatedSet finds the set to verify.
func replicatedSet(ctx context.Context, e *drrun.Engine, id, target string) (*backupset.Meta, error) {
	if id != "" {
		return e.Store().Read(ctx, id)
	}
	listing, err := e.Store().List(ctx)
	if err != nil {
		return nil, err
	}
	m := backupset.Newest(listing.Sets, func(m *backupset.Meta) bool {
		return m.Step(backupset.StepReplicate).State == backupset.StateDone && (target == "" || m.Target == target)
	})
	if m == nil {
		return nil, fmt.Errorf("no replicated backup set in %s to verify", e.Schedule.Primary.BackupDir)
	}
	return m, nil
}

func printVerification(w io.Writer, r verifyResult) {
	v := r.Verification
	if v == nil {
		fmt.Fprintf(w, "%s at %s: not verified\n", r.Set, r.Target)
		return
	}
	fmt.Fprintf(w, "%s at %s (read on %s): verified %v in %.1fs\n", r.Set, r.Target, v.Node, r.Verified, v.Seconds)
	fmt.Fprintf(w, "  manifest entries %d, sampled files %d of %d (%d dropped)\n", v.Entries, v.Sample.Files, v.Sample.Scanned, v.Sample.Dropped)
	if v.Etcd != nil {
		fmt.Fprintf(w, "  etcd snapshot: ok %v, revision %d, %d keys %s\n", v.Etcd.OK, v.Etcd.Revision, v.Etcd.Keys, v.Etcd.Problem)
	}
	if len(v.Mismatches) > 0 {
		fmt.Fprint(w, manifest.Report(v.Mismatches))
	}
}
