package lab

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Options configure Up and Down.
type Options struct {
	Instance Instance
	Log      *slog.Logger
}

func (o Options) log() *slog.Logger {
	if o.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Log
}

// requiredTools are the programs the lab runs; `make deps` installs them.
var requiredTools = []string{"ip", "nsenter", "unshare", "mount", "glusterd", "gluster", "glusterfs", "/usr/sbin/sshd", "etcd"}

// Up brings the lab up, or checks that the one already up is healthy.
// Leftovers of a lab that is not healthy, such as a crash halfway through
// an earlier Up, are torn down first.
func Up(ctx context.Context, opts Options) (*Description, error) {
	if err := checkHost(); err != nil {
		return nil, err
	}
	if err := opts.Instance.Valid(); err != nil {
		return nil, err
	}
	log := opts.log()
	if d, err := Load(opts.Instance.Dir()); err == nil {
		st := Inspect(ctx, d)
		switch {
		case !sameTopology(d, opts.Instance):
			log.Warn("the lab that is up has another topology (an older version's), rebuilding it")
		case st.Healthy():
			log.Info("lab already up", "dir", d.Dir)
			return d, nil
		default:
			log.Warn("lab is not healthy, rebuilding it", "problems", st.Problems())
		}
	}
	if err := Down(ctx, opts); err != nil {
		return nil, fmt.Errorf("lab: clearing leftovers before up: %w", err)
	}
	start := time.Now()
	d, err := build(ctx, opts.Instance, log)
	if err != nil {
		return nil, fmt.Errorf("%w\n(`glusterdr lab down` removes what was made)", err)
	}
	log.Info("lab up", "dir", d.Dir, "took", time.Since(start).Round(time.Millisecond))
	return d, nil
}

// sameTopology reports whether the lab described is made of the nodes
// this version builds.
func sameTopology(d *Description, inst Instance) bool {
	want := inst.Nodes()
	if len(d.Nodes) != len(want) {
		return false
	}
	for i, n := range want {
		if d.Nodes[i].Name != n.Name || d.Nodes[i].Address != n.Address || d.Nodes[i].Site != n.Site {
			return false
		}
	}
	return true
}

func checkHost() error {
	if os.Geteuid() != 0 {
		return errors.New("lab: must run as root: it creates network namespaces, a bridge and mounts")
	}
	for _, tool := range requiredTools {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("lab: %s is not installed; run `make deps`", tool)
		}
	}
	return nil
}

func build(ctx context.Context, inst Instance, log *slog.Logger) (*Description, error) {
	dir, all := inst.Dir(), inst.Nodes()
	d := &Description{Instance: inst, Dir: dir, Bridge: inst.Bridge()}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := d.save(); err != nil {
		return nil, err
	}
	keys, err := writeKeys(d, all)
	if err != nil {
		return nil, err
	}
	if err := createBridge(ctx, inst); err != nil {
		return nil, err
	}
	d.Nodes = make([]Node, len(all))
	g, gctx := errgroup.WithContext(ctx)
	for i, spec := range all {
		g.Go(func() error {
			n, err := startNode(gctx, d, all, spec, keys)
			d.Nodes[i] = n
			return err
		})
	}
	err = g.Wait()
	if saveErr := d.save(); saveErr != nil && err == nil {
		err = saveErr
	}
	if err != nil {
		return nil, err
	}
	log.Info("nodes up", "nodes", len(d.Nodes))
	if err := setUpPrimary(ctx, d); err != nil {
		return nil, err
	}
	d.Sites = sites(dir, all)
	return d, d.save()
}

