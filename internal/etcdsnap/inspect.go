package etcdsnap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	"go.etcd.io/etcd/server/v3/storage/schema"
)

// boltLockTimeout bounds the wait for bbolt's shared file lock, in case some
// other process holds the file open for writing.
const boltLockTimeout = 5 * time.Second

// keyspace is what the bbolt database inside a snapshot says about etcd's
// keyspace.
type keyspace struct {
	revision        int64
	keys            int64
	consistentIndex uint64
	storageVersion  string
	// compacted is the revision of the last finished compaction; inFlight
	// is true when a later one had been scheduled but not finished.
	compacted int64
	inFlight  bool
}

// readKeyspace opens the database read-only (bbolt never writes to it)
// and walks etcd's buckets, reading every revision of every key; with
// deep, it runs bbolt's page consistency check first. The trailing sha256
// does not disturb bbolt, which reads whole pages only.
func readKeyspace(path string, deep bool) (ks keyspace, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return ks, err
	}
	db, err := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: boltLockTimeout})
	if err != nil {
		return ks, &CheckError{Path: path, Check: CheckBolt, Err: fmt.Errorf("bbolt cannot open it: %w", err)}
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close bbolt database %s: %w", path, cerr)
		}
	}()
	// bbolt panics on some kinds of damaged pages rather than returning an error.
	defer func() {
		if r := recover(); r != nil {
			err = &CheckError{Path: path, Check: CheckBolt, Err: fmt.Errorf("bbolt failed reading it: %v", r)}
		}
	}()
	mapped := &mappedFile{addr: db.Info().Data, size: fi.Size()}
	err = db.View(func(tx *bolt.Tx) error {
		if deep {
			if err := boltConsistency(tx); err != nil {
				return &CheckError{Path: path, Check: CheckBolt, Err: err}
			}
		}
		if err := ks.read(tx, mapped); err != nil {
			return &CheckError{Path: path, Check: CheckSchema, Err: err}
		}
		return nil
	})
	return ks, err
}

func boltConsistency(tx *bolt.Tx) error {
	const shown = 3
	var first []error
	n := 0
	for err := range tx.Check() {
		if n < shown {
			first = append(first, err)
		}
		n++
	}
	if n > 0 {
		return fmt.Errorf("bbolt found %d inconsistencies, first %d: %w", n, len(first), errors.Join(first...))
	}
	return nil
}

func (ks *keyspace) read(tx *bolt.Tx, mapped *mappedFile) error {
	meta := tx.Bucket(schema.Meta.Name())
	if meta == nil {
		return fmt.Errorf("no %q bucket", schema.Meta.Name())
	}
	keys := tx.Bucket(schema.Key.Name())
	if keys == nil {
		return fmt.Errorf("no %q bucket", schema.Key.Name())
	}
	if err := ks.readMeta(meta); err != nil {
		return err
	}
	return ks.readKeys(keys, mapped)
}

// readMeta reads the raft consistent index, the storage version (etcd >= 3.6)
// and the compaction marks, which can hold the current revision when
// compaction removed the newest key revisions.
func (ks *keyspace) readMeta(meta *bolt.Bucket) error {
	ks.revision = 1 // an etcd that never wrote a key is at revision 1
	if v := meta.Get(schema.MetaConsistentIndexKeyName); v != nil {
		if len(v) != 8 {
			return fmt.Errorf("meta %q is %d bytes, want 8", schema.MetaConsistentIndexKeyName, len(v))
		}
		ks.consistentIndex = binary.BigEndian.Uint64(v)
	}
	ks.storageVersion = string(meta.Get(schema.MetaStorageVersionName))
	var marks [2]int64
	for i, name := range [][]byte{schema.FinishedCompactKeyName, schema.ScheduledCompactKeyName} {
		v := meta.Get(name)
		if v == nil {
			continue
		}
		rev, _, err := parseRevision(v)
		if err != nil {
			return fmt.Errorf("meta %q: %w", name, err)
		}
		marks[i] = rev
		ks.revision = max(ks.revision, rev)
	}
	ks.compacted, ks.inFlight = marks[0], marks[1] > marks[0]
	return nil
}

// readKeys walks the "key" bucket in revision order. The newest entry gives
// the revision. Live keys are counted from each entry alone, so that memory
// does not grow with the keyspace: etcd's compaction at revision C leaves
// at most one entry at or below C per key, the key's state at C (a put, or
// the tombstone written at exactly C), and every entry above C. So a key is
// live when it has a put at or below C, plus one for each put above C that
// created it (version 1), minus one for each tombstone above C. While a
// compaction is in flight its deletions are half done, and the walk falls
// back to following every key by name.
func (ks *keyspace) readKeys(bucket *bolt.Bucket, mapped *mappedFile) error {
	var live int64
	var byName map[string]struct{}
	if ks.inFlight {
		byName = make(map[string]struct{})
	}
	var last int64
	err := bucket.ForEach(func(k, v []byte) error {
		rev, tombstone, err := parseRevision(k)
		if err != nil {
			return err
		}
		kv, err := parseKeyValue(v)
		if err != nil {
			return fmt.Errorf("value at revision %d is not an mvcc KeyValue: %w", rev, err)
		}
		last = rev
		mapped.readBytes(len(k) + len(v))
		switch {
		case byName != nil && tombstone:
			delete(byName, string(kv.key))
		case byName != nil:
			byName[string(kv.key)] = struct{}{}
		case rev <= ks.compacted && !tombstone:
			live++
		case rev <= ks.compacted: // the tombstone written at exactly C
		case tombstone:
			live--
		case kv.version == 1:
			live++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bucket %q: %w", schema.Key.Name(), err)
	}
	if byName != nil {
		live = int64(len(byName))
	}
	if live < 0 {
		return fmt.Errorf("bucket %q deletes %d more keys than it creates", schema.Key.Name(), -live)
	}
	ks.revision = max(ks.revision, last)
	ks.keys = live
	return nil
}

// parseRevision decodes etcd's revision encoding: 8-byte big-endian main
// revision, '_', 8-byte sub revision, and an optional 't' marking a tombstone.
func parseRevision(b []byte) (main int64, tombstone bool, err error) {
	const plain = 8 + 1 + 8
	switch {
	case len(b) == plain+1 && b[plain] == 't':
		tombstone = true
	case len(b) != plain:
		return 0, false, fmt.Errorf("revision key %x is %d bytes, want %d or %d", b, len(b), plain, plain+1)
	}
	if b[8] != '_' {
		return 0, false, fmt.Errorf("revision key %x has no '_' separator", b)
	}
	return int64(binary.BigEndian.Uint64(b[:8])), tombstone, nil
}
