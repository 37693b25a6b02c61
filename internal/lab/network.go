package lab

import (
	"context"
	"fmt"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

var host = remote.Local{Name: "lab host"}

// run runs a command on the host and returns its trimmed stdout.
func run(ctx context.Context, argv ...string) (string, error) {
	res, err := host.Run(ctx, remote.Command(argv...))
	return strings.TrimSpace(string(res.Stdout)), err
}

func createBridge(ctx context.Context, i Instance) error {
	steps := [][]string{
		{"ip", "link", "add", i.Bridge(), "type", "bridge"},
		{"ip", "addr", "add", fmt.Sprintf("%s/%d", i.BridgeAddress(), PrefixLen), "dev", i.Bridge()},
		{"ip", "link", "set", i.Bridge(), "up"},
	}
	return runAll(ctx, steps)
}

// createNetns makes the node's network namespace and wires it to the bridge
// with a veth pair whose inner end is eth0.
func createNetns(ctx context.Context, i Instance, n NodeSpec) error {
	ns, hostEnd := i.netnsName(n.Name), i.netnsName(n.Name)
	steps := [][]string{
		{"ip", "netns", "add", ns},
		{"ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns},
		{"ip", "link", "set", hostEnd, "master", i.Bridge(), "up"},
		{"ip", "-n", ns, "addr", "add", fmt.Sprintf("%s/%d", n.Address, PrefixLen), "dev", "eth0"},
		{"ip", "-n", ns, "link", "set", "eth0", "up"},
		{"ip", "-n", ns, "link", "set", "lo", "up"},
	}
	return runAll(ctx, steps)
}

func runAll(ctx context.Context, steps [][]string) error {
	for _, argv := range steps {
		if _, err := run(ctx, argv...); err != nil {
			return err
		}
	}
	return nil
}

// labNetnses lists the network namespaces that belong to the lab, whether
// or not a description of them survived.
func labNetnses(ctx context.Context, i Instance) ([]string, error) {
	out, err := run(ctx, "ip", "netns", "list")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, line := range strings.Split(out, "\n") {
		name, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		if strings.HasPrefix(name, i.netnsPrefix()) {
			names = append(names, name)
		}
	}
	return names, nil
}

func bridgeExists(ctx context.Context, i Instance) bool {
	_, err := run(ctx, "ip", "link", "show", i.Bridge())
	return err == nil
}
