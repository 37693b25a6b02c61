package lab

import (
	"fmt"
	"os"
	"strconv"
)

// Instance numbers the labs on one machine. Up to three run side by side,
// each on its own address block, bridge and namespaces, so that
// independent test suites need not wait for one another.
type Instance int

// Instances lists the valid instance numbers.
var Instances = []Instance{0, 1, 2}

// blocks are the /24s, one per instance: the RFC 5737 block DESIGN.md
// names for the main lab, then two from RFC 2544's benchmarking range. The
// other RFC 5737 blocks are not used because the machines this runs on
// were seen using them (eth0 on 192.0.2.0/24, the package proxies at
// 203.0.113.80); Up refuses a block the host already routes elsewhere.
var blocks = []string{"198.51.100", "198.18.1", "198.18.2"}

// InstanceFromEnv reads GLUSTERDR_LAB_INSTANCE; 0 when unset.
func InstanceFromEnv() (Instance, error) {
	v := os.Getenv("GLUSTERDR_LAB_INSTANCE")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n >= len(blocks) {
		return 0, fmt.Errorf("GLUSTERDR_LAB_INSTANCE=%q: want 0, 1 or 2", v)
	}
	return Instance(n), nil
}

// Valid reports whether i is 0, 1 or 2.
func (i Instance) Valid() error {
	if i < 0 || int(i) >= len(blocks) {
		return fmt.Errorf("lab instance %d: want 0, 1 or 2", i)
	}
	return nil
}

// Dir is the instance's state folder.
func (i Instance) Dir() string {
	if i == 0 {
		return DefaultDir
	}
	return fmt.Sprintf("%s%d", DefaultDir, int(i))
}

// Bridge is the instance's bridge.
func (i Instance) Bridge() string { return fmt.Sprintf("gdr%d", int(i)) }

// netnsPrefix starts the names of the instance's namespaces (and of the
// host ends of their veth pairs, at most 15 characters).
func (i Instance) netnsPrefix() string {
	if i == 0 {
		return "gdr-"
	}
	return fmt.Sprintf("gdr%d-", int(i))
}

func (i Instance) netnsName(node string) string { return i.netnsPrefix() + node }

func (i Instance) address(host int) string { return fmt.Sprintf("%s.%d", blocks[i], host) }

// BridgeAddress is the host's own address on the lab bridge.
func (i Instance) BridgeAddress() string { return i.address(1) }

// Nodes is the lab topology: a one-node primary, a two-node site "sdsc"
// (a real trusted pool), a one-node site "tacc", and the bastion in front
// of tacc, which runs sshd only (see Isolate).
func (i Instance) Nodes() []NodeSpec {
	return []NodeSpec{
		{Name: "p1", Site: "primary", Address: i.address(10)},
		{Name: "sdsc1", Site: "sdsc", Address: i.address(21)},
		{Name: "sdsc2", Site: "sdsc", Address: i.address(22)},
		{Name: "tacc1", Site: "tacc", Address: i.address(31)},
		{Name: Bastion, Site: BastionSite, Address: i.address(40)},
	}
}
