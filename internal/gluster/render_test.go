package gluster

import (
	"encoding/xml"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The renderers below write parsed values back as gluster's --xml output,
// so that the fuzz targets can check that a parse loses nothing it keeps:
// parse(render(parse(x))) == parse(x). The geo-replication status is
// rendered in both element spellings, GlusterFS >= 10 (primary/secondary)
// and <= 9 (master/slave), and each must read back the same.

// xmlDoc builds one --xml answer.
type xmlDoc struct{ b strings.Builder }

func newXMLDoc(env *envelope) *xmlDoc {
	d := &xmlDoc{}
	d.b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<cliOutput>")
	d.elem("opRet", strconv.Itoa(env.OpRet))
	d.elem("opErrno", strconv.Itoa(env.OpErrno))
	d.elem("opErrstr", env.OpErrstr)
	return d
}

// elem writes <name>text</name>, text escaped.
func (d *xmlDoc) elem(name, text string) {
	d.b.WriteString("<" + name + ">")
	if err := xml.EscapeText(&d.b, []byte(text)); err != nil {
		panic(err) // a strings.Builder does not fail
	}
	d.b.WriteString("</" + name + ">")
}

func (d *xmlDoc) open(names ...string) {
	for _, n := range names {
		d.b.WriteString("<" + n + ">")
	}
}

func (d *xmlDoc) close(names ...string) {
	for _, n := range slices.Backward(names) {
		d.b.WriteString("</" + n + ">")
	}
}

func (d *xmlDoc) bytes() []byte { return []byte(d.b.String() + "</cliOutput>\n") }

// generation names the elements that GlusterFS renamed in release 10.
type generation struct {
	name                             string
	primary, secondary, sessionOther string
}

var (
	gluster10 = generation{name: "GlusterFS >= 10", primary: "primary", secondary: "secondary", sessionOther: "session_secondary"}
	gluster9  = generation{name: "GlusterFS <= 9", primary: "master", secondary: "slave", sessionOther: "session_slave"}
)

func glusterTime(t time.Time) string {
	if t.IsZero() {
		return "N/A"
	}
	return t.UTC().Format(glusterTimeLayout)
}

func yesNo(b bool) string { return map[bool]string{true: "Yes", false: "No"}[b] }

// renderGeorepStatus writes sessions as `volume geo-replication status
// detail` does, in generation g's spelling. Every pair names the session's
// secondary as gluster does, ssh://[user@]host::volume.
func renderGeorepStatus(env *envelope, sessions []SessionStatus, g generation) []byte {
	d := newXMLDoc(env)
	d.open("geoRep")
	for _, s := range sessions {
		d.open("volume")
		d.elem("name", s.Ref.PrimaryVolume)
		d.open("sessions", "session")
		d.elem(g.sessionOther, s.Key)
		for _, w := range s.Workers {
			d.open("pair")
			d.elem(g.primary+"_node", w.PrimaryNode)
			d.elem(g.primary+"_brick", w.PrimaryBrick)
			d.elem(g.secondary+"_user", w.SecondaryUser)
			d.elem(g.secondary, "ssh://"+s.Ref.Secondary())
			d.elem(g.secondary+"_node", w.SecondaryNode)
			d.elem("status", w.Status)
			d.elem("crawl_status", w.CrawlStatus)
			d.elem("entry", strconv.Itoa(w.Entry))
			d.elem("data", strconv.Itoa(w.Data))
			d.elem("meta", strconv.Itoa(w.Meta))
			d.elem("failures", strconv.Itoa(w.Failures))
			d.elem("checkpoint_completed", yesNo(w.CheckpointCompleted))
			d.elem(g.primary+"_node_uuid", w.PrimaryNodeUUID)
			d.elem("last_synced", glusterTime(w.LastSynced))
			d.elem("checkpoint_time", glusterTime(w.CheckpointTime))
			d.elem("checkpoint_completion_time", glusterTime(w.CheckpointCompletionTime))
			d.close("pair")
		}
		d.close("sessions", "session")
		d.close("volume")
	}
	d.close("geoRep")
	return d.bytes()
}

// renderGeorepConfig writes a session's config, one element per key.
func renderGeorepConfig(env *envelope, config map[string]string) []byte {
	d := newXMLDoc(env)
	d.open("geoRep", "config")
	for _, k := range slices.Sorted(maps.Keys(config)) {
		d.elem(k, config[k])
	}
	d.close("geoRep", "config")
	return d.bytes()
}

// renderPeers writes `peer status` / `pool list`.
func renderPeers(env *envelope, peers []Peer) []byte {
	d := newXMLDoc(env)
	d.open("peerStatus")
	for _, p := range peers {
		d.open("peer")
		d.elem("uuid", p.UUID)
		d.elem("hostname", p.Hostname)
		d.open("hostnames")
		for _, h := range p.Hostnames {
			d.elem("hostname", h)
		}
		d.close("hostnames")
		d.elem("connected", map[bool]string{true: "1", false: "0"}[p.Connected])
		d.elem("stateStr", p.State)
		d.close("peer")
	}
	d.close("peerStatus")
	return d.bytes()
}

// renderVolumeInfo writes `volume info`.
func renderVolumeInfo(env *envelope, vols []Volume) []byte {
	d := newXMLDoc(env)
	d.open("volInfo", "volumes")
	for _, v := range vols {
		d.open("volume")
		d.elem("name", v.Name)
		d.elem("id", v.ID)
		d.elem("statusStr", string(v.Status))
		d.elem("typeStr", string(v.Type))
		d.elem("replicaCount", strconv.Itoa(v.Replica))
		d.open("bricks")
		for _, b := range v.Bricks {
			d.open("brick")
			d.elem("name", b.String())
			d.close("brick")
		}
		d.close("bricks")
		d.open("options")
		for _, k := range slices.Sorted(maps.Keys(v.Options)) {
			d.open("option")
			d.elem("name", k)
			d.elem("value", v.Options[k])
			d.close("option")
		}
		d.close("options")
		d.close("volume")
	}
	d.close("volInfo", "volumes")
	return d.bytes()
}

// renderVolumeList writes `volume list`.
func renderVolumeList(env *envelope, names []string) []byte {
	d := newXMLDoc(env)
	d.open("volList")
	d.elem("count", strconv.Itoa(len(names)))
	for _, n := range names {
		d.elem("volume", n)
	}
	d.close("volList")
	return d.bytes()
}

// renderVolumeStatus writes `volume status`: bricks first, then daemons,
// which gluster lists with their name as hostname and the node as path.
func renderVolumeStatus(env *envelope, vols []VolumeStatus) []byte {
	d := newXMLDoc(env)
	node := func(host, path, peer string, online bool, port, pid int) {
		d.open("node")
		d.elem("hostname", host)
		d.elem("path", path)
		d.elem("peerid", peer)
		d.elem("status", map[bool]string{true: "1", false: "0"}[online])
		d.elem("port", naOr(port))
		d.open("ports")
		d.elem("tcp", naOr(port))
		d.elem("rdma", "N/A")
		d.close("ports")
		d.elem("pid", naOr(pid))
		d.close("node")
	}
	d.open("volStatus", "volumes")
	for _, v := range vols {
		d.open("volume")
		d.elem("volName", v.Name)
		d.elem("nodeCount", strconv.Itoa(len(v.Bricks)+len(v.Daemons)))
		for _, b := range v.Bricks {
			node(b.Host, b.Path, b.PeerID, b.Online, b.Port, b.PID)
		}
		for _, dm := range v.Daemons {
			node(dm.Name, dm.Host, dm.PeerID, dm.Online, dm.Port, dm.PID)
		}
		d.close("volume")
	}
	d.close("volStatus", "volumes")
	return d.bytes()
}

func naOr(n int) string {
	if n == 0 {
		return "N/A"
	}
	return strconv.Itoa(n)
}

// renderVolumeGet writes `volume get VOL all`.
func renderVolumeGet(env *envelope, opts map[string]string) []byte {
	d := newXMLDoc(env)
	d.open("volGetopts")
	d.elem("count", strconv.Itoa(len(opts)))
	for _, k := range slices.Sorted(maps.Keys(opts)) {
		d.open("Opt")
		d.elem("Option", k)
		d.elem("Value", opts[k])
		d.close("Opt")
	}
	d.close("volGetopts")
	return d.bytes()
}

// reparse parses rendered output with the envelope and parser the input
// went through, and says where it failed.
func reparse[T any](rendered []byte, parse func(*envelope) (T, error)) (*envelope, T, error) {
	var zero T
	env, err := parseEnvelope(rendered)
	if err != nil {
		return nil, zero, fmt.Errorf("envelope of the rendered output: %w\n%s", err, rendered)
	}
	v, err := parse(env)
	if err != nil {
		return nil, zero, fmt.Errorf("rendered output: %w\n%s", err, rendered)
	}
	return env, v, nil
}
