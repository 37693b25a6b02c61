package lab

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

var host = remote.Local{Name: "lab host"}

// run runs a command on the host and returns its trimmed stdout.
func run(ctx context.Context, argv ...string) (string, error) {
	res, err := host.Run(ctx, remote.Command(argv...))
	return strings.TrimSpace(string(res.Stdout)), err
}

// checkBlockFree refuses an instance whose address block the host already
// uses: a route into it, or a gateway in it, on any device but the lab's
// own bridge. Bringing the lab up there would cut the host off.
func checkBlockFree(ctx context.Context, i Instance) error {
	out, err := run(ctx, "ip", "-o", "-4", "route", "show")
	if err != nil {
		return err
	}
	return blockClash(out, i)
}

// blockClash finds, in `ip -o -4 route show` output, a route that uses the
// instance's block through another device.
func blockClash(routes string, i Instance) error {
	block := netip.MustParsePrefix(i.address(0) + "/24")
	for _, line := range strings.Split(routes, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || fieldAfter(f, "dev") == i.Bridge() {
			continue
		}
		if dest, err := netip.ParsePrefix(f[0]); err == nil && dest.Overlaps(block) ||
			addrIn(fieldAfter(f, "via"), block) || addrIn(fieldAfter(f, "src"), block) {
			return fmt.Errorf("lab instance %d: this host already routes %s (%q); use another instance (--instance)", i, block, line)
		}
	}
	return nil
}

func fieldAfter(f []string, key string) string {
	for j := 0; j+1 < len(f); j++ {
		if f[j] == key {
			return f[j+1]
		}
	}
	return ""
}

func addrIn(s string, p netip.Prefix) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && p.Contains(a)
}

func createBridge(ctx context.Context, i Instance) error {
	if err := checkBlockFree(ctx, i); err != nil {
		return err
	}
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
