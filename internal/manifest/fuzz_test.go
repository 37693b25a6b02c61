package manifest

import (
	"bytes"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecode feeds Decode any bytes, as a damaged or hand-edited
// manifest.json at a site would be. Whatever it accepts:
//   - names only paths that stay inside the set's folder when joined to it
//     (verification reads every entry and every hard link there);
//   - is valid, and Encode writes it back to bytes that Decode reads into
//     the same manifest;
//   - is written by Encode in one canonical form: encoding the manifest read
//     back gives the same bytes again.
func FuzzDecode(f *testing.F) {
	h := strings.Repeat("0123456789abcdef", 4)
	good := &Manifest{Version: Version, Set: "20261125T020000Z-sdsc", Created: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC),
		Root: "/var/glfs/global/backup/20261125T020000Z-sdsc", Entries: []Entry{
			{Path: "a", Type: TypeDir, Mode: "0755"},
			{Path: "a/new\nline", Type: TypeFile, Size: 3, Mode: "0600", SHA256: h, Links: 2,
				MTime: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)},
			{Path: "a/x", Type: TypeFile, Size: 3, Mode: "0600", SHA256: h, Links: 2, HardLink: "a/new\nline"},
			{Path: "dev", Type: TypeChar, Mode: "0666", Rdev: "1:3"},
			{Path: "link", Type: TypeSymlink, Size: 6, Mode: "0777", Target: "../../etc"},
			{Path: "sparse", Type: TypeFile, Size: 1 << 30, Mode: "4755", SHA256: h, Sparse: true},
		}}
	encoded, err := good.Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(encoded)
	f.Add(bytes.Replace(encoded, []byte(`"created": "2026-11-25T02:00:00Z"`), []byte(`"created": "9999-12-31T23:00:00-05:00"`), 1))
	f.Add([]byte(`{"version":1,"set":"s","created":"2026-11-25T02:00:00+14:00","entries":[{"path":"a/../b","type":"dir","mode":"0755"}]}`))
	f.Add([]byte(`{"version":1,"set":"s","created":"0001-01-01T00:00:00Z","entries":null}` + "\n"))
	f.Add([]byte(`{"version":1,"set":"s","entries":[{"path":"b","type":"file","mode":"0644","sha256":"` + h + `","hard_link":"a"}]} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		for _, e := range m.Entries {
			for _, p := range []string{e.Path, e.HardLink} {
				if p != "" && (!filepath.IsLocal(p) || path.Clean(p) != p) {
					t.Fatalf("Decode accepted the path %q, which leaves the set's folder or is not clean", p)
				}
			}
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("Decode returned a manifest that Validate refuses: %v", err)
		}
		out, err := m.Encode()
		if err != nil {
			t.Fatalf("Decode accepted a manifest that Encode refuses: %v", err)
		}
		again, err := Decode(out)
		if err != nil {
			t.Fatalf("Decode refuses what Encode wrote: %v\n%s", err, out)
		}
		if diff := cmp.Diff(m, again); diff != "" {
			t.Fatalf("read back differently (-decoded +encoded and decoded again):\n%s", diff)
		}
		if out2, err := again.Encode(); err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("Encode is not canonical (err %v):\n%s\n%s", err, out, out2)
		}
	})
}
