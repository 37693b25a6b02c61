package drrun

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/etcdsnap"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// snapshotEtcd saves a snapshot from the first endpoint that answers into a
// private temporary file on the controller, verifies it, and uploads it to
// dst on the primary node with mode 0600. The TLS files the schedule names
// live on the primary node; they are fetched into the same private folder.
func (e *Engine) snapshotEtcd(ctx context.Context, dst string) (*backupset.EtcdInfo, error) {
	tmp, err := os.MkdirTemp("", "glusterdr-etcd-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	_, pf := e.primary()
	sc := e.Schedule.Etcd
	cfg := etcdsnap.Config{DialTimeout: sc.DialTimeout}
	for _, f := range []struct {
		src string
		dst *string
	}{{sc.CACert, &cfg.CACert}, {sc.Cert, &cfg.Cert}, {sc.Key, &cfg.Key}} {
		if f.src == "" {
			continue
		}
		local := filepath.Join(tmp, filepath.Base(f.src))
		if err := remote.Download(ctx, pf, f.src, local); err != nil {
			return nil, fmt.Errorf("etcd: fetching the TLS file %s from %s: %w", f.src, e.Schedule.Primary.Node, err)
		}
		*f.dst = local
	}

	local := filepath.Join(tmp, backupset.EtcdFile)
	var errs []error
	for _, ep := range sc.Endpoints {
		cfg.Endpoints = []string{ep}
		info, err := saveFrom(ctx, cfg, local)
		if err != nil {
			e.log().Warn("etcd snapshot failed; trying the next endpoint", "endpoint", ep, "error", err)
			errs = append(errs, err)
			continue
		}
		checked, err := etcdsnap.Verify(local)
		if err != nil {
			return nil, fmt.Errorf("etcd: the snapshot from %s does not verify: %w", ep, err)
		}
		if checked.SHA256 != info.SHA256 {
			return nil, fmt.Errorf("etcd: the snapshot from %s changed on disk after it was saved (sha256 %s, saved %s)", ep, checked.SHA256, info.SHA256)
		}
		f, err := os.Open(local)
		if err != nil {
			return nil, err
		}
		err = pf.WriteFile(ctx, dst, f, 0o600)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("etcd: uploading the snapshot to %s:%s: %w", e.Schedule.Primary.Node, dst, err)
		}
		e.log().Info("etcd snapshot saved", "endpoint", ep, "bytes", checked.Size, "revision", checked.Revision, "keys", checked.Keys)
		return &backupset.EtcdInfo{Endpoint: ep, Size: checked.Size, SHA256: checked.SHA256, Revision: checked.Revision,
			Keys: checked.Keys, Version: info.Version}, nil
	}
	return nil, fmt.Errorf("etcd: no endpoint gave a snapshot: %w", errors.Join(errs...))
}

func saveFrom(ctx context.Context, cfg etcdsnap.Config, path string) (etcdsnap.Info, error) {
	cli, err := etcdsnap.Connect(ctx, cfg)
	if err != nil {
		return etcdsnap.Info{}, err
	}
	info, err := etcdsnap.Save(ctx, cli, path)
	if cerr := cli.Close(); err == nil && cerr != nil {
		return info, fmt.Errorf("etcd: closing the client: %w", cerr)
	}
	return info, err
}
