package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnreachablePrimaryFailsReaders: with the schedule's SSH key file
// missing, the commands that read the backup folder must fail naming the
// host and the cause, never print an empty listing as if the folder were
// empty.
func TestUnreachablePrimaryFailsReaders(t *testing.T) {
	file, _ := writeSchedule(t)
	key := filepath.Join(t.TempDir(), "absent_ed25519")
	known := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(known, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src = append(src, []byte("ssh {\n  private_key_file = \""+key+"\"\n  known_hosts_file = \""+known+"\"\n}\n")...)
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"sets", "--json"},
		{"retention", "--json"},
		{"report", "--json"},
	} {
		t.Run(args[0], func(t *testing.T) {
			out, _, err := execute(t, append(args, "--schedule", file, "--log-level", "error")...)
			if err == nil {
				t.Fatalf("%s succeeded with the primary unreachable; stdout:\n%s", args[0], out)
			}
			for _, want := range []string{"gluster-1.example.org", key} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s: error %q does not name %q", args[0], err, want)
				}
			}
			if strings.Contains(out, `"sets": []`) {
				t.Errorf("%s printed an empty listing as if the folder were empty:\n%s", args[0], out)
			}
		})
	}
}
