package gluster

import (
	"context"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

type xmlGeorepConfigRoot struct {
	XMLName xml.Name `xml:"cliOutput"`
	Config  struct {
		Items []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	} `xml:"geoRep>config"`
}

// parseGeorepConfig reads `gluster --xml volume geo-replication P S config`:
// every child of <config> is one key. Keys are kept as gluster spells them
// (GlusterFS 9 says master_*, 10 primary_*).
func parseGeorepConfig(env *envelope) (map[string]string, error) {
	var x xmlGeorepConfigRoot
	if err := env.decode(&x); err != nil {
		return nil, err
	}
	m := make(map[string]string, len(x.Config.Items))
	for _, it := range x.Config.Items {
		m[it.XMLName.Local] = strings.TrimSpace(it.Value)
	}
	return m, nil
}

// Config reads the session's whole configuration.
func (c *Client) Config(ctx context.Context, ref SessionRef) (map[string]string, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	op := "read config of geo-replication session " + ref.String()
	argv := georepArgv(false, true, ref, "config")
	env, err := c.callXML(ctx, op, argv)
	if err != nil {
		return nil, err
	}
	m, err := parseGeorepConfig(env)
	if err != nil {
		return nil, c.parseError(op, argv, err)
	}
	return m, nil
}

// ConfigGet reads one config value. It uses the plain `config KEY`, which
// prints the bare value (for checkpoint: epoch seconds).
func (c *Client) ConfigGet(ctx context.Context, ref SessionRef, key string) (string, error) {
	if err := ref.Validate(); err != nil {
		return "", err
	}
	if err := ValidConfigKey(key); err != nil {
		return "", err
	}
	out, err := c.callPlain(ctx, fmt.Sprintf("read config %s of geo-replication session %s", key, ref), georepArgv(false, false, ref, "config", key))
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(out), nil
}

// ConfigSet sets one config value. Changing a value restarts running
// workers.
//
// The gluster CLI takes every argument that starts with "--" for one of its
// own options, except in a geo-replication config command given without any
// leading option (parse_cmdline in cli.c). So a value such as rsync_options
// "--bwlimit=1000" is sent by the plain form, `gluster volume
// geo-replication P S config KEY VALUE`, without --xml.
func (c *Client) ConfigSet(ctx context.Context, ref SessionRef, key, value string) error {
	if err := ref.Validate(); err != nil {
		return err
	}
	if err := ValidConfigKey(key); err != nil {
		return err
	}
	if err := ValidConfigValue(value); err != nil {
		return fmt.Errorf("config %s: %w", key, err)
	}
	op := fmt.Sprintf("set config %s of geo-replication session %s", key, ref)
	if strings.HasPrefix(value, "--") {
		_, err := c.callPlain(ctx, op, georepArgv(false, false, ref, "config", key, value))
		return err
	}
	return c.callAction(ctx, op, georepArgv(false, true, ref, "config", key, value))
}

// ConfigReset puts one config value back to its default (`config '!KEY'`).
func (c *Client) ConfigReset(ctx context.Context, ref SessionRef, key string) error {
	if err := ref.Validate(); err != nil {
		return err
	}
	if err := ValidConfigKey(key); err != nil {
		return err
	}
	return c.callAction(ctx, fmt.Sprintf("reset config %s of geo-replication session %s", key, ref), georepArgv(false, true, ref, "config", "!"+key))
}

// SetCheckpoint runs `config checkpoint now` and reads back the time
// gluster recorded (epoch seconds), which status then reports per worker.
func (c *Client) SetCheckpoint(ctx context.Context, ref SessionRef) (time.Time, error) {
	if err := c.ConfigSet(ctx, ref, "checkpoint", "now"); err != nil {
		return time.Time{}, err
	}
	return c.Checkpoint(ctx, ref)
}

// Checkpoint reads the session's checkpoint; the zero time when none is set.
func (c *Client) Checkpoint(ctx context.Context, ref SessionRef) (time.Time, error) {
	v, err := c.ConfigGet(ctx, ref, "checkpoint")
	if err != nil {
		return time.Time{}, err
	}
	secs, perr := strconv.ParseInt(v, 10, 64)
	if perr != nil || secs < 0 {
		argv := georepArgv(false, false, ref, "config", "checkpoint")
		return time.Time{}, c.parseError("read checkpoint of geo-replication session "+ref.String(), argv,
			fmt.Errorf("checkpoint %q is not epoch seconds", v))
	}
	if secs == 0 {
		return time.Time{}, nil
	}
	return time.Unix(secs, 0).UTC(), nil
}
