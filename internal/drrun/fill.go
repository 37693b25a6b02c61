package drrun

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/kubedump"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/provstate"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// fill puts the provisioning state, the etcd snapshot and the cluster dump
// into the set, then scans it into manifest.json. Every part is rewritten
// from scratch, so a fill that was interrupted is simply run again.
func (e *Engine) fill(ctx context.Context, m *backupset.Meta) error {
	store := e.Store()
	pr, pf := e.primary()
	m.Contents = backupset.Contents{}

	if p := e.Schedule.Provisioning; p != nil {
		cr, cf := e.controller()
		st, err := provstate.Capture(ctx, cr, cf, provstate.Options{
			InventoryCommand: p.AnsibleInventoryCommand, InventoryFiles: p.Inventory, ImageRef: p.ImageRef})
		if err != nil {
			return err
		}
		if err := st.Write(ctx, pf, store.Path(m.ID, backupset.ProvisioningFile)); err != nil {
			return fmt.Errorf("writing the provisioning state to %s: %w", e.Schedule.Primary.Node, err)
		}
		m.Contents.Provisioning = &backupset.ProvisioningInfo{Digest: st.Digest, Redactions: len(st.Redactions)}
		e.log().Info("provisioning state captured", "set", m.ID, "redactions", len(st.Redactions), "files", len(st.Files))
	}

	if e.Schedule.Etcd != nil {
		info, err := e.snapshotEtcd(ctx, store.Path(m.ID, backupset.EtcdFile))
		if err != nil {
			return err
		}
		m.Contents.Etcd = info
	}

	dir := store.Path(m.ID, backupset.DumpDir)
	argv := e.Schedule.ClusterDump.Argv(dir)
	if _, err := kubedump.Dump(ctx, pr, argv, dir); err != nil {
		return err
	}

	entries, err := manifest.Scan(ctx, pr, store.Path(m.ID), manifest.ScanOptions{Hash: true,
		Exclude: ownFiles(backupset.MetaFile, backupset.ManifestFile)})
	if err != nil {
		return err
	}
	man := &manifest.Manifest{Set: m.ID, Created: e.now(), Root: store.Path(m.ID), Entries: entries}
	data, err := man.Encode()
	if err != nil {
		return err
	}
	if err := pf.WriteFile(ctx, store.Path(m.ID, backupset.ManifestFile), bytes.NewReader(data), 0o644); err != nil {
		return fmt.Errorf("writing the manifest on %s: %w", e.Schedule.Primary.Node, err)
	}
	sum := sha256.Sum256(data)
	m.Contents.ManifestSHA256 = hex.EncodeToString(sum[:])
	dump := &backupset.DumpInfo{Command: argv}
	for _, en := range entries {
		if en.Type != manifest.TypeFile {
			continue
		}
		m.Contents.Files++
		m.Contents.Bytes += en.Size
		if strings.HasPrefix(en.Path, backupset.DumpDir+"/") {
			dump.Files++
			dump.Bytes += en.Size
		}
	}
	m.Contents.ClusterDump = dump
	e.log().Info("backup set filled", "set", m.ID, "files", m.Contents.Files, "bytes", m.Contents.Bytes)
	return nil
}

// ownFiles are the set's files that change after the manifest is made, with
// what remote.Files.WriteFile leaves of them while it writes (or after a
// crash): the manifest cannot hold them.
func ownFiles(names ...string) []string {
	var out []string
	for _, n := range names {
		out = append(out, n, n+remote.PartSuffix, n+remote.PartSuffix+".d")
	}
	return out
}
