package schedule

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	src, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func mustParse(t *testing.T, src []byte) *Schedule {
	t.Helper()
	s, diags := Parse("schedule.hcl", src)
	if diags.HasErrors() {
		t.Fatalf("Parse: %s", diags.Error())
	}
	return s
}

func TestParseExample(t *testing.T) {
	got := mustParse(t, readTestdata(t, "schedule.hcl"))
	want := &Schedule{
		Cron: "30 1 * * *", TimeZone: "America/Los_Angeles", Rotation: RotationAlternate,
		CheckpointTimeout: 3 * time.Hour, CheckpointStallAfter: 5 * time.Minute, RunTimeout: 6 * time.Hour, SampleFiles: 50, DrillEvery: 72 * time.Hour,
		StateDir: "/var/lib/glusterdr", LockFile: "/run/glusterdr.lock",
		MetricsFile: "/var/lib/prometheus/node-exporter/glusterdr.prom",
		Primary: Primary{
			Volume: "global", Mount: "/var/glfs/global", Node: "gluster-1.example.org",
			BackupDir: "/var/glfs/global/backup",
		},
		Targets: []Target{{
			Name: "sdsc", PrimaryVolume: "global", SecondaryHost: "dr-1.sdsc.example.org",
			SecondaryVolume: "global-dr", SecondaryUser: "root", SSHPort: 22, VerifyNode: "dr-2.sdsc.example.org",
			RestorePoints: RestorePoints{Method: PointsLinkTree, Node: "dr-2.sdsc.example.org", Store: "/srv/glusterdr/points"},
		}, {
			Name: "tacc", PrimaryVolume: "global", SecondaryHost: "198.51.100.31",
			SecondaryVolume: "global-dr", SecondaryUser: "georep", SSHPort: 2222, VerifyNode: "198.51.100.31",
			RestorePoints: RestorePoints{Method: PointsSnapshot, Node: "198.51.100.32"},
		}},
		SSH: SSH{User: "glusterdr", Port: 2200, PrivateKeyFile: "/etc/glusterdr/id_ed25519",
			KnownHostsFile: "/etc/glusterdr/known_hosts", ConfigFile: "/etc/glusterdr/ssh_config",
			Nodes: []SSHNode{
				{Name: "198.51.100.31", JumpHost: "login.tacc.example.org"},
				{Name: "198.51.100.32", Address: "dr-2.tacc.internal", User: "root", JumpHost: "login.tacc.example.org"},
				{Name: "login.tacc.example.org", User: "jump", Port: 22, PrivateKeyFile: "/etc/glusterdr/id_tacc_bastion",
					KnownHostsFile: "/etc/glusterdr/known_hosts.tacc"},
			}, CommandTimeout: 2 * time.Minute},
		Retention: retention.Policy{Daily: 7, Weekly: 5, Monthly: 3},
		Etcd: &Etcd{
			Endpoints: []string{"https://10.0.0.11:2379", "https://10.0.0.12:2379"},
			CACert:    "/etc/kubernetes/pki/etcd/ca.crt",
			Cert:      "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
			Key:       "/etc/kubernetes/pki/etcd/healthcheck-client.key", DialTimeout: 10 * time.Second,
		},
		ClusterDump: ClusterDump{Command: []string{"kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf",
			"cluster-info", "dump", "--all-namespaces", "--output-directory", "{dir}"}},
		Provisioning: &Provisioning{
			Inventory:               []string{"/etc/ansible/inventory/hosts.ini", "/etc/ansible/inventory/group_vars/all.yml"},
			ImageRef:                "registry.example.org/platform/node:2026.11",
			AnsibleInventoryCommand: []string{"ansible-inventory", "-i", "/etc/ansible/inventory/hosts.ini", "--list"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

func TestParseFillsDefaults(t *testing.T) {
	got := mustParse(t, readTestdata(t, "minimal.hcl"))
	want := &Schedule{
		Cron: "@daily", TimeZone: "UTC", Rotation: RotationAlternate,
		CheckpointTimeout: 2 * time.Hour, CheckpointStallAfter: 3 * time.Minute, RunTimeout: 5 * time.Hour, SampleFiles: 20, DrillEvery: 7 * 24 * time.Hour,
		StateDir: "/var/lib/glusterdr", LockFile: "/var/lib/glusterdr/run.lock",
		MetricsFile: "/var/lib/prometheus/node-exporter/glusterdr.prom",
		Primary: Primary{
			Volume: "global", Mount: "/var/glfs/global", Node: "gluster-1.example.org",
			BackupDir: "/var/glfs/global/backup",
		},
		Targets: []Target{{
			Name: "sdsc", PrimaryVolume: "global", SecondaryHost: "dr-1.sdsc.example.org",
			SecondaryVolume: "global-dr", SecondaryUser: "root", SSHPort: 22, VerifyNode: "dr-1.sdsc.example.org",
			RestorePoints: RestorePoints{Method: PointsNone, Node: "dr-1.sdsc.example.org"},
		}},
		SSH: SSH{User: "root", Port: 22, PrivateKeyFile: "/root/.ssh/id_ed25519",
			KnownHostsFile: "/root/.ssh/known_hosts", CommandTimeout: DefaultCommandTimeout},
		Retention:   retention.Policy{Daily: 7, Weekly: 5},
		ClusterDump: ClusterDump{Command: DefaultClusterDumpCommand()},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

func TestParseDerivedDefaultsFollowTheirSource(t *testing.T) {
	s := mustParse(t, []byte(`
cron      = "0 2 * * *"
state_dir = "/srv/dr"
primary {
  volume = "gv0"
  mount  = "/mnt/gv0"
  node   = "n1"
}
target "sdsc" {
  secondary_host   = "s1"
  secondary_volume = "gv0-dr"
}
provisioning {}
`))
	if s.RunTimeout != 5*time.Hour {
		t.Errorf("run_timeout = %s, want 2 x 2h + 1h", s.RunTimeout)
	}
	if s.LockFile != "/srv/dr/run.lock" || s.Primary.BackupDir != "/mnt/gv0/backup" ||
		s.Targets[0].PrimaryVolume != "gv0" || s.Targets[0].VerifyNode != "s1" {
		t.Errorf("derived defaults: lock %q, backup %q, primary_volume %q, verify_node %q",
			s.LockFile, s.Primary.BackupDir, s.Targets[0].PrimaryVolume, s.Targets[0].VerifyNode)
	}
	want := &Provisioning{AnsibleInventoryCommand: DefaultAnsibleInventoryCommand()}
	if diff := cmp.Diff(want, s.Provisioning); diff != "" {
		t.Errorf("empty provisioning block (-want +got):\n%s", diff)
	}
}

// base is a valid schedule that the cases below edit.
const base = `cron = "0 2 * * *"

primary {
  volume = "global"
  node   = "gluster-1"
}

target "sdsc" {
  secondary_host   = "dr-1"
  secondary_volume = "global-dr"
}
`

// at renders the "file:line,column" of the first occurrence of needle.
func at(t *testing.T, src, needle string) string {
	t.Helper()
	i := strings.Index(src, needle)
	if i < 0 {
		t.Fatalf("%q not in source", needle)
	}
	line := strings.Count(src[:i], "\n") + 1
	col := i - strings.LastIndex(src[:i], "\n")
	return fmt.Sprintf("schedule.hcl:%d,%d", line, col)
}

func TestParseDiagnostics(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // edit of base; an empty old appends new
		severity hcl.DiagnosticSeverity
		wantText string // in the rendered diagnostic
		wantAt   string // the diagnostic starts where this text first appears
	}{
		{"syntax error", `volume = "global"`, `volume = = "global"`, hcl.DiagError, "Invalid expression", `= "global"`},
		{"unknown argument", "", "crons = 1\n", hcl.DiagError, `An argument named "crons" is not expected here`, "crons"},
		{"variables are not allowed", `"0 2 * * *"`, `var.cron`, hcl.DiagError, "Variables not allowed", "var.cron"},
		{"wrong type", "", "sample_files = \"many\"\n", hcl.DiagError, "a number is required", `many"`},
		{"bad cron names the expression", `"0 2 * * *"`, `"61 2 * * *"`, hcl.DiagError, `cron: "61 2 * * *": `, `"61 2`},
		{"cron with six fields", `"0 2 * * *"`, `"0 0 2 * * *"`, hcl.DiagError, `cron: "0 0 2 * * *": expected exactly 5 fields`, `"0 0 2`},
		{"cron setting a zone", `"0 2 * * *"`, `"TZ=UTC"`, hcl.DiagError, `"TZ=UTC" sets a time zone; set time_zone instead`, `"TZ=UTC"`},
		{"cron @every", `"0 2 * * *"`, `"@every 1h"`, hcl.DiagError, "@every is not supported", `"@every`},
		{"cron that never fires", `"0 2 * * *"`, `"0 0 30 2 *"`, hcl.DiagError, `"0 0 30 2 *" never fires`, `"0 0 30`},
		{"unknown time zone", "", "time_zone = \"Mars/Olympus\"\n", hcl.DiagError, `unknown time zone "Mars/Olympus"`, `"Mars`},
		{"local time zone", "", "time_zone = \"Local\"\n", hcl.DiagError, "must be an IANA name", `"Local"`},
		{"unknown rotation", "", "rotation = \"round-robin\"\n", hcl.DiagError, `rotation: "round-robin" is not one of "alternate", "all"`, `"round`},
		{"zero timeout", "", "checkpoint_timeout = \"0s\"\n", hcl.DiagError, `checkpoint_timeout: "0s" must be positive`, `"0s"`},
		{"zero stall window", "", "checkpoint_stall_after = \"0s\"\n", hcl.DiagError, `checkpoint_stall_after: "0s" must be positive`, `"0s"`},
		{"not a duration", "", "checkpoint_timeout = \"soon\"\n", hcl.DiagError, `"soon" is not a duration`, `"soon"`},
		{"zero run deadline", "", "run_timeout = \"0s\"\n", hcl.DiagError, `run_timeout: "0s" must be positive`, `"0s"`},
		{"run deadline not a duration", "", "run_timeout = \"5 hours\"\n", hcl.DiagError, `run_timeout: "5 hours" is not a duration`, `"5 hours"`},
		{"run deadline over a week", "", "run_timeout = \"169h\"\n", hcl.DiagError, `run_timeout: 169h is longer than 168h`, `"169h"`},
		{"run deadline shorter than the checkpoint wait warns", "", "run_timeout = \"90m\"\n", hcl.DiagWarning,
			"run_timeout = 1h30m is shorter than checkpoint_timeout = 2h", `"90m"`},
		{"run deadline past the next run warns", `"0 2 * * *"`, "\"0 */4 * * *\"\nrun_timeout = \"5h\"", hcl.DiagWarning,
			`run_timeout = 5h is not shorter than the 4h between two runs of cron "0 */4 * * *"`, `"5h"`},
		{"duration of the wrong type", "", "etcd {\n  endpoints = [\"https://e\"]\n  dial_timeout = [1]\n}\n", hcl.DiagError, "string required", "[1]"},
		{"negative sample", "", "sample_files = -1\n", hcl.DiagError, "sample_files: -1 is less than 0", "-1\n"},
		{"no sampling warns", "", "sample_files = 0\n", hcl.DiagWarning, "Verification Sampling Disabled", "0\n"},
		{"relative path", "", "state_dir = \"var/lib\"\n", hcl.DiagError, `state_dir: "var/lib" is not an absolute path`, `"var/lib"`},
		{"missing primary", "primary {\n  volume = \"global\"\n  node   = \"gluster-1\"\n}\n", "", hcl.DiagError, "A primary block is required", ""},
		{"missing required argument", `  node   = "gluster-1"` + "\n", "", hcl.DiagError, `The argument "primary.node" is required`, ""},
		{"no target", "target \"sdsc\" {\n  secondary_host   = \"dr-1\"\n  secondary_volume = \"global-dr\"\n}\n", "", hcl.DiagError, `A target "<name>" block is required`, ""},
		{"duplicate target", "", "target \"sdsc\" {\n  secondary_host = \"x\"\n  secondary_volume = \"y\"\n}\n", hcl.DiagError, `target "sdsc" is already declared at schedule.hcl:8,8`, `"sdsc" {
  secondary_host = "x"`},
		{"bad target name", `"sdsc"`, `"SDSC"`, hcl.DiagError, `the target name "SDSC" holds 'S'`, `"SDSC"`},
		{"host as an option", `"dr-1"`, `"-oProxyCommand=sh"`, hcl.DiagError, `target "sdsc" secondary_host: host "-oProxyCommand=sh" starts with '-'`, `"-o`},
		{"host with a shell character", `"dr-1"`, `"dr-1;reboot"`, hcl.DiagError, `contains ';'`, `"dr-1;`},
		{"host with an underscore, which gluster refuses", `"dr-1"`, `"dr_1.sdsc"`, hcl.DiagError, `target "sdsc" secondary_host: host name "dr_1.sdsc" contains '_'`, `"dr_1`},
		{"secondary host as IPv6", `"dr-1"`, `"2001:db8::7"`, hcl.DiagError, "gluster writes the secondary as host::volume, which cannot carry an IPv6 address", `"2001`},
		{"backup_dir outside the mount", `  node   = "gluster-1"` + "\n", `  node   = "gluster-1"` + "\n  backup_dir = \"/srv/backup\"\n", hcl.DiagError,
			`primary.backup_dir: "/srv/backup" is not inside primary.mount "/var/glfs/global"`, `"/srv/backup"`},
		{"backup_dir climbing out of the mount", `  node   = "gluster-1"` + "\n", `  node   = "gluster-1"` + "\n  backup_dir = \"/var/glfs/global/../x\"\n", hcl.DiagError,
			`primary.backup_dir: "/var/glfs/global/../x" is not a clean path; write "/var/glfs/x"`, `"/var/glfs/global/..`},
		{"backup_dir the mount itself", `  node   = "gluster-1"` + "\n", `  node   = "gluster-1"` + "\n  backup_dir = \"/var/glfs/global\"\n", hcl.DiagError,
			`is not inside primary.mount`, `"/var/glfs/global"`},
		{"host with a space", `"gluster-1"`, `"gluster 1"`, hcl.DiagError, `primary.node: host name "gluster 1" contains ' '`, `"gluster 1"`},
		{"port zero", `secondary_volume = "global-dr"`, "secondary_volume = \"global-dr\"\n  ssh_port = 0", hcl.DiagError, `ssh_port: 0 is not between 1 and 65535`, "0\n}"},
		{"port too high", `secondary_volume = "global-dr"`, "secondary_volume = \"global-dr\"\n  ssh_port = 65536", hcl.DiagError, `65536 is not between 1 and 65535`, "65536"},
		{"no daily stack", "", "retention {\n  daily = 0\n}\n", hcl.DiagError, "retention.daily: 0 is less than 1", "0\n}"},
		{"short daily stack warns", "", "retention {\n  daily = 3\n}\n", hcl.DiagWarning, "retention.daily = 3 keeps fewer than 4 daily copies", "3\n}"},
		{"negative weekly", "", "retention {\n  weekly = -2\n}\n", hcl.DiagError, "retention.weekly: -2 is less than 0", "-2"},
		{"monthly without weekly", "", "retention {\n  weekly = 0\n  monthly = 2\n}\n", hcl.DiagError, "retention.weekly must be at least 1", "2\n}"},
		{"too many dailies", "", "retention {\n  daily = 1001\n}\n", hcl.DiagError, "retention.daily: 1001 is more than 1000", "1001"},
		{"too many weeklies", "", "retention {\n  weekly = 100000\n}\n", hcl.DiagError, "retention.weekly: 100000 is more than 1000", "100000"},
		{"too many monthlies", "", "retention {\n  monthly = 1001\n}\n", hcl.DiagError, "retention.monthly: 1001 is more than 1000", "1001"},
		{"a count beyond int", "", "retention {\n  weekly = 1e40\n}\n", hcl.DiagError, "Unsuitable value", "1e40"},
		{"full_every is retired", "", "retention {\n  full_every = 7\n}\n", hcl.DiagWarning,
			"retention.full_every = 7 is retired and ignored: every backup set is a full", "7\n}"},
		{"negative full_every", "", "retention {\n  full_every = -1\n}\n", hcl.DiagError, "retention.full_every: -1 is less than 0", "-1\n}"},
		{"empty dump command", "", "cluster_dump {\n  command = []\n}\n", hcl.DiagError, "cluster_dump.command: the command is empty", "[]"},
		{"placeholder inside an argument", "", "cluster_dump {\n  command = [\"kubectl\", \"--output-directory={dir}\"]\n}\n", hcl.DiagError,
			`"--output-directory={dir}" holds {dir} inside a longer argument`, `["kubectl"`},
		{"etcd without endpoints", "", "etcd {\n  endpoints = []\n}\n", hcl.DiagError, "etcd.endpoints: at least one endpoint is needed", "[]"},
		{"etcd endpoint without scheme", "", "etcd {\n  endpoints = [\"10.0.0.1:2379\"]\n}\n", hcl.DiagError, `"10.0.0.1:2379" is not an http:// or https:// URL`, `["10.0`},
		{"etcd cert without key", "", "etcd {\n  endpoints = [\"https://e:2379\"]\n  cert = \"/c\"\n}\n", hcl.DiagError, "cert and key go together", "etcd {"},
		{"ssh user as an option", "", "ssh {\n  user = \"-oProxyCommand=x\"\n}\n", hcl.DiagError, `ssh.user: the user name "-oProxyCommand=x" starts with '-'`, `"-o`},
		{"ssh port out of range", "", "ssh {\n  port = 70000\n}\n", hcl.DiagError, "ssh.port: 70000 is not between 1 and 65535", "70000"},
		{"ssh relative key file", "", "ssh {\n  private_key_file = \"id_ed25519\"\n}\n", hcl.DiagError, `ssh.private_key_file: "id_ed25519" is not an absolute path`, `"id_ed`},
		{"command timeout too short", "", "ssh {\n  command_timeout = \"1s\"\n}\n", hcl.DiagError, "ssh.command_timeout: 1s is not between 5s and 1h", `"1s"`},
		{"command timeout too long", "", "ssh {\n  command_timeout = \"2h\"\n}\n", hcl.DiagError, "ssh.command_timeout: 2h is not between 5s and 1h", `"2h"`},
		{"ssh unknown argument", "", "ssh {\n  password = \"x\"\n}\n", hcl.DiagError, `An argument named "password" is not expected here`, "password"},
		{"ssh jump host as an option", "", "ssh {\n  jump_host = \"-oProxyCommand=x\"\n}\n", hcl.DiagError, `ssh.jump_host: host "-oProxyCommand=x" starts with '-'`, `"-o`},
		{"ssh relative config file", "", "ssh {\n  config_file = \"~/.ssh/config\"\n}\n", hcl.DiagError, `ssh.config_file: "~/.ssh/config" is not an absolute path`, `"~/`},
		{"ssh node with a bad name", "", "ssh {\n  node \"dr_1\" {}\n}\n", hcl.DiagError, `ssh node "dr_1": host name "dr_1" contains '_'`, `"dr_1"`},
		{"ssh node twice", "", "ssh {\n  node \"b\" {}\n  node \"b\" {}\n}\n", hcl.DiagError, `ssh node "b" is already declared at schedule.hcl:`, "\"b\" {}\n}"},
		{"ssh node port", "", "ssh {\n  node \"b\" {\n    port = 0\n  }\n}\n", hcl.DiagError, `ssh node "b" port: 0 is not between 1 and 65535`, "0\n  }"},
		{"ssh node user", "", "ssh {\n  node \"b\" {\n    user = \"a b\"\n  }\n}\n", hcl.DiagError, `ssh node "b" user: the user name "a b" holds ' '`, `"a b"`},
		{"ssh node relative key", "", "ssh {\n  node \"b\" {\n    private_key_file = \"k\"\n  }\n}\n", hcl.DiagError, `ssh node "b" private_key_file: "k" is not an absolute path`, `"k"`},
		{"ssh node address", "", "ssh {\n  node \"b\" {\n    address = \"b;x\"\n  }\n}\n", hcl.DiagError, `ssh node "b" address: host name "b;x" contains ';'`, `"b;x"`},
		{"ssh node its own jump host", "", "ssh {\n  node \"b\" {\n    jump_host = \"b\"\n  }\n}\n", hcl.DiagError, `ssh node "b" jump_host: "b" is the node itself`, "\"b\"\n  }"},
		{"ssh jump host loop", "", "ssh {\n  node \"a\" {\n    jump_host = \"b\"\n  }\n  node \"b\" {\n    jump_host = \"a\"\n  }\n}\n", hcl.DiagError,
			`ssh node "a": reaching "a" goes through "b" and then "a" again`, "\"b\"\n  }\n  node"},
		{"ssh jump host loop through the default", "", "ssh {\n  jump_host = \"a\"\n  node \"a\" {\n    jump_host = \"b\"\n  }\n}\n", hcl.DiagError,
			`ssh node "a": reaching "a" goes through "b" and then "a" again`, "\"b\"\n  }\n}"},
		{"unknown restore point method", `secondary_volume = "global-dr"`, "secondary_volume = \"global-dr\"\n  restore_points = \"zfs\"", hcl.DiagError,
			`target "sdsc" restore_points: "zfs" is not one of "none", "link-tree", "gluster-snapshot"`, `"zfs"`},
		{"link-tree without a store", `secondary_volume = "global-dr"`, "secondary_volume = \"global-dr\"\n  restore_points = \"link-tree\"", hcl.DiagError,
			`target "sdsc" restore_point_store: restore_points = "link-tree" keeps a whole tree per point`, `"link-tree"`},
		{"link-tree store in the secondary volume", `secondary_volume = "global-dr"`,
			"secondary_volume = \"global-dr\"\n  restore_points = \"link-tree\"\n  restore_point_store = \"/points\"\n  restore_point_volume = \"global-dr\"",
			hcl.DiagError, `gsyncd rewrites its files in place`, "\"global-dr\"\n}"},
		{"link-tree store at the root", `secondary_volume = "global-dr"`,
			"secondary_volume = \"global-dr\"\n  restore_points = \"link-tree\"\n  restore_point_store = \"/\"", hcl.DiagError, `is the root folder of dr-1`, `"/"`},
		{"relative store", `secondary_volume = "global-dr"`,
			"secondary_volume = \"global-dr\"\n  restore_points = \"link-tree\"\n  restore_point_store = \"points\"", hcl.DiagError, `restore_point_store: "points" is not an absolute path`, `"points"`},
		{"store without link-tree", `secondary_volume = "global-dr"`,
			"secondary_volume = \"global-dr\"\n  restore_points = \"gluster-snapshot\"\n  restore_point_store = \"/p\"", hcl.DiagError, `only a link-tree store has one; restore_points is "gluster-snapshot"`, `"/p"`},
		{"point node as an option", `secondary_volume = "global-dr"`,
			"secondary_volume = \"global-dr\"\n  restore_point_node = \"-oX\"", hcl.DiagError, `restore_point_node: host "-oX" starts with '-'`, `"-oX"`},
		{"zero drill interval", "", "drill_every = \"0h\"\n", hcl.DiagError, `drill_every: "0h" must be positive`, `"0h"`},
		{"empty inventory command", "", "provisioning {\n  ansible_inventory_command = [\"\"]\n}\n", hcl.DiagError, "the program name (the first element) is empty", `[""]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := base + tt.new
			if tt.old != "" {
				if !strings.Contains(base, tt.old) {
					t.Fatalf("%q not in base", tt.old)
				}
				src = strings.Replace(base, tt.old, tt.new, 1)
			}
			s, diags := Parse("schedule.hcl", []byte(src))
			if len(diags) != 1 {
				t.Fatalf("want exactly one diagnostic, got %d: %s", len(diags), diags.Error())
			}
			d := diags[0]
			if d.Severity != tt.severity {
				t.Errorf("severity = %v, want %v", d.Severity, tt.severity)
			}
			if (s == nil) != (tt.severity == hcl.DiagError) {
				t.Errorf("got schedule %v with a %v", s != nil, d.Severity)
			}
			rendered := d.Error()
			if !strings.Contains(rendered, tt.wantText) {
				t.Errorf("diagnostic %q does not contain %q", rendered, tt.wantText)
			}
			wantAt := "schedule.hcl:"
			if tt.wantAt != "" {
				wantAt = at(t, src, tt.wantAt)
			}
			if !strings.HasPrefix(rendered, wantAt) {
				t.Errorf("diagnostic %q does not start at %s", rendered, wantAt)
			}
		})
	}
}

// TestRunTimeoutDefault: the default deadline follows checkpoint_timeout
// and the sets a night opens, and is bounded.
func TestRunTimeoutDefault(t *testing.T) {
	targets := "target \"tacc\" {\n  secondary_host   = \"dr-2\"\n  secondary_volume = \"global-dr\"\n}\n"
	for _, c := range []struct {
		extra string
		want  time.Duration
	}{
		{"", 5 * time.Hour},
		{"checkpoint_timeout = \"10m\"\n", 80 * time.Minute},
		{targets, 5 * time.Hour}, // alternate: one set a night
		{"rotation = \"all\"\ncheckpoint_timeout = \"30m\"\n" + targets, 4 * time.Hour},
		{"checkpoint_timeout = \"100h\"\n", MaxRunTimeout},
		{"checkpoint_timeout = \"10m\"\nrun_timeout = \"45m\"\n", 45 * time.Minute},
	} {
		s := mustParse(t, []byte(base+c.extra))
		if s.RunTimeout != c.want {
			t.Errorf("%q: run_timeout = %s, want %s", c.extra, s.RunTimeout, c.want)
		}
		if back := mustParse(t, Encode(s)); back.RunTimeout != c.want {
			t.Errorf("%q: run_timeout after Encode and Parse = %s", c.extra, back.RunTimeout)
		}
	}
}

func TestClusterDumpArgv(t *testing.T) {
	dump := ClusterDump{Command: []string{"kubectl", "dump", "{dir}", "--dir={dir}x"}}
	got := dump.Argv("/var/glfs/global/backup/20261125T020000Z-sdsc/cluster")
	want := []string{"kubectl", "dump", "/var/glfs/global/backup/20261125T020000Z-sdsc/cluster", "--dir={dir}x"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Argv (-want +got):\n%s", diff)
	}
	if dump.Command[2] != "{dir}" {
		t.Error("Argv changed the schedule's command")
	}
}
