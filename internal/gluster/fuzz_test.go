package gluster

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seedXML adds every XML fixture whose name contains one of subs.
func seedXML(f *testing.F, subs ...string) {
	matches, err := filepath.Glob("testdata/*.xml.out")
	if err != nil || len(matches) == 0 {
		f.Fatalf("no XML fixtures: %v", err)
	}
	for _, m := range matches {
		for _, s := range subs {
			if strings.Contains(m, s) {
				b, err := os.ReadFile(m)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
				break
			}
		}
	}
	f.Add([]byte(""))
	f.Add([]byte("geo-replication command failed\n"))
	f.Add([]byte("<cliOutput><opRet>x</opRet></cliOutput>"))
	f.Add([]byte("<cliOutput><opRet>0</opRet><geoRep><volume><sessions><session><pair><status>Active</status></pair></session></sessions></volume></geoRep></cliOutput>"))
}

// FuzzParseGeorepStatus: any input either fails to parse or gives sessions
// whose helpers work and whose rollup is consistent; and the sessions,
// written back in either element spelling (GlusterFS >= 10 primary/secondary,
// <= 9 master/slave), read back the same.
func FuzzParseGeorepStatus(f *testing.F) {
	seedXML(f, "georep-status", "georep-start", "georep-create")
	cp := time.Date(2026, 11, 25, 17, 13, 34, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		env, sessions, ok := parsed(data, parseGeorepStatus)
		if !ok {
			return
		}
		for i := range sessions {
			s := &sessions[i]
			if s.Rollup != RollupOf(s.Workers) {
				t.Errorf("rollup %s, recomputed %s", s.Rollup, RollupOf(s.Workers))
			}
			p := s.Pending()
			if p.Entry < 0 || p.Data < 0 || p.Meta < 0 || p.Failures < 0 {
				t.Errorf("negative pending %+v", p)
			}
			_ = s.LastSynced()
			_, _ = s.CheckpointReached(cp)
			_ = progressSignature(s)
			_ = s.Ref.String() + s.Ref.Name() + s.Ref.LogPath()
		}
		for _, g := range []generation{gluster10, gluster9} {
			sameAfterRender(t, g.name, env, sessions, renderGeorepStatus(env, sessions, g), parseGeorepStatus)
		}
	})
}

// FuzzParseGeorepConfig: a session's config, in either generation's keys
// (GlusterFS 9 writes master_*, 10 primary_*), reads back the same.
func FuzzParseGeorepConfig(f *testing.F) {
	seedXML(f, "georep-config")
	f.Add([]byte("<cliOutput><opRet>0</opRet><geoRep><config><a> x </a><b/><x:a>y</x:a></config></geoRep></cliOutput>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if env, config, ok := parsed(data, parseGeorepConfig); ok {
			sameAfterRender(t, "config", env, config, renderGeorepConfig(env, config), parseGeorepConfig)
		}
	})
}

// FuzzParsePeers: `peer status` and `pool list` read back the same, and
// every peer has a name to be found by whenever gluster gave it one.
func FuzzParsePeers(f *testing.F) {
	seedXML(f, "peer-status", "pool-list", "peer-probe")
	f.Fuzz(func(t *testing.T, data []byte) {
		env, peers, ok := parsed(data, parsePeers)
		if !ok {
			return
		}
		for _, p := range peers {
			if p.Hostname != "" && len(p.Hostnames) == 0 {
				t.Errorf("peer %q has no host names", p.Hostname)
			}
			if slices.Contains(p.Hostnames, "") {
				t.Errorf("peer %q has an empty host name: %q", p.Hostname, p.Hostnames)
			}
		}
		sameAfterRender(t, "peers", env, peers, renderPeers(env, peers), parsePeers)
	})
}

