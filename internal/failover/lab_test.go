//go:build lab

package failover_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/failover"
	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab/labtest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/sitemount"
)

// TestLabFailoverAndFailback replicates data to sdsc, fails over to it,
// writes new data there, fails back, and checks that the new data is on
// the primary byte for byte.
func TestLabFailoverAndFailback(t *testing.T) {
	conn := labtest.Conn(t)
	ctx := context.Background()
	const site = "sdsc"
	primary, _ := conn.Gluster("p1")
	ref, _ := conn.D.SessionRef(site)
	if _, err := primary.Status(ctx, ref); errors.Is(err, gluster.ErrNoSession) {
		if _, err := lab.SetUpReplication(ctx, conn, site, map[string]string{"sync_method": "tarssh"}); err != nil {
			t.Fatal(err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	p1files, _ := conn.Files("p1")
	dir := "failover-test/" + time.Now().UTC().Format("20060102T150405Z")
	before := writeFiles(t, p1files, path.Join(lab.MountPath, dir, "before"), 4)
	if _, err := primary.RunCheckpointCycle(ctx, ref, gluster.CycleOptions{Timeout: 5 * time.Minute, StallAfter: lab.StallAfter, Marker: marker(p1files, lab.MountPath)}); err != nil {
		t.Fatalf("replicating before the failover: %v", err)
	}

	s, _ := conn.D.Site(site)
	siteNode, _ := conn.D.Node(s.Nodes[0])
	siteRunner, _ := conn.Runner(siteNode.Name)
	siteGluster := gluster.New(siteRunner)
	var siteFiles []remote.Files
	for _, n := range s.Nodes {
		f, _ := conn.Files(n)
		siteFiles = append(siteFiles, f)
	}
	p1, _ := conn.D.Node("p1")
	p1Runner, _ := conn.Runner("p1")
	primaryKeys, _ := conn.D.HostKeys("primary")
	topo := failover.Topology{Site: site, Forward: ref, Primary: primary, PrimaryRunner: p1Runner, PrimaryFiles: p1files, PrimaryHost: p1.Address,
		PrimaryHostKeys: primaryKeys, SiteGluster: siteGluster, SiteFiles: siteFiles, SyncMethod: "tarssh"}
	journalDir := t.TempDir()
	out := &bytes.Buffer{}
	t.Cleanup(func() { t.Logf("switch output:\n%s", out) })

	start := time.Now()
	_, err := failover.Execute(ctx, failover.Failover(topo), failover.Options{Yes: true, Out: out,
		Journal: failover.Journal{Files: remote.LocalFiles{}, Path: filepath.Join(journalDir, "failover-sdsc.json")}})
	if err != nil {
		t.Fatalf("failover: %v", err)
	}
	t.Logf("failover took %s", time.Since(start).Round(time.Millisecond))
	if v, _ := siteGluster.GetOption(ctx, s.Volume, "geo-replication.indexing"); v != "on" {
		t.Errorf("after failover geo-replication.indexing on %s = %q, want on", s.Volume, v)
	}

	// The site is now written to, as clients would after the failover.
	m, err := sitemount.ReadWrite(ctx, siteRunner, siteNode.Address, s.Volume)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := m.Unmount(ctx); err != nil {
			t.Error(err)
		}
	}()
	siteNodeFiles, _ := conn.Files(siteNode.Name)
	if got, err := siteNodeFiles.ReadFile(ctx, path.Join(m.Path, dir, "before", "f0")); err != nil || !bytes.Equal(got, before["f0"]) {
		t.Fatalf("the data replicated before the failover is not at %s: %v", site, err)
	}
	atSite := writeFiles(t, siteNodeFiles, path.Join(m.Path, dir, "written-at-site"), 5)

	topo.Marker = marker(siteNodeFiles, m.Path)
	start = time.Now()
	_, err = failover.Execute(ctx, failover.Failback(topo, gluster.CycleOptions{Timeout: 5 * time.Minute, StallAfter: lab.StallAfter}), failover.Options{Yes: true, Out: out,
		Journal: failover.Journal{Files: remote.LocalFiles{}, Path: filepath.Join(journalDir, "failback-sdsc.json")}})
	if err != nil {
		t.Fatalf("failback: %v", err)
	}
	t.Logf("failback took %s", time.Since(start).Round(time.Millisecond))

	for name, want := range atSite {
		got, err := p1files.ReadFile(ctx, path.Join(lab.MountPath, dir, "written-at-site", name))
		if err != nil {
			t.Errorf("%s, written at %s, is not on the primary: %v", name, site, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s on the primary: %d bytes, want %d identical bytes", name, len(got), len(want))
		}
	}
	// The reverse session's tar key extracted at p1 in 128 KiB records.
	siteTarKeys, err := siteGluster.TarKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p1Keys, _ := p1files.ReadFile(ctx, "/root/.ssh/authorized_keys")
	for _, k := range siteTarKeys {
		if line := `command="` + gluster.TarCommand(georep.DefaultTarBlocking) + `" ` + k; !strings.Contains(string(p1Keys), line) {
			t.Errorf("p1's authorized_keys has no line %q for %s's tar key", line, site)
		}
	}
	if _, err := siteGluster.Status(ctx, topo.Reverse()); !errors.Is(err, gluster.ErrNoSession) {
		t.Errorf("the reverse session is still there after failback: %v", err)
	}
	if v, _ := siteGluster.GetOption(ctx, s.Volume, "geo-replication.indexing"); v == "on" {
		t.Errorf("after failback %s still has geo-replication.indexing on", s.Volume)
	}
	if v, _ := siteGluster.GetOption(ctx, s.Volume, "features.read-only"); v != "on" {
		t.Errorf("after failback %s has features.read-only %q, want on (its DR role)", s.Volume, v)
	}
	// The primary takes writes again.
	if err := p1files.WriteFile(ctx, path.Join(lab.MountPath, dir, "after-failback"), strings.NewReader("ok"), 0o644); err != nil {
		t.Errorf("the primary is not writable after failback: %v", err)
	}
	// The nightly replication to the site carries on after the switch back.
	if _, err := primary.RunCheckpointCycle(ctx, ref, gluster.CycleOptions{Timeout: 5 * time.Minute, StallAfter: lab.StallAfter, Marker: marker(p1files, lab.MountPath)}); err != nil {
		t.Errorf("the forward session does not complete a cycle after failback: %v", err)
	}
	if !strings.Contains(out.String(), "create the reverse session") {
		t.Errorf("the failback did not print its steps:\n%s", out)
	}
}

func writeFiles(t *testing.T, files remote.Files, dir string, n int) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	if err := files.MkdirAll(ctx, dir, 0o755); err != nil {
		t.Fatal(err)
	}
	written := map[string][]byte{}
	for i := range n {
		data := make([]byte, 100<<10+i)
		_, _ = rand.Read(data)
		name := fmt.Sprintf("f%d", i)
		if err := files.WriteFile(ctx, path.Join(dir, name), bytes.NewReader(data), 0o644); err != nil {
			t.Fatal(err)
		}
		written[name] = data
	}
	return written
}

func marker(files remote.Files, mount string) func(context.Context) error {
	return gluster.Marker{Files: files, Mount: mount, By: "TestLabFailoverAndFailback"}.Write
}
