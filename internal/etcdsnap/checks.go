package etcdsnap

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
)

// Names of the integrity checks a snapshot file must pass, in the order
// they run. A failure is reported as a *CheckError carrying one of them.
const (
	// CheckSize: the length must be whole 512-byte sectors plus the
	// 32-byte sha256 trailer that etcd appends to every snapshot stream.
	CheckSize = "size"
	// CheckSHA256: the trailer must equal the sha256 of everything before it.
	CheckSHA256 = "sha256 trailer"
	// CheckBolt: bbolt must open the file and find its pages consistent.
	CheckBolt = "bbolt database"
	// CheckSchema: the database must hold etcd's "key" and "meta" buckets
	// with well-formed revisions.
	CheckSchema = "etcd schema"
)

// trailerSize is the length of the digest etcd appends after the database
// bytes (see the Snapshot RPC in etcd's server/etcdserver/api/v3rpc).
const trailerSize = sha256.Size

// sectorSize is why a snapshot length is "n*512 + 32": bbolt files are whole
// pages, and a page is a multiple of the smallest disk sector.
const sectorSize = 512

// CheckError says which integrity check a snapshot file failed, and why.
type CheckError struct {
	Path  string
	Check string
	Err   error
}

func (e *CheckError) Error() string {
	return fmt.Sprintf("etcd snapshot %s failed the %s check: %v", e.Path, e.Check, e.Err)
}

func (e *CheckError) Unwrap() error { return e.Err }

// hasTrailerSize reports whether a file of n bytes can be a bbolt database
// followed by the sha256 trailer.
func hasTrailerSize(n int64) bool {
	return n >= sectorSize+trailerSize && n%sectorSize == trailerSize
}

// trailerHasher is an io.Writer fed a whole snapshot stream. It hashes
// everything except the most recent 32 bytes, which it holds back as the
// candidate trailer, so the stream is checked without a second pass. The
// same pass gives the whole file's sha256 (wholeSum).
type trailerHasher struct {
	body hash.Hash
	tail []byte
	n    int64
}

func newTrailerHasher() *trailerHasher {
	return &trailerHasher{body: sha256.New(), tail: make([]byte, 0, 2*trailerSize)}
}

func (h *trailerHasher) Write(p []byte) (int, error) {
	h.n += int64(len(p))
	if len(p) >= trailerSize {
		h.body.Write(h.tail)
		h.body.Write(p[:len(p)-trailerSize])
		h.tail = append(h.tail[:0], p[len(p)-trailerSize:]...)
		return len(p), nil
	}
	h.tail = append(h.tail, p...)
	if extra := len(h.tail) - trailerSize; extra > 0 {
		h.body.Write(h.tail[:extra])
		h.tail = append(h.tail[:0], h.tail[extra:]...)
	}
	return len(p), nil
}

// check runs CheckSize and CheckSHA256 on everything written so far.
func (h *trailerHasher) check(path string) error {
	if !hasTrailerSize(h.n) {
		return &CheckError{Path: path, Check: CheckSize, Err: fmt.Errorf(
			"%d bytes is not whole %d-byte sectors plus the %d-byte sha256 trailer etcd appends: "+
				"the file is truncated, or was not taken through the snapshot API",
			h.n, sectorSize, trailerSize)}
	}
	if got := h.body.Sum(nil); !bytes.Equal(got, h.tail) {
		return &CheckError{Path: path, Check: CheckSHA256, Err: fmt.Errorf(
			"the trailer says %s but the %d bytes before it hash to %s: the file is corrupted or truncated",
			hex.EncodeToString(h.tail), h.n-trailerSize, hex.EncodeToString(got))}
	}
	return nil
}

// wholeSum is the sha256 of everything written, trailer included. sha256
// hashes in 64-byte blocks, and the body is whole 512-byte sectors, so the
// state after the body is shared by both digests: a copy of it, fed the
// trailer, gives the whole file's digest without hashing the body twice.
func (h *trailerHasher) wholeSum() ([]byte, error) {
	c, ok := h.body.(hash.Cloner)
	if !ok {
		return nil, fmt.Errorf("sha256 cannot copy its state (%T)", h.body)
	}
	whole, err := c.Clone()
	if err != nil {
		return nil, err
	}
	whole.Write(h.tail)
	return whole.Sum(nil), nil
}
