// Package schedule reads and writes the schedule file, computes the next
// runs and chooses each night's targets.
//
// The dr_schedule Terraform resource writes the file onto the controller
// node with Encode; the nightly engine (glusterdr run) reads it with Parse.
// The package does no I/O: callers hand over and take back bytes.
//
// # The file
//
// The file is HCL native syntax, without variables or functions.
// testdata/schedule.hcl spells out every setting; testdata/minimal.hcl shows
// the few that are required. Defaults are in brackets.
//
//	cron               = "30 1 * * *"  # required: 5 cron fields, or @daily, @weekly, ...
//	time_zone          = "UTC"          # [UTC] IANA zone the cron fields are read in
//	rotation           = "alternate"    # [alternate] or "all"
//	checkpoint_timeout = "2h"           # [2h] wait for the geo-replication checkpoint
//	checkpoint_stall_after = "3m"       # [3m] nothing moves this long: stop/start once
//	run_timeout        = "5h"           # [see below] deadline of one glusterdr run
//	sample_files       = 20             # [20] volume files compared at the target; 0 warns
//	drill_every        = "168h"         # [168h] a site's newest restore point is drilled
//	                                    # by the nightly run once its last passed drill is older
//	state_dir          = "/var/lib/glusterdr"  # [/var/lib/glusterdr] journal and status
//	lock_file          = "/var/lib/glusterdr/run.lock"  # [<state_dir>/run.lock]
//	metrics_file       = "/var/lib/prometheus/node-exporter/glusterdr.prom"  # [that path]
//
//	primary {                           # required
//	  volume     = "global"             # required
//	  mount      = "/var/glfs/global"   # [/var/glfs/global] on node
//	  node       = "gluster-1"          # required: the host that mounts it
//	  backup_dir = "/var/glfs/global/backup"  # [<mount>/backup]
//	}
//
//	target "sdsc" {                     # one or more; names [a-z0-9_-]+, unique
//	  primary_volume   = "global"       # [primary.volume]
//	  secondary_host   = "dr-1.sdsc"    # required; no IPv6 (host::volume cannot hold one)
//	  secondary_volume = "global-dr"    # required
//	  secondary_user   = "root"         # [root]
//	  ssh_port         = 22             # [22]
//	  verify_node      = "dr-2.sdsc"    # [secondary_host] mounts the secondary read-only
//	  restore_points   = "link-tree"    # ["none"], "link-tree" or "gluster-snapshot": a
//	                                    # point-in-time copy of the site's volume per verified set
//	  restore_point_node = "dr-2.sdsc"  # [verify_node] the site node that makes and reads them
//	  restore_point_store = "/srv/points"  # link-tree only, required: the store folder on
//	                                    # restore_point_node, or inside restore_point_volume
//	  restore_point_volume = "points"   # link-tree only, optional: a volume of the site's
//	                                    # pool holding the store; never secondary_volume
//	}
//
//	ssh {                               # optional: how the engine reaches every node
//	  user             = "root"         # [root]           (the defaults of every node)
//	  port             = 22             # [22]
//	  private_key_file = "/root/.ssh/id_ed25519"  # [that path] on the controller
//	  known_hosts_file = "/root/.ssh/known_hosts"  # [that path]; host keys are always checked
//	  jump_host        = "bastion-1"    # [none] reach every node through this host (ssh -J),
//	                                    # except the jump host itself
//	  config_file      = "/root/.ssh/config"  # [none] also read this OpenSSH client config
//
//	  node "dr-1.tacc" {                # zero or more, one per host (a node of the schedule,
//	    address          = "10.9.0.31"  # a brick host or a jump host); each field [the ssh
//	    port             = 22           # block's]. address: dialed instead of the name
//	    user             = "root"
//	    private_key_file = "/root/.ssh/id_tacc"
//	    known_hosts_file = "/root/.ssh/known_hosts.tacc"
//	    jump_host        = "login.tacc" # [ssh.jump_host] this host's own; "none": direct
//	  }
//	}
//
//	retention {                         # optional; per target, by the calendar (UTC)
//	  daily      = 7                    # [7] days that have a set; 1 to 1000; under 4 warns
//	  weekly     = 5                    # [5] ISO weeks before those; 0 to 1000
//	  monthly    = 0                    # [0] months before those; 0 to 1000; needs weekly >= 1
//	  full_every = 0                    # [0] retired and ignored: every set is a full; above 0 warns
//	}
//
//	etcd {                              # optional: no block, no etcd snapshot
//	  endpoints    = ["https://10.0.0.11:2379"]  # required
//	  cacert       = "/etc/kubernetes/pki/etcd/ca.crt"  # optional paths on primary.node;
//	  cert         = "/etc/.../client.crt"             # cert and key go together
//	  key          = "/etc/.../client.key"
//	  dial_timeout = "5s"               # [5s]
//	}
//
//	cluster_dump {                      # optional
//	  # [the command below]; "{dir}" is replaced by the dump directory, and only
//	  # as a whole element: "--output-directory={dir}" is refused.
//	  command = ["kubectl", "cluster-info", "dump", "--all-namespaces",
//	             "--output-directory", "{dir}"]
//	}
//
//	provisioning {                      # optional: no block, no provisioning capture
//	  inventory                 = ["/etc/ansible/hosts"]  # [] files to copy
//	  image_ref                 = "registry/platform:1"  # [""]
//	  ansible_inventory_command = ["ansible-inventory", "--list"]  # [that argv]
//	}
//
// run_timeout bounds one `glusterdr run` (each step of the Ansible nightly
// is a run of its own): the engine ends a run that reaches it, the step it
// was in stays pending for the next run to resume, and the trigger's own
// timeout (internal/trigger) comes a few minutes later as the last resort.
// Its default allows every set of the night two checkpoint waits (replicate,
// and the verify step's one resend) and an hour for the rest:
//
//	run_timeout = sets × (2 × checkpoint_timeout + 1h)    (at most 168h)
//
// where sets is 1 with rotation alternate and the number of targets with
// all: 5h with the defaults. A written value must be at most 168h; one
// shorter than checkpoint_timeout, or not shorter than the gap between two
// runs of cron, warns.
//
// # Reaching the nodes
//
// A jump host is a host like any other: its user, port, key and known_hosts
// come from its own node block, else the ssh block's, and it is reached
// directly unless its node block names a jump host of its own (a chain, like
// ProxyJump). A chain that comes back to a host on it is refused. The
// engine keeps one connection per jump host and tunnels every node behind
// it through that one.
//
// config_file opts in to an OpenSSH client configuration: for each host the
// engine reaches by name, the Host sections that match that name give
// HostName, User, Port, IdentityFile (the first one) and ProxyJump, which
// override the ssh block's defaults; a node block overrides both. Nothing
// else is taken from it: host keys are always checked strictly against the
// known_hosts file, whatever StrictHostKeyChecking or UserKnownHostsFile
// say, and ProxyCommand is not run. The file is read with
// github.com/kevinburke/ssh_config: Include is followed, "Match host" and
// "Match all" work, and "Match exec" is refused as an error.
//
// Durations are Go durations ("90s", "2h30m") and must be positive. Paths
// must be absolute. Hosts, users and volume names are single words that
// cannot start with '-' and hold no whitespace or shell characters. Commands
// are argument vectors and are never handed to a shell.
//
// Parse reports every problem as an hcl.Diagnostic at the offending value,
// so a rendered message reads "schedule.hcl:12,15-20: ...". Encode writes the
// canonical form: every setting, defaults included, in the order above.
package schedule
