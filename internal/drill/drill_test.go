package drill

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/etcdsnap"
	"github.com/glusterdr/terraform-provider-gluster/internal/etcdsnap/etcdtest"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// fakeSite is a site whose "mounted copy" is a local folder.
type fakeSite struct {
	root  string
	store backupset.Store
}

func newFakeSite(t *testing.T) *fakeSite {
	root := t.TempDir()
	return &fakeSite{root: root, store: backupset.Store{Files: remote.LocalFiles{}, Dir: filepath.Join(root, "backup")}}
}

func (s *fakeSite) site() Site {
	return Site{Name: "sdsc", Runner: remote.Local{Name: "sdsc1"}, Files: remote.LocalFiles{}, SecondaryHost: "198.51.100.21",
		Volume: "global-dr", BackupRel: "backup"}
}

func (s *fakeSite) options(entries []journal.Entry, now time.Time) Options {
	return Options{Journal: entries, Scratch: scratchDir(s.root), Now: func() time.Time { return now },
		Mount: func(context.Context, remote.Runner, string, string) (string, func(context.Context) error, error) {
			return s.root, func(context.Context) error { return nil }, nil
		}}
}

func scratchDir(root string) string {
	dir := filepath.Join(root, "scratch")
	_ = os.MkdirAll(dir, 0o700)
	return dir
}

