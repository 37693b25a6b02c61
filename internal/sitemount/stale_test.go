package sitemount

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// TestClearStaleUnmountsWhatAKilledRunLeft uses real mounts (tmpfs) on this
// machine: a killed run's mount goes, a live run's and another
// controller's stay.
func TestClearStaleUnmountsWhatAKilledRunLeft(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("this test mounts tmpfs: run it as root (make test does)")
	}
	old := baseDir
	baseDir = t.TempDir()
	t.Cleanup(func() { baseDir = old })

	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	host := ownerHost()
	killed := filepath.Join(baseDir, "global-dr@"+host+"."+strconv.Itoa(dead.Process.Pid)+".aaaaaaaaaaaa")
	never := filepath.Join(baseDir, "global-dr@"+host+"."+strconv.Itoa(dead.Process.Pid)+".bbbbbbbbbbbb") // killed before mount
	live := filepath.Join(baseDir, "global-dr@"+owner()+".cccccccccccc")
	other := filepath.Join(baseDir, "global-dr@another-controller."+strconv.Itoa(dead.Process.Pid)+".dddddddddddd")
	for _, d := range []string{killed, never, live, other} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{killed, live, other} {
		if out, err := exec.Command("mount", "-t", "tmpfs", "tmpfs", d).CombinedOutput(); err != nil {
			t.Fatalf("mount tmpfs: %v: %s", err, out)
		}
		t.Cleanup(func() { exec.Command("umount", "-l", d).Run() })
	}

	cleared, err := clearStale(context.Background(), remote.Local{Name: "site1"})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(cleared)
	if want := []string{killed, never}; !slices.Equal(cleared, want) {
		t.Errorf("cleared %q, want %q", cleared, want)
	}
	for _, d := range []string{killed, never} {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("%s is still there", d)
		}
	}
	for _, d := range []string{live, other} {
		if err := exec.Command("mountpoint", "-q", d).Run(); err != nil {
			t.Errorf("%s was unmounted: it belongs to a live run or another controller", d)
		}
	}
}
