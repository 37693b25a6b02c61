package valid

import (
	"strings"
	"testing"
	"time"
)

func TestRules(t *testing.T) {
	long := strings.Repeat("a", 65536)
	cases := []struct {
		rule  string
		check func(string) error
		ok    []string
		bad   map[string]string // value -> part of the error
	}{
		{"Path", Path, []string{"/var/lib/glusterdr", "/a b/ü", "/" + strings.Repeat("x", 255)},
			map[string]string{"": "empty", "var/lib": "not an absolute path", "/": "root directory",
				"/var/../etc": `not a clean path; write "/etc"`, "/var/": "not a clean path", "//var": "not a clean path",
				"/var/lib\n/etc": "control character U+000A", "/a\x00": "U+0000", "/\xff": "not valid UTF-8",
				"/a\u202eb": "format character U+202E", "/" + long: "longer than 4095 bytes",
				"/" + strings.Repeat("x", 256): "component longer than 255"}},
		{"LocalPath", LocalPath, []string{"schedule.hcl", "../x", "~/.ssh/id", "/etc/x", "$(id)", "a b"},
			map[string]string{"": "empty", "-oX": "starts with '-'", "a\nb": "U+000A", "\xfe": "UTF-8", long: "longer"}},
		{"Line", Line, []string{"", "a;b $(c) `d` | e", "--x", "ünïcode"},
			map[string]string{"a\rb": "U+000D", "\x1b[31m": "U+001B", "a\u0085b": "U+0085", "a\u2028b": "U+2028",
				"a\u200bb": "U+200B", long: "longer than 4096"}},
		{"TargetName", TargetName, []string{"sdsc", "tacc-2", "a_b", strings.Repeat("a", 64)},
			map[string]string{"": "empty", "SDSC": "holds 'S'", "-x": "starts with '-'", "../x": "holds '.'",
				"a/b": "holds '/'", strings.Repeat("a", 65): "longer than 64", "ѕdsc": "holds 'ѕ'"}},
		{"SetID", func(s string) error { _, _, err := SetID(s); return err }, []string{"20261125T020000Z-sdsc", "20261125T020000Z-tacc-2"},
			map[string]string{"20261125T020000Z-": "empty", "20261125T020000Z-..": "holds '.'",
				"20261125T020000Z-sdsc/../../etc": "holds '/'", "20261125T020000Z": "not a backup set ID",
				"2026-11-25-sdsc": "timestamp", "20261125T020000Z-sdsc\n": "holds '\\n'"}},
		{"Subtree", Subtree, []string{"", "/", "home/alice", "/home/alice", "home/", "a b/$(x)"},
			map[string]string{"..": "not a clean path", "../etc": "not a clean path", "home/../../etc": "not a clean path",
				"home//x": "not a clean path", "./x": "not a clean path", "-x": "starts with '-'", "a\nb": "U+000A"}},
		{"Endpoint", Endpoint, []string{"http://127.0.0.1:2379", "https://[2001:db8::1]:2379"},
			map[string]string{"127.0.0.1:2379": "not an http", "ftp://x": "not an http", "http://": "not an http",
				"http://x\n": "U+000A"}},
		{"EtcdName", EtcdName, []string{"default", "p1", "etcd-1.example", "A_b"},
			map[string]string{"": "empty", "-x": "does not start", "a=b": "holds '='", "a,b": "holds ','", ".x": "does not start"}},
		{"EtcdCluster", EtcdCluster, []string{"", "a=http://h:2380", "a=http://h:2380,b=https://i:2380"},
			map[string]string{"a": "not name=url", "a=h:2380": "not an http", "=http://h:2380": "empty", "a=http://h,": "not name=url"}},
		{"ParseDuration", func(s string) error { _, err := ParseDuration(s); return err }, []string{"1s", "2h", "168h"},
			map[string]string{"0s": "not positive", "-5m": "not positive", "169h": "longer than 168h", "5 hours": "not a duration",
				"9999999999h": "not a duration"}},
	}
	for _, c := range cases {
		for _, v := range c.ok {
			if err := c.check(v); err != nil {
				t.Errorf("%s(%s): %v", c.rule, Quote(v), err)
			}
		}
		for v, want := range c.bad {
			err := c.check(v)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s(%s) = %v, want an error saying %q", c.rule, Quote(v), err, want)
			}
			if err != nil && len(err.Error()) > 400 {
				t.Errorf("%s(%s): the message is %d bytes long", c.rule, Quote(v), len(err.Error()))
			}
		}
	}
}

func TestArgv(t *testing.T) {
	for _, ok := range [][]string{{"kubectl", "get", "-o", "json"}, {"sh", "-c", "echo $HOME\nexit 1", ""}} {
		if err := Argv(ok); err != nil {
			t.Errorf("Argv(%q): %v", ok, err)
		}
	}
	for _, bad := range [][]string{nil, {""}, {"-x"}, {"a\nb"}, {"sh", "a\x00b"}, {"sh", "\xff"}, {"sh", strings.Repeat("a", MaxArgLen+1)}} {
		if err := Argv(bad); err == nil {
			t.Errorf("Argv(%q) passed", bad)
		}
	}
}

func TestSetIDReadsTimeAndTarget(t *testing.T) {
	at, target, err := SetID("20261125T020000Z-tacc-2")
	if err != nil || !at.Equal(time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)) || target != "tacc-2" {
		t.Errorf("SetID = %v %q %v", at, target, err)
	}
}

func TestQuoteCutsLongValues(t *testing.T) {
	if got := Quote(strings.Repeat("a", 65)); got != `"`+strings.Repeat("a", 64)+`"… (65 bytes)` {
		t.Errorf("Quote = %s", got)
	}
	if got := Quote("a\nb"); got != `"a\nb"` {
		t.Errorf("Quote = %s", got)
	}
}

func TestCount(t *testing.T) {
	if Count(0, 0, 1000) != nil || Count(1000, 0, 1000) != nil || Count(-1, 0, 1000) == nil || Count(1001, 0, 1000) == nil {
		t.Error("Count bounds")
	}
}
