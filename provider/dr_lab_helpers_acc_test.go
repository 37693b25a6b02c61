//go:build lab

package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
)

// Helpers of the dr_schedule, gluster_provisioning_state and dr_backup_sets
// acceptance tests: files on the lab's nodes, the cron entry run as cron
// would run it, and the CLI built where p1 sees it.

func (l *accLab) files(node string) remote.Files {
	f, err := l.conn.Files(node)
	if err != nil {
		l.t.Fatal(err)
	}
	return f
}

// readFile reads a file on node; found is false when it does not exist.
func (l *accLab) readFile(node, p string) (data []byte, found bool) {
	l.t.Helper()
	data, err := l.files(node).ReadFile(context.Background(), p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false
	}
	l.must(err)
	return data, true
}

func (l *accLab) writeFile(node, p, content string, mode fs.FileMode) {
	l.t.Helper()
	f := l.files(node)
	l.must(f.MkdirAll(context.Background(), filepath.Dir(p), 0o755))
	l.must(f.WriteFile(context.Background(), p, strings.NewReader(content), mode))
}

// removeAll removes paths on node; for cleanups, which run whatever the
// test's outcome, so an error is reported, not fatal.
func (l *accLab) removeAll(node string, paths ...string) {
	for _, p := range paths {
		if !strings.HasPrefix(p, "/") || strings.Count(p, "/") < 2 {
			l.t.Errorf("refusing to remove %q on %s", p, node)
			continue
		}
		if err := l.files(node).RemoveAll(context.Background(), p); err != nil {
			l.t.Errorf("removing %s on %s: %v", p, node, err)
		}
	}
}

// runCronJob runs, on node, the job of the cron entry there exactly as cron
// would: with the entry's variables only, through /bin/sh, as root.
func (l *accLab) runCronJob(node, entry string, timeout time.Duration) (remote.Result, time.Duration, error) {
	l.t.Helper()
	data, found := l.readFile(node, entry)
	if !found {
		l.t.Fatalf("no %s on %s", entry, node)
	}
	env, command, err := trigger.CronJob(string(data))
	l.must(err)
	argv := append(append([]string{"env", "-i", "HOME=/root", "LOGNAME=root"}, env...), "/bin/sh", "-c", command)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	res, err := l.runner(node).Run(ctx, remote.Command(argv...))
	return res, time.Since(start), err
}

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// glusterdrCLI builds the CLI once per test binary into the lab's folder,
// which the nodes see (unlike this machine's /tmp).
func (l *accLab) glusterdrCLI() string {
	l.t.Helper()
	cliOnce.Do(func() {
		cliPath = filepath.Join(l.d.Dir, "tfacc", "glusterdr")
		var out bytes.Buffer
		cmd := exec.Command("go", "build", "-o", cliPath, "../cmd/glusterdr")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			cliErr = fmt.Errorf("building the glusterdr CLI: %v\n%s", err, out.String())
		}
	})
	if cliErr != nil {
		l.t.Fatal(cliErr)
	}
	if _, err := os.Stat(cliPath); err != nil {
		l.t.Fatal(err)
	}
	return cliPath
}

// collectionInstalled reports whether the controller would run the
// playbook: glusterdr.dr is in ansible-galaxy's list on node.
func (l *accLab) collectionInstalled(node string) bool {
	res, err := l.runner(node).Run(context.Background(),
		remote.Command("sh", "-c", "ansible-galaxy collection list glusterdr.dr --format json 2>/dev/null || true"))
	l.must(err)
	return strings.Contains(string(res.Stdout), `"glusterdr.dr"`)
}
