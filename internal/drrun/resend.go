package drrun

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// gsyncd now and then completes a checkpoint with a file of a new set short,
// empty or missing at the target (seen in the lab in a new session's first
// cycle, with tarssh as well as rsync). The verify step then re-sends those
// files once: it rewrites each on the primary, so that the changelog
// records it afresh, runs one more checkpoint cycle and verifies again.
//
// Only the set's own files are re-sent, never user data: rewriting a file
// that a user may be writing could undo their write.

// resendable returns the files of the set (relative to the volume root)
// that failed verification. ok is false when a resend cannot cure the copy:
// an error outside the set, or more errors than were listed, or none (an
// etcd problem with no file to blame).
func resendable(v *backupset.Verification, setRel string) (files []string, ok bool) {
	for _, mm := range v.Mismatches {
		if mm.Severity == manifest.SeverityWarning {
			continue
		}
		if !strings.HasPrefix(mm.Path, setRel+"/") {
			return nil, false
		}
		files = append(files, mm.Path)
	}
	return files, len(files) == v.Errors && len(files) > 0
}

// rewriteScript is rewrite's: how (inplace or copy), then the files.
const rewriteScript = `how=$1; shift
for f; do
  [ -f "$f" ] && [ ! -L "$f" ] || continue
  case $how in
  copy) cp -p -- "$f" "$f.glusterdr-resend" && mv -f -- "$f.glusterdr-resend" "$f" || exit 1 ;;
  *) dd if="$f" of="$f" bs=1M conv=notrunc,fsync status=none || exit 1 ;;
  esac
done`

// RewriteMismatched rewrites on r the regular files that the error
// mismatches ms name (relative to root), so that geo-replication sends them
// again: in place, byte for byte, or, for a file missing at the target, from
// a copy renamed over it, which makes a new entry. Anything else is left for
// the verification that follows to report.
func RewriteMismatched(ctx context.Context, r remote.Runner, root string, ms []manifest.Mismatch) error {
	var present, missing []string
	for _, mm := range ms {
		switch {
		case mm.Severity == manifest.SeverityWarning:
		case mm.Missing:
			missing = append(missing, path.Join(root, mm.Path))
		default:
			present = append(present, path.Join(root, mm.Path))
		}
	}
	if err := rewrite(ctx, r, "inplace", present); err != nil {
		return fmt.Errorf("rewriting on %s: %w", r.Host(), err)
	}
	if err := rewrite(ctx, r, "copy", missing); err != nil {
		return fmt.Errorf("re-creating on %s: %w", r.Host(), err)
	}
	return nil
}

func rewrite(ctx context.Context, r remote.Runner, how string, files []string) error {
	if len(files) == 0 {
		return nil
	}
	// The files may be big (the etcd snapshot, user data): no bound but ctx.
	_, err := r.Run(ctx, remote.Cmd{Argv: append([]string{"sh", "-c", rewriteScript, "sh", how}, files...), Timeout: remote.NoTimeout})
	return err
}

// resend rewrites on the primary the files the mismatches name (relative to
// the volume root) and runs one more checkpoint cycle to m's target.
func (e *Engine) resend(ctx context.Context, m *backupset.Meta, ms []manifest.Mismatch) error {
	pr, _ := e.primary()
	if err := RewriteMismatched(ctx, pr, e.Schedule.Primary.Mount, ms); err != nil {
		return err
	}
	return e.replicate(ctx, m)
}
