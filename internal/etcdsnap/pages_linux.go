package etcdsnap

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel to start writing a range of f to disk,
// without waiting. An error only means the final fsync has more to do.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}

// shed drops the pages of bbolt's read-only mapping of the file from this
// process's resident set. MADV_DONTNEED on a shared file mapping only
// unmaps: the pages stay in the page cache, and the next read faults them
// back in unchanged. The mapping must still exist (the DB open).
func (m *mappedFile) shed() {
	_, _, _ = unix.Syscall(unix.SYS_MADVISE, m.addr, uintptr(m.size), unix.MADV_DONTNEED)
}