// FuzzParseVolumeInfo: volumes, bricks and options read back the same.
func FuzzParseVolumeInfo(f *testing.F) {
	seedXML(f, "volume-info", "volume-create", "volume-start")
	f.Add([]byte(`<cliOutput><opRet>0</opRet><volInfo><volumes><volume><bricks><brick>:</brick><brick>h:/p<name></name></brick></bricks></volume></volumes></volInfo></cliOutput>`))
	f.Add([]byte(`<cliOutput><opRet>0</opRet><volInfo><volumes><volume><bricks><brick>a:b:/c:/d</brick><brick>x:y</brick><brick>nocolon</brick></bricks></volume></volumes></volInfo></cliOutput>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		env, vols, ok := parsed(data, parseVolumeInfo)
		if !ok {
			return
		}
		for _, v := range vols {
			if v.Options == nil {
				t.Error("nil options map")
			}
		}
		sameAfterRender(t, "volume info", env, vols, renderVolumeInfo(env, vols), parseVolumeInfo)
	})
}

// FuzzParseVolumeList: names read back the same; none is empty.
func FuzzParseVolumeList(f *testing.F) {
	seedXML(f, "volume-list")
	f.Fuzz(func(t *testing.T, data []byte) {
		env, names, ok := parsed(data, parseVolumeList)
		if !ok {
			return
		}
		if slices.Contains(names, "") {
			t.Errorf("an empty volume name in %q", names)
		}
		sameAfterRender(t, "volume list", env, names, renderVolumeList(env, names), parseVolumeList)
	})
}

// FuzzParseVolumeStatus: bricks (absolute paths) and daemons (the others)
// read back the same, and a volume whose bricks are all online has some.
func FuzzParseVolumeStatus(f *testing.F) {
	seedXML(f, "volume-status")
	f.Fuzz(func(t *testing.T, data []byte) {
		env, vols, ok := parsed(data, parseVolumeStatus)
		if !ok {
			return
		}
		for i := range vols {
			if vols[i].AllBricksOnline() && len(vols[i].Bricks) == 0 {
				t.Errorf("volume %q: all bricks online without a brick", vols[i].Name)
			}
			for _, b := range vols[i].Bricks {
				if !strings.HasPrefix(b.Path, "/") || b.Port < 0 || b.PID < 0 {
					t.Errorf("brick %+v", b)
				}
			}
		}
		sameAfterRender(t, "volume status", env, vols, renderVolumeStatus(env, vols), parseVolumeStatus)
	})
}

// FuzzParseVolumeGet: option values read back the same.
func FuzzParseVolumeGet(f *testing.F) {
	seedXML(f, "volume-get")
	f.Fuzz(func(t *testing.T, data []byte) {
		if env, opts, ok := parsed(data, parseVolumeGet); ok {
			sameAfterRender(t, "volume get", env, opts, renderVolumeGet(env, opts), parseVolumeGet)
		}
	})
}

// parsed runs the envelope and then parse on data; ok is false when either
// refuses it.
func parsed[T any](data []byte, parse func(*envelope) (T, error)) (*envelope, T, bool) {
	var zero T
	env, err := parseEnvelope(data)
	if err != nil {
		return nil, zero, false
	}
	v, err := parse(env)
	if err != nil {
		return nil, zero, false
	}
	return env, v, true
}

// sameAfterRender parses rendered and requires the envelope and the value
// that env and v were parsed into.
func sameAfterRender[T any](t *testing.T, what string, env *envelope, v T, rendered []byte, parse func(*envelope) (T, error)) {
	t.Helper()
	env2, v2, err := reparse(rendered, parse)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if env2.OpRet != env.OpRet || env2.OpErrno != env.OpErrno || env2.OpErrstr != env.OpErrstr {
		t.Errorf("%s: envelope %d/%d/%q read back as %d/%d/%q", what, env.OpRet, env.OpErrno, env.OpErrstr,
			env2.OpRet, env2.OpErrno, env2.OpErrstr)
	}
	if diff := cmp.Diff(v, v2); diff != "" {
		t.Errorf("%s: read back differently (-parsed +rendered and parsed again):\n%s\nrendered:\n%s", what, diff, rendered)
	}
}

// FuzzParseAuthorizedKeys: key lines with any options never panic, and a
// found key is always "type base64".
func FuzzParseAuthorizedKeys(f *testing.F) {
	f.Add(commonPub)
	f.Add(`command="a \" b" ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB x`)
	f.Add("\"unterminated ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB\n\\")
	f.Fuzz(func(t *testing.T, text string) {
		for k := range parseAuthorizedKeys(text) {
			typ, body, ok := strings.Cut(k, " ")
			if !ok || !isKeyType(typ) || !isBase64(body) {
				t.Errorf("bad key %q", k)
			}
		}
	})
}

func TestRealClock(t *testing.T) {
	var c Clock = realClock{}
	if c.Now().IsZero() {
		t.Error("zero time")
	}
	if err := c.Sleep(context.Background(), time.Millisecond); err != nil {
		t.Error(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err == nil {
		t.Error("Sleep ignored a cancelled context")
	}
	if err := c.Sleep(ctx, 0); err == nil {
		t.Error("Sleep(0) ignored a cancelled context")
	}
}
