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

// rewriteScript rewrites each regular file given in place, byte for byte,
// or (how = copy) re-creates it from a copy renamed over it, so that gsyncd
// sees a write, or a new entry, and sends the file again. Anything else is
// left for the verification that follows to report.
const rewriteScript = `how=$1; shift
for f; do
  [ -f "$f" ] && [ ! -L "$f" ] || continue
  case $how in
  copy) cp -p -- "$f" "$f.glusterdr-resend" && mv -f -- "$f.glusterdr-resend" "$f" || exit 1 ;;
  *) dd if="$f" of="$f" bs=1M conv=notrunc,fsync status=none || exit 1 ;;
  esac
done`

// resend rewrites the files on the primary (paths relative to the volume
// root) and runs one more checkpoint cycle to m's target.
func (e *Engine) resend(ctx context.Context, m *backupset.Meta, present, missing []string) error {
	pr, _ := e.primary()
	rewrite := func(how string, files []string) error {
		if len(files) == 0 {
			return nil
		}
		argv := []string{"sh", "-c", rewriteScript, "sh", how}
		for _, f := range files {
			argv = append(argv, path.Join(e.Schedule.Primary.Mount, f))
		}
		_, err := pr.Run(ctx, remote.Command(argv...))
		return err
	}
	if err := rewrite("inplace", present); err != nil {
		return fmt.Errorf("rewriting on the primary: %w", err)
	}
	if err := rewrite("copy", missing); err != nil {
		return fmt.Errorf("re-creating on the primary: %w", err)
	}
	return e.replicate(ctx, m)
}
