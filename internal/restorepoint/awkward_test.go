package restorepoint

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// awkwardTree writes every kind of file the awkward-files guide measures
// under dir: devices, a FIFO, a socket, a sparse file, a hard link group,
// symlinks (relative, absolute, dangling), a user xattr, an access and a
// default ACL, a numeric owner with no name, setuid/setgid/sticky modes and
// a sub-second mtime.
func awkwardTree(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("this test makes device nodes and chowns: run it as root")
	}
	script := `set -e; mkdir -p "$1/awk" && cd "$1/awk"
mknod chr c 1 3; mknod blk b 7 200; mkfifo fifo
/usr/bin/python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' sock
truncate -s 4M sparse.img; printf end | dd of=sparse.img bs=1 seek=2097152 conv=notrunc status=none
echo linked > hard1; ln hard1 hard2; mkdir other; ln hard1 other/hard3
ln -s hard1 sym-rel; ln -s /etc/hostname sym-abs; ln -s does/not/exist sym-dangling
echo x > xattr; setfattr -n user.color -v blue xattr
echo y > acl; setfacl -m u:4242:rw acl; mkdir acldir; setfacl -d -m g:4343:rx acldir
echo z > owned; chown 4242:4343 owned; chown -h 4242:4343 sym-rel
echo s > suid; chmod 4755 suid; echo g > sgid; chmod 2755 sgid; mkdir sticky; chmod 1777 sticky
touch -d '2020-01-02 03:04:05.123456789' owned; touch -h -d '2019-05-06 07:08:09.5' sym-abs`
	if out, err := exec.Command("sh", "-c", script, "sh", dir).CombinedOutput(); err != nil {
		t.Fatalf("writing the awkward tree: %v\n%s", err, out)
	}
}

// describe is what a faithful copy keeps of each path under dir: type,
// mode, owner, size, sparseness, link count, device, target, mtime to the
// nanosecond, and user xattrs and ACLs.
func describe(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := manifest.Scan(context.Background(), remote.Local{}, dir, manifest.ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		p := filepath.Join(dir, e.Path)
		xattrs, _ := exec.Command("sh", "-c", `getfattr -h --absolute-names -d -m "^user\\." "$1" | grep -v "^# file:"`, "sh", p).Output()
		var acl []byte
		if e.Type != manifest.TypeSymlink {
			acl, _ = exec.Command("getfacl", "-c", "-n", "-s", p).Output()
		}
		out[e.Path] = e.Type + " " + e.Mode + " " + e.Owner + " " + e.SHA256 + " " + e.Rdev + " " + e.Target + " " +
			e.MTime.String() + " " + map[bool]string{true: "sparse"}[e.Sparse] + " " + string(rune('0'+e.Links)) + "\n" +
			string(xattrs) + string(acl)
	}
	return out
}

// TestPointKeepsAwkwardFiles: a link-tree point keeps every kind of
// awkward file as the site's volume has it, holes, xattrs and ACLs
// included (rsync -aHAXS --numeric-ids).
func TestPointKeepsAwkwardFiles(t *testing.T) {
	lt := newLinkTree(t)
	awkwardTree(t, lt.src)
	// rsync (3.2.7 and 3.5.0 alike, seen here) leaves the times of the
	// folders, symlinks and special files it makes within about a second
	// of their source's last change; a site's volume is never that fresh
	// when its point is made.
	time.Sleep(1100 * time.Millisecond)
	p := lt.make(idA)
	want, got := describe(t, filepath.Join(lt.src, "awk")), describe(t, filepath.Join(p.Location, "awk"))
	if len(want) != 19 {
		t.Fatalf("the tree has %d paths, want 19", len(want))
	}
	for path, w := range want {
		if got[path] != w {
			t.Errorf("%s in the point:\n%s\nwant\n%s", path, got[path], w)
		}
	}
}
