//go:build !linux

package etcdsnap

import "os"

// startWriteback is Linux only (sync_file_range); elsewhere the fsync does it all.
func startWriteback(*os.File, int64, int64) {}

// shed is Linux only; elsewhere the mapped pages stay resident.
func (m *mappedFile) shed() {}
