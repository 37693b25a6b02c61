package benchrepl

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/bench"
	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
)

// CycleTimeout bounds one checkpoint cycle and one reference copy: a GiB
// over the lab's wire with room for a stall and its fallback.
const CycleTimeout = 20 * time.Minute

// Settings are the session's settings a measurement runs with: gsyncd
// config on top of georep.DefaultTuning, the primary volume's changelog
// rollover time in seconds, and the secondary nodes' tar blocking factor.
type Settings struct {
	Config      map[string]string
	Rollover    int
	TarBlocking int
}

// Setup brings the session from the lab's primary to site to the settings
// measured (creating it when missing), and leaves it stopped. It makes the
// scratch volume on the site's first node that the reference commands
// write into, and returns the Replication and the function that removes
// the scratch volume.
func Setup(ctx context.Context, conn lab.Conn, site string, set Settings, repeats int) (*Replication, func(context.Context) error, error) {
	tuned := georep.DefaultTuning()
	maps.Copy(tuned, set.Config)
	ref, err := EnsureSession(ctx, conn, site, tuned)
	if err != nil {
		return nil, nil, err
	}
	primary, err := conn.Gluster("p1")
	if err != nil {
		return nil, nil, err
	}
	if err := primary.Stop(ctx, ref, false); err != nil {
		return nil, nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(tuned)) {
		if err := primary.ConfigSet(ctx, ref, k, tuned[k]); err != nil {
			return nil, nil, err
		}
	}
	if err := primary.SetOptions(ctx, ref.PrimaryVolume, map[string]string{gluster.RolloverOption: strconv.Itoa(set.Rollover)}); err != nil {
		return nil, nil, err
	}
	secondaries, err := conn.SiteNodes(site)
	if err != nil {
		return nil, nil, err
	}
	if err := georep.SetTarBlocking(ctx, georep.Nodes{Primary: primary, SecondaryNodes: secondaries}, ref, set.TarBlocking); err != nil {
		return nil, nil, err
	}
	s, err := conn.D.Site(site)
	if err != nil {
		return nil, nil, err
	}
	scratch, err := NewScratch(ctx, conn, s.Nodes[0])
	if err != nil {
		return nil, nil, err
	}
	p1, err := conn.Runner("p1")
	if err != nil {
		return nil, nil, errors.Join(err, scratch.Close(ctx))
	}
	p1files, err := conn.Files("p1")
	if err != nil {
		return nil, nil, errors.Join(err, scratch.Close(ctx))
	}
	marker := gluster.Marker{Files: p1files, Mount: lab.MountPath, By: "bench"}
	r := &Replication{Primary: primary, Ref: ref,
		Mount:   bench.Mount{Runner: p1, Path: lab.MountPath, Marker: marker.Write},
		Cycle:   gluster.CycleOptions{Timeout: CycleTimeout, StallAfter: lab.StallAfter},
		Wire:    Wire{From: p1, To: scratch, SSH: conn.D.SSH, Timeout: CycleTimeout},
		Repeats: repeats,
		Setup:   describe(tuned, set)}
	return r, scratch.Close, nil
}

// EnsureSession creates the session from the primary to site, with config,
// unless it exists.
func EnsureSession(ctx context.Context, conn lab.Conn, site string, config map[string]string) (gluster.SessionRef, error) {
	primary, err := conn.Gluster("p1")
	if err != nil {
		return gluster.SessionRef{}, err
	}
	ref, err := conn.D.SessionRef(site)
	if err != nil {
		return ref, err
	}
	_, err = primary.Status(ctx, ref)
	if errors.Is(err, gluster.ErrNoSession) {
		return lab.SetUpReplication(ctx, conn, site, config)
	}
	return ref, err
}

// ParseConfig reads gsyncd settings written as "key=value,key=value", as
// GLUSTERDR_BENCH_SESSION and the harness's -repl-session take them.
func ParseConfig(list string) (map[string]string, error) {
	out := map[string]string{}
	for kv := range strings.SplitSeq(list, ",") {
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%q is not key=value", kv)
		}
		out[k] = v
	}
	return out, nil
}

// describe is the session's settings as the rows' notes give them.
func describe(config map[string]string, set Settings) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(config)) {
		parts = append(parts, k+"="+config[k])
	}
	return strings.Join(parts, " ") + " " + gluster.RolloverOption + "=" + strconv.Itoa(set.Rollover) +
		" tar_blocking_factor=" + strconv.Itoa(set.TarBlocking)
}
