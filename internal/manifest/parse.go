package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// findFormat is find's -printf format: one record per file, every field
// ended by NUL, so that names holding newlines or backslashes come through
// as they are. %p (not %P) serves both Scan and StatPaths' start points.
//
//	%y type  %D st_dev  %i inode  %n links  %m perms (octal)  %s size
//	%b 512-byte blocks  %T@ mtime  %C@ ctime  %p path  %l symlink target
//	%U uid  %G gid (numeric)
const findFormat = `%y\0%D\0%i\0%n\0%m\0%s\0%b\0%T@\0%C@\0%p\0%l\0%U\0%G\0`

const findFields = 13

// findTypes maps find's %y letters to entry types.
var findTypes = map[byte]string{
	'f': TypeFile, 'd': TypeDir, 'l': TypeSymlink, 'c': TypeChar,
	'b': TypeBlock, 'p': TypeFIFO, 's': TypeSocket,
}

// record is one file as find printed it; Path is the full path.
type record struct {
	Entry
	full string
}

// parseFind parses find's output in findFormat. Any output that does not
// fit (a field count off by one, an unknown type, a bad number) is an error
// rather than a guess.
func parseFind(out []byte) ([]record, error) {
	if len(out) == 0 {
		return nil, nil
	}
	if out[len(out)-1] != 0 {
		return nil, errors.New("output does not end with NUL (truncated?)")
	}
	fields := bytes.Split(out[:len(out)-1], []byte{0})
	if len(fields)%findFields != 0 {
		return nil, fmt.Errorf("%d NUL-separated fields is not a whole number of %d-field records", len(fields), findFields)
	}
	recs := make([]record, 0, len(fields)/findFields)
	for i := 0; i < len(fields); i += findFields {
		rec, err := parseRecord(fields[i : i+findFields])
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i/findFields+1, err)
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

func parseRecord(f [][]byte) (record, error) {
	var rec record
	if len(f[0]) != 1 || findTypes[f[0][0]] == "" {
		return rec, fmt.Errorf("unknown file type %q", f[0])
	}
	rec.Type = findTypes[f[0][0]]
	rec.full = string(f[9])
	if rec.full == "" {
		return rec, errors.New("empty path")
	}
	var err error
	num := func(b []byte, what string, bits int) uint64 {
		v, e := strconv.ParseUint(string(b), 10, bits)
		if e != nil && err == nil {
			err = fmt.Errorf("%s of %q: %q is not a number", what, rec.full, b)
		}
		return v
	}
	rec.Dev = num(f[1], "device", 64)
	rec.Inode = num(f[2], "inode", 64)
	rec.Links = int(num(f[3], "link count", 31))
	size := int64(num(f[5], "size", 63))
	blocks := int64(num(f[6], "block count", 53))
	uid, gid := num(f[11], "uid", 32), num(f[12], "gid", 32)
	perm, e := strconv.ParseUint(string(f[4]), 8, 12)
	if e != nil && err == nil {
		err = fmt.Errorf("mode of %q: %q is not octal permission bits", rec.full, f[4])
	}
	if err != nil {
		return rec, err
	}
	rec.Mode = fmt.Sprintf("%04o", perm)
	rec.Owner = fmt.Sprintf("%d:%d", uid, gid)
	if rec.MTime, err = parseEpoch(string(f[7])); err != nil {
		return rec, fmt.Errorf("mtime of %q: %w", rec.full, err)
	}
	if rec.CTime, err = parseEpoch(string(f[8])); err != nil {
		return rec, fmt.Errorf("ctime of %q: %w", rec.full, err)
	}
	switch rec.Type {
	case TypeFile:
		rec.Size = size
		rec.Allocated = blocks * 512
		rec.Sparse = rec.Allocated < size
	case TypeSymlink:
		rec.Size = size
		rec.Target = string(f[10])
		if rec.Target == "" {
			return rec, fmt.Errorf("symlink %q without a target", rec.full)
		}
	}
	if rec.Type == TypeDir {
		rec.Links = 0
	} else if len(f[10]) > 0 && rec.Type != TypeSymlink {
		return rec, fmt.Errorf("a %s %q with a symlink target", rec.Type, rec.full)
	}
	return rec, nil
}

// parseEpoch parses find's %T@: seconds since the epoch with a fraction,
// e.g. "1795630292.0526567710", and returns it in UTC.
func parseEpoch(s string) (time.Time, error) {
	secStr, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(secStr, "-")
	sec, err := strconv.ParseInt(secStr, 10, 64)
	if err != nil || secStr == "" || secStr[0] == '+' {
		return time.Time{}, fmt.Errorf("%q is not a time in seconds", s)
	}
	var nsec int64
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		frac += strings.Repeat("0", 9-len(frac))
		n, err := strconv.ParseUint(frac, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a time in seconds", s)
		}
		nsec = int64(n)
	}
	if neg {
		nsec = -nsec
	}
	return time.Unix(sec, nsec).UTC(), nil
}

// statRdevFormat makes GNU stat print major and minor (hex) and the name.
const statRdevFormat = `%t\0%T\0%n\0`

// parseRdev parses stat's output in statRdevFormat into name -> "major:minor"
// in decimal.
func parseRdev(out []byte) (map[string]string, error) {
	devs := make(map[string]string)
	if len(out) == 0 {
		return devs, nil
	}
	if out[len(out)-1] != 0 {
		return nil, errors.New("output does not end with NUL (truncated?)")
	}
	fields := bytes.Split(out[:len(out)-1], []byte{0})
	if len(fields)%3 != 0 {
		return nil, fmt.Errorf("%d NUL-separated fields is not a whole number of 3-field records", len(fields))
	}
	for i := 0; i < len(fields); i += 3 {
		major, err1 := strconv.ParseUint(string(fields[i]), 16, 32)
		minor, err2 := strconv.ParseUint(string(fields[i+1]), 16, 32)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("device number %q:%q of %q is not hex", fields[i], fields[i+1], fields[i+2])
		}
		devs[string(fields[i+2])] = fmt.Sprintf("%d:%d", major, minor)
	}
	return devs, nil
}

// sum is one line of sha256sum -z: the hash and the name as given.
type sum struct{ hash, name string }

// parseSums parses `sha256sum -z` output: "HASH  NAME\0" per file ("HASH
// *NAME" in binary mode). With -z the name is printed as it is, newlines and
// backslashes included.
func parseSums(out []byte) ([]sum, error) {
	if len(out) == 0 {
		return nil, nil
	}
	if out[len(out)-1] != 0 {
		return nil, errors.New("output does not end with NUL (truncated?)")
	}
	lines := bytes.Split(out[:len(out)-1], []byte{0})
	sums := make([]sum, 0, len(lines))
	for i, line := range lines {
		if len(line) < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*') ||
			!hashRE.Match(line[:64]) {
			return nil, fmt.Errorf("line %d is not \"<sha256>  <name>\": %q", i+1, truncate(line, 100))
		}
		sums = append(sums, sum{hash: string(line[:64]), name: string(line[66:])})
	}
	return sums, nil
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
