package schedule

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
)

// FuzzParse feeds Parse arbitrary bytes. It must never panic, and whatever
// it accepts:
//   - survives Encode and Parse unchanged, and Encode writes it in one
//     canonical form (encoding the schedule read back gives the same bytes);
//   - holds only values that the shared rules (internal/valid,
//     internal/gluster) take, defaults and derived values included, so that
//     no spelling of the file (escapes, heredocs, long values) slips a value
//     past the checks that the provider and the CLI apply to the same kind.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.hcl")
	for _, name := range seeds {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(base))
	f.Add([]byte(`cron = "TZ=UTC"`))
	f.Add([]byte(`cron = "CRON_TZ=x"` + "\n" + `target "a" { ssh_port = 1e40 }`))
	f.Add([]byte("retention { daily = 1.5 }\netcd { endpoints = [null] }"))
	// A state_dir a few bytes short of PATH_MAX, so that the lock file's
	// default path in it is not.
	longDir := strings.Repeat("/"+strings.Repeat("d", 254), 17)[:valid.MaxPathLen-4]
	f.Add([]byte(strings.Replace(base, `cron = "0 2 * * *"`, `cron = "0 2 * * *"`+"\nstate_dir = \""+longDir+"\"", 1)))
	f.Add([]byte(strings.Replace(base, "primary {", "primary {\n  mount = <<EOT\n/var/glfs/global\nEOT", 1)))
	f.Add([]byte(base + "ssh {\n  jump_host = \"bastion\"\n  node \"bastion\" {\n    jump_host = \"none\"\n    port = 2222\n  }\n" +
		"  node \"p1\" {\n    address = \"2001:db8::10\"\n    jump_host = \"p2\"\n  }\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s, diags := Parse("fuzz.hcl", src)
		if diags.HasErrors() {
			if s != nil {
				t.Fatal("Parse returned a schedule with errors")
			}
			return
		}
		if err := followsTheRules(s); err != nil {
			t.Fatalf("Parse accepted a value the shared rules refuse: %v", err)
		}
		encoded := Encode(s)
		again, diags := Parse("encoded.hcl", encoded)
		if diags.HasErrors() {
			t.Fatalf("Parse(Encode(s)): %s\n%s", diags.Error(), encoded)
		}
		if diff := cmp.Diff(s, again); diff != "" {
			t.Fatalf("round trip differs (-s +again):\n%s", diff)
		}
		if reencoded := Encode(again); !bytes.Equal(encoded, reencoded) {
			t.Fatalf("Encode is not canonical:\n%s\n%s", encoded, reencoded)
		}
	})
}

// followsTheRules applies to every value of s the rule of its kind.
func followsTheRules(s *Schedule) error {
	var errs []error
	check := func(what string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
		}
	}
	count := func(what string, n, lo, hi int) { check(what, valid.Count(int64(n), int64(lo), int64(hi))) }
	check("cron", validCron(s.Cron))
	check("time_zone", validTimeZone(s.TimeZone))
	check("rotation", oneOf(Rotations)(string(s.Rotation)))
	for what, d := range map[string]time.Duration{"checkpoint_timeout": s.CheckpointTimeout,
		"checkpoint_stall_after": s.CheckpointStallAfter, "run_timeout": s.RunTimeout, "drill_every": s.DrillEvery} {
		check(what, valid.Duration(d))
	}
	count("sample_files", s.SampleFiles, 0, MaxSampleFiles)
	for what, p := range map[string]string{"state_dir": s.StateDir, "lock_file": s.LockFile, "metrics_file": s.MetricsFile,
		"primary.mount": s.Primary.Mount, "primary.backup_dir": s.Primary.BackupDir,
		"ssh.private_key_file": s.SSH.PrivateKeyFile, "ssh.known_hosts_file": s.SSH.KnownHostsFile} {
		check(what, valid.Path(p))
	}
	check("primary.volume", gluster.ValidVolumeName(s.Primary.Volume))
	check("primary.node", gluster.ValidHost(s.Primary.Node))
	check("ssh.user", gluster.ValidUser(s.SSH.User))
	count("ssh.port", s.SSH.Port, 1, 65535)
	if s.SSH.JumpHost != "" {
		check("ssh.jump_host", gluster.ValidHost(s.SSH.JumpHost))
	}
	check("ssh.config_file", optionalPath(s.SSH.ConfigFile))
	for _, n := range s.SSH.Nodes {
		check("ssh node", gluster.ValidHost(n.Name))
		for what, h := range map[string]string{"address": n.Address, "jump_host": n.JumpHost} {
			if h != "" && h != NoJumpHost {
				check("ssh node "+what, gluster.ValidHost(h))
			}
		}
		if n.Port != 0 {
			count("ssh node port", n.Port, 1, 65535)
		}
		if n.User != "" {
			check("ssh node user", gluster.ValidUser(n.User))
		}
		check("ssh node private_key_file", optionalPath(n.PrivateKeyFile))
		check("ssh node known_hosts_file", optionalPath(n.KnownHostsFile))
		_, err := s.SSH.Route(n.Name)
		check("ssh node route", err)
	}
	if len(s.Targets) == 0 {
		errs = append(errs, errors.New("no target"))
	}
	for _, tg := range s.Targets {
		check("target name", valid.TargetName(tg.Name))
		_, _, err := valid.SetID(retention.FolderName(time.Now(), tg.Name))
		check("a set ID of target "+tg.Name, err)
		check("secondary_host", gluster.ValidSecondaryHost(tg.SecondaryHost))
		check("verify_node", gluster.ValidHost(tg.VerifyNode))
		check("session", tg.Session().Validate())
		count("ssh_port", tg.SSHPort, 1, 65535)
		p := tg.RestorePoints
		check("restore_points", oneOf(PointMethods)(p.Method))
		check("restore_point_node", gluster.ValidHost(p.Node))
		if p.Method == PointsLinkTree {
			check("restore_point_store", storePath(p.Store))
		}
		if p.Volume != "" {
			check("restore_point_volume", gluster.ValidVolumeName(p.Volume))
		}
	}
	r := s.Retention
	count("retention.daily", r.Daily, 1, retention.MaxCount)
	count("retention.weekly", r.Weekly, 0, retention.MaxCount)
	count("retention.monthly", r.Monthly, 0, retention.MaxCount)
	count("retention.full_every", r.FullEvery, 0, retention.MaxCount)
	if e := s.Etcd; e != nil {
		check("etcd.endpoints", validEndpoints(e.Endpoints))
		for what, p := range map[string]string{"etcd.cacert": e.CACert, "etcd.cert": e.Cert, "etcd.key": e.Key} {
			check(what, optionalPath(p))
		}
		check("etcd.dial_timeout", valid.Duration(e.DialTimeout))
	}
	check("cluster_dump.command", valid.Argv(s.ClusterDump.Command))
	if p := s.Provisioning; p != nil {
		check("provisioning.inventory", eachPath(p.Inventory))
		check("provisioning.image_ref", valid.Line(p.ImageRef))
		check("provisioning.ansible_inventory_command", valid.Argv(p.AnsibleInventoryCommand))
	}
	return errors.Join(errs...)
}
