package kubedump

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

func TestDump(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "nodes.json"), []byte(`{"items":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "set", "cluster-dump")
	// Leftovers of an interrupted dump must not survive.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "stale.json"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Dump(ctx, remote.Local{}, []string{"cp", "-a", src, dir}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Dir != dir || res.Took <= 0 {
		t.Errorf("result %+v", res)
	}
	if _, err := os.Stat(filepath.Join(dir, "nodes.json")); err != nil {
		t.Errorf("the dump is not there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stale.json")); !os.IsNotExist(err) {
		t.Errorf("the earlier dump's file survived: %v", err)
	}
}

func TestDumpFailures(t *testing.T) {
	ctx := context.Background()
	base := t.TempDir()
	dir := filepath.Join(base, "dump")
	tests := []struct {
		name string
		argv []string
		dir  string
		want string
	}{
		{"command fails", []string{"sh", "-c", "echo no kubeconfig >&2; exit 3"}, dir, "the dump command failed on localhost"},
		{"nothing written", []string{"true"}, dir, "did not create " + dir},
		{"empty dir", []string{"mkdir", dir}, dir, "left " + dir + " empty"},
		{"relative dir", []string{"true"}, "dump", "not a clean absolute directory"},
		{"root", []string{"true"}, "/", "not a clean absolute directory"},
		{"empty command", nil, dir, "the command is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Dump(ctx, remote.Local{}, tt.argv, tt.dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
