package restore

import (
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
)

func TestDiff(t *testing.T) {
	at := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	file := func(p string, size int64, mode string, mtime time.Time) manifest.Entry {
		return manifest.Entry{Path: p, Type: manifest.TypeFile, Size: size, Mode: mode, MTime: mtime}
	}
	dir := func(p string) manifest.Entry {
		return manifest.Entry{Path: p, Type: manifest.TypeDir, Mode: "0755", MTime: at}
	}
	point := []manifest.Entry{dir("a"), file("a/same", 10, "0644", at), file("a/fraction", 10, "0644", at),
		file("a/mode", 10, "0644", at), file("a/gone", 5, "0644", at), dir("b"), file("b/size", 10, "0644", at),
		{Path: "b/link", Type: manifest.TypeSymlink, Target: "../a/same", Mode: "0777"},
		file("h/one", 3, "0644", at), {Path: "h/two", Type: manifest.TypeFile, Size: 3, Mode: "0644", MTime: at, HardLink: "h/one"}, dir("h")}
	primary := []manifest.Entry{dir("a"), file("a/same", 10, "0644", at), file("a/fraction", 10, "0644", at.Add(300*time.Millisecond)),
		file("a/mode", 10, "0600", at), dir("b"), file("b/size", 7, "0644", at),
		{Path: "b/link", Type: manifest.TypeFile, Size: 1, Mode: "0644", MTime: at}, // a file where a symlink was
		dir("new"), file("new/x", 1, "0644", at), file("a/extra", 4, "0644", at),
		file("h/one", 3, "0644", at), file("h/two", 3, "0644", at.Add(time.Hour)), dir("h")}
	c := diff(point, primary, nil, nil)
	wantCopy := "a,a/gone,a/mode,b,b/link,b/size,h,h/one,h/two"
	if got := strings.Join(c.Copy, ","); got != wantCopy {
		t.Errorf("copy %s, want %s", got, wantCopy)
	}
	if got := strings.Join(c.Remove, ","); got != "a/extra,b/link,new" {
		t.Errorf("remove %s", got)
	}
	if c.FilesRestored != 5 || c.BytesRestored != 5+10+10+3+3 || c.FilesRemoved != 3 || c.PathsRemoved != 3 {
		t.Errorf("counts %+v", c)
	}
	sums := diff(point, primary, map[string]string{"a/same": "x"}, map[string]string{"a/same": "y"})
	if !strings.Contains(strings.Join(sums.Copy, ","), "a/same") {
		t.Error("a content difference the checksums saw was not copied")
	}
	if c := diff(point, point, nil, nil); !c.Empty() {
		t.Errorf("a tree differs from itself: %+v", c)
	}
}
