package gluster

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// ErrSnapshotUnsupported: the volume's bricks cannot be snapshotted
// (gluster snapshots need every brick on its own thinly provisioned LV,
// and the LVM tools on every node).
var ErrSnapshotUnsupported = errors.New("the bricks cannot be snapshotted")

// Snapshot is one gluster snapshot, as `snapshot info` describes it.
type Snapshot struct {
	Name        string
	UUID        string
	Description string
	// Created is when the snapshot was taken ("" when not reported).
	Created string
	// Volume is the snapshot's own volume (a generated name), Origin the
	// volume it was taken of.
	Volume string
	Origin string
	// Activated is true when the snapshot's volume is started: only then
	// can it be mounted (host:/snaps/<name>/<origin>).
	Activated bool
}

// SnapshotBrick is one brick of a snapshot, as `snapshot status` reports it.
type SnapshotBrick struct {
	Path        string // host:/path of the snapshot brick
	VolumeGroup string
	Running     bool
	DataPercent string // of the thin LV, as gluster prints it
	LVSize      string
}

// MountSource is what `mount -t glusterfs` takes for an activated snapshot
// of origin, served by host.
func MountSource(host, snapshot, origin string) string {
	return host + ":/snaps/" + snapshot + "/" + origin
}

// CreateSnapshot takes a snapshot of volume called name exactly (no
// timestamp appended). Bricks that cannot be snapshotted give
// ErrSnapshotUnsupported with gluster's own reason.
func (c *Client) CreateSnapshot(ctx context.Context, name, volume string) (string, error) {
	if err := validSnapshot(name, volume); err != nil {
		return "", err
	}
	op := fmt.Sprintf("create snapshot %q of volume %q", name, volume)
	argv := glusterArgv(true, true, "snapshot", "create", name, volume, "no-timestamp")
	env, err := c.callXML(ctx, op, argv)
	if err != nil {
		return "", snapshotError(err, volume, c.Host())
	}
	var x struct {
		UUID string `xml:"snapCreate>snapshot>uuid"`
		Name string `xml:"snapCreate>snapshot>name"`
	}
	if err := env.decode(&x); err != nil || x.Name != name {
		return "", c.parseError(op, argv, fmt.Errorf("no snapshot %q in the answer (%v)", name, err))
	}
	return strings.TrimSpace(x.UUID), nil
}

// ActivateSnapshot starts the snapshot's volume, so that it can be
// mounted; an active one is left as it is.
func (c *Client) ActivateSnapshot(ctx context.Context, name string) error {
	return c.switchSnapshot(ctx, name, true)
}

// DeactivateSnapshot stops the snapshot's volume; an inactive one is left
// as it is.
func (c *Client) DeactivateSnapshot(ctx context.Context, name string) error {
	return c.switchSnapshot(ctx, name, false)
}

func (c *Client) switchSnapshot(ctx context.Context, name string, on bool) error {
	s, err := c.SnapshotInfo(ctx, name)
	if err != nil || s.Activated == on {
		return err
	}
	verb := map[bool]string{true: "activate", false: "deactivate"}[on]
	return c.callAction(ctx, fmt.Sprintf("%s snapshot %q", verb, name), glusterArgv(true, true, "snapshot", verb, name))
}

// DeleteSnapshot deletes a snapshot; one that does not exist is fine.
func (c *Client) DeleteSnapshot(ctx context.Context, name string) error {
	if err := validSnapshot(name, ""); err != nil {
		return err
	}
	err := c.callAction(ctx, fmt.Sprintf("delete snapshot %q", name), glusterArgv(true, true, "snapshot", "delete", name))
	if isKind(err, ErrNotFound) {
		return nil
	}
	return err
}

// ListSnapshots names the snapshots of volume.
func (c *Client) ListSnapshots(ctx context.Context, volume string) ([]string, error) {
	if err := validSnapshot("", volume); err != nil {
		return nil, err
	}
	op := fmt.Sprintf("list snapshots of volume %q", volume)
	argv := glusterArgv(false, true, "snapshot", "list", volume)
	env, err := c.callXML(ctx, op, argv)
	if err != nil {
		return nil, snapshotError(err, volume, c.Host())
	}
	var x struct {
		Names []string `xml:"snapList>snapshot"`
	}
	if err := env.decode(&x); err != nil {
		return nil, c.parseError(op, argv, err)
	}
	names := make([]string, 0, len(x.Names))
	for _, n := range x.Names {
		names = append(names, strings.TrimSpace(n))
	}
	return names, nil
}

// SnapshotInfo describes one snapshot; a missing one gives ErrNotFound.
func (c *Client) SnapshotInfo(ctx context.Context, name string) (*Snapshot, error) {
	if err := validSnapshot(name, ""); err != nil {
		return nil, err
	}
	op := fmt.Sprintf("read snapshot %q", name)
	argv := glusterArgv(false, true, "snapshot", "info", name)
	env, err := c.callXML(ctx, op, argv)
	if err != nil {
		return nil, err
	}
	snaps, err := parseSnapshotInfo(env)
	if err != nil {
		return nil, c.parseError(op, argv, err)
	}
	for i := range snaps {
		if snaps[i].Name == name {
			return &snaps[i], nil
		}
	}
	return nil, &Error{Op: op, Host: c.Host(), Argv: argv, Kind: ErrNotFound,
		Err: fmt.Errorf("snapshot %q missing from the answer", name), Hint: defaultHint(ErrNotFound, c.Host())}
}

