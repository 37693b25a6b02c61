//go:build lab

package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// TestLabRestoreDrill runs a nightly cycle to sdsc, then restore drills at
// sdsc: one that passes and reports the RPO and RTO, one after a byte of a
// set file was flipped at the site out of band, and one after the site's
// etcd snapshot was truncated.
func TestLabRestoreDrill(t *testing.T) {
	conn := labConn(t)
	ensureSession(t, conn, "sdsc")
	file := writeLabSchedule(t, conn.D, nil)
	writeVolumeData(t, conn, 12)
	run := runCLI(t, "run", "--schedule", file, "--target", "sdsc", "--json")
	if run.code != 0 {
		t.Fatalf("the nightly run exited %d:\n%s\n%s", run.code, run.stdout, run.stderr)
	}
	set := decode[drrun.Report](t, run).Sets[0].Set
	src, _ := os.ReadFile(file)
	s, diags := schedule.Parse(file, src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}

	t.Run("passes and reports RPO and RTO", func(t *testing.T) {
		r := runCLI(t, "restore-drill", "--schedule", file, "--target", "sdsc", "--json")
		if r.code != 0 {
			t.Fatalf("drill exited %d:\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		reps := decode[[]drill.Report](t, r)
		if len(reps) != 1 {
			t.Fatalf("%d reports", len(reps))
		}
		rep := reps[0]
		if !rep.Passed || rep.Set != set.ID || rep.Etcd == nil || !rep.Etcd.OK || rep.Etcd.Keys < lab.SeedKeys {
			t.Fatalf("drill %+v, etcd %+v", rep, rep.Etcd)
		}
		if rep.RPOSeconds <= 0 || rep.RPOSeconds > 600 || rep.RTOSeconds <= 0 || rep.Sample.Files == 0 || rep.VolumeBytes == 0 {
			t.Errorf("RPO %.0fs, RTO %.1fs, sample %d files, volume %d bytes: want all measured", rep.RPOSeconds, rep.RTOSeconds, rep.Sample.Files, rep.VolumeBytes)
		}
		t.Logf("drill at sdsc: RPO %.0fs, extrapolated RTO %.1fs for %d bytes, took %.1fs (steps %+v)",
			rep.RPOSeconds, rep.RTOSeconds, rep.VolumeBytes, rep.Seconds, rep.Steps)
		data, err := os.ReadFile(filepath.Join(s.StateDir, drill.FileName))
		if err != nil || !strings.Contains(string(data), `"passed":true`) {
			t.Errorf("the drill is not in the drill log: %v %s", err, data)
		}
	})

	t.Run("a flipped byte at the site fails, naming the file", func(t *testing.T) {
		brickFile := onSiteBrick(t, conn.D, "sdsc", s, set.ID, backupset.ProvisioningFile)
		data, err := os.ReadFile(brickFile)
		if err != nil {
			t.Fatal(err)
		}
		flipped := append([]byte(nil), data...)
		flipped[len(flipped)/2] ^= 0x20
		if err := os.WriteFile(brickFile, flipped, 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(brickFile, data, 0o600)
		r := runCLI(t, "restore-drill", "--schedule", file, "--target", "sdsc")
		if r.code != exitDamaged || !strings.Contains(r.stdout+r.stderr, path.Join(set.ID, backupset.ProvisioningFile)) ||
			!strings.Contains(r.stdout+r.stderr, "content differs") {
			t.Errorf("drill of a corrupted copy exited %d without naming the file:\n%s\n%s", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("a truncated etcd snapshot is refused", func(t *testing.T) {
		brickFile := onSiteBrick(t, conn.D, "sdsc", s, set.ID, backupset.EtcdFile)
		data, err := os.ReadFile(brickFile)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(brickFile, int64(len(data)/3)); err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(brickFile, data, 0o600)
		r := runCLI(t, "restore-drill", "--schedule", file, "--target", "sdsc", "--json")
		doc := decode[drillDocument](t, r)
		reps := doc.Result
		if r.code != exitDamaged || doc.Error.Kind != kindDamaged || len(reps) != 1 || reps[0].Etcd == nil || reps[0].Etcd.OK {
			t.Fatalf("drill with a truncated snapshot exited %d (want %d): %+v, error %+v", r.code, exitDamaged, reps, doc.Error)
		}
		if !strings.Contains(r.stderr, "etcd snapshot") || !strings.Contains(r.stderr, "refused") {
			t.Errorf("the refusal is not clear:\n%s", r.stderr)
		}
		t.Logf("refusal: %s", reps[0].Etcd.Problem)
	})
}

// writeVolumeData puts n files of user data on the global volume, settled
// (dated an hour back) so that the drill's volume sample can draw them.
func writeVolumeData(t *testing.T, conn lab.Conn, n int) {
	t.Helper()
	p1, err := conn.Runner("p1")
	if err != nil {
		t.Fatal(err)
	}
	dir := path.Join(lab.MountPath, "home", strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")))
	script := `dir=$1 n=$2 i=0; mkdir -p "$dir" || exit 1
while [ "$i" -lt "$n" ]; do head -c 200000 /dev/urandom > "$dir/data-$i.bin" || exit 1; i=$((i + 1)); done
touch -d '1 hour ago' "$dir"/* "$dir"`
	if _, err := p1.Run(context.Background(), execCmd("sh", "-c", script, "sh", dir, strconv.Itoa(n))); err != nil {
		t.Fatalf("writing volume data: %v", err)
	}
}

// onSiteBrick finds a set file on the site's bricks: the copy as it is
// stored at the site, to be damaged out of band. A renamed file (every
// atomic write is one) may also leave an empty DHT link file, mode
// ---------T, on the brick its name hashes to; that one is passed over.
func onSiteBrick(t *testing.T, d *lab.Description, site string, s *schedule.Schedule, set, name string) string {
	t.Helper()
	rel, ok := strings.CutPrefix(s.Primary.BackupDir, s.Primary.Mount+"/")
	if !ok {
		t.Fatalf("backup dir %s outside the mount", s.Primary.BackupDir)
	}
	si, err := d.Site(site)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range si.Nodes {
		p := filepath.Join(lab.BrickPath(d.Dir, n, si.Volume), rel, set, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&fs.ModeSticky == 0 {
			return p
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	t.Fatalf("%s of set %s is on no brick of %s", name, set, site)
	return ""
}
