package restore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/etcdsnap"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// setDir is the set's folder inside the point.
func (w *work) setDir() string { return path.Join(w.pointRoot, w.rel, w.req.Set) }

// etcd fetches the set's snapshot from the point, checks it against what
// the set recorded, and restores it into the operator's data directory.
func (w *work) etcd(ctx context.Context) error {
	dir := w.filesDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	local := filepath.Join(dir, backupset.EtcdFile)
	_ = os.Remove(local) // a resumed step fetches it again
	if err := remote.Download(ctx, w.e.Nodes.Files(w.res.Point.Node), path.Join(w.setDir(), backupset.EtcdFile), local); err != nil {
		return fmt.Errorf("fetching the etcd snapshot from the point: %w", err)
	}
	info, err := etcdsnap.Verify(local)
	if err != nil {
		return err
	}
	if m := w.meta; m != nil && m.Contents.Etcd != nil && m.Contents.Etcd.SHA256 != info.SHA256 {
		return fmt.Errorf("the etcd snapshot in the point has sha256 %s, the set recorded %s", info.SHA256, m.Contents.Etcd.SHA256)
	}
	if err := os.RemoveAll(w.req.EtcdDataDir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if _, err := etcdsnap.RestoreDataDir(local, w.req.EtcdDataDir, w.req.EtcdMember); err != nil {
		return err
	}
	w.res.Etcd = &EtcdRestore{DataDir: w.req.EtcdDataDir, Member: w.req.EtcdMember.Name, PeerURL: w.req.EtcdMember.PeerURL,
		Revision: info.Revision, Keys: info.Keys, SHA256: info.SHA256}
	return nil
}

// files copies the set's provisioning state, cluster dump and set.json
// (the primary's, which knows the verification, else the point's) into
// the folder beside the etcd data directory, 0600 for files.
func (w *work) files(ctx context.Context) error {
	dir := w.filesDir()
	pf := w.e.Nodes.Files(w.res.Point.Node)
	for _, name := range []string{backupset.ProvisioningFile, backupset.MetaFile} {
		dst := filepath.Join(dir, name)
		_ = os.Remove(dst)
		err := remote.Download(ctx, pf, path.Join(w.setDir(), name), dst)
		if err != nil && !(errors.Is(err, fs.ErrNotExist) && name == backupset.ProvisioningFile) {
			return fmt.Errorf("fetching %s from the point: %w", name, err)
		}
	}
	if w.meta != nil {
		data, err := backupset.Encode(w.meta)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, backupset.MetaFile), data, 0o600); err != nil {
			return err
		}
	}
	dump := filepath.Join(dir, backupset.DumpDir)
	if err := os.RemoveAll(dump); err != nil {
		return err
	}
	if err := fetchTree(ctx, pf, path.Join(w.setDir(), backupset.DumpDir), dump); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("fetching the cluster dump from the point: %w", err)
	}
	w.res.Files = dir
	return nil
}

// fetchTree copies a remote folder's regular files and folders to dst.
func fetchTree(ctx context.Context, files remote.Files, src, dst string) error {
	infos, err := files.ReadDir(ctx, src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	for _, fi := range infos {
		s, d := path.Join(src, fi.Name()), filepath.Join(dst, fi.Name())
		switch {
		case fi.IsDir():
			err = fetchTree(ctx, files, s, d)
		case fi.Mode().IsRegular():
			err = remote.Download(ctx, files, s, d)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// remaining says what the operator does by hand once the volume is back.
func (w *work) remaining() []string {
	s := w.e.Schedule
	steps := []string{
		fmt.Sprintf("Check the restored data on %s under %s.", s.Primary.Node, w.dst()),
	}
	if e := w.res.Etcd; e != nil {
		steps = append(steps,
			fmt.Sprintf("etcd: stop kube-apiserver and etcd on the control plane, move etcd's data directory aside, and put %s in its place "+
				"(or point etcd's --data-dir at it); start etcd as member %s with --initial-advertise-peer-urls %s and --initial-cluster %s=%s "+
				"(revision %d, %d keys). A cluster of several members needs a restore per member: glusterdr restore ... --etcd-name, --etcd-peer-url "+
				"for each, or etcdutl snapshot restore %s.", e.DataDir, e.Member, e.PeerURL, e.Member, e.PeerURL, e.Revision, e.Keys,
				filepath.Join(w.filesDir(), backupset.EtcdFile)))
	} else {
		steps = append(steps, fmt.Sprintf("etcd was not restored (no --etcd-data-dir); the snapshot is %s in the point on %s.",
			path.Join(w.setDir(), backupset.EtcdFile), w.res.Point.Node))
	}
	if w.res.Files != "" {
		steps = append(steps,
			fmt.Sprintf("Compare the cluster dump in %s with the running cluster, and re-apply what is missing.", filepath.Join(w.res.Files, backupset.DumpDir)),
			fmt.Sprintf("%s holds the Ansible inventory, the variables and the image reference as they were (secrets redacted): re-provision lost nodes from it.",
				filepath.Join(w.res.Files, backupset.ProvisioningFile)))
	}
	steps = append(steps, "The geo-replication sessions are stopped: the next `glusterdr run` starts the forward cycle again and carries the restored volume to the sites.")
	return steps
}
