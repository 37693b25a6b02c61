//go:build release

// The release, built as goreleaser builds it (a snapshot, linux/amd64 only)
// and checked as a user would meet it: the names of the files, SHA256SUMS
// against their bytes, what each archive and package holds, and the version
// each binary reports.
//
//	GORELEASER=bin/goreleaser go test -tags release -run TestRelease .   (make release-test)
package main

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/version"
)

const versionVar = "github.com/glusterdr/terraform-provider-gluster/internal/version.build"

func TestReleaseSnapshot(t *testing.T) {
	gr := os.Getenv("GORELEASER")
	if gr == "" {
		t.Fatal("GORELEASER is not set: build goreleaser with `make release-test` (tools/ module) or point GORELEASER at it")
	}
	cmd := exec.Command(gr, "release", "--snapshot", "--clean", "--skip=sign")
	cmd.Env = append(os.Environ(), "GLUSTERDR_RELEASE_QUICK=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("goreleaser release --snapshot: %v\n%s", err, out)
	}

	v := snapshotVersion(t)
	debVersion := strings.Replace(v, "-", "~", 1)
	provider := "terraform-provider-gluster_" + v
	collection := "glusterdr-dr-" + version.Release + ".tar.gz"
	want := []string{
		collection,
		"glusterdr_" + v + "_linux_amd64.tar.gz",
		"glusterdr_" + debVersion + "_amd64.deb",
		provider + "_linux_amd64.zip",
		provider + "_manifest.json",
	}

	sums := readSums(t, filepath.Join("dist", provider+"_SHA256SUMS"))
	if got := slices.Sorted(maps.Keys(sums)); !slices.Equal(got, want) {
		t.Errorf("SHA256SUMS lists\n  %v\nwant\n  %v", got, want)
	}
	for name, sum := range sums {
		p := filepath.Join("dist", name)
		switch {
		case name == collection:
			p = filepath.Join("build", "release", "collection", name)
		case strings.HasSuffix(name, "_manifest.json"):
			p = "terraform-registry-manifest.json"
		}
		if got := fileSHA256(t, p); got != sum {
			t.Errorf("%s: sha256 %s, SHA256SUMS says %s", p, got, sum)
		}
	}

	t.Run("provider zip", func(t *testing.T) {
		files := unzip(t, filepath.Join("dist", provider+"_linux_amd64.zip"))
		bin := "terraform-provider-gluster_v" + v
		if _, ok := files[bin]; !ok {
			t.Fatalf("the zip holds %v, not the registry's binary name %s", keys(files), bin)
		}
		checkBuildVersion(t, files[bin], v)
	})

	t.Run("cli archive", func(t *testing.T) {
		files := untar(t, filepath.Join("dist", "glusterdr_"+v+"_linux_amd64.tar.gz"))
		for _, name := range []string{"glusterdr", "LICENSE", "README.md", "CHANGELOG.md", "man/man1/glusterdr.1.gz",
			"man/man1/glusterdr-run.1.gz", "completions/glusterdr.bash", "completions/glusterdr.zsh", "completions/glusterdr.fish"} {
			if _, ok := files[name]; !ok {
				t.Errorf("the archive lacks %s: %v", name, keys(files))
			}
		}
		p := filepath.Join(t.TempDir(), "glusterdr")
		writeExec(t, p, files["glusterdr"])
		out, err := exec.Command(p, "--version").Output()
		if err != nil || strings.TrimSpace(string(out)) != "glusterdr version "+v {
			t.Errorf("glusterdr --version: %q (%v), want %q", out, err, "glusterdr version "+v)
		}
	})

	t.Run("deb", func(t *testing.T) {
		deb := filepath.Join("dist", "glusterdr_"+debVersion+"_amd64.deb")
		fields, err := exec.Command("dpkg-deb", "--field", deb, "Package", "Version", "Architecture").Output()
		if err != nil {
			t.Fatalf("dpkg-deb --field: %v", err)
		}
		if want := "Package: glusterdr\nVersion: " + debVersion + "\nArchitecture: amd64\n"; string(fields) != want {
			t.Errorf("control:\n%s\nwant\n%s", fields, want)
		}
		list, err := exec.Command("dpkg-deb", "--contents", deb).Output()
		if err != nil {
			t.Fatalf("dpkg-deb --contents: %v", err)
		}
		for _, path := range []string{"./usr/bin/glusterdr", "./usr/share/man/man1/glusterdr.1.gz", "./usr/share/man/man1/glusterdr-verify.1.gz",
			"./usr/share/bash-completion/completions/glusterdr", "./usr/share/zsh/vendor-completions/_glusterdr",
			"./usr/share/fish/vendor_completions.d/glusterdr.fish", "./usr/share/doc/glusterdr/copyright"} {
			if !strings.Contains(string(list), " "+path+"\n") {
				t.Errorf("the package lacks %s:\n%s", path, list)
			}
		}
		dir := t.TempDir()
		if out, err := exec.Command("dpkg-deb", "--extract", deb, dir).CombinedOutput(); err != nil {
			t.Fatalf("dpkg-deb --extract: %v\n%s", err, out)
		}
		out, err := exec.Command(filepath.Join(dir, "usr", "bin", "glusterdr"), "--version").Output()
		if err != nil || strings.TrimSpace(string(out)) != "glusterdr version "+v {
			t.Errorf("/usr/bin/glusterdr --version: %q (%v)", out, err)
		}
	})

	t.Run("collection", func(t *testing.T) {
		files := untar(t, filepath.Join("build", "release", "collection", collection))
		for name := range files {
			if hidden(name) || strings.HasPrefix(name, "tests/integration/lab/") {
				t.Errorf("the collection tarball holds %s", name)
			}
		}
		var manifest struct {
			CollectionInfo struct {
				Version string `json:"version"`
			} `json:"collection_info"`
		}
		if err := json.Unmarshal(files["MANIFEST.json"], &manifest); err != nil || manifest.CollectionInfo.Version != version.Release {
			t.Errorf("MANIFEST.json version %q (%v), want %s", manifest.CollectionInfo.Version, err, version.Release)
		}
	})
}

