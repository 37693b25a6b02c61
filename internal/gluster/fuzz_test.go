package gluster

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
// whose helpers work and whose rollup is consistent; nothing panics.
func FuzzParseGeorepStatus(f *testing.F) {
	seedXML(f, "georep-status", "georep-start", "georep-create")
	cp := time.Date(2026, 11, 25, 17, 13, 34, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := parseEnvelope(data)
		if err != nil {
			return
		}
		sessions, err := parseGeorepStatus(env)
		if err != nil {
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
	})
}

// FuzzParseVolumeInfo: any input either fails to parse or gives volumes;
// nothing panics.
func FuzzParseVolumeInfo(f *testing.F) {
	seedXML(f, "volume-info", "volume-status", "volume-list", "volume-get")
	f.Add([]byte(`<cliOutput><opRet>0</opRet><volInfo><volumes><volume><bricks><brick>:</brick><brick>h:/p<name></name></brick></bricks></volume></volumes></volInfo></cliOutput>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := parseEnvelope(data)
		if err != nil {
			return
		}
		if vols, err := parseVolumeInfo(env); err == nil {
			for _, v := range vols {
				if v.Options == nil {
					t.Error("nil options map")
				}
				for _, b := range v.Bricks {
					_ = b.String()
				}
			}
		}
		if st, err := parseVolumeStatus(env); err == nil {
			for i := range st {
				_ = st[i].AllBricksOnline()
			}
		}
		_, _ = parseVolumeList(env)
		_, _ = parseVolumeGet(env)
		_, _ = parsePeers(env)
		_, _ = parseGeorepConfig(env)
	})
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
