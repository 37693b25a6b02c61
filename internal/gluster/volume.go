package gluster

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// VolumeSpec describes a volume to create.
type VolumeSpec struct {
	Name string
	// Type is Distribute (the default when empty) or Replicate.
	Type VolumeType
	// Replica is the replica count for Replicate (at least 2); the number
	// of bricks must be a multiple of it.
	Replica int
	// Bricks in order; for Replicate, each run of Replica bricks is one
	// replica set.
	Bricks []Brick
	// Force passes "force", which gluster needs for bricks on the root
	// file system or for replica sets on one host.
	Force bool
}

// Validate checks the spec the way the gluster CLI would, before anything
// runs: a valid name, valid and distinct bricks, a replica count that fits.
func (s VolumeSpec) Validate() error {
	if err := ValidVolumeName(s.Name); err != nil {
		return err
	}
	if len(s.Bricks) == 0 {
		return invalid("volume %q has no bricks", s.Name)
	}
	seen := make(map[Brick]bool, len(s.Bricks))
	for _, b := range s.Bricks {
		if err := ValidHost(b.Host); err != nil {
			return err
		}
		if err := ValidBrickPath(b.Path); err != nil {
			return err
		}
		// The CLI refuses loopback brick hosts (cli_cmd_bricks_parse).
		if b.Host == "localhost" || b.Host == "127.0.0.1" || strings.HasPrefix(b.Host, "0.") || b.Host == "::1" {
			return invalid("brick host %q is a loopback address; gluster needs a name the peers can resolve", b.Host)
		}
		if seen[b] {
			return invalid("brick %s is listed twice", b)
		}
		seen[b] = true
	}
	switch s.Type {
	case "", Distribute:
		if s.Replica > 1 {
			return invalid("volume %q: replica %d needs type %q", s.Name, s.Replica, Replicate)
		}
	case Replicate:
		if s.Replica < 2 {
			return invalid("volume %q: replicate needs a replica count of at least 2, got %d", s.Name, s.Replica)
		}
		if len(s.Bricks)%s.Replica != 0 {
			return invalid("volume %q: %d bricks are not a multiple of replica %d", s.Name, len(s.Bricks), s.Replica)
		}
	default:
		return invalid("volume %q: type %q is not supported; use %q or %q", s.Name, s.Type, Distribute, Replicate)
	}
	return nil
}

// CreateVolume creates (but does not start) a volume. A volume that exists
// already gives ErrAlreadyExists.
func (c *Client) CreateVolume(ctx context.Context, spec VolumeSpec) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	args := []string{"volume", "create", spec.Name}
	if spec.Type == Replicate {
		args = append(args, "replica", strconv.Itoa(spec.Replica))
	}
	for _, b := range spec.Bricks {
		args = append(args, b.String())
	}
	if spec.Force {
		args = append(args, "force")
	}
	err := c.callAction(ctx, fmt.Sprintf("create volume %q", spec.Name), glusterArgv(true, true, args...))
	if err != nil {
		return withHint(err, fmt.Sprintf("Volume %q exists already: import it, or delete it first if it is really unwanted.", spec.Name), ErrAlreadyExists)
	}
	return nil
}

// StartVolume starts a volume; one that is started already is fine.
func (c *Client) StartVolume(ctx context.Context, name string) error {
	if err := ValidVolumeName(name); err != nil {
		return err
	}
	err := c.callAction(ctx, fmt.Sprintf("start volume %q", name), glusterArgv(true, true, "volume", "start", name))
	if isKind(err, ErrAlreadyStarted) {
		return nil
	}
	return err
}

// StopVolume stops a volume; one that is stopped already is fine (the CLI
// exits 1 for it: "is not in the started state").
func (c *Client) StopVolume(ctx context.Context, name string) error {
	if err := ValidVolumeName(name); err != nil {
		return err
	}
	err := c.callAction(ctx, fmt.Sprintf("stop volume %q", name), glusterArgv(true, true, "volume", "stop", name))
	if isKind(err, ErrAlreadyStopped) {
		return nil
	}
	return err
}

// DeleteVolume deletes a stopped volume. A missing one gives ErrNotFound.
func (c *Client) DeleteVolume(ctx context.Context, name string) error {
	if err := ValidVolumeName(name); err != nil {
		return err
	}
	err := c.callAction(ctx, fmt.Sprintf("delete volume %q", name), glusterArgv(true, true, "volume", "delete", name))
	return withHint(err, fmt.Sprintf("Stop volume %q first if it is started; a volume used by a geo-replication session needs the session deleted first.", name), nil)
}