// writeKeys makes the engine's key, every node's host and root keys, and
// the engine's known_hosts.
func writeKeys(d *Description, all []NodeSpec) (map[string]nodeKeys, error) {
	engine, err := newKeyPair("glusterdr-lab-engine")
	if err != nil {
		return nil, err
	}
	keyFile := filepath.Join(d.Dir, "id_ed25519")
	if err := engine.write(keyFile); err != nil {
		return nil, err
	}
	keys := map[string]nodeKeys{}
	for _, n := range all {
		hostKey, err := newKeyPair("host-" + n.Name)
		if err != nil {
			return nil, err
		}
		rootKey, err := newKeyPair("root@" + n.Name)
		if err != nil {
			return nil, err
		}
		keys[n.Name] = nodeKeys{host: hostKey, root: rootKey}
	}
	knownHostsFile := filepath.Join(d.Dir, "known_hosts")
	if err := os.WriteFile(knownHostsFile, []byte(knownHosts(all, keys, false)), 0o644); err != nil {
		return nil, err
	}
	d.SSH = SSH{User: "root", Port: 22, PrivateKeyFile: keyFile, PublicKey: engine.public, KnownHostsFile: knownHostsFile}
	return keys, nil
}

// startNode builds one node: namespaces, mounts, sshd and glusterd.
func startNode(ctx context.Context, d *Description, all []NodeSpec, spec NodeSpec, keys map[string]nodeKeys) (Node, error) {
	dir := d.Dir
	n := Node{Name: spec.Name, Site: spec.Site, Address: spec.Address, Netns: d.Instance.netnsName(spec.Name),
		PIDs: map[string]int{}, HostKey: keys[spec.Name].host.public}
	if err := prepareNodeFiles(dir, all, spec, keys, d.SSH.PublicKey); err != nil {
		return n, err
	}
	if err := createNetns(ctx, d.Instance, spec); err != nil {
		return n, err
	}
	pid, err := startHolder(ctx, d.Instance, spec)
	n.HolderPID = pid
	if err != nil {
		return n, err
	}
	if err := mountNodeDirs(ctx, dir, n); err != nil {
		return n, err
	}
	if n.PIDs["sshd"], err = startDaemon(dir, n, "sshd",
		[]string{"/usr/sbin/sshd", "-D", "-e", "-f", filepath.Join(nodeDir(dir, n.Name), "sshd_config")}); err != nil {
		return n, err
	}
	if spec.Site != BastionSite {
		if n.PIDs["glusterd"], err = startDaemon(dir, n, "glusterd", []string{"glusterd", "-N"}); err != nil {
			return n, err
		}
	}
	if err := waitFor(ctx, "sshd on "+n.Name, 15*time.Second, func(ctx context.Context) error {
		return dialable(ctx, n.Address, 22)
	}); err != nil {
		return n, err
	}
	if spec.Site == BastionSite {
		return n, nil
	}
	return n, waitFor(ctx, "glusterd on "+n.Name, 60*time.Second, func(ctx context.Context) error {
		_, err := gluster.New(enter(n)).PoolList(ctx)
		return err
	})
}

func dialable(ctx context.Context, address string, port int) error {
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(address, strconv.Itoa(port)))
	if err != nil {
		return err
	}
	return conn.Close()
}

// setUpPrimary creates, starts and mounts the global volume on p1, and
// starts its etcd.
func setUpPrimary(ctx context.Context, d *Description) error {
	p1, err := d.Node("p1")
	if err != nil {
		return err
	}
	client := gluster.New(enter(p1))
	brick := BrickPath(d.Dir, p1.Name, PrimaryVolume)
	if err := os.MkdirAll(brick, 0o755); err != nil {
		return err
	}
	spec := gluster.VolumeSpec{Name: PrimaryVolume, Type: gluster.Distribute, Force: true,
		Bricks: []gluster.Brick{{Host: p1.Address, Path: brick}}}
	if err := client.CreateVolume(ctx, spec); err != nil {
		return err
	}
	if err := client.StartVolume(ctx, PrimaryVolume); err != nil {
		return err
	}
	mount := remote.Command("mount", "-t", "glusterfs", p1.Address+":/"+PrimaryVolume, MountPath)
	if _, err := enter(p1).Run(ctx, mount); err != nil {
		return fmt.Errorf("lab: mounting the global volume on p1: %w", err)
	}
	return startEtcd(ctx, d, &p1)
}