// SnapshotStatus lists the bricks of a snapshot. GlusterFS 10 answers a
// missing snapshot with an empty list.
func (c *Client) SnapshotStatus(ctx context.Context, name string) ([]SnapshotBrick, error) {
	if err := validSnapshot(name, ""); err != nil {
		return nil, err
	}
	op := fmt.Sprintf("read the status of snapshot %q", name)
	argv := glusterArgv(false, true, "snapshot", "status", name)
	env, err := c.callXML(ctx, op, argv)
	if err != nil {
		return nil, err
	}
	bricks, err := parseSnapshotStatus(env, name)
	if err != nil {
		return nil, c.parseError(op, argv, err)
	}
	return bricks, nil
}

type xmlSnapshot struct {
	Name        string `xml:"name"`
	UUID        string `xml:"uuid"`
	Description string `xml:"description"`
	CreateTime  string `xml:"createTime"`
	Volumes     []struct {
		Name   string `xml:"name"`
		Status string `xml:"status"`
		Origin string `xml:"originVolume>name"`
	} `xml:"snapVolume"`
}

func parseSnapshotInfo(env *envelope) ([]Snapshot, error) {
	var x struct {
		XMLName xml.Name      `xml:"cliOutput"`
		Origin  string        `xml:"snapInfo>originVolume>name"`
		Snaps   []xmlSnapshot `xml:"snapInfo>snapshots>snapshot"`
	}
	if err := env.decode(&x); err != nil {
		return nil, err
	}
	out := make([]Snapshot, 0, len(x.Snaps))
	for _, s := range x.Snaps {
		snap := Snapshot{Name: strings.TrimSpace(s.Name), UUID: strings.TrimSpace(s.UUID),
			Description: strings.TrimSpace(s.Description), Created: strings.TrimSpace(s.CreateTime),
			Origin: strings.TrimSpace(x.Origin)}
		if snap.Name == "" {
			return nil, errors.New("a snapshot without a name")
		}
		if len(s.Volumes) > 0 {
			v := s.Volumes[0]
			snap.Volume = strings.TrimSpace(v.Name)
			snap.Activated = strings.EqualFold(strings.TrimSpace(v.Status), "Started")
			if o := strings.TrimSpace(v.Origin); o != "" {
				snap.Origin = o
			}
		}
		out = append(out, snap)
	}
	return out, nil
}

func parseSnapshotStatus(env *envelope, name string) ([]SnapshotBrick, error) {
	type xmlStatus struct {
		Name   string `xml:"name"`
		Bricks []struct {
			Path        string `xml:"path"`
			VolumeGroup string `xml:"volumeGroup"`
			Running     string `xml:"brick_running"`
			Data        string `xml:"data_percentage"`
			LVSize      string `xml:"lvSize"`
		} `xml:"volume>brick"`
	}
	// GlusterFS 10 nests the snapshots in <snapshots>; the single-snapshot
	// form of older releases puts <snapshot> right under <snapStatus>.
	var x struct {
		XMLName xml.Name    `xml:"cliOutput"`
		Nested  []xmlStatus `xml:"snapStatus>snapshots>snapshot"`
		Flat    []xmlStatus `xml:"snapStatus>snapshot"`
	}
	if err := env.decode(&x); err != nil {
		return nil, err
	}
	var out []SnapshotBrick
	for _, s := range append(x.Nested, x.Flat...) {
		if strings.TrimSpace(s.Name) != name {
			continue
		}
		for _, b := range s.Bricks {
			out = append(out, SnapshotBrick{Path: strings.TrimSpace(b.Path), VolumeGroup: strings.TrimSpace(b.VolumeGroup),
				Running: parseYesNo(b.Running), DataPercent: strings.TrimSpace(b.Data), LVSize: strings.TrimSpace(b.LVSize)})
		}
	}
	return out, nil
}

// snapshotError gives a refusal about the bricks its own kind and a hint.
func snapshotError(err error, volume, host string) error {
	var e *Error
	if !errors.As(err, &e) || !unsupportedSnapshot(e.OpErrstr+"\n"+e.Stderr+"\n"+e.Stdout) {
		return err
	}
	e.Kind = ErrSnapshotUnsupported
	e.Hint = fmt.Sprintf("gluster snapshots need every brick of %s on its own thinly provisioned LVM logical volume, "+
		"and the LVM tools on every node (as seen from %s). Use restore_points = \"link-tree\" for this site instead.", volume, host)
	return err
}

// unsupportedSnapshot recognises glusterd's refusals for bricks that are
// not thin LVs, or nodes without the LVM tools.
func unsupportedSnapshot(text string) bool {
	t := strings.ToLower(text)
	return strings.Contains(t, "thinly provisioned") || strings.Contains(t, "thin provisioned") ||
		strings.Contains(t, "lvm commands not found") || strings.Contains(t, "snapshot functionality is disabled")
}

// validSnapshot checks a snapshot name and a volume name where given;
// gluster's rules for both are the same.
func validSnapshot(name, volume string) error {
	if name != "" {
		if err := ValidVolumeName(name); err != nil {
			return invalid("snapshot name %q: %v", name, err)
		}
	}
	if volume != "" {
		return ValidVolumeName(volume)
	}
	return nil
}