// SetOptions sets volume options, one `volume set` per key, in key order.
func (c *Client) SetOptions(ctx context.Context, name string, opts map[string]string) error {
	if err := ValidVolumeName(name); err != nil {
		return err
	}
	keys := make([]string, 0, len(opts))
	for k := range opts {
		if err := ValidOptionKey(k); err != nil {
			return err
		}
		if err := ValidOptionValue(opts[k]); err != nil {
			return fmt.Errorf("option %s: %w", k, err)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		argv := glusterArgv(true, true, "volume", "set", name, k, opts[k])
		if err := c.callAction(ctx, fmt.Sprintf("set option %s on volume %q", k, name), argv); err != nil {
			return withHint(err, fmt.Sprintf("Check the option name and value with `gluster volume set help` or `gluster volume get %s %s`.", name, k), nil)
		}
	}
	return nil
}

// ResetOption puts one volume option back to its default.
func (c *Client) ResetOption(ctx context.Context, name, key string) error {
	return c.resetOption(ctx, name, key, false)
}

// ForceResetOption resets an option that gluster guards, such as
// geo-replication.indexing, which the administrator guide resets with
// "force" when a promoted secondary is handed back.
func (c *Client) ForceResetOption(ctx context.Context, name, key string) error {
	return c.resetOption(ctx, name, key, true)
}

func (c *Client) resetOption(ctx context.Context, name, key string, force bool) error {
	if err := ValidVolumeName(name); err != nil {
		return err
	}
	if err := ValidOptionKey(key); err != nil {
		return err
	}
	args := []string{"volume", "reset", name, key}
	if force {
		args = append(args, "force")
	}
	return c.callAction(ctx, fmt.Sprintf("reset option %s on volume %q", key, name), glusterArgv(true, true, args...))
}

// GetOption reads one option's effective value (`volume get`), default or not.
func (c *Client) GetOption(ctx context.Context, name, key string) (string, error) {
	if err := ValidVolumeName(name); err != nil {
		return "", err
	}
	if err := ValidOptionKey(key); err != nil {
		return "", err
	}
	argv := glusterArgv(false, true, "volume", "get", name, key)
	op := fmt.Sprintf("get option %s of volume %q", key, name)
	env, err := c.callXML(ctx, op, argv)
	if err != nil {
		return "", err
	}
	m, err := parseVolumeGet(env)
	if err != nil {
		return "", c.parseError(op, argv, err)
	}
	v, ok := m[key]
	if !ok {
		return "", c.parseError(op, argv, fmt.Errorf("option %s missing from the answer", key))
	}
	return v, nil
}

// VolumeInfo describes one volume; a missing one gives ErrNotFound.
func (c *Client) VolumeInfo(ctx context.Context, name string) (*Volume, error) {
	if err := ValidVolumeName(name); err != nil {
		return nil, err
	}
	argv := glusterArgv(false, true, "volume", "info", name)
	op := fmt.Sprintf("read volume %q", name)
	env, err := c.callXML(ctx, op, argv)
	if err != nil {
		return nil, err
	}
	vols, err := parseVolumeInfo(env)
	if err != nil {
		return nil, c.parseError(op, argv, err)
	}
	for i := range vols {
		if vols[i].Name == name {
			return &vols[i], nil
		}
	}
	return nil, &Error{Op: op, Host: c.Host(), Argv: argv, Kind: ErrNotFound,
		Err: fmt.Errorf("volume %q missing from the answer", name), Hint: defaultHint(ErrNotFound, c.Host())}
}

// ListVolumes names every volume of the cluster.
func (c *Client) ListVolumes(ctx context.Context) ([]string, error) {
	argv := glusterArgv(false, true, "volume", "list")
	env, err := c.callXML(ctx, "list volumes", argv)
	if err != nil {
		return nil, err
	}
	names, err := parseVolumeList(env)
	if err != nil {
		return nil, c.parseError("list volumes", argv, err)
	}
	return names, nil
}

// VolumeStatus reports a started volume's brick processes. A stopped volume
// gives ErrAlreadyStopped, a missing one ErrNotFound.
func (c *Client) VolumeStatus(ctx context.Context, name string) (*VolumeStatus, error) {
	if err := ValidVolumeName(name); err != nil {
		return nil, err
	}
	argv := glusterArgv(false, true, "volume", "status", name)
	op := fmt.Sprintf("read status of volume %q", name)
	env, err := c.callXML(ctx, op, argv)
	if err != nil {
		return nil, withHint(err, fmt.Sprintf("Volume %q is not started; start it to see its bricks.", name), ErrAlreadyStopped)
	}
	all, err := parseVolumeStatus(env)
	if err != nil {
		return nil, c.parseError(op, argv, err)
	}
	for i := range all {
		if all[i].Name == name {
			return &all[i], nil
		}
	}
	return nil, c.parseError(op, argv, fmt.Errorf("volume %q missing from the answer", name))
}

// parseError wraps a payload that did not decode.
func (c *Client) parseError(op string, argv []string, err error) error {
	return &Error{Op: op, Host: c.Host(), Argv: argv, Kind: ErrUnexpectedOutput, Err: err,
		Hint: defaultHint(ErrUnexpectedOutput, c.Host())}
}
