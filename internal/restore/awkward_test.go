package restore

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

func sh(t *testing.T, script string, args ...string) {
	t.Helper()
	if out, err := exec.Command("sh", append([]string{"-c", script, "sh"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
}

// describe is what the awkward-files guide says a restore brings back of
// each path under dir: type, mode, owner, content, device, target, mtime,
// sparseness, link count, user xattrs and ACLs.
func describe(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := manifest.Scan(context.Background(), remote.Local{}, dir, manifest.ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		p := filepath.Join(dir, e.Path)
		meta, _ := exec.Command("sh", "-c", `getfattr -h -d -m "^user\\." "$1" 2>/dev/null | grep -v "^# file"; [ -L "$1" ] || getfacl -cns "$1"`, "sh", p).Output()
		out[e.Path] = strings.Join([]string{e.Type, e.Mode, e.Owner, e.SHA256, e.Rdev, e.Target, e.MTime.String(),
			map[bool]string{true: "sparse"}[e.Sparse], string(rune('0' + e.Links)), string(meta)}, " ")
	}
	return out
}

// TestRestoreRepairsWhatThePointLost: the point holds the awkward files as
// geo-replication with tarssh leaves them (device nodes without numbers, no
// setuid bit, symlinks and FIFOs with the site's times); the set recorded
// the primary's. After the primary lost them all, the restore brings every
// one back as the primary had it: the device numbers, the setuid bit and
// the times from the set's record, the socket made anew, the hard links,
// holes, owners, xattrs and ACLs from the point.
func TestRestoreRepairsWhatThePointLost(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("this test makes device nodes: run it as root")
	}
	l := newLab(t)
	sh(t, `set -e; mkdir -p "$1/special/other" && cd "$1/special"
mknod null c 1 3; mknod loop b 7 200; mkfifo fifo
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' sock
echo '#!/bin/sh' > suid; chmod 4755 suid; echo g > sgid; chmod 2750 sgid
echo linked > hard1; ln hard1 other/hard2; truncate -s 1M sparse.img
ln -s ../home/ua/fa sym; ln -s /nowhere dangling; echo o > owned; chown 4242:4343 owned; chown -h 4242:4343 sym
echo x > xattr; setfattr -n user.color -v blue xattr; setfacl -m u:4242:rw xattr
touch -h -d '2019-05-06 07:08:09.5' sym fifo null; touch -d '2020-01-02 03:04:05.123456789' owned other`, l.primary)
	time.Sleep(1100 * time.Millisecond) // see restorepoint's TestPointKeepsAwkwardFiles
	want := describe(t, filepath.Join(l.primary, "special"))

	// The set's record, as verification keeps it, and the point as tarssh
	// leaves it at the site.
	entries, err := manifest.Scan(context.Background(), remote.Local{}, l.primary, manifest.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	special, _ := manifest.Special(entries, time.Time{}, manifest.MaxSpecial)
	m, err := l.r.Engine.Store().Read(context.Background(), set)
	if err != nil {
		t.Fatal(err)
	}
	m.Verification = &backupset.Verification{Verified: true, Sample: backupset.SampleResult{Special: special}}
	if err := l.r.Engine.Store().Write(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	sh(t, `set -e; rm -rf "$2" && cp -a "$1" "$2" && cd "$2/special"
rm null loop; mknod null c 0 0; mknod loop b 0 0; chmod 0755 suid; chmod 0750 sgid; touch -h sym fifo`, l.primary, l.point)

	sh(t, `rm -rf "$1/special"`, l.primary)
	if _, err := l.r.Run(context.Background(), Request{Site: "sdsc", Set: set, Yes: true}); err != nil {
		t.Fatalf("restore: %v\n%s", err, l.out)
	}
	got := describe(t, filepath.Join(l.primary, "special"))
	if len(want) != 14 || len(got) != len(want) {
		t.Errorf("%d paths before, %d after the restore; want 14", len(want), len(got))
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s after the restore:\n%s\nwant\n%s", p, got[p], w)
		}
	}
}

// TestRestoreRefusesAMountInsideTheTree: a folder bind-mounted into the
// restored tree on the primary node is a second view of another file
// system; restoring through it would delete what is there. The restore
// refuses, naming it, and changes nothing.
func TestRestoreRefusesAMountInsideTheTree(t *testing.T) {
	l := newLab(t)
	host := t.TempDir()
	write(t, filepath.Join(host, "precious"), "not in the volume")
	inside := filepath.Join(l.primary, "home", "ua")
	if out, err := exec.Command("mount", "--bind", host, inside).CombinedOutput(); err != nil {
		t.Fatalf("this test needs root to bind-mount: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", inside).Run() })
	_, err := l.r.Run(context.Background(), Request{Site: "sdsc", Set: set, Yes: true})
	if err == nil || !strings.Contains(err.Error(), inside+" is mounted inside "+l.primary) {
		t.Errorf("restore over a bind mount: %v", err)
	}
	if _, err := os.Stat(filepath.Join(host, "precious")); err != nil {
		t.Errorf("the bind-mounted folder was touched: %v", err)
	}
}

func TestUnescapeMount(t *testing.T) {
	if got := unescapeMount(`/var/glfs/global/with\x20space\x5cx`); got != `/var/glfs/global/with space\x` {
		t.Errorf("got %q", got)
	}
}
