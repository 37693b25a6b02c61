package peercluster

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// The fake site is the two-node pool captured in internal/gluster/testdata
// as site2-*: 198.51.100.2 (asked) and 198.51.100.3, and the volume gvdr
// with one brick on each. Other volumes are answered from gvdr's capture
// with their name and brick folder put in.
const (
	node2, node3 = "198.51.100.2", "198.51.100.3"
)

// siteBricks are the bricks of volume folder dir, one per node, as the
// capture lays them out.
func siteBricks(dir string) []gluster.Brick {
	return []gluster.Brick{
		{Host: node2, Path: "/data/glusterfs/sites/site2/" + dir + "/b"},
		{Host: node3, Path: "/data/glusterfs/sites/site3/" + dir + "/b"},
	}
}

type fakeVolume struct {
	dir     string // brick folder, "bricks" for gvdr
	started bool
	options map[string]string
}

// fakeSite answers the gluster CLI from the genuine captures and keeps the
// volumes that the calls create, start, stop and delete.
type fakeSite struct {
	t     *testing.T
	vols  map[string]*fakeVolume
	calls []string // the gluster arguments after the --mode and --xml flags
}

func newFakeSite(t *testing.T) *fakeSite {
	return &fakeSite{t: t, vols: map[string]*fakeVolume{}}
}

func (f *fakeSite) client() *gluster.Client { return gluster.New(f) }

func (f *fakeSite) Host() string { return node2 }

// reply loads testdata NAME.out, .err and .rc from internal/gluster.
func (f *fakeSite) reply(name string, replace ...string) (remote.Result, error) {
	f.t.Helper()
	dir := filepath.Join("..", "gluster", "testdata")
	out, err := os.ReadFile(filepath.Join(dir, name+".out"))
	if err != nil {
		f.t.Fatalf("fixture %s: %v", name, err)
	}
	res := remote.Result{Stdout: []byte(strings.NewReplacer(replace...).Replace(string(out)))}
	if b, err := os.ReadFile(filepath.Join(dir, name+".err")); err == nil {
		res.Stderr = b
	}
	if b, err := os.ReadFile(filepath.Join(dir, name+".rc")); err == nil {
		res.ExitCode, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	if res.ExitCode != 0 {
		return res, &remote.CommandError{Host: node2, ExitCode: res.ExitCode, Stderr: string(res.Stderr)}
	}
	return res, nil
}

// done is gluster's answer to an action that worked.
func done() (remote.Result, error) {
	return remote.Result{Stdout: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/></cliOutput>`)}, nil
}

func (f *fakeSite) Run(_ context.Context, cmd remote.Cmd) (remote.Result, error) {
	args := slices.DeleteFunc(slices.Clone(cmd.Argv[1:]), func(a string) bool { return a == "--xml" || a == "--mode=script" })
	f.calls = append(f.calls, strings.Join(args, " "))
	if len(args) >= 2 && args[0] == "pool" && args[1] == "list" {
		return f.reply("site2-pool-list.xml")
	}
	if args[0] == "peer" {
		return f.reply("site2-err-peer-probe-already") // probe and detach: nothing to do
	}
	name := args[2]
	v := f.vols[name]
	switch args[1] {
	case "info":
		if v == nil {
			return f.reply("err-volume-info-missing.xml")
		}
		status := "<status>1</status>\n        <statusStr>Started</statusStr>"
		if !v.started {
			status = "<status>2</status>\n        <statusStr>Stopped</statusStr>"
		}
		return f.reply("site2-volume-info-gvdr.xml", "gvdr", name, "/bricks/b", "/"+v.dir+"/b",
			"<status>1</status>\n        <statusStr>Started</statusStr>", status)
	case "create":
		if v != nil {
			return f.reply("err-volume-create-exists")
		}
		f.vols[name] = &fakeVolume{dir: strings.Split(strings.TrimPrefix(args[3], node2+":/data/glusterfs/sites/site2/"), "/")[0], options: map[string]string{}}
		return done()
	case "start", "delete":
		if v == nil {
			return f.reply("err-volume-start-missing.xml", "nosuchvol", name)
		}
		if args[1] == "delete" {
			delete(f.vols, name)
			return f.reply("volume-delete-gv0", "gv0", name)
		}
		v.started = true
		return done()
	case "stop":
		if v == nil {
			return f.reply("err-volume-start-missing.xml", "nosuchvol", name)
		}
		if !v.started {
			return f.reply("err-volume-stop-already", "gv0", name)
		}
		v.started = false
		return f.reply("volume-stop-gv1.xml", "gv1", name)
	case "set":
		v.options[args[3]] = args[4]
		return done()
	case "reset":
		delete(v.options, args[3])
		return done()
	}
	f.t.Fatalf("fake site: unexpected gluster %v", args)
	return remote.Result{}, nil
}

// index is the position of the first call starting with prefix, or -1.
func (f *fakeSite) index(prefix string) int {
	return slices.IndexFunc(f.calls, func(c string) bool { return strings.HasPrefix(c, prefix) })
}

// count is the number of calls starting with prefix.
func (f *fakeSite) count(prefix string) int {
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}
