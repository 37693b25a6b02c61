package manifest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// awkwardNames are regular files whose names break naive parsers.
var awkwardNames = []string{
	"with space.txt",
	"new\nline",
	"tab\there",
	`quote'"s`,
	"-leading-dash",
	`back\slash`,
	`\starts-with-backslash`,
	"ünïcödé-文件.txt",
	"glob*[1]?",
	"trailing space ",
	"a: colon",
}

// sparseSize is the size of tree's sparse.img, of which only the last
// block is written.
const sparseSize = 1 << 20

// buildTree writes, under dir, the files every test here works on: the
// awkward names, an empty file, a sparse file, a 64 KiB file, a hard link
// pair, a symlink, a FIFO and a private file. It returns the content of each
// regular file by relative path.
func buildTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{
		"plain.txt":       []byte("hello\n"),
		"empty":           {},
		"data/big.bin":    bytes.Repeat([]byte("0123456789abcdef"), 4096),
		"links/a":         []byte("linked content\n"),
		"secret":          []byte("s3cret\n"),
		"excluded/x":      []byte("not in the scan\n"),
		"excluded-not/x":  []byte("in the scan\n"),
		"deep/er/est/f.c": []byte("int main(void) { return 0; }\n"),
	}
	for i, name := range awkwardNames {
		files[name] = []byte{'c', byte('0' + i), '\n', '\\', 0, 0xff}
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, content, 0o644))
		must(t, os.Chmod(p, 0o644))
	}
	must(t, os.Chmod(filepath.Join(dir, "secret"), 0o600))
	must(t, os.Link(filepath.Join(dir, "links/a"), filepath.Join(dir, "links/b")))
	files["links/b"] = files["links/a"]
	must(t, os.Symlink("plain.txt", filepath.Join(dir, "sym")))
	must(t, syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644))
	must(t, os.Chmod(filepath.Join(dir, "fifo"), 0o644))

	f, err := os.Create(filepath.Join(dir, "sparse.img"))
	must(t, err)
	must(t, f.Truncate(sparseSize))
	_, err = f.WriteAt([]byte("end"), sparseSize-3)
	must(t, err)
	must(t, f.Close())
	must(t, os.Chmod(f.Name(), 0o644))
	files["sparse.img"] = append(make([]byte, sparseSize-3), "end"...)
	return files
}

// requireRoot fails the test, loudly, when it cannot create device nodes.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("this test needs root: it creates device nodes with mknod; run `go test` as root (as `make test` does)")
	}
}

// mkdev encodes a Linux device number as glibc's makedev does.
func mkdev(major, minor uint32) int {
	return int(uint64(minor&0xff) | uint64(major&0xfff)<<8 | uint64(minor&^0xff)<<12 | uint64(major&^0xfff)<<32)
}

func mknod(t *testing.T, path string, mode uint32, major, minor uint32) {
	t.Helper()
	requireRoot(t)
	must(t, os.MkdirAll(filepath.Dir(path), 0o755))
	must(t, syscall.Mknod(path, mode|0o640, mkdev(major, minor)))
	must(t, os.Chmod(path, 0o640))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func hashOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func byPath(entries []Entry) map[string]Entry {
	m := make(map[string]Entry, len(entries))
	for _, e := range entries {
		m[e.Path] = e
	}
	return m
}

// local is the runner the tests use: the real find, stat and sha256sum.
var local = remote.Local{Name: "testhost"}

// recorder is a fake Runner that records every argv and answers with
// respond.
type recorder struct {
	mu      sync.Mutex
	cmds    [][]string
	respond func(argv []string) (remote.Result, error)
}

func (r *recorder) Host() string { return "fakehost" }

func (r *recorder) Run(_ context.Context, cmd remote.Cmd) (remote.Result, error) {
	r.mu.Lock()
	r.cmds = append(r.cmds, cmd.Argv)
	r.mu.Unlock()
	return r.respond(cmd.Argv)
}

// fakeProcessors is how many processors the fake hosts say they have.
const fakeProcessors = 3

// fakeSha256sum answers like `sha256sum -z -- ARGS...`, hashing each name,
// and like nproc.
func fakeSha256sum(argv []string) (remote.Result, error) {
	if slices.Equal(argv, []string{"nproc"}) {
		return remote.Result{Stdout: []byte(strconv.Itoa(fakeProcessors) + "\n")}, nil
	}
	var out bytes.Buffer
	for i, a := range argv {
		if a == "--" {
			for _, name := range argv[i+1:] {
				out.WriteString(hashOf([]byte(name)) + "  " + name + "\x00")
			}
		}
	}
	return remote.Result{Stdout: out.Bytes()}, nil
}
