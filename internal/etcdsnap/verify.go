package etcdsnap

import (
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// Info describes one snapshot file.
type Info struct {
	// Size is the file length in bytes, trailer included.
	Size int64
	// SHA256 is the hex sha256 of the whole file as written (for manifests);
	// it is not the trailer, which covers everything but the last 32 bytes.
	SHA256 string
	// Revision is the keyspace revision the snapshot holds.
	Revision int64
	// Keys counts the live keys: deleted keys and older revisions are not counted.
	Keys int64
	// ConsistentIndex is the raft index the database had applied.
	ConsistentIndex uint64
	// Version is the etcd storage version: from the server on Save, from
	// the file's meta bucket on Verify. Empty before etcd 3.6.
	Version string
}

// Verify reads a snapshot file back and checks it, in order: CheckSize and
// CheckSHA256 on the trailer, then CheckBolt and CheckSchema on the database,
// which is only ever opened read-only. A failure is a *CheckError naming the
// check. Like `etcdutl snapshot status`, it reports revision and key count.
func Verify(path string) (Info, error) {
	info, err := hashFile(path)
	if err != nil {
		return Info{}, err
	}
	ks, err := readKeyspace(path, true)
	if err != nil {
		return Info{}, err
	}
	info.setKeyspace(ks)
	info.Version = ks.storageVersion
	return info, nil
}

func (i *Info) setKeyspace(ks keyspace) {
	i.Revision = ks.revision
	i.Keys = ks.keys
	i.ConsistentIndex = ks.consistentIndex
}

// hashFile streams the file once, computing the whole-file sha256 and
// checking the trailer.
func hashFile(path string) (Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return Info{}, fmt.Errorf("open etcd snapshot: %w", err)
	}
	defer f.Close() // read-only: a close error cannot lose data
	trailer := newTrailerHasher()
	n, err := io.CopyBuffer(trailer, f, make([]byte, copyBufferSize))
	if err != nil {
		return Info{}, fmt.Errorf("read etcd snapshot %s: %w", path, err)
	}
	if err := trailer.check(path); err != nil {
		return Info{}, err
	}
	whole, err := trailer.wholeSum()
	if err != nil {
		return Info{}, fmt.Errorf("hash etcd snapshot %s: %w", path, err)
	}
	return Info{Size: n, SHA256: hex.EncodeToString(whole)}, nil
}
