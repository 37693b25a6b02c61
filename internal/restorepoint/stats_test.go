package restorepoint

import "testing"

func TestParseRsyncStats(t *testing.T) {
	for name, out := range map[string]string{
		"plain digits (--no-human-readable)": "\nNumber of files: 20013 (reg: 20000, dir: 13)\nNumber of created files: 20013\nTotal file size: 81920000 bytes\nTotal transferred file size: 819200 bytes\n",
		"thousands separators":               "Number of files: 20,013 (reg: 20,000, dir: 13)\nTotal file size: 81,920,000 bytes\n",
	} {
		st, err := parseRsyncStats([]byte(out))
		if err != nil || st.files != 20000 || st.bytes != 81920000 {
			t.Errorf("%s: %+v, %v", name, st, err)
		}
	}
	if _, err := parseRsyncStats([]byte("rsync: something else\n")); err == nil {
		t.Error("output without a summary was accepted")
	}
}

func TestParseDu(t *testing.T) {
	got, err := parseDu([]byte("1000\t/s/a\n250\t/s/b\n1250\ttotal\n"))
	if err != nil || got["/s/b"] != 250 || got["total"] != 1250 {
		t.Errorf("parseDu = %v, %v", got, err)
	}
	for _, bad := range []string{"1000 /s/a\n", "12\t/s/a\n"} {
		if _, err := parseDu([]byte(bad)); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}
