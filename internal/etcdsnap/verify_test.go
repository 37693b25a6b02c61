package etcdsnap

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// savedSnapshot saves a snapshot of n fresh keys and returns its bytes.
func savedSnapshot(t *testing.T, n int) []byte {
	t.Helper()
	cli := connectTest(t, startTestEtcd(t))
	putKeys(t, cli, n, 100)
	path := filepath.Join(t.TempDir(), "etcd.db")
	if _, err := Save(context.Background(), cli, path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestVerifyRefusesDamagedSnapshotsNamingTheCheck(t *testing.T) {
	good := savedSnapshot(t, 50)
	body := good[:len(good)-trailerSize]
	tests := []struct {
		name  string
		data  []byte
		check string
	}{
		{"truncated by 100 bytes", good[:len(good)-100], CheckSize},
		{"truncated by a whole sector", good[:len(good)-sectorSize], CheckSHA256},
		{"one byte flipped in the database", flipped(good, len(good)/2), CheckSHA256},
		{"one byte flipped in the trailer", flipped(good, len(good)-1), CheckSHA256},
		{"raw database without trailer", padToSectors(body), CheckSize},
		{"valid trailer over bytes that are no database", withTrailer(bytes.Repeat([]byte{0xa5}, 8192)), CheckBolt},
		{"valid trailer over a bbolt file without etcd buckets", withTrailer(emptyBoltFile(t)), CheckSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "damaged.db")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}

			_, err := Verify(path)

			var ce *CheckError
			if !errors.As(err, &ce) || ce.Check != tt.check {
				t.Fatalf("Verify: err = %v, want a failed %q check", err, tt.check)
			}
			t.Log(err)
			if !strings.Contains(err.Error(), "failed the "+tt.check+" check") || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q should name the %q check and the file", err, tt.check)
			}
		})
	}
}

func TestVerifyMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.db")
	if _, err := Verify(path); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want not-exist naming %s", err, path)
	}
}

func flipped(data []byte, i int) []byte {
	out := bytes.Clone(data)
	out[i] ^= 0x01
	return out
}

func withTrailer(body []byte) []byte {
	sum := sha256.Sum256(body)
	return append(bytes.Clone(body), sum[:]...)
}

// padToSectors appends zeros to a whole number of sectors.
func padToSectors(b []byte) []byte {
	if extra := len(b) % sectorSize; extra != 0 {
		return append(bytes.Clone(b), make([]byte, sectorSize-extra)...)
	}
	return b
}

// emptyBoltFile returns a valid bbolt database holding no etcd buckets.
func emptyBoltFile(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plain.bolt")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucket([]byte("not-etcd"))
		return err
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestTrailerHasherAcceptsAnyChunking(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 64) // 1024 bytes: two sectors
	stream := withTrailer(body)
	for _, chunk := range []int{1, 7, 31, 32, 33, 512, len(stream)} {
		h := newTrailerHasher()
		for rest := stream; len(rest) > 0; {
			n := min(chunk, len(rest))
			h.Write(rest[:n])
			rest = rest[n:]
		}
		if err := h.check("stream"); err != nil {
			t.Errorf("chunks of %d: %v", chunk, err)
		}
	}
}

func FuzzTrailerHasherMatchesOneShotHash(f *testing.F) {
	f.Add([]byte("seed"), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		stream := withTrailer(padToSectors(append([]byte{1}, data...)))
		h := newTrailerHasher()
		step := int(chunk) + 1
		for i := 0; i < len(stream); i += step {
			h.Write(stream[i:min(i+step, len(stream))])
		}
		if err := h.check("fuzz"); err != nil {
			t.Fatalf("chunks of %d over %d bytes: %v", step, len(stream), err)
		}
		if len(stream) > trailerSize {
			h = newTrailerHasher()
			h.Write(flipped(stream, len(data)%len(stream)))
			if h.check("fuzz") == nil {
				t.Fatal("a flipped byte passed the check")
			}
		}
	})
}

func TestParseRevision(t *testing.T) {
	rev := []byte{0, 0, 0, 0, 0, 0, 1, 2, '_', 0, 0, 0, 0, 0, 0, 0, 3}
	tests := []struct {
		name      string
		key       []byte
		main      int64
		tombstone bool
		wantErr   bool
	}{
		{"plain", rev, 258, false, false},
		{"tombstone", append(bytes.Clone(rev), 't'), 258, true, false},
		{"unknown mark", append(bytes.Clone(rev), 'x'), 0, false, true},
		{"short", rev[:16], 0, false, true},
		{"no separator", append(append(bytes.Clone(rev[:8]), '-'), rev[9:]...), 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			main, tombstone, err := parseRevision(tt.key)
			if (err != nil) != tt.wantErr || main != tt.main || tombstone != tt.tombstone {
				t.Errorf("parseRevision(%x) = %d, %v, %v", tt.key, main, tombstone, err)
			}
		})
	}
}
