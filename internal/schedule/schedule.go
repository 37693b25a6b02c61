package schedule

import (
	"slices"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
)

// Schedule is a parsed schedule file with every default filled in.
type Schedule struct {
	Cron              string        // 5-field cron expression or descriptor, in TimeZone
	TimeZone          string        // IANA zone name
	Rotation          Rotation      // which targets a night replicates to
	CheckpointTimeout time.Duration // how long to wait for the geo-replication checkpoint
	// CheckpointStallAfter: a checkpoint wait in which nothing moves for this
	// long stops and starts the session once.
	CheckpointStallAfter time.Duration
	// RunTimeout is the deadline of one `glusterdr run`: the engine ends a
	// run that reaches it, leaving the step it was in to be resumed.
	RunTimeout  time.Duration
	SampleFiles int // volume files compared at the target per verification
	// DrillEvery: a nightly run drills a site's newest restore point when
	// the site's last passed restore drill is older than this.
	DrillEvery  time.Duration
	StateDir    string // journal and status
	LockFile    string // one run at a time
	MetricsFile string // Prometheus textfile

	Primary      Primary
	Targets      []Target // in declared order
	SSH          SSH      // how the engine reaches the primary node and the verify nodes
	Retention    retention.Policy
	Etcd         *Etcd // nil: no etcd snapshot
	ClusterDump  ClusterDump
	Provisioning *Provisioning // nil: no provisioning state capture
}

// Primary is the global volume being protected.
type Primary struct {
	Volume    string // gluster volume name
	Mount     string // where it is mounted on Node
	Node      string // host that mounts it; the engine opens backup sets there
	BackupDir string // folder of the backup sets, inside the volume
}

// Target is one DR site: a geo-replication session from the primary volume
// to a volume there.
type Target struct {
	Name            string // [a-z0-9_-]+; ends the backup set folder names
	PrimaryVolume   string
	SecondaryHost   string
	SecondaryVolume string
	SecondaryUser   string
	SSHPort         int
	VerifyNode      string // site host where the secondary is mounted read-only to verify
	RestorePoints   RestorePoints
}

// Session is the geo-replication session to the target.
func (t Target) Session() gluster.SessionRef {
	return gluster.SessionRef{PrimaryVolume: t.PrimaryVolume, SecondaryUser: t.SecondaryUser,
		SecondaryHost: t.SecondaryHost, SecondaryVolume: t.SecondaryVolume}
}

// RestorePoints says how a target keeps a point-in-time copy of its volume
// after each verified set.
type RestorePoints struct {
	Method string // PointsNone, PointsLinkTree or PointsSnapshot
	// Node is the site node that makes, reads and deletes the points.
	Node string
	// Store is the folder of the link-tree points: on Node, or inside
	// Volume when that is set.
	Store string
	// Volume is a volume of the site's pool that holds the store, mounted
	// on Node; "" keeps the store in a folder of Node.
	Volume string
}

// The restore point methods.
const (
	PointsNone     = "none"
	PointsLinkTree = "link-tree"
	PointsSnapshot = "gluster-snapshot"
)

// PointMethods lists the methods, for validators and descriptions.
var PointMethods = []string{PointsNone, PointsLinkTree, PointsSnapshot}

// Etcd says how to reach etcd for the snapshot.
type Etcd struct {
	Endpoints   []string
	CACert      string // paths on the primary node; empty when unused
	Cert        string
	Key         string
	DialTimeout time.Duration
}

// ClusterDump is the command that dumps the Kubernetes cluster into a
// directory.
type ClusterDump struct {
	Command []string // argv; the element DirPlaceholder is replaced by the directory
}

// Argv is the dump command for directory dir. Only an element that is
// exactly DirPlaceholder is replaced; Parse rejects the placeholder inside a
// longer element.
func (c ClusterDump) Argv(dir string) []string {
	argv := slices.Clone(c.Command)
	for i, arg := range argv {
		if arg == DirPlaceholder {
			argv[i] = dir
		}
	}
	return argv
}

// Provisioning says what Ansible provisioning state to capture.
type Provisioning struct {
	Inventory               []string // inventory files to copy
	ImageRef                string   // the image reference the platform was built from
	AnsibleInventoryCommand []string // argv printing every host's variables as JSON
}

