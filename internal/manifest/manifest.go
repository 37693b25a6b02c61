// Package manifest describes the files of a backup set (manifest.json) and
// checks them on a host: Scan and StatPaths read metadata with GNU find,
// HashPaths reads content with sha256sum, and Compare says, file by file and
// in words an operator understands, what did not arrive intact.
//
// A completed geo-replication checkpoint does not prove that the bytes
// arrived (files have arrived empty while gluster reported success), so
// verification never trusts the transport: it reads sizes, hashes and the
// awkward properties (sparseness, hard links, devices, symlinks) back at the
// target and compares them with what was sent.
package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Version is the manifest format written by Encode and accepted by Decode.
const Version = 1

// Entry types.
const (
	TypeFile    = "file"
	TypeDir     = "dir"
	TypeSymlink = "symlink"
	TypeChar    = "char"
	TypeBlock   = "block"
	TypeFIFO    = "fifo"
	TypeSocket  = "socket"
)

var knownTypes = []string{TypeFile, TypeDir, TypeSymlink, TypeChar, TypeBlock, TypeFIFO, TypeSocket}

// Manifest lists every file of a backup set. It is stored as manifest.json
// beside the files it describes.
type Manifest struct {
	Version int       `json:"version"`
	Set     string    `json:"set"`
	Created time.Time `json:"created"`
	// Root is where the set was scanned; informational only, since the set
	// is read back under another root at the target.
	Root    string  `json:"root,omitempty"`
	Entries []Entry `json:"entries"`
}

// Entry is one file, directory or special file, relative to the root.
type Entry struct {
	// Path is relative and slash-separated; it never starts with "/" and
	// has no "", "." or ".." component.
	Path string `json:"path"`
	Type string `json:"type"`
	// Size is st_size for files and symlinks (the target's length), and 0
	// for directories and special files, whose sizes mean nothing across
	// filesystems.
	Size int64 `json:"size"`
	// Mode is the permission bits in octal, four digits ("0644", "4755").
	Mode string `json:"mode"`
	// SHA256 is the content hash, lowercase hex; files only.
	SHA256 string `json:"sha256,omitempty"`
	// Target is a symlink's target, as stored.
	Target string `json:"target,omitempty"`
	// Rdev is "major:minor" in decimal, for char and block devices.
	Rdev string `json:"rdev,omitempty"`
	// Links is the hard link count; not recorded for directories.
	Links int `json:"links,omitempty"`
	// HardLink is set on the second and later paths of a group of paths
	// that share one inode: it names the group's first path in sorted order.
	HardLink string `json:"hard_link,omitempty"`
	// Sparse is true when fewer bytes are allocated than the size.
	Sparse bool `json:"sparse,omitempty"`
	// Allocated is the bytes allocated on disk (st_blocks * 512), files
	// only. Manifests written before it was recorded lack it (0).
	Allocated int64 `json:"allocated,omitempty"`
	// Owner is "uid:gid", numeric: names mean nothing at another site.
	// "" when not recorded (manifests written before it was), and then
	// never compared.
	Owner string `json:"owner,omitempty"`
	// MTime is the modification time, in UTC.
	MTime time.Time `json:"mtime,omitzero"`

	// The fields below come from a live scan and are not stored: they mean
	// nothing on another host, but Compare and Sample use them.

	// CTime is the inode change time, in UTC.
	CTime time.Time `json:"-"`
	// Dev and Inode identify the inode on its host; 0 when unknown.
	Dev   uint64 `json:"-"`
	Inode uint64 `json:"-"`
}

var (
	modeRE = regexp.MustCompile(`^[0-7]{4}$`)
	hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)
	rdevRE = regexp.MustCompile(`^[0-9]+:[0-9]+$`)
	// ownerRE is also a device number's shape: two decimal numbers.
	ownerRE = rdevRE
)

// Encode returns manifest.json's bytes: entries sorted by path, times in
// UTC, indented, with a final newline. The same content always gives the same
// bytes. A manifest that Decode would refuse is refused here as well.
func (m *Manifest) Encode() ([]byte, error) {
	c := *m
	if c.Version == 0 {
		c.Version = Version
	}
	c.Created = c.Created.UTC()
	c.Entries = slices.Clone(m.Entries)
	SortEntries(c.Entries)
	for i := range c.Entries {
		c.Entries[i].MTime = c.Entries[i].MTime.UTC()
	}
	if c.Entries == nil {
		c.Entries = []Entry{}
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&c); err != nil {
		return nil, fmt.Errorf("manifest: encode set %q: %w", c.Set, err)
	}
	return buf.Bytes(), nil
}

// Decode parses and validates manifest.json. It refuses unknown fields,
// unsafe or unsorted paths, unknown types and malformed hashes, so that a
// damaged or hand-edited manifest fails loudly instead of verifying nothing.
func Decode(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest: decode: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("manifest: decode: trailing data after the manifest")
	}
	if m.Entries == nil {
		return nil, errors.New("manifest: decode: the entries list is missing")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	for i := 1; i < len(m.Entries); i++ {
		if m.Entries[i-1].Path >= m.Entries[i].Path {
			return nil, fmt.Errorf("manifest: entries are not sorted by path: %q comes after %q",
				m.Entries[i].Path, m.Entries[i-1].Path)
		}
	}
	return &m, nil
}

