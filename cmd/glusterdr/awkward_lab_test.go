//go:build lab

package main

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// awkwardDir holds the awkward files in the test's tree.
const awkwardDir = "awkward"

// writeAwkwardFiles writes every kind of file docs/guides/awkward-files.md
// measures: sparse files, device nodes, a FIFO, a socket, a hard link group,
// symlinks (relative, absolute, dangling), a user xattr, an access and a
// default ACL (set through a second mount with -o acl: the lab mounts the
// volume without it), a numeric owner with no name, setuid, setgid and
// sticky modes, sub-second and old mtimes, and a folder with a host folder
// bind-mounted over it on p1 (which TestLabRestorePointsAndRestore unmounts
// after night 1).
func writeAwkwardFiles(t *testing.T, p1 remote.Runner, dir string) {
	t.Helper()
	script := `set -e; root=$1; d="$1/awkward"; mkdir -p "$d"; cd "$d"
mkdir data; head -c 5000 /dev/urandom > data/plain
truncate -s 32M sparse.img; printf middle | dd of=sparse.img bs=1 seek=16777216 conv=notrunc status=none
truncate -s 8M hole-only.img
mknod chr c 1 3; mknod blk b 7 200; mkfifo fifo
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' sock
echo linked > hard1; ln hard1 hard2; mkdir other; ln hard1 other/hard3
ln -s data/plain sym-rel; ln -s /etc/hostname sym-abs; ln -s does/not/exist sym-dangling
echo x > xattr; setfattr -n user.color -v blue xattr; echo y > acl; mkdir acldir
echo z > owned; chown 4242:4343 owned; ln -s data/plain owned-sym; chown -h 4242:4343 owned-sym
echo s > suid; chmod 4755 suid; echo g > sgid; chmod 2755 sgid; mkdir sticky; chmod 1777 sticky
echo t > mtime; touch -d '2020-01-02 03:04:05.123456789' mtime
mkdir olddir; touch -d '2018-01-01 00:00:00.25' olddir
touch -h -d '2019-05-06 07:08:09.5' sym-rel fifo
mkdir bound; echo in-volume > bound/in-volume
m=$(mktemp -d); mount -t glusterfs -o acl "$(findmnt -n -o SOURCE --target "$d")" "$m"
rel=$(findmnt -n -o TARGET --target "$d"); rel=${d#"$rel"}
setfacl -m u:4242:rw "$m$rel/acl"; setfacl -d -m g:4343:rx "$m$rel/acldir"; umount "$m"; rmdir "$m"
h=$(mktemp -d); echo host-only > "$h/on-host"; mount --bind "$h" bound`
	bound := path.Join(dir, awkwardDir, "bound")
	t.Cleanup(func() {
		_, _ = p1.Run(context.Background(), execCmd("sh", "-c", `! mountpoint -q "$1" || umount "$1"`, "sh", bound))
	})
	if _, err := p1.Run(context.Background(), execCmd("sh", "-c", script, "sh", dir)); err != nil {
		t.Fatalf("writing the awkward files: %v", err)
	}
}

// sessionIsNew reports whether the lab has no session to site yet.
func sessionIsNew(t *testing.T, conn lab.Conn, site string) bool {
	t.Helper()
	primary, err := conn.Gluster("p1")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := conn.D.SessionRef(site)
	if err != nil {
		t.Fatal(err)
	}
	_, err = primary.Status(context.Background(), ref)
	if err != nil && !errors.Is(err, gluster.ErrNoSession) {
		t.Fatal(err)
	}
	return err != nil
}

// primeSession runs the first checkpoint cycle of a new session. That
// cycle crawls the whole volume (gsyncd's hybrid crawl) and was seen to
// leave device nodes, FIFOs and sockets out at the site altogether
// (docs/guides/awkward-files.md); the table is about the nightly cycles
// after it.
func primeSession(t *testing.T, file, site string) {
	t.Helper()
	if r := runCLI(t, "checkpoint", "--schedule", file, "--target", site); r.code != 0 {
		t.Fatalf("the first checkpoint cycle of the new session to %s exited %d:\n%s", site, r.code, r.stderr)
	}
}

// unbind unmounts the host folder writeAwkwardFiles bound into the tree.
func unbind(t *testing.T, p1 remote.Runner, dir string) {
	t.Helper()
	if _, err := p1.Run(context.Background(), execCmd("umount", path.Join(dir, awkwardDir, "bound"))); err != nil {
		t.Fatalf("unmounting the bind mount: %v", err)
	}
}

// Times, as the table gives them per kind and hop.
const (
	timeExact   = "exact"   // to the nanosecond
	timeSeconds = "seconds" // whole seconds kept
	timeAny     = "any"     // the site's own time: not compared
)

// awkwardScan is every path of the awkward folder with what the table
// speaks of: type, mode, owner, size, content, sparseness, hard link group,
// device, symlink target, and mtime as times says for the kind.
func awkwardScan(t *testing.T, r remote.Runner, dir string, times func(manifest.Entry) string) map[string]string {
	t.Helper()
	entries, err := manifest.Scan(context.Background(), r, path.Join(dir, awkwardDir), manifest.ScanOptions{Hash: true})
	if err != nil {
		t.Fatalf("scanning %s on %s: %v", dir, r.Host(), err)
	}
	out := map[string]string{}
	for _, e := range entries {
		mt := ""
		switch times(e) {
		case timeExact:
			mt = e.MTime.Format(time.RFC3339Nano)
		case timeSeconds:
			mt = e.MTime.Truncate(time.Second).Format(time.RFC3339)
		}
		out[e.Path] = fmt.Sprintf("%s %s %s size=%d %s sparse=%v links=%d hardlink=%s rdev=%s target=%s mtime=%s",
			e.Type, e.Mode, e.Owner, e.Size, e.SHA256, e.Sparse, e.Links, e.HardLink, e.Rdev, e.Target, mt)
	}
	return out
}

