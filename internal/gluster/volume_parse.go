package gluster

import (
	"encoding/xml"
	"strings"
)

// VolumeType is a volume's layout, in lower case as gluster spells it in
// typeStr ("Distributed-Replicate" becomes "distributed-replicate").
type VolumeType string

// Volume types. CreateVolume accepts Distribute and Replicate; a replicate
// spec with more bricks than its replica count becomes DistributedReplicate.
const (
	Distribute           VolumeType = "distribute"
	Replicate            VolumeType = "replicate"
	DistributedReplicate VolumeType = "distributed-replicate"
	Disperse             VolumeType = "disperse"
	DistributedDisperse  VolumeType = "distributed-disperse"
)

// VolumeState is gluster's statusStr for a volume.
type VolumeState string

// Volume states.
const (
	VolumeCreated VolumeState = "Created"
	VolumeStarted VolumeState = "Started"
	VolumeStopped VolumeState = "Stopped"
)

// Brick is one brick, host:path.
type Brick struct {
	Host string
	Path string
}

// String renders the brick as gluster writes it, host:path.
func (b Brick) String() string { return b.Host + ":" + b.Path }

// Volume is what `volume info` says about one volume.
type Volume struct {
	Name   string
	ID     string
	Status VolumeState
	Type   VolumeType
	// Replica is replicaCount: 1 for a plain distribute volume.
	Replica int
	// Bricks are in gluster's order, which defines the replica sets.
	Bricks []Brick
	// Options are the reconfigured options only ("Options Reconfigured").
	Options map[string]string
}

// BrickStatus is one brick process in `volume status`.
type BrickStatus struct {
	Host   string
	Path   string
	PeerID string
	Online bool
	// Port and PID are 0 when gluster reports N/A (brick offline).
	Port int
	PID  int
}

// DaemonStatus is one non-brick process in `volume status`, such as the
// self-heal daemon.
type DaemonStatus struct {
	Name   string
	Host   string
	PeerID string
	Online bool
	Port   int
	PID    int
}

// VolumeStatus is what `volume status` says about one started volume.
type VolumeStatus struct {
	Name    string
	Bricks  []BrickStatus
	Daemons []DaemonStatus
}

// AllBricksOnline reports whether every brick process is up.
func (s *VolumeStatus) AllBricksOnline() bool {
	for _, b := range s.Bricks {
		if !b.Online {
			return false
		}
	}
	return len(s.Bricks) > 0
}

type xmlVolInfo struct {
	XMLName xml.Name `xml:"cliOutput"`
	Volumes []struct {
		Name         string `xml:"name"`
		ID           string `xml:"id"`
		StatusStr    string `xml:"statusStr"`
		TypeStr      string `xml:"typeStr"`
		ReplicaCount string `xml:"replicaCount"`
		Bricks       []struct {
			Name string `xml:"name"`
			Text string `xml:",chardata"`
		} `xml:"bricks>brick"`
		Options []struct {
			Name  string `xml:"name"`
			Value string `xml:"value"`
		} `xml:"options>option"`
	} `xml:"volInfo>volumes>volume"`
}

// parseVolumeInfo reads `gluster --xml volume info [name]`.
func parseVolumeInfo(env *envelope) ([]Volume, error) {
	var x xmlVolInfo
	if err := env.decode(&x); err != nil {
		return nil, err
	}
	vols := make([]Volume, 0, len(x.Volumes))
	for _, xv := range x.Volumes {
		v := Volume{
			Name:    strings.TrimSpace(xv.Name),
			ID:      strings.TrimSpace(xv.ID),
			Status:  VolumeState(strings.TrimSpace(xv.StatusStr)),
			Type:    VolumeType(strings.ToLower(strings.TrimSpace(xv.TypeStr))),
			Replica: parseIntOr(xv.ReplicaCount, 1),
			Options: make(map[string]string, len(xv.Options)),
		}
		for _, xb := range xv.Bricks {
			name := strings.TrimSpace(xb.Name)
			if name == "" {
				name = strings.TrimSpace(xb.Text)
			}
			v.Bricks = append(v.Bricks, splitBrick(name))
		}
		for _, o := range xv.Options {
			v.Options[strings.TrimSpace(o.Name)] = o.Value
		}
		vols = append(vols, v)
	}
	return vols, nil
}

