package gluster

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

func TestMarkerWritesAFreshStampEachTime(t *testing.T) {
	mount := t.TempDir()
	at := time.Date(2026, 11, 25, 17, 30, 58, 123, time.FixedZone("x", 3600))
	m := Marker{Files: remote.LocalFiles{}, Mount: mount, By: "20261125T163058Z-sdsc", Now: func() time.Time { return at }}
	if m.Path() != filepath.Join(mount, ".glusterdr-checkpoint") {
		t.Fatalf("Path = %s", m.Path())
	}
	read := func() string {
		t.Helper()
		if err := m.Write(context.Background()); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(m.Path())
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got, want := read(), "2026-11-25T16:30:58.000000123Z 20261125T163058Z-sdsc\n"; got != want {
		t.Fatalf("marker %q, want %q", got, want)
	}
	first := read()
	at = at.Add(time.Millisecond)
	if read() == first {
		t.Fatal("a second write left the marker as it was: no change for the checkpoint to sync")
	}
}