// atSite is how the table says a file's time arrives through
// geo-replication with tarssh: regular files in whole seconds, folders
// that were given a time (olddir) to the second, the rest at the site's time.
func atSite(e manifest.Entry) string {
	switch {
	case e.Type == manifest.TypeFile, e.Path == "olddir":
		return timeSeconds
	}
	return timeAny
}

// afterRestore: the restore puts back the times of symlinks and special
// files from the set's record; regular files and folders keep the point's.
func afterRestore(e manifest.Entry) string {
	switch e.Type {
	case manifest.TypeFile:
		return timeSeconds
	case manifest.TypeDir:
		if e.Path == "olddir" {
			return timeSeconds
		}
		return timeAny
	}
	return timeExact
}

// expectAtPoint is what the table says the primary's awkward folder looks
// like in a point made from a tarssh site: device nodes without numbers,
// no setuid/setgid bits, and the bind-mounted folder's own content.
func expectAtPoint(primary map[string]string) map[string]string {
	out := map[string]string{}
	for p, v := range primary {
		switch p {
		case "chr":
			v = strings.Replace(v, "rdev=1:3", "rdev=0:0", 1)
		case "blk":
			v = strings.Replace(v, "rdev=7:200", "rdev=0:0", 1)
		case "suid":
			v = strings.Replace(v, "file 4755", "file 0755", 1)
		case "sgid":
			v = strings.Replace(v, "file 2755", "file 0755", 1)
		}
		out[p] = v
	}
	return out
}

// sameAwkward compares two awkwardScan maps.
func sameAwkward(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: awkward/%s is\n  %q, want\n  %q", what, p, got[p], w)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: awkward/%s should not exist", what, p)
		}
	}
}

// xattrAndACL reads awkward/xattr's user.color and the extended ACL entries
// of awkward/acl and awkward/acldir, through a mount with -o acl when dir is
// on a gluster mount.
func xattrAndACL(t *testing.T, r remote.Runner, dir string) string {
	t.Helper()
	script := `d="$1/awkward"; m=""
if src=$(findmnt -n -o SOURCE,FSTYPE --target "$d" | awk '$2 == "fuse.glusterfs" {print $1}') && [ -n "$src" ]; then
  m=$(mktemp -d) && mount -t glusterfs -o acl "$src" "$m" || exit 1
  rel=$(findmnt -n -o TARGET --target "$d"); d="$m${d#"$rel"}"
fi
printf 'color=%s ' "$(getfattr --only-values -n user.color "$d/xattr" 2>/dev/null)"
getfacl -cnps "$d/acl" "$d/acldir" | grep -c -e '^user:4242' -e '^default:group:4343' | sed 's/^/acl-entries=/'
if [ -n "$m" ]; then umount "$m"; rmdir "$m"; fi`
	res, err := r.Run(context.Background(), execCmd("sh", "-c", script, "sh", dir))
	if err != nil {
		t.Fatalf("reading xattrs and ACLs under %s on %s: %v", dir, r.Host(), err)
	}
	return strings.TrimSpace(string(res.Stdout))
}

// checkNight1Warnings: verification found at sdsc exactly what the table
// says tarssh loses and a restore puts back, as warnings, and the set is
// verified; the special files are recorded in the set.
func checkNight1Warnings(t *testing.T, m *backupset.Meta, rel string) {
	t.Helper()
	v := m.Verification
	var got []string
	for _, mm := range v.Mismatches {
		if strings.HasPrefix(mm.Path, rel+"/"+awkwardDir+"/") {
			got = append(got, mm.Severity+" "+strings.TrimPrefix(mm.Path, rel+"/")+": "+mm.Problem)
		}
	}
	want := []string{
		"warning awkward/blk: device number 0:0, want 7:200 (not carried; a restore makes the node again)",
		"warning awkward/chr: device number 0:0, want 1:3 (not carried; a restore makes the node again)",
		"warning awkward/sgid: setuid/setgid bits lost (mode 0755, want 2755; a restore sets them again)",
		"warning awkward/suid: setuid/setgid bits lost (mode 0755, want 4755; a restore sets them again)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || !v.Verified {
		t.Errorf("night 1 verified %v with these findings in the awkward folder:\n%s\nwant\n%s", v.Verified, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	recorded := map[string]bool{}
	for _, e := range v.Sample.Special {
		recorded[strings.TrimPrefix(e.Path, rel+"/"+awkwardDir+"/")] = true
	}
	for _, p := range []string{"chr", "blk", "fifo", "sock", "suid", "sgid", "sticky", "hard1", "hard2", "other/hard3",
		"sparse.img", "hole-only.img", "sym-rel", "sym-abs", "sym-dangling", "owned-sym"} {
		if !recorded[p] {
			t.Errorf("the set did not record awkward/%s", p)
		}
	}
	t.Logf("night 1: %d warnings, %d special files recorded (%d left out over the cap)", v.Warnings, len(v.Sample.Special), v.Sample.SpecialOmitted)
}