// snapshotVersion is the version goreleaser gave the snapshot: VERSION with
// a snapshot suffix.
func snapshotVersion(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("dist", "metadata.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(meta.Version, version.Release+"-SNAPSHOT-") {
		t.Fatalf("goreleaser's version %q does not start with VERSION %s", meta.Version, version.Release)
	}
	return meta.Version
}

// checkBuildVersion looks for the version the linker set in the binary:
// -trimpath keeps -ldflags out of its build information, and the snapshot
// suffix is in no source file.
func checkBuildVersion(t *testing.T, bin []byte, v string) {
	t.Helper()
	if !bytes.Contains(bin, []byte(v)) {
		t.Errorf("the provider binary does not hold its version %s: -X %s=%s missing from the build", v, versionVar, v)
	}
}

func readSums(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("%s: line %q is not <sha256>  <name>", path, sc.Text())
		}
		sums[name] = sum
	}
	return sums
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func unzip(t *testing.T, path string) map[string][]byte {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	files := map[string][]byte{}
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// untar reads a .tar.gz: regular files by name, directories as nil.
func untar(t *testing.T, path string) map[string][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(h.Name, "./")
		if h.Typeflag != tar.TypeReg {
			files[name] = nil
			continue
		}
		if files[name], err = io.ReadAll(tr); err != nil {
			t.Fatal(err)
		}
	}
}

func hidden(name string) bool {
	return slices.ContainsFunc(strings.Split(strings.TrimSuffix(name, "/"), "/"), func(part string) bool {
		return strings.HasPrefix(part, ".")
	})
}

func writeExec(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

func keys(m map[string][]byte) []string { return slices.Sorted(maps.Keys(m)) }