// Validate checks the manifest's header and every entry.
func (m *Manifest) Validate() error {
	if m.Version != Version {
		return fmt.Errorf("manifest: version %d is not supported (this build reads version %d)", m.Version, Version)
	}
	if m.Set == "" {
		return errors.New("manifest: the set name is empty")
	}
	if err := checkTime(m.Created); err != nil {
		return fmt.Errorf("manifest: created: %w", err)
	}
	byPath := make(map[string]*Entry, len(m.Entries))
	for i := range m.Entries {
		e := &m.Entries[i]
		if err := e.validate(); err != nil {
			return err
		}
		if byPath[e.Path] != nil {
			return fmt.Errorf("manifest: entry %q appears twice", e.Path)
		}
		byPath[e.Path] = e
	}
	for _, e := range m.Entries {
		if e.HardLink == "" {
			continue
		}
		first := byPath[e.HardLink]
		switch {
		case first == nil:
			return fmt.Errorf("manifest: entry %q: hard_link %q is not in the manifest", e.Path, e.HardLink)
		case first.HardLink != "" || first.Path >= e.Path:
			return fmt.Errorf("manifest: entry %q: hard_link %q is not the first path of its group", e.Path, e.HardLink)
		case first.Type != e.Type:
			return fmt.Errorf("manifest: entry %q: hard_link %q is a %s, not a %s", e.Path, e.HardLink, first.Type, e.Type)
		}
	}
	return nil
}

func (e *Entry) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("manifest: entry %q: "+format, append([]any{e.Path}, args...)...)
	}
	if err := CheckPath(e.Path); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	if !utf8.ValidString(e.Path) {
		return bad("path is not valid UTF-8; JSON cannot carry it")
	}
	if !slices.Contains(knownTypes, e.Type) {
		return bad("unknown type %q (want one of %s)", e.Type, strings.Join(knownTypes, ", "))
	}
	if !modeRE.MatchString(e.Mode) {
		return bad("mode %q is not four octal digits", e.Mode)
	}
	if e.Size < 0 || e.Links < 0 || e.Allocated < 0 {
		return bad("negative size, allocation or link count")
	}
	if e.Owner != "" && !ownerRE.MatchString(e.Owner) {
		return bad("owner %q is not uid:gid", e.Owner)
	}
	if err := checkTime(e.MTime); err != nil {
		return bad("mtime: %v", err)
	}
	switch {
	case e.Type == TypeFile && !hashRE.MatchString(e.SHA256):
		return bad("sha256 %q is not 64 lowercase hex digits", e.SHA256)
	case e.Type != TypeFile && e.SHA256 != "":
		return bad("a %s has no sha256", e.Type)
	case e.Type == TypeSymlink && e.Target == "":
		return bad("symlink without a target")
	case e.Type != TypeSymlink && e.Target != "":
		return bad("a %s has no symlink target", e.Type)
	case e.Type == TypeSymlink && (!utf8.ValidString(e.Target) || strings.ContainsRune(e.Target, 0)):
		return bad("symlink target is not valid UTF-8; JSON cannot carry it")
	case (e.Type == TypeChar || e.Type == TypeBlock) && !rdevRE.MatchString(e.Rdev):
		return bad("device number %q is not major:minor", e.Rdev)
	case e.Type != TypeChar && e.Type != TypeBlock && e.Rdev != "":
		return bad("a %s has no device number", e.Type)
	case e.Type == TypeDir && (e.HardLink != "" || e.Sparse):
		return bad("a directory cannot be a hard link or sparse")
	case e.HardLink != "":
		if err := CheckPath(e.HardLink); err != nil {
			return bad("hard_link: %v", err)
		}
	}
	return nil
}

// checkTime refuses a time that manifest.json cannot carry: JSON holds
// RFC 3339 times, whose year in UTC is 0 to 9999.
func checkTime(t time.Time) error {
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return fmt.Errorf("%s is in the year %d (UTC), outside 0 to 9999", t.Format(time.RFC3339Nano), y)
	}
	return nil
}

// CheckPath reports whether p is a safe relative path: not empty, not
// absolute, and free of NUL and of "", "." and ".." components. A manifest
// also needs valid UTF-8, which JSON carries unchanged; a scan does not.
func CheckPath(p string) error {
	switch {
	case p == "":
		return errors.New("empty path")
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("path %q is absolute", p)
	case strings.ContainsRune(p, 0):
		return fmt.Errorf("path %q contains a NUL byte", p)
	}
	for part := range strings.SplitSeq(p, "/") {
		if part == "" || part == "." || part == ".." {
			return fmt.Errorf("path %q has an empty, \".\" or \"..\" component", p)
		}
	}
	return nil
}

// SortEntries sorts entries by path, byte-wise.
func SortEntries(entries []Entry) {
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
}
