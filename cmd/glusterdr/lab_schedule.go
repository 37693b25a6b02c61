package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// labSchedule is a nightly schedule for the running lab: the engine reaches
// the nodes with the lab's key and known_hosts, snapshots the lab's etcd,
// and, the lab having no Kubernetes, dumps glusterd's volume definitions as
// its "cluster dump" (a real command on real files, not a fake dump).
// stateDir holds the journal, status, lock and metrics; backupDir must be
// inside the global volume's mount.
func labSchedule(d *lab.Description, stateDir, backupDir string) (*schedule.Schedule, error) {
	p1, err := d.Node("p1")
	if err != nil {
		return nil, err
	}
	s := &schedule.Schedule{
		Cron: "0 2 * * *", TimeZone: "UTC", Rotation: schedule.RotationAlternate, CheckpointTimeout: 10 * time.Minute,
		// In the lab a cycle takes 15-60 s: answer a stall (docs/gluster-facts.md,
		// "Why a cycle stalled") after 30 s, not 3 minutes.
		CheckpointStallAfter: 30 * time.Second,
		SampleFiles:          20, DrillEvery: schedule.DefaultDrillEvery, StateDir: stateDir, LockFile: path.Join(stateDir, "run.lock"),
		MetricsFile: path.Join(stateDir, "metrics", "glusterdr.prom"),
		Primary:     schedule.Primary{Volume: lab.PrimaryVolume, Mount: lab.MountPath, Node: p1.Address, BackupDir: backupDir},
		SSH:         schedule.SSH{User: d.SSH.User, Port: d.SSH.Port, PrivateKeyFile: d.SSH.PrivateKeyFile, KnownHostsFile: d.SSH.KnownHostsFile},
		Retention:   retention.Policy{Daily: 7, Weekly: 5},
		Etcd:        &schedule.Etcd{Endpoints: d.Etcd.Endpoints, DialTimeout: 5 * time.Second},
		ClusterDump: schedule.ClusterDump{Command: []string{"cp", "-a", "/var/lib/glusterd/vols", schedule.DirPlaceholder}},
	}
	for _, site := range []string{"sdsc", "tacc"} {
		si, err := d.Site(site)
		if err != nil {
			return nil, err
		}
		first, err := d.Node(si.Nodes[0])
		if err != nil {
			return nil, err
		}
		verify, err := d.Node(si.Nodes[len(si.Nodes)-1]) // sdsc reads back on its second node
		if err != nil {
			return nil, err
		}
		// No restore points: the tests that want them say so (the store is
		// theirs to choose); examples/lab keeps link-tree points.
		s.Targets = append(s.Targets, schedule.Target{Name: site, PrimaryVolume: lab.PrimaryVolume, SecondaryHost: first.Address,
			SecondaryVolume: si.Volume, SecondaryUser: "root", SSHPort: 22, VerifyNode: verify.Address,
			RestorePoints: schedule.RestorePoints{Method: schedule.PointsNone, Node: verify.Address}})
	}
	s.RunTimeout = schedule.DefaultRunTimeout(s.Rotation, s.CheckpointTimeout, len(s.Targets))
	return s, nil
}

// newLabScheduleCommand writes the lab's schedule file.
func newLabScheduleCommand(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Write a nightly schedule file for the lab, for `glusterdr run --schedule`",
		Example: `  glusterdr lab schedule && glusterdr run --schedule /srv/glusterdr-lab/schedule.hcl
  glusterdr lab schedule --instance 1 --output /tmp/schedule.hcl`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			instance, err := c.Flags().GetInt("instance")
			if err != nil {
				return err
			}
			d, err := lab.Load(lab.Instance(instance).Dir())
			if err != nil {
				return err
			}
			if out == "" {
				out = filepath.Join(d.Dir, "schedule.hcl")
			}
			s, err := labSchedule(d, filepath.Join(d.Dir, "glusterdr"), path.Join(lab.MountPath, "backup"))
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, schedule.Encode(s), 0o640); err != nil {
				return err
			}
			if g.json {
				return printJSON(c.OutOrStdout(), map[string]string{"schedule": out})
			}
			fmt.Fprintln(c.OutOrStdout(), out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "output", "", "where to write it (default <lab dir>/schedule.hcl)")
	return cmd
}
