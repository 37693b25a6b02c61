package drrun

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// TestAwkwardFilesThatDidNotSurvive: a dump with a hard link and a sparse
// file, replicated by a copy that keeps neither. Verification says so
// plainly: the lost link is an error, the lost holes a warning.
func TestAwkwardFilesThatDidNotSurvive(t *testing.T) {
	h := newHarness(t)
	h.eng.Schedule.ClusterDump = schedule.ClusterDump{Command: []string{"sh", "-c",
		`mkdir -p "$1" && truncate -s 4M "$1/sparse.img" && echo state > "$1/a" && ln "$1/a" "$1/b"`, "sh", schedule.DirPlaceholder}}
	h.eng.Replicate = func(ctx context.Context, primary remote.Runner, ref gluster.SessionRef, opts gluster.CycleOptions) (*gluster.CycleResult, error) {
		res, err := h.replicate(ctx, primary, ref, opts)
		if err != nil {
			return res, err
		}
		// Copy the set again the naive way: no hard links, no holes.
		site := h.site(ref)
		out, err := exec.Command("sh", "-c", `for d in "$1"/backup/*/cluster-dump; do rel=${d#"$1"/}; rm -rf "$2/$rel"; cp -r --sparse=never "$d" "$2/$rel"; done`,
			"sh", h.primary, site).CombinedOutput()
		if err != nil {
			t.Fatalf("naive copy: %v %s", err, out)
		}
		return res, nil
	}
	_, err := h.eng.Run(context.Background(), RunOptions{})
	var se *StepError
	if !errors.As(err, &se) || se.Step != backupset.StepVerify {
		t.Fatalf("Run: %v, want verification to fail", err)
	}
	for _, want := range []string{"cluster-dump/b: hard link to cluster-dump/a lost (separate inode)",
		"warning  backup/", "cluster-dump/sparse.img: not sparse any more"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, err)
		}
	}
}

// writeSpecialFiles puts a device node, a setuid file, a FIFO and a
// symlink into the volume, the kinds geo-replication translates.
func writeSpecialFiles(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("this test makes device nodes: run it as root")
	}
	script := `mkdir -p "$1/special" && cd "$1/special" && mknod null c 1 3 && mkfifo fifo && ln -s ../data/d0/f00.bin sym &&
echo '#!/bin/sh' > suid && chmod 4755 suid`
	if out, err := exec.Command("sh", "-c", script, "sh", dir).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
}

// TestVolumeSpecialFilesVerified: the volume's special files are compared
// at the target. What geo-replication with tarssh loses and a restore puts
// back (device numbers, setuid bits) warns and the set is verified, with
// the primary's entries kept in set.json; a symlink that points elsewhere
// fails the set.
func TestVolumeSpecialFilesVerified(t *testing.T) {
	h := newHarness(t)
	writeSpecialFiles(t, h.primary)
	h.damage = func(site string) {
		script := `cd "$1/special" && rm null && mknod null c 0 0 && chmod 0755 suid`
		if out, err := exec.Command("sh", "-c", script, "sh", site).CombinedOutput(); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
	}
	rep, err := h.eng.Run(context.Background(), RunOptions{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	v := rep.Sets[0].Set.Verification
	special := map[string]manifest.Entry{}
	for _, e := range v.Sample.Special {
		special[e.Path] = e
	}
	if e := special["special/null"]; e.Rdev != "1:3" || special["special/suid"].Mode != "4755" ||
		special["special/sym"].Target != "../data/d0/f00.bin" || special["special/fifo"].Type != manifest.TypeFIFO {
		t.Errorf("set.json keeps %+v", v.Sample.Special)
	}
	report := manifest.Report(v.Mismatches)
	for _, want := range []string{"warning  special/null: device number 0:0, want 1:3", "warning  special/suid: setuid/setgid bits lost"} {
		if !strings.Contains(report, want) {
			t.Errorf("verification does not say %q:\n%s", want, report)
		}
	}
	if v.Errors != 0 || v.Warnings != 2 {
		t.Errorf("%d errors and %d warnings, want 0 and 2:\n%s", v.Errors, v.Warnings, report)
	}

	h.damage = func(site string) {
		if err := os.Remove(site + "/special/sym"); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("/etc/passwd", site+"/special/sym"); err != nil {
			t.Fatal(err)
		}
	}
	_, err = h.eng.Run(context.Background(), RunOptions{})
	var se *StepError
	if !errors.As(err, &se) || se.Step != backupset.StepVerify || !strings.Contains(err.Error(), "special/sym: symlink target /etc/passwd, want ../data/d0/f00.bin") {
		t.Errorf("Run with a retargeted symlink: %v", err)
	}
}
