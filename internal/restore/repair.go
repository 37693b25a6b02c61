package restore

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// What a restore point lacks of the primary as it was, and the restore puts
// back (docs/guides/awkward-files.md): geo-replication makes device nodes
// without their device numbers, drops setuid and setgid bits, and gives
// symlinks and special files the time they were made at the site; tar
// leaves sockets out. The set's verification kept the primary's entries of
// those files (backupset.SampleResult.Special); overlay lays them over the
// point's scan, so that the restore compares the primary with the point as
// the primary had it, and repair makes the primary so after the copy.

// overlay returns point with what special (keyed by path relative to the
// restored tree) says the primary had and the point lost, and the paths so
// changed.
func overlay(point []manifest.Entry, special map[string]manifest.Entry) ([]manifest.Entry, map[string]bool) {
	out := make([]manifest.Entry, len(point))
	fixed := map[string]bool{}
	for i, e := range point {
		out[i] = e
		c, ok := special[e.Path]
		if !ok || c.Type != e.Type {
			continue
		}
		if (e.Type == manifest.TypeChar || e.Type == manifest.TypeBlock) && e.Rdev == manifest.NoDevice && c.Rdev != e.Rdev {
			out[i].Rdev, fixed[e.Path] = c.Rdev, true
		}
		if lostSetID(c.Mode, e.Mode) {
			out[i].Mode, fixed[e.Path] = c.Mode, true
		}
		if e.Type != manifest.TypeFile && e.Type != manifest.TypeDir && !c.MTime.IsZero() && !c.MTime.Equal(e.MTime) {
			out[i].MTime, fixed[e.Path] = c.MTime, true
		}
	}
	return out, fixed
}

// lostSetID reports whether got is want without its setuid/setgid bits.
func lostSetID(want, got string) bool {
	w, err1 := strconv.ParseUint(want, 8, 12)
	g, err2 := strconv.ParseUint(got, 8, 12)
	return err1 == nil && err2 == nil && w&0o6000 != 0 && g == w&^0o6000
}

// specialUnder is the set's special entries under the restored subtree sub,
// keyed by path relative to it.
func specialUnder(entries []manifest.Entry, sub string) map[string]manifest.Entry {
	out := map[string]manifest.Entry{}
	for _, e := range entries {
		rel := e.Path
		if sub != "" {
			var ok bool
			if rel, ok = strings.CutPrefix(e.Path, sub+"/"); !ok {
				continue
			}
		}
		e.Path = rel
		out[rel] = e
	}
	return out
}

// repairScript reads records of 9 NUL-ended fields on stdin: kind (c, b:
// make a device node; s: bind a socket; m: metadata only; t: time only),
// absolute path, mode (octal), uid, gid, major, minor, mtime seconds and
// nanoseconds. Owner before mode, as chown clears setuid bits. Python,
// because every gluster node has it (gsyncd runs on it) and it does all of
// this in one process, with no name ever meeting a shell.
const repairScript = `import os, socket, stat, sys
f = sys.stdin.buffer.read().split(b"\0")[:-1]
for i in range(0, len(f), 9):
    kind, p, mode, uid, gid, major, minor, sec, nsec = f[i:i + 9]
    kind, mode = kind.decode(), int(mode, 8)
    if kind in ("c", "b", "s") and os.path.lexists(p):
        os.unlink(p)
    if kind in ("c", "b"):
        ftype = stat.S_IFCHR if kind == "c" else stat.S_IFBLK
        os.mknod(p, ftype | 0o600, os.makedev(int(major), int(minor)))
    elif kind == "s":
        d, base = os.path.split(p)
        os.chdir(d)
        socket.socket(socket.AF_UNIX).bind(base)
    if kind != "t":
        os.chown(p, int(uid), int(gid), follow_symlinks=False)
        if not stat.S_ISLNK(os.lstat(p).st_mode):
            os.chmod(p, mode)
    t = int(sec) * 1000000000 + int(nsec)
    os.utime(p, ns=(t, t), follow_symlinks=False)
`

// repairs lists what to do on the primary, under root, for the paths
// copied: the entries fixed by overlay and every socket, then the folders
// around them, whose times those changes move.
func repairs(root string, want map[string]manifest.Entry, copied []string, fixed map[string]bool) []byte {
	var b bytes.Buffer
	dirs := map[string]bool{}
	for _, p := range copied {
		e, ok := want[p]
		if !ok || (!fixed[p] && e.Type != manifest.TypeSocket) {
			continue
		}
		kind := "m"
		switch e.Type {
		case manifest.TypeChar:
			kind = "c"
		case manifest.TypeBlock:
			kind = "b"
		case manifest.TypeSocket:
			kind = "s"
		}
		record(&b, kind, path.Join(root, p), e)
		dirs[parent(p)] = true
	}
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		if e, ok := want[d]; ok {
			record(&b, "t", path.Join(root, d), e)
		}
	}
	return b.Bytes()
}

func record(b *bytes.Buffer, kind, abs string, e manifest.Entry) {
	major, minor, _ := strings.Cut(e.Rdev, ":")
	uid, gid, _ := strings.Cut(e.Owner, ":")
	sec, nsec := e.MTime.Unix(), e.MTime.Nanosecond()
	for _, f := range []string{kind, abs, e.Mode, orZero(uid), orZero(gid), orZero(major), orZero(minor),
		strconv.FormatInt(sec, 10), strconv.Itoa(nsec)} {
		b.WriteString(f)
		b.WriteByte(0)
	}
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// runRepairs carries the records out on r's host.
func runRepairs(ctx context.Context, r remote.Runner, records []byte) error {
	if len(records) == 0 {
		return nil
	}
	if _, err := r.Run(ctx, remote.Cmd{Argv: []string{"python3", "-c", repairScript}, Stdin: bytes.NewReader(records), Timeout: remote.NoTimeout}); err != nil {
		return fmt.Errorf("putting back device numbers, setuid/setgid bits, sockets and times on %s: %w", r.Host(), err)
	}
	return nil
}
