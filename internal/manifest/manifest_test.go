package manifest

import (
	"bytes"
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func scannedManifest(t *testing.T) *Manifest {
	t.Helper()
	dir := t.TempDir()
	buildTree(t, dir)
	entries, err := Scan(context.Background(), local, dir, ScanOptions{Hash: true})
	if err != nil {
		t.Fatal(err)
	}
	return &Manifest{
		Set:     "20261125T023000Z-tacc",
		Created: time.Date(2026, 11, 25, 3, 30, 0, 0, time.FixedZone("CET", 3600)),
		Root:    dir,
		Entries: entries,
	}
}

// stored keeps only what manifest.json holds.
func stored(entries []Entry) []Entry {
	out := slices.Clone(entries)
	for i := range out {
		out[i].CTime, out[i].Dev, out[i].Inode = time.Time{}, 0, 0
	}
	return out
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	m := scannedManifest(t)
	data, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Version != Version || back.Set != m.Set || back.Root != m.Root || !back.Created.Equal(m.Created) {
		t.Errorf("header %d %q %q %v, want %d %q %q %v", back.Version, back.Set, back.Root, back.Created, Version, m.Set, m.Root, m.Created)
	}
	if !slices.Equal(back.Entries, stored(m.Entries)) {
		t.Errorf("entries differ after the round trip:\n%+v\n%+v", back.Entries, stored(m.Entries))
	}
	again, err := back.Encode()
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("re-encoding the decoded manifest changed its bytes (err %v)", err)
	}
	for _, field := range []string{`"version": 1`, `"created": "2026-11-25T02:30:00Z"`, `"hard_link": "links/a"`,
		`"sparse": true`, `"path": "new\nline"`, `"mode": "0600"`, `"target": "plain.txt"`} {
		if !bytes.Contains(data, []byte(field)) {
			t.Errorf("manifest.json lacks %s", field)
		}
	}
	if bytes.Contains(data, []byte("ctime")) || bytes.Contains(data, []byte("inode")) {
		t.Error("manifest.json holds host-specific fields")
	}
}

func TestEncodeIsDeterministic(t *testing.T) {
	m := scannedManifest(t)
	first, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		shuffled := *m
		shuffled.Entries = slices.Clone(m.Entries)
		rng.Shuffle(len(shuffled.Entries), func(i, j int) {
			shuffled.Entries[i], shuffled.Entries[j] = shuffled.Entries[j], shuffled.Entries[i]
		})
		got, err := shuffled.Encode()
		if err != nil || !bytes.Equal(got, first) {
			t.Fatalf("the same entries in another order encode differently (err %v)", err)
		}
	}
	if !slices.IsSortedFunc(m.Entries, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) }) {
		t.Error("Encode reordered the caller's entries")
	}
}

func TestDecodeRefusesBadManifests(t *testing.T) {
	hash := strings.Repeat("0", 64)
	entry := func(fields string) string {
		return `{"version":1,"set":"s","created":"2026-11-25T02:30:00Z","entries":[` + fields + `]}`
	}
	file := func(path string) string {
		return `{"path":"` + path + `","type":"file","size":1,"mode":"0644","sha256":"` + hash + `"}`
	}
	tests := map[string]string{
		"parent path":        entry(file("../x")),
		"parent inside":      entry(file("a/../../x")),
		"absolute":           entry(file("/etc/passwd")),
		"empty component":    entry(file("a//b")),
		"dot":                entry(file("./a")),
		"empty path":         entry(file("")),
		"short hash":         entry(`{"path":"a","type":"file","size":1,"mode":"0644","sha256":"` + hash[1:] + `"}`),
		"uppercase hash":     entry(`{"path":"a","type":"file","size":1,"mode":"0644","sha256":"` + strings.Repeat("A", 64) + `"}`),
		"non-hex hash":       entry(`{"path":"a","type":"file","size":1,"mode":"0644","sha256":"` + strings.Repeat("g", 64) + `"}`),
		"file without hash":  entry(`{"path":"a","type":"file","size":1,"mode":"0644"}`),
		"hash on a dir":      entry(`{"path":"a","type":"dir","size":0,"mode":"0755","sha256":"` + hash + `"}`),
		"unknown type":       entry(`{"path":"a","type":"door","size":0,"mode":"0644"}`),
		"three-digit mode":   entry(`{"path":"a","type":"dir","size":0,"mode":"755"}`),
		"symlink no target":  entry(`{"path":"a","type":"symlink","size":0,"mode":"0777"}`),
		"device no rdev":     entry(`{"path":"a","type":"char","size":0,"mode":"0644"}`),
		"bad rdev":           entry(`{"path":"a","type":"block","size":0,"mode":"0644","rdev":"8"}`),
		"negative size":      entry(`{"path":"a","type":"file","size":-1,"mode":"0644","sha256":"` + hash + `"}`),
		"duplicate":          entry(file("a") + "," + file("a")),
		"unsorted":           entry(file("b") + "," + file("a")),
		"link to nothing":    entry(`{"path":"b","type":"file","size":1,"mode":"0644","sha256":"` + hash + `","hard_link":"a"}`),
		"link to later path": entry(file("a") + `,{"path":"b","type":"file","size":1,"mode":"0644","sha256":"` + hash + `","hard_link":"c"},` + file("c")),
		"unknown field":      entry(`{"path":"a","type":"dir","size":0,"mode":"0755","colour":"red"}`),
		"version 2":          `{"version":2,"set":"s","entries":[]}`,
		"no set":             `{"version":1,"set":"","entries":[]}`,
		"trailing data":      entry(file("a")) + `{}`,
		"not json":           `version: 1`,
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if m, err := Decode([]byte(data)); err == nil {
				t.Errorf("accepted: %+v", m.Entries)
			}
		})
	}
	if _, err := Decode([]byte(entry(file("a") + "," + file("b/c")))); err != nil {
		t.Errorf("a good manifest was refused: %v", err)
	}
}

func TestEncodeRefusesWhatJSONCannotCarry(t *testing.T) {
	m := &Manifest{Set: "s", Entries: []Entry{{Path: "bad-\xff", Type: TypeDir, Mode: "0755"}}}
	if _, err := m.Encode(); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("a non-UTF-8 name was encoded (err %v); JSON would replace its bytes", err)
	}
	m = &Manifest{Set: "s", Entries: []Entry{{Path: "f", Type: TypeFile, Mode: "0644"}}}
	if _, err := m.Encode(); err == nil {
		t.Error("a file without a hash was encoded")
	}
}
