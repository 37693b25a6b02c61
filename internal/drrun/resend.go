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
// that failed verification, split by whether they exist at the target. ok is
// false when a resend cannot cure the copy: an error outside the set, an
// etcd problem with no file to blame, or more errors than were listed.
func resendable(v *backupset.Verification, setRel string) (present, missing []string, ok bool) {
	listed := 0
	for _, mm := range v.Mismatches {
		if mm.Severity == manifest.SeverityWarning {
			continue
		}
		listed++
		if !strings.HasPrefix(mm.Path, setRel+"/") {
			return nil, nil, false
		}
		if mm.Missing {
			missing = append(missing, mm.Path)
		} else {
			present = append(present, mm.Path)
		}
	}
	if listed != v.Errors || listed == 0 {
		return nil, nil, false
	}
	return present, missing, true
}

// rewriteScript is Rewrite's: how (inplace or copy), then the files.
const rewriteScript = `how=$1; shift
for f; do
  [ -f "$f" ] && [ ! -L "$f" ] || continue
  case $how in
  copy) cp -p -- "$f" "$f.glusterdr-resend" && mv -f -- "$f.glusterdr-resend" "$f" || exit 1 ;;
  *) dd if="$f" of="$f" bs=1M conv=notrunc,fsync status=none || exit 1 ;;
  esac
done`

// Rewrite rewrites regular files on r (absolute paths) so that
// geo-replication sends them again: in place, byte for byte, or, for files
// missing at the target, from a copy renamed over each, which makes a new
// entry. Anything else is left for the verification that follows to report.
func Rewrite(ctx context.Context, r remote.Runner, files []string, missing bool) error {
	if len(files) == 0 {
		return nil
	}
	how := "inplace"
	if missing {
		how = "copy"
	}
	_, err := r.Run(ctx, remote.Command(append([]string{"sh", "-c", rewriteScript, "sh", how}, files...)...))
	return err
}

// resend rewrites the files on the primary (paths relative to the volume
// root) and runs one more checkpoint cycle to m's target.
func (e *Engine) resend(ctx context.Context, m *backupset.Meta, present, missing []string) error {
	pr, _ := e.primary()
	abs := func(files []string) []string {
		out := make([]string, len(files))
		for i, f := range files {
			out[i] = path.Join(e.Schedule.Primary.Mount, f)
		}
		return out
	}
	if err := Rewrite(ctx, pr, abs(present), false); err != nil {
		return fmt.Errorf("rewriting on the primary: %w", err)
	}
	if err := Rewrite(ctx, pr, abs(missing), true); err != nil {
		return fmt.Errorf("re-creating on the primary: %w", err)
	}
	return e.replicate(ctx, m)
}
