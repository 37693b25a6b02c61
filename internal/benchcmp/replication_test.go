package benchcmp

import "testing"

func TestTreeLabel(t *testing.T) {
	for _, tc := range []struct {
		files int
		size  int64
		want  string
	}{
		{2000, 50_000, "100 MB in 2000 files of 50 kB"},
		{20, 50_000, "1 MB in 20 files of 50 kB"},
		{200, 100_000, "20 MB in 200 files of 100 kB"},
		{1, 1 << 30, "1024 MiB in one file"},
	} {
		if got := treeLabel(tc.files, tc.size); got != tc.want {
			t.Errorf("treeLabel(%d, %d) = %q, want %q", tc.files, tc.size, got, tc.want)
		}
	}
}
