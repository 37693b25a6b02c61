package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
)

// flagRules are the rules of the flags whose values reach a host or the
// file system, by flag name, whatever the command: the same rules as the
// provider's attributes and the schedule file's (internal/valid,
// internal/gluster). checkFlags applies them before any command runs, so a
// bad value is a usage error (exit 2) that names the flag, and nothing has
// been read, dialled or written.
var flagRules = map[string]func(string) error{
	"schedule":             valid.LocalPath,
	"output":               valid.LocalPath,
	"html":                 valid.LocalPath,
	"bench":                valid.LocalPath,
	"glusterdr":            valid.Path,
	"target":               valid.TargetName,
	"site":                 valid.TargetName,
	"from":                 valid.TargetName,
	"set":                  setID,
	"path":                 valid.Subtree,
	"etcd-data-dir":        valid.LocalPath,
	"etcd-name":            valid.EtcdName,
	"etcd-peer-url":        valid.Endpoint,
	"etcd-initial-cluster": valid.EtcdCluster,
	"step":                 oneOfFlag(append([]string{drrun.StepAll}, backupset.Steps...)),
	"state":                oneOfFlag(sessionStates),
	"trigger":              oneOfFlag(trigger.Kinds),
	"runner":               oneOfFlag(trigger.Runners),
	"timeout":              durationFlag,
	"config":               configPair,
	"files":                countFlag(1, maxBenchFiles),
	"size":                 countFlag(1, maxBenchFileSize),
	"instance":             instanceFlag,
	"log-level":            nil, // checked by globals.check
	"log-format":           nil,
}

// Bounds of bench's --files and --size.
const (
	maxBenchFiles    = 1_000_000
	maxBenchFileSize = 1 << 30
)

// checkFlags applies flagRules to the flags given on the command line, and
// to --schedule whatever set it ($GLUSTERDR_SCHEDULE sets its default).
func checkFlags(c *cobra.Command) error {
	var err error
	c.Flags().VisitAll(func(f *pflag.Flag) {
		rule := flagRules[f.Name]
		if err != nil || rule == nil || (!f.Changed && f.Name != "schedule") {
			return
		}
		for _, v := range flagValues(f) {
			if verr := rule(v); verr != nil {
				err = &usageError{fmt.Errorf("--%s: %w", f.Name, verr)}
				return
			}
		}
	})
	return err
}

// flagValues are a flag's values as given: each element of a repeatable
// flag.
func flagValues(f *pflag.Flag) []string {
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		return sv.GetSlice()
	}
	return []string{f.Value.String()}
}

func setID(s string) error {
	_, _, err := valid.SetID(s)
	return err
}

func oneOfFlag(allowed []string) func(string) error {
	return func(s string) error {
		if !slices.Contains(allowed, s) {
			return fmt.Errorf("%s: want one of %s", valid.Quote(s), strings.Join(allowed, ", "))
		}
		return nil
	}
}

// durationFlag checks a duration flag's value, which pflag has parsed
// already and prints back as time.Duration does.
func durationFlag(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%s is not a duration", valid.Quote(s))
	}
	return valid.Duration(d)
}

func countFlag(lo, hi int64) func(string) error {
	return func(s string) error {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("%s is not a number", valid.Quote(s))
		}
		return valid.Count(n, lo, hi)
	}
}

func instanceFlag(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%s is not a number", valid.Quote(s))
	}
	return lab.Instance(n).Valid()
}

// configPair checks one --config key=value of a geo-replication session,
// by gluster's rules for config keys and values.
func configPair(p string) error {
	k, v, ok := strings.Cut(p, "=")
	if !ok {
		return fmt.Errorf("%s: want key=value, e.g. sync_method=tarssh", valid.Quote(p))
	}
	if err := gluster.ValidConfigKey(k); err != nil {
		return fmt.Errorf("%s: %s", valid.Quote(p), plainInvalid(err))
	}
	if err := gluster.ValidConfigValue(v); err != nil {
		return fmt.Errorf("%s: %s", valid.Quote(p), plainInvalid(err))
	}
	return nil
}

// plainInvalid drops the "invalid argument: " prefix of gluster's checks.
func plainInvalid(err error) string {
	return strings.TrimPrefix(err.Error(), gluster.ErrInvalid.Error()+": ")
}
