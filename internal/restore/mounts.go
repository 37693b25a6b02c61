package restore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// refuseMountsBelow refuses a restore into a tree that has something
// mounted inside it on the primary node, a bind mount above all: the scan
// and tar would read and write the mounted file system, not the volume,
// and the restore would delete what is there as "not in the point"
// (docs/guides/awkward-files.md).
func (w *work) refuseMountsBelow(ctx context.Context) error {
	pr, _ := w.primary()
	dst := w.dst()
	below, err := mountsBelow(ctx, pr, dst)
	if err != nil {
		return err
	}
	if len(below) > 0 {
		return fmt.Errorf("on %s, %s is mounted inside %s, which the restore would overwrite through the mount: unmount it, or restore "+
			"another --path, first", pr.Host(), strings.Join(below, ", "), dst)
	}
	return nil
}

// mountsBelow lists the mount points strictly under dir on r's host.
func mountsBelow(ctx context.Context, r remote.Runner, dir string) ([]string, error) {
	res, err := r.Run(ctx, remote.Command("findmnt", "--raw", "--noheadings", "--output", "TARGET"))
	if err != nil {
		return nil, fmt.Errorf("listing the mounts on %s: %w", r.Host(), err)
	}
	var below []string
	for _, line := range strings.Split(strings.TrimSpace(string(res.Stdout)), "\n") {
		target := unescapeMount(line)
		if strings.HasPrefix(target, strings.TrimSuffix(dir, "/")+"/") {
			below = append(below, target)
		}
	}
	return below, nil
}

// unescapeMount undoes findmnt --raw's \xNN escapes (spaces and other
// unsafe bytes in a mount point).
func unescapeMount(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
