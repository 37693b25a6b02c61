// Package lab builds a real GlusterFS DR topology on one Linux host: every
// node is a network namespace with its own mount and UTS namespace, running
// its own glusterd and sshd, on a private bridge with RFC 5737 addresses.
// The primary node also mounts the global volume and runs an etcd.
//
// Everything the lab makes lives under its state directory, in namespaces
// whose names start with "gdr-", and on one bridge, so that Down can remove
// all of it even after a crash halfway through Up.
package lab

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Fixed names; the addresses depend on the Instance.
const (
	DefaultDir      = "/srv/glusterdr-lab"
	PrefixLen       = 24
	PrimaryVolume   = "global"
	SiteVolume      = "global-dr"
	MountPath       = "/var/glfs/global"
	EtcdClientPort  = 23790
	etcdPeerPort    = 23800
	descriptionFile = "lab.json"
)

// NodeSpec is one node of the fixed topology.
type NodeSpec struct {
	Name    string
	Site    string
	Address string
}

// Description is the machine-readable account of a running lab, written to
// lab.json for tests, examples and the CLI.
type Description struct {
	Instance Instance `json:"instance"`
	Dir      string   `json:"dir"`
	Bridge   string   `json:"bridge"`
	SSH      SSH      `json:"ssh"`
	Nodes    []Node   `json:"nodes"`
	Sites    []Site   `json:"sites"`
	Etcd     Etcd     `json:"etcd"`
	// Isolated are the nodes that only the bastion and the other nodes
	// reach, not this host (Isolate).
	Isolated []string `json:"isolated,omitempty"`
}

// SSH is how the engine reaches every node.
type SSH struct {
	User           string `json:"user"`
	PrivateKeyFile string `json:"private_key_file"`
	PublicKey      string `json:"public_key"`
	KnownHostsFile string `json:"known_hosts_file"`
	Port           int    `json:"port"`
}

// Node is one running node.
type Node struct {
	Name    string `json:"name"`
	Site    string `json:"site"`
	Address string `json:"address"`
	Netns   string `json:"netns"`
	// HolderPID is the process that keeps the node's mount and UTS
	// namespaces alive; commands enter the node through it.
	HolderPID int            `json:"holder_pid"`
	PIDs      map[string]int `json:"pids"`
	HostKey   string         `json:"host_key"`
}

// Site is a group of nodes holding one volume.
type Site struct {
	Name   string   `json:"name"`
	Nodes  []string `json:"nodes"`
	Volume string   `json:"volume"`
	Bricks []string `json:"bricks"`
	// Mount is where the volume is FUSE-mounted on the site's first node;
	// only the primary mounts its volume.
	Mount string `json:"mount,omitempty"`
}

// Etcd is the primary's etcd.
type Etcd struct {
	Endpoints []string `json:"endpoints"`
	DataDir   string   `json:"data_dir"`
}

// Node returns the node with the given name.
func (d *Description) Node(name string) (Node, error) {
	for _, n := range d.Nodes {
		if n.Name == name {
			return n, nil
		}
	}
	return Node{}, fmt.Errorf("lab: no node named %q", name)
}

// Site returns the site with the given name.
func (d *Description) Site(name string) (Site, error) {
	for _, s := range d.Sites {
		if s.Name == name {
			return s, nil
		}
	}
	return Site{}, fmt.Errorf("lab: no site named %q", name)
}

// ErrNotRunning is returned by Load when there is no lab description.
var ErrNotRunning = errors.New("the lab is not up: run `glusterdr lab up` (as root) or `make lab`")

// Load reads the description of the lab in dir.
func Load(dir string) (*Description, error) {
	data, err := os.ReadFile(filepath.Join(dir, descriptionFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w (no %s)", ErrNotRunning, filepath.Join(dir, descriptionFile))
	}
	if err != nil {
		return nil, err
	}
	var d Description
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("lab: reading %s: %w", filepath.Join(dir, descriptionFile), err)
	}
	return &d, nil
}

func (d *Description) save() error {
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(d.Dir, descriptionFile+".part")
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(d.Dir, descriptionFile))
}
