package manifest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

func manyPaths(n int) []string {
	paths := make([]string, n)
	for i := range paths {
		paths[i] = fmt.Sprintf("volumes/pvc-%04d/it's a rather long file name, quoted-%05d.dat", i%97, i)
	}
	return paths
}

// checkBatches asserts that the recorded commands stay under the limit and
// carry every path exactly once.
func checkBatches(t *testing.T, cmds [][]string, root string, paths []string) {
	t.Helper()
	if len(cmds) < 2 {
		t.Fatalf("%d paths went in %d command(s); want several", len(paths), len(cmds))
	}
	seen := make(map[string]int)
	for _, argv := range cmds {
		if n := len(remote.Quote(argv)); n > maxCommandBytes {
			t.Errorf("a command is %d bytes quoted, over the %d limit", n, maxCommandBytes)
		}
		for _, a := range argv {
			if rel, ok := strings.CutPrefix(a, root+"/"); ok {
				seen[rel]++
			}
		}
	}
	for _, p := range paths {
		if seen[p] != 1 {
			t.Errorf("%q was passed %d times", p, seen[p])
		}
	}
}

func TestHashPathsBatchesUnderTheLimit(t *testing.T) {
	paths := manyPaths(10000)
	rec := &recorder{respond: fakeSha256sum}
	sums, err := HashPaths(context.Background(), rec, "/var/glfs/global", paths)
	if err != nil {
		t.Fatal(err)
	}
	if argv := rec.cmds[0]; !slices.Equal(argv, []string{"nproc"}) {
		t.Errorf("first command %q, want nproc: the batches run one per processor", argv)
	}
	hashing := rec.cmds[1:]
	checkBatches(t, hashing, "/var/glfs/global", paths)
	if len(sums) != len(paths) || sums[paths[42]] != hashOf([]byte("/var/glfs/global/"+paths[42])) {
		t.Errorf("got %d hashes, want %d, each for its own path", len(sums), len(paths))
	}
	for _, argv := range hashing {
		if strings.Join(argv[:5], " ") != "env LC_ALL=C sha256sum -z --" {
			t.Errorf("command starts %q", argv[:5])
		}
	}
}

func TestStatPathsBatchesAndToleratesMissing(t *testing.T) {
	paths := manyPaths(10000)
	rec := &recorder{respond: func(argv []string) (remote.Result, error) {
		// Nothing exists: find prints nothing and says so per path.
		var stderr strings.Builder
		for _, a := range argv {
			if strings.HasPrefix(a, "/") {
				fmt.Fprintf(&stderr, "find: '%s': No such file or directory\n", a)
			}
		}
		res := remote.Result{Stderr: []byte(stderr.String()), ExitCode: 1}
		return res, &remote.CommandError{Host: "fakehost", Argv: argv, ExitCode: 1, Stderr: stderr.String()}
	}}
	got, err := StatPaths(context.Background(), rec, "/var/glfs/global", paths)
	if err != nil || len(got) != 0 {
		t.Fatalf("got %d entries, err %v; want none and no error", len(got), err)
	}
	checkBatches(t, rec.cmds, "/var/glfs/global", paths)
}

func TestStatPathsFailsOnOtherErrors(t *testing.T) {
	rec := &recorder{respond: func(argv []string) (remote.Result, error) {
		stderr := "find: '/v/a': Permission denied\n"
		return remote.Result{Stderr: []byte(stderr), ExitCode: 1},
			&remote.CommandError{Host: "fakehost", Argv: argv, ExitCode: 1, Stderr: stderr}
	}}
	_, err := StatPaths(context.Background(), rec, "/v", []string{"a"})
	if err == nil || !strings.Contains(err.Error(), "Permission denied") || !strings.Contains(err.Error(), "fakehost") {
		t.Errorf("error %v, want one naming the host and quoting stderr", err)
	}
}

func TestHashPathsRefusesOutputItDidNotAskFor(t *testing.T) {
	rec := &recorder{respond: func(argv []string) (remote.Result, error) {
		return remote.Result{Stdout: []byte(strings.Repeat("a", 64) + "  /v/other\x00")}, nil
	}}
	_, err := HashPaths(context.Background(), rec, "/v", []string{"a"})
	if err == nil || !strings.Contains(err.Error(), "fakehost") || !strings.Contains(err.Error(), "sha256sum -z -- /v/a") {
		t.Errorf("error %v, want one naming the host and the command", err)
	}
}

func TestBatchRefusesAPathLongerThanACommand(t *testing.T) {
	if _, err := batch([]string{"sha256sum"}, []string{strings.Repeat("x", maxCommandBytes)}, maxCommandBytes); err == nil {
		t.Error("a path longer than the limit was accepted")
	}
	b, err := batch([]string{"x"}, nil, maxCommandBytes)
	if err != nil || len(b) != 0 {
		t.Errorf("no paths gave %d batches (err %v); want none, so that nothing runs", len(b), err)
	}
}
