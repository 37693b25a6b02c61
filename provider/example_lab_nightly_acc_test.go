//go:build lab

package provider

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
)

// What examples/lab puts on p1 besides the schedule and its cron entry.
var (
	labBackupDir  = path.Join(lab.MountPath, "backup")
	labCaptureDir = path.Join(labBackupDir, provisioningFolder, defaultCaptureName)
	labJournal    = path.Join("/var/lib/glusterdr", journal.FileName)
)

// runLabNightly runs on p1 the job of the cron entry examples/lab
// installed, as cron would, and fails the test unless it made a verified
// set; it returns the set's id.
func (l *accLab) runLabNightly() string {
	l.t.Helper()
	before := time.Now()
	res, took, err := l.runCronJob("p1", trigger.CronFile, 10*time.Minute)
	if err != nil {
		l.t.Fatalf("the nightly run from %s on p1 failed after %s: %v\nstdout:\n%s", trigger.CronFile, took.Round(time.Millisecond), err, res.Stdout)
	}
	data, found := l.readFile("p1", labJournal)
	if !found {
		l.t.Fatalf("the nightly run left no journal at %s on p1", labJournal)
	}
	entries, err := journal.Parse(data)
	l.must(err)
	last, ok := journal.Last(entries)
	if !ok || last.Time.Before(before) || !last.Verified() {
		l.t.Fatalf("the journal's last entry after the nightly run: %+v (run started %s)\nstdout:\n%s", last, before, res.Stdout)
	}
	store := backupset.Store{Files: l.files("p1"), Dir: labBackupDir}
	m, err := store.Read(context.Background(), last.Set)
	l.must(err)
	if m.Status != retention.Verified || m.Verification == nil || !m.Verification.Verified || m.Contents.Provisioning == nil ||
		m.Contents.Etcd == nil || m.Verification.Entries < 5 {
		l.t.Fatalf("set %s after the nightly run: status %s, verification %+v, contents %+v", m.ID, m.Status, m.Verification, m.Contents)
	}
	if p := m.RestorePoint; p == nil || p.Method != "link-tree" || p.Verification == nil || !p.Verification.Verified ||
		!strings.HasPrefix(p.Location, "/var/lib/glusterdr/points/") {
		l.t.Fatalf("set %s after the nightly run: restore point %+v; examples/lab keeps link-tree points", m.ID, p)
	}
	for _, secret := range []string{"lab-only-password-not-a-secret", "abcdef.0123456789abcdef"} {
		if strings.Contains(string(res.Stdout)+string(res.Stderr), secret) {
			l.t.Errorf("the nightly run printed the inventory's secret %q", secret)
		}
	}
	l.t.Logf("nightly run from %s on p1: set %s to %s verified in %s (gluster sync %.1fs, glusterdr overhead %.1fs)",
		trigger.CronFile, m.ID, m.Target, took.Round(time.Millisecond), last.SyncSeconds, last.OverheadSeconds)
	return m.ID
}

// checkLabScheduleGone: after destroy, p1 holds neither the schedule, its
// trigger nor the provisioning capture, and still holds the nightly set.
func (l *accLab) checkLabScheduleGone(set string) error {
	for _, p := range []string{"/etc/glusterdr/schedule.hcl", trigger.CronFile, path.Join(labCaptureDir, "provisioning.json")} {
		if _, found := l.readFile("p1", p); found {
			return fmt.Errorf("%s is still on p1 after destroy", p)
		}
	}
	if _, found := l.readFile("p1", path.Join(labBackupDir, set, backupset.MetaFile)); !found {
		return fmt.Errorf("destroy removed the backup set %s", set)
	}
	return nil
}