// splitBrick splits "host:/path" at the ":/" that starts the path, so that
// nothing in the host part confuses it.
func splitBrick(s string) Brick {
	if i := strings.Index(s, ":/"); i >= 0 {
		return Brick{Host: s[:i], Path: s[i+1:]}
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		return Brick{Host: s[:i], Path: s[i+1:]}
	}
	return Brick{Path: s}
}

type xmlVolList struct {
	XMLName xml.Name `xml:"cliOutput"`
	Volumes []string `xml:"volList>volume"`
}

// parseVolumeList reads `gluster --xml volume list`.
func parseVolumeList(env *envelope) ([]string, error) {
	var x xmlVolList
	if err := env.decode(&x); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(x.Volumes))
	for _, n := range x.Volumes {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names, nil
}

type xmlVolStatus struct {
	XMLName xml.Name `xml:"cliOutput"`
	Volumes []struct {
		Name  string `xml:"volName"`
		Nodes []struct {
			Hostname string `xml:"hostname"`
			Path     string `xml:"path"`
			PeerID   string `xml:"peerid"`
			Status   string `xml:"status"`
			Port     string `xml:"port"`
			TCP      string `xml:"ports>tcp"`
			PID      string `xml:"pid"`
		} `xml:"node"`
	} `xml:"volStatus>volumes>volume"`
}

// parseVolumeStatus reads `gluster --xml volume status [name] [detail]`.
// Nodes whose path is absolute are bricks; the others are daemons, which
// gluster lists with their name as hostname and the node as path.
func parseVolumeStatus(env *envelope) ([]VolumeStatus, error) {
	var x xmlVolStatus
	if err := env.decode(&x); err != nil {
		return nil, err
	}
	out := make([]VolumeStatus, 0, len(x.Volumes))
	for _, xv := range x.Volumes {
		vs := VolumeStatus{Name: strings.TrimSpace(xv.Name)}
		for _, n := range xv.Nodes {
			port := parseCount(n.Port)
			if port == 0 {
				port = parseCount(n.TCP)
			}
			pid := parseCount(n.PID)
			online := strings.TrimSpace(n.Status) == "1"
			path := strings.TrimSpace(n.Path)
			if strings.HasPrefix(path, "/") {
				vs.Bricks = append(vs.Bricks, BrickStatus{
					Host: strings.TrimSpace(n.Hostname), Path: path, PeerID: strings.TrimSpace(n.PeerID),
					Online: online, Port: port, PID: pid,
				})
				continue
			}
			vs.Daemons = append(vs.Daemons, DaemonStatus{
				Name: strings.TrimSpace(n.Hostname), Host: path, PeerID: strings.TrimSpace(n.PeerID),
				Online: online, Port: port, PID: pid,
			})
		}
		out = append(out, vs)
	}
	return out, nil
}

type xmlVolGet struct {
	XMLName xml.Name `xml:"cliOutput"`
	Opts    []struct {
		Option string `xml:"Option"`
		Value  string `xml:"Value"`
	} `xml:"volGetopts>Opt"`
}

// parseVolumeGet reads `gluster --xml volume get <vol> <key|all>`.
func parseVolumeGet(env *envelope) (map[string]string, error) {
	var x xmlVolGet
	if err := env.decode(&x); err != nil {
		return nil, err
	}
	m := make(map[string]string, len(x.Opts))
	for _, o := range x.Opts {
		m[strings.TrimSpace(o.Option)] = o.Value
	}
	return m, nil
}