// Rotation says which targets a night replicates to.
type Rotation string

// The rotations.
const (
	// RotationAlternate replicates to one target a night: the one whose last
	// verified copy is oldest.
	RotationAlternate Rotation = "alternate"
	// RotationAll replicates to every target every night, in declared order.
	RotationAll Rotation = "all"
)

// Rotations lists the valid rotations, for validators and descriptions.
var Rotations = []string{string(RotationAlternate), string(RotationAll)}

// Defaults of the schedule file. Paths that derive from other settings
// (backup_dir, lock_file, primary_volume, verify_node) are described on the
// attributes in the package documentation.
const (
	DefaultTimeZone          = "UTC"
	DefaultRotation          = RotationAlternate
	DefaultCheckpointTimeout = 2 * time.Hour
	DefaultStallAfter        = 3 * time.Minute
	// RunOverhead is what DefaultRunTimeout allows a set for its steps
	// other than the checkpoint waits.
	RunOverhead = time.Hour
	// MaxRunTimeout bounds run_timeout, as valid.MaxDuration bounds every
	// duration.
	MaxRunTimeout      = valid.MaxDuration
	DefaultSampleFiles = 20
	// MaxSampleFiles bounds sample_files: each is read at the target.
	MaxSampleFiles         = 100000
	DefaultDrillEvery      = 7 * 24 * time.Hour
	DefaultPointMethod     = PointsNone
	DefaultStateDir        = "/var/lib/glusterdr"
	DefaultLockFileName    = "run.lock" // inside state_dir
	DefaultMetricsFile     = "/var/lib/prometheus/node-exporter/glusterdr.prom"
	DefaultMount           = "/var/glfs/global"
	DefaultBackupDirName   = "backup" // inside the mount
	DefaultSecondaryUser   = "root"
	DefaultSSHPort         = 22
	DefaultEtcdDialTimeout = 5 * time.Second
	// The ssh block: how the engine reaches the nodes.
	DefaultNodeUser       = "root"
	DefaultNodePort       = 22
	DefaultPrivateKeyFile = "/root/.ssh/id_ed25519"
	DefaultKnownHostsFile = "/root/.ssh/known_hosts"
	// DefaultCommandTimeout is ssh.command_timeout; the gluster CLI gives
	// up on glusterd after 120 s by itself. MinCommandTimeout and
	// MaxCommandTimeout bound it.
	DefaultCommandTimeout = 5 * time.Minute
	MinCommandTimeout     = 5 * time.Second
	MaxCommandTimeout     = time.Hour
	DefaultDaily          = 7
	DefaultWeekly         = 5
	// MinSafeDaily is the smallest daily stack that covers a 3-day weekend
	// plus a failed night; a smaller one draws a warning.
	MinSafeDaily = 4

	// DirPlaceholder stands for the dump directory in cluster_dump.command.
	DirPlaceholder = "{dir}"
)

// DefaultRunTimeout is run_timeout when the file leaves it out. A night
// opens one set with rotation alternate and one per target with all, and
// each set may wait checkpoint_timeout twice, in replicate and in the verify
// step's one resend, plus RunOverhead for its other steps:
//
//	run_timeout = sets × (2 × checkpoint_timeout + 1h), at most MaxRunTimeout
//
// which is 5h with the defaults.
func DefaultRunTimeout(rotation Rotation, checkpointTimeout time.Duration, targets int) time.Duration {
	sets := 1
	if rotation == RotationAll && targets > 1 {
		sets = targets
	}
	return min(time.Duration(sets)*(2*checkpointTimeout+RunOverhead), MaxRunTimeout)
}

// DefaultClusterDumpCommand is the default cluster_dump.command.
func DefaultClusterDumpCommand() []string {
	return []string{"kubectl", "cluster-info", "dump", "--all-namespaces", "--output-directory", DirPlaceholder}
}

// DefaultAnsibleInventoryCommand is the default
// provisioning.ansible_inventory_command.
func DefaultAnsibleInventoryCommand() []string {
	return []string{"ansible-inventory", "--list"}
}

// Target returns the target called name.
func (s *Schedule) Target(name string) (Target, bool) {
	for _, t := range s.Targets {
		if t.Name == name {
			return t, true
		}
	}
	return Target{}, false
}
