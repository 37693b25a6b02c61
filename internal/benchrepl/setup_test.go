package benchrepl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	got, err := ParseConfig("sync_jobs=1,sync_method=rsync,")
	if err != nil || len(got) != 2 || got["sync_jobs"] != "1" || got["sync_method"] != "rsync" {
		t.Errorf("ParseConfig: %v, %v", got, err)
	}
	for _, bad := range []string{"sync_jobs", "=3"} {
		if _, err := ParseConfig(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("ParseConfig(%q): %v, want an error naming it", bad, err)
		}
	}
}

func TestDescribeNamesEverySetting(t *testing.T) {
	got := describe(map[string]string{"sync_method": "tarssh", "sync_jobs": "3"}, Settings{Rollover: 5, TarBlocking: 256})
	if want := "sync_jobs=3 sync_method=tarssh changelog.rollover-time=5 tar_blocking_factor=256"; got != want {
		t.Errorf("describe: %q, want %q", got, want)
	}
}

func TestWriteCLIConfigPointsAtTheProvider(t *testing.T) {
	dir := t.TempDir()
	rc := filepath.Join(dir, "terraformrc")
	if err := WriteCLIConfig(rc, dir); err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("no provider in %s: %v, want an error saying how to build it", dir, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform-provider-gluster"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteCLIConfig(rc, dir); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(rc)
	if !strings.Contains(string(data), `"glusterdr/gluster" = "`+dir+`"`) {
		t.Errorf("the CLI configuration does not override the provider with %s:\n%s", dir, data)
	}
}