// addSet writes a set as the nightly fill step would: data files, an etcd
// snapshot when endpoint is set, the manifest, and set.json.
func (s *fakeSite) addSet(t *testing.T, at time.Time, kind retention.Kind, parent, endpoint string) *backupset.Meta {
	t.Helper()
	ctx := context.Background()
	m := backupset.New(at, "sdsc", kind, parent)
	if err := s.store.Create(ctx, m); err != nil {
		t.Fatal(err)
	}
	dir := s.store.Path(m.ID)
	if err := os.WriteFile(filepath.Join(dir, "provisioning.json"), []byte(`{"inventory":"redacted"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if endpoint != "" {
		cli, err := etcdsnap.Connect(ctx, etcdsnap.Config{Endpoints: []string{endpoint}})
		if err != nil {
			t.Fatal(err)
		}
		info, err := etcdsnap.Save(ctx, cli, filepath.Join(dir, backupset.EtcdFile))
		cli.Close()
		if err != nil {
			t.Fatal(err)
		}
		m.Contents.Etcd = &backupset.EtcdInfo{Endpoint: endpoint, Size: info.Size, SHA256: info.SHA256, Revision: info.Revision, Keys: info.Keys}
	}
	entries, err := manifest.Scan(ctx, remote.Local{}, dir, manifest.ScanOptions{Hash: true, Exclude: []string{backupset.MetaFile}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := (&manifest.Manifest{Version: manifest.Version, Set: m.ID, Created: at, Entries: entries}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, backupset.ManifestFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	m.Contents.ManifestSHA256 = hex.EncodeToString(sum[:])
	if err := s.store.Write(ctx, m); err != nil {
		t.Fatal(err)
	}
	return m
}

func verified(m *backupset.Meta, checkpoint time.Time) journal.Entry {
	return journal.Entry{Time: checkpoint, Set: m.ID, Target: "sdsc", Result: journal.ResultVerified, CheckpointTime: checkpoint}
}

func TestDrillPassesAndReportsRPOAndRTO(t *testing.T) {
	s := newFakeSite(t)
	at := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	m := s.addSet(t, at, retention.Full, "", etcdtest.Start(t, 25))
	now := at.Add(30 * time.Hour)
	rep, err := Run(context.Background(), s.site(), s.options([]journal.Entry{verified(m, at.Add(time.Minute))}, now))
	if err != nil {
		t.Fatalf("drill: %v", err)
	}
	if !rep.Passed || rep.Set != m.ID || rep.Etcd == nil || !rep.Etcd.OK || rep.Etcd.Keys != 25 {
		t.Fatalf("report %+v, etcd %+v", rep, rep.Etcd)
	}
	if want := (29*time.Hour + 59*time.Minute).Seconds(); rep.RPOSeconds != want {
		t.Errorf("RPO %v s, want %v s (now minus the checkpoint the copy reflects)", rep.RPOSeconds, want)
	}
	if rep.Manifest.Entries < 2 || rep.ReadBytesPerSecond <= 0 || rep.RTOSeconds <= 0 || rep.VolumeBytes <= 0 {
		t.Errorf("entries %d, read %v B/s, RTO %v s, volume %d B: want all measured", rep.Manifest.Entries, rep.ReadBytesPerSecond, rep.RTOSeconds, rep.VolumeBytes)
	}
	for _, step := range []string{"mount", "manifest", "etcd", "sample"} {
		if rep.stepSeconds(step) <= 0 && step != "sample" {
			t.Errorf("step %s was not timed: %+v", step, rep.Steps)
		}
	}
	if rep.Sample.Skipped == "" {
		t.Error("without a sampler the report must say the volume sample was skipped")
	}
}

func TestDrillNamesAFlippedByte(t *testing.T) {
	s := newFakeSite(t)
	at := time.Now().Add(-time.Hour)
	m := s.addSet(t, at, retention.Full, "", "")
	victim := filepath.Join(s.store.Path(m.ID), "provisioning.json")
	data, _ := os.ReadFile(victim)
	data[3] ^= 0x01
	if err := os.WriteFile(victim, data, 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), s.site(), s.options([]journal.Entry{verified(m, at)}, time.Now()))
	if !errors.Is(err, ErrFailed) || rep.Passed {
		t.Fatalf("err = %v, passed %v; want a failed drill", err, rep.Passed)
	}
	if want := "backup/" + m.ID + "/provisioning.json"; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "content differs") {
		t.Errorf("the failure does not name %s and what is wrong: %v", want, err)
	}
}

func TestDrillRefusesATruncatedEtcdSnapshot(t *testing.T) {
	s := newFakeSite(t)
	at := time.Now().Add(-time.Hour)
	m := s.addSet(t, at, retention.Full, "", etcdtest.Start(t, 5))
	snap := filepath.Join(s.store.Path(m.ID), backupset.EtcdFile)
	fi, _ := os.Stat(snap)
	if err := os.Truncate(snap, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), s.site(), s.options([]journal.Entry{verified(m, at)}, time.Now()))
	if !errors.Is(err, ErrFailed) || rep.Etcd == nil || rep.Etcd.OK {
		t.Fatalf("err = %v, etcd %+v; want the snapshot refused", err, rep.Etcd)
	}
	if !strings.Contains(err.Error(), "etcd snapshot") || !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), "check") {
		t.Errorf("the refusal is not clear: %v", err)
	}
}

func TestDrillChecksTheWholeChain(t *testing.T) {
	s := newFakeSite(t)
	at := time.Now().Add(-48 * time.Hour)
	full := s.addSet(t, at, retention.Full, "", "")
	inc := s.addSet(t, at.Add(24*time.Hour), retention.Incremental, full.ID, "")
	opts := s.options([]journal.Entry{verified(inc, at.Add(24*time.Hour))}, time.Now())
	rep, err := Run(context.Background(), s.site(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Chain) != 2 || rep.Chain[0] != full.ID || rep.Chain[1] != inc.ID {
		t.Errorf("chain %v, want the full then the incremental", rep.Chain)
	}
	// Damage in the full fails a drill of the incremental.
	if err := os.WriteFile(filepath.Join(s.store.Path(full.ID), "provisioning.json"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), s.site(), opts); err == nil || !strings.Contains(err.Error(), full.ID) {
		t.Errorf("damage in the chain's full: %v, want a failure naming %s", err, full.ID)
	}
}

func TestDrillNeedsAVerifiedSet(t *testing.T) {
	s := newFakeSite(t)
	s.addSet(t, time.Now(), retention.Full, "", "")
	_, err := Run(context.Background(), s.site(), s.options(nil, time.Now()))
	if err == nil || !strings.Contains(err.Error(), "--set") {
		t.Errorf("err = %v, want a message saying no verified set is recorded and how to name one", err)
	}
}

func TestDrillComparesTheVolumeSample(t *testing.T) {
	s := newFakeSite(t)
	at := time.Now().Add(-time.Hour)
	m := s.addSet(t, at, retention.Full, "", "")
	opts := s.options([]journal.Entry{verified(m, at)}, time.Now())
	opts.Sample = func(context.Context, remote.Runner, string, time.Time) (Sampled, []manifest.Mismatch, error) {
		return Sampled{Files: 10, Bytes: 1000, VolumeBytes: 5000}, []manifest.Mismatch{{Path: "home/alice/data.h5", Problem: "size 0, want 10 (arrived empty)", Severity: manifest.SeverityError}}, nil
	}
	rep, err := Run(context.Background(), s.site(), opts)
	if !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "home/alice/data.h5") || rep.Sample.Files != 10 || rep.VolumeBytes != 5000 {
		t.Errorf("err = %v, sample %+v; want the differing volume file named", err, rep.Sample)
	}
	if !strings.Contains(rep.Problem, "differ from the primary") {
		t.Errorf("problem %q", rep.Problem)
	}
}

func TestDrillTakesTheVolumeSizeFromTheScanEvenWithNothingToSample(t *testing.T) {
	s := newFakeSite(t)
	at := time.Now().Add(-time.Hour)
	m := s.addSet(t, at, retention.Full, "", "")
	opts := s.options([]journal.Entry{verified(m, at)}, time.Now())
	opts.Sample = func(context.Context, remote.Runner, string, time.Time) (Sampled, []manifest.Mismatch, error) {
		return Sampled{VolumeBytes: 0}, nil, nil
	}
	rep, err := Run(context.Background(), s.site(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.VolumeBytes != 0 || strings.Contains(rep.RTOModel, "not scanned") {
		t.Errorf("volume %d bytes, model %q: an empty volume that was scanned is empty, not the site's file system", rep.VolumeBytes, rep.RTOModel)
	}
}

// stepOK is the OK of the report's step name.
func stepOK(t *testing.T, rep *Report, name string) bool {
	t.Helper()
	for _, s := range rep.Steps {
		if s.Name == name {
			return s.OK
		}
	}
	t.Fatalf("no step %s in %+v", name, rep.Steps)
	return false
}

// TestDrillStepsSayWhatTheyFound: a step that ran and found the problem
// that fails the drill says OK false; the others still say true.
func TestDrillStepsSayWhatTheyFound(t *testing.T) {
	s := newFakeSite(t)
	at := time.Now().Add(-time.Hour)
	m := s.addSet(t, at, retention.Full, "", etcdtest.Start(t, 5))
	victim := filepath.Join(s.store.Path(m.ID), "provisioning.json")
	data, _ := os.ReadFile(victim)
	data[3] ^= 0x01
	if err := os.WriteFile(victim, data, 0o600); err != nil {
		t.Fatal(err)
	}
	opts := s.options([]journal.Entry{verified(m, at)}, time.Now())
	rep, err := Run(context.Background(), s.site(), opts)
	if !errors.Is(err, ErrFailed) || stepOK(t, rep, "manifest") || !stepOK(t, rep, "etcd") || !stepOK(t, rep, "mount") {
		t.Errorf("a flipped byte: %v, steps %+v", err, rep.Steps)
	}
	if err := os.WriteFile(victim, append(data[:3:3], append([]byte{data[3] ^ 0x01}, data[4:]...)...), 0o600); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(s.store.Path(m.ID), backupset.EtcdFile)
	fi, _ := os.Stat(snap)
	if err := os.Truncate(snap, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	rep, err = Run(context.Background(), s.site(), opts)
	if !errors.Is(err, ErrFailed) || stepOK(t, rep, "etcd") {
		t.Errorf("a truncated snapshot: %v, steps %+v", err, rep.Steps)
	}
}

// TestDrillChecksTheSetBeforeMounting: a --set that is not a set of the
// site is refused before anything is mounted there.
func TestDrillChecksTheSetBeforeMounting(t *testing.T) {
	s := newFakeSite(t)
	at := time.Now().Add(-time.Hour)
	m := s.addSet(t, at, retention.Full, "", "")
	for set, want := range map[string]string{
		"../../etc":                "--set: \"../../etc\" is not a backup set ID",
		"20261125T020000Z-tacc":    "--set 20261125T020000Z-tacc is a set of target tacc, not of sdsc",
		"20261125T020000Z-sdsc/..": "--set: \"20261125T020000Z-sdsc/..\" is not a backup set ID",
		"":                         "the journal records no verified set at sdsc",
	} {
		opts := s.options(nil, time.Now())
		mounted := false
		opts.Mount = func(context.Context, remote.Runner, string, string) (string, func(context.Context) error, error) {
			mounted = true
			return s.root, func(context.Context) error { return nil }, nil
		}
		opts.Set = set
		_, err := Run(context.Background(), s.site(), opts)
		if err == nil || !strings.Contains(err.Error(), want) || mounted {
			t.Errorf("--set %q: mounted %v, %v; want %q", set, mounted, err, want)
		}
	}
	opts := s.options(nil, time.Now())
	opts.Set = m.ID
	if _, err := Run(context.Background(), s.site(), opts); err != nil {
		t.Errorf("--set of the site's own set: %v", err)
	}
}
