package drill

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/etcdsnap"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// checkManifests hashes every file of every set of the chain at the site
// and compares it with the set's manifest, read from the site too. It
// returns the bytes read and the seconds spent reading them.
func checkManifests(ctx context.Context, site Site, store backupset.Store, chain []*backupset.Meta, mc *ManifestCheck) (int64, float64) {
	var bytes int64
	var seconds float64
	for _, m := range chain {
		rel := path.Join(site.BackupRel, m.ID)
		fail := func(problem string) {
			mc.Errors++
			mc.Mismatches = append(mc.Mismatches, manifest.Mismatch{Path: path.Join(rel, backupset.ManifestFile), Problem: problem, Severity: manifest.SeverityError})
		}
		data, err := site.Files.ReadFile(ctx, store.Path(m.ID, backupset.ManifestFile))
		if err != nil {
			fail("unreadable at the site: " + err.Error())
			continue
		}
		if want := m.Contents.ManifestSHA256; want != "" && sha(data) != want {
			fail(fmt.Sprintf("sha256 %s, set.json records %s", sha(data), want))
			continue
		}
		man, err := manifest.Decode(data)
		if err != nil {
			fail("damaged: " + err.Error())
			continue
		}
		start := time.Now()
		got, err := manifest.Observe(ctx, site.Runner, store.Path(m.ID), man.Entries)
		var unreadable *manifest.UnreadableError
		if err != nil && !errors.As(err, &unreadable) {
			fail("reading the set back failed: " + err.Error())
			continue
		}
		seconds += time.Since(start).Seconds()
		for _, e := range man.Entries {
			bytes += e.Size
		}
		mc.Entries += len(man.Entries)
		for _, mm := range manifest.Compare(man.Entries, got) {
			mm.Path = path.Join(rel, mm.Path)
			if mm.Severity == manifest.SeverityWarning {
				mc.Warnings++
			} else {
				mc.Errors++
			}
			mc.Mismatches = append(mc.Mismatches, mm)
		}
	}
	mc.Bytes = bytes
	return bytes, seconds
}

// restoreEtcd fetches the snapshot from the site into a private scratch
// folder, restores it into a fresh etcd on loopback and checks that it
// serves what the set recorded.
func restoreEtcd(ctx context.Context, files remote.Files, src string, want *backupset.EtcdInfo, scratch string) *EtcdCheck {
	c := &EtcdCheck{}
	dir, err := os.MkdirTemp(scratch, "glusterdr-drill-")
	if err != nil {
		c.Problem = err.Error()
		return c
	}
	defer os.RemoveAll(dir)
	local := filepath.Join(dir, backupset.EtcdFile)
	if err := remote.Download(ctx, files, src, local); err != nil {
		c.Problem = "fetching it: " + err.Error()
		return c
	}
	info, err := etcdsnap.Verify(local)
	if err != nil {
		c.Problem = err.Error()
		return c
	}
	if info.SHA256 != want.SHA256 {
		c.Problem = fmt.Sprintf("sha256 %s, the set recorded %s", info.SHA256, want.SHA256)
		return c
	}
	served, err := etcdsnap.RestoreAndServe(ctx, local, dir)
	if err != nil {
		c.Problem = "restoring it into a scratch etcd: " + err.Error()
		return c
	}
	c.Revision, c.Keys = served.Revision, served.Keys
	if err := served.Close(); err != nil {
		c.Problem = "stopping the scratch etcd: " + err.Error()
		return c
	}
	if served.Revision != want.Revision || served.Keys != want.Keys {
		c.Problem = fmt.Sprintf("the restored etcd serves revision %d with %d keys, the set recorded revision %d with %d keys",
			served.Revision, served.Keys, want.Revision, want.Keys)
		return c
	}
	c.OK = true
	return c
}

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
