package schedule

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

func TestEncodeRoundTrip(t *testing.T) {
	for _, name := range []string{"schedule.hcl", "minimal.hcl"} {
		t.Run(name, func(t *testing.T) {
			s := mustParse(t, readTestdata(t, name))
			encoded := Encode(s)
			again, diags := Parse("encoded.hcl", encoded)
			if len(diags) != 0 {
				t.Fatalf("Parse(Encode(s)): %s\n%s", diags.Error(), encoded)
			}
			if diff := cmp.Diff(s, again); diff != "" {
				t.Errorf("Parse(Encode(s)) differs (-s +again):\n%s", diff)
			}
			if !bytes.Equal(encoded, Encode(again)) {
				t.Errorf("Encode is not canonical:\n%s\n---\n%s", encoded, Encode(again))
			}
		})
	}
}

// TestEncodeCanonical pins the bytes of the minimal schedule, so that a
// change of layout (and of every deployed file's hash) is deliberate.
func TestEncodeCanonical(t *testing.T) {
	got := Encode(mustParse(t, readTestdata(t, "minimal.hcl")))
	want := readTestdata(t, "minimal.canonical.hcl")
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("Encode (-want +got):\n%s", diff)
	}
	if sha256.Sum256(got) != sha256.Sum256(Encode(mustParse(t, readTestdata(t, "minimal.hcl")))) {
		t.Error("two encodings of one schedule hash differently")
	}
}

func TestEncodeAwkwardStrings(t *testing.T) {
	s := mustParse(t, readTestdata(t, "minimal.hcl"))
	s.Provisioning = &Provisioning{
		ImageRef:                `reg.example/"quoted"\path ${not_a_var} %{if} ünïcode`,
		AnsibleInventoryCommand: []string{"sh", "-c", "echo \"$HOME\"\n\ttab", "${x}"},
	}
	s.Etcd = &Etcd{Endpoints: []string{"http://[2001:db8::1]:2379"}, DialTimeout: 1500 * time.Millisecond}
	s.Retention = retention.Policy{Daily: 4, Weekly: 0}
	again, diags := Parse("encoded.hcl", Encode(s))
	if diags.HasErrors() {
		t.Fatalf("Parse(Encode(s)): %s\n%s", diags.Error(), Encode(s))
	}
	if diff := cmp.Diff(s, again); diff != "" {
		t.Errorf("Parse(Encode(s)) differs (-s +again):\n%s", diff)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2 * time.Hour:                    "2h",
		90 * time.Minute:                 "1h30m",
		time.Hour + 5*time.Second:        "1h0m5s",
		10 * time.Minute:                 "10m",
		45 * time.Second:                 "45s",
		1500 * time.Millisecond:          "1.5s",
		26*time.Hour + 30*time.Second:    "26h0m30s",
		3*time.Hour + 20*time.Minute + 1: "3h20m0.000000001s",
	} {
		got := formatDuration(d)
		if got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
		if back, err := time.ParseDuration(got); err != nil || back != d {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", got, back, err, d)
		}
	}
}

// TestEncodeWritesTheDefaultDeadline: a schedule built without a
// run_timeout (not by Parse) is written with its default, never "0s",
// which Parse would refuse.
func TestEncodeWritesTheDefaultDeadline(t *testing.T) {
	s := mustParse(t, readTestdata(t, "minimal.hcl"))
	s.RunTimeout = 0
	s.CheckpointTimeout = 10 * time.Minute
	if got := mustParse(t, Encode(s)).RunTimeout; got != 80*time.Minute {
		t.Errorf("run_timeout written as %s, want the default 2 x 10m + 1h", got)
	}
}

// TestEncodeFillsRestorePointDefaults: a target built in code without
// restore point settings encodes as one that keeps none.
func TestEncodeFillsRestorePointDefaults(t *testing.T) {
	s := mustParse(t, readTestdata(t, "minimal.hcl"))
	s.Targets[0].RestorePoints = RestorePoints{}
	got := mustParse(t, Encode(s)).Targets[0].RestorePoints
	if got.Method != PointsNone || got.Node != s.Targets[0].VerifyNode {
		t.Errorf("restore points after encoding none: %+v", got)
	}
}
