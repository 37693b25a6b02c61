package etcdsnap

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/storage/schema"
	"google.golang.org/protobuf/proto"
)

// The live key count is worked out from each revision alone (see
// readKeys); these runs hold it against what etcd itself serves, through
// deletes, re-creations and compactions at every kind of revision, on the
// embedded etcd 3.7 and on Debian's etcd 3.4.
func TestSaveCountsLiveKeysAcrossCompactions(t *testing.T) {
	servers := map[string]func(*testing.T) string{
		"embedded": func(t *testing.T) string { return startTestEtcd(t) },
		"debian":   startDebianEtcd,
	}
	for name, start := range servers {
		t.Run(name, func(t *testing.T) {
			cli := connectTest(t, start(t))
			rng := rand.New(rand.NewPCG(1, 2))
			for round := range 8 {
				rev := churn(t, cli, rng, 40)
				compactAt := map[int]int64{0: rev, 1: rev - 7, 2: 0, 3: rev, 4: rev - 1, 5: 0, 6: rev - 3, 7: rev}[round]
				if compactAt > 0 {
					if _, err := cli.Compact(context.Background(), compactAt, clientv3.WithCompactPhysical()); err != nil {
						t.Fatalf("round %d: compact at %d: %v", round, compactAt, err)
					}
				}
				served, err := cli.Get(context.Background(), "ck-", clientv3.WithPrefix(), clientv3.WithCountOnly())
				if err != nil {
					t.Fatal(err)
				}
				info, err := Save(context.Background(), cli, filepath.Join(t.TempDir(), "etcd.db"))
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				if info.Keys != served.Count || info.Revision != served.Header.Revision {
					t.Errorf("round %d (compacted at %d): the snapshot says %d keys at revision %d, etcd serves %d at %d",
						round, compactAt, info.Keys, info.Revision, served.Count, served.Header.Revision)
				}
			}
		})
	}
}

// churn puts and deletes random keys among n, ending with a delete so that
// a compaction at the returned revision lands on a tombstone.
func churn(t *testing.T, cli *clientv3.Client, rng *rand.Rand, n int) int64 {
	t.Helper()
	ctx := context.Background()
	var rev int64
	for i := range 60 {
		key := fmt.Sprintf("ck-%02d", rng.IntN(n))
		var err error
		if i == 59 || rng.IntN(3) == 0 {
			var resp *clientv3.DeleteResponse
			if resp, err = cli.Delete(ctx, key); err == nil {
				rev = resp.Header.Revision
			}
		} else {
			var resp *clientv3.PutResponse
			if resp, err = cli.Put(ctx, key, fmt.Sprint(i)); err == nil {
				rev = resp.Header.Revision
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return rev
}

// A snapshot taken while a compaction is half done: the compaction at 5
// has already removed revision 3 of "a" (its state at 5 is revision 4), so
// counting from single revisions would miss "a"; the walk follows names.
func TestKeyCountWhileCompactionInFlight(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(schema.Meta.Name())
		if err != nil {
			return err
		}
		keys, err := tx.CreateBucket(schema.Key.Name())
		if err != nil {
			return err
		}
		for name, rev := range map[string]int64{string(schema.FinishedCompactKeyName): 2, string(schema.ScheduledCompactKeyName): 5} {
			if err := meta.Put([]byte(name), revKey(rev, false)); err != nil {
				return err
			}
		}
		for _, e := range []struct {
			rev       int64
			key       string
			version   int64
			tombstone bool
		}{{1, "gone", 1, false}, {4, "a", 2, false}, {6, "b", 1, false}, {7, "c", 1, false}, {8, "c", 0, true}} {
			v, err := proto.Marshal(&mvccpb.KeyValue{Key: []byte(e.key), Version: e.version, ModRevision: e.rev})
			if err != nil {
				return err
			}
			if err := keys.Put(revKey(e.rev, e.tombstone), v); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}

	ks, err := readKeyspace(path, true)

	if err != nil {
		t.Fatal(err)
	}
	// Live: "gone" (its state at 2), "a" and "b"; "c" was deleted.
	if ks.keys != 3 || ks.revision != 8 {
		t.Errorf("%d keys at revision %d, want 3 at 8", ks.keys, ks.revision)
	}
}

// revKey encodes a revision as etcd's key bucket does: main, '_', sub 0,
// and 't' for a tombstone.
func revKey(main int64, tombstone bool) []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(main))
	b = append(b, '_')
	b = binary.BigEndian.AppendUint64(b, 0)
	if tombstone {
		b = append(b, 't')
	}
	return b
}

func FuzzParseKeyValueAgreesWithProto(f *testing.F) {
	for _, kv := range []*mvccpb.KeyValue{
		{}, {Key: []byte("k"), Version: 1, CreateRevision: 2, ModRevision: 2, Value: []byte("v")},
		{Key: bytes.Repeat([]byte("x"), 300), Version: -1, Lease: 7},
	} {
		b, err := proto.Marshal(kv)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{0x08, 0x80}) // a truncated varint
	f.Fuzz(func(t *testing.T, b []byte) {
		var want mvccpb.KeyValue
		werr := proto.Unmarshal(b, &want)
		got, err := parseKeyValue(b)
		if (err != nil) != (werr != nil) {
			t.Fatalf("parseKeyValue(%x) error %v, proto.Unmarshal error %v", b, err, werr)
		}
		if err == nil && (!bytes.Equal(got.key, want.Key) || got.version != want.Version) {
			t.Fatalf("parseKeyValue(%x) = key %q version %d, proto.Unmarshal says %q %d", b, got.key, got.version, want.Key, want.Version)
		}
	})
}
