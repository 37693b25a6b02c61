# The whole DR topology of the glusterdr lab (`glusterdr lab up`): the sdsc
# and tacc peer clusters, and a geo-replication session from the primary's
# global volume to each. Everything is read from the lab's lab.json, so the
# same configuration works on any lab instance:
#
#   terraform apply -var lab_json=/srv/glusterdr-lab1/lab.json
terraform {
  required_providers {
    gluster = {
      source = "glusterdr/gluster"
    }
  }
}

variable "lab_json" {
  description = "Path of the lab's description, written by `glusterdr lab up`."
  type        = string
  default     = "/srv/glusterdr-lab/lab.json"
}

variable "deletion_protection" {
  description = "Protect the sites' volumes and pools from destroy; set false to tear the lab topology down."
  type        = bool
  default     = true
}

variable "glusterdr_path" {
  description = "The glusterdr CLI as p1 sees it; null: this repository's bin/glusterdr (make build)."
  type        = string
  default     = null
}

variable "inventory_file" {
  description = "The Ansible inventory the provisioning state is captured from, as p1 sees it; null: inventory.yml beside this file."
  type        = string
  default     = null
}

variable "runner" {
  description = "What the trigger runs: \"glusterdr\" (the CLI), \"playbook\" (glusterdr.dr.nightly), or null to let the provider look for the collection on p1."
  type        = string
  default     = "glusterdr"
}

locals {
  glusterdr = coalesce(var.glusterdr_path, abspath("${path.module}/../../bin/glusterdr"))
  inventory = coalesce(var.inventory_file, abspath("${path.module}/inventory.yml"))
}

locals {
  lab     = jsondecode(file(var.lab_json))
  node    = { for n in local.lab.nodes : n.name => n }
  site    = { for s in local.lab.sites : s.name => s }
  primary = local.node[local.site["primary"].nodes[0]].address
}

# The lab's SSH key, and its known_hosts: every host key is verified.
provider "gluster" {
  user             = local.lab.ssh.user
  port             = local.lab.ssh.port
  private_key_file = local.lab.ssh.private_key_file
  known_hosts_file = local.lab.ssh.known_hosts_file
}

# The sdsc site: a trusted pool of two nodes, one brick on each.
resource "gluster_peer_cluster" "sdsc" {
  nodes = [for n in local.site["sdsc"].nodes : local.node[n].address]
  volume = {
    name   = local.site["sdsc"].volume
    bricks = local.site["sdsc"].bricks
    force  = true # the lab's bricks live on the root file system
  }
  # On by default: destroying a DR copy must be deliberate.
  deletion_protection = var.deletion_protection
}

# The tacc site: one node.
resource "gluster_peer_cluster" "tacc" {
  nodes = [for n in local.site["tacc"].nodes : local.node[n].address]
  volume = {
    name   = local.site["tacc"].volume
    bricks = local.site["tacc"].bricks
    force  = true
  }
  deletion_protection = var.deletion_protection
}

# A session from the primary to each site. desired_state is left unset: the
# nightly schedule starts and stops the sessions, and plan must not call
# that drift. The sites' host keys are pinned for gsyncd (the default).
resource "gluster_georep_session" "sdsc" {
  primary_node     = local.primary
  primary_volume   = local.site["primary"].volume
  secondary_node   = gluster_peer_cluster.sdsc.nodes[0]
  secondary_volume = gluster_peer_cluster.sdsc.volume.name

  # Debian 12's current rsync (3.5.0) makes gsyncd's default rsync sync
  # deliver empty files while reporting success; tarssh (the provider's
  # default) copies the bytes.
  sync_method = "tarssh"
  # How often the primary's bricks close a changelog: a checkpoint cycle
  # waits this long after its marker. The provider's default; below 3 s
  # GlusterFS 10.3 was seen to lose changelogs.
  changelog_rollover_time = 5
}

resource "gluster_georep_session" "tacc" {
  primary_node     = local.primary
  primary_volume   = local.site["primary"].volume
  secondary_node   = gluster_peer_cluster.tacc.nodes[0]
  secondary_volume = gluster_peer_cluster.tacc.volume.name
  sync_method      = "tarssh"
}

# The nightly schedule, written onto p1, the lab's controller, as
# /etc/glusterdr/schedule.hcl, with its trigger: p1 runs no systemd, so an
# /etc/cron.d/glusterdr entry (p1's /etc is a copy-on-write layer: this
# machine's own /etc is untouched).
#
# dr_schedule is the name users asked for: its prefix is not the provider's,
# so the block says `provider = gluster`.
resource "dr_schedule" "lab" {
  provider        = gluster
  controller_node = local.primary
  glusterdr_path  = local.glusterdr
  runner          = var.runner

  cron               = "0 2 * * *"
  time_zone          = "UTC"
  checkpoint_timeout = "10m"
  # A lab cycle takes 10-30 s; a stalled checkpoint is stopped and started
  # after 30 s rather than 3 minutes (docs/gluster-facts.md, Checkpoints).
  checkpoint_stall_after = "30s"

  primary = {
    volume = local.site["primary"].volume
    node   = local.primary
    mount  = local.site["primary"].mount
  }

  # Each site through its session; sdsc reads the copy back on its second node.
  # After each verified set the site keeps a restore point: a whole tree of
  # its volume, hard-linked to the previous point where nothing changed, in
  # the node's own /var (the lab's bricks cannot take gluster snapshots).
  targets = [
    {
      name                = "sdsc"
      secondary_host      = gluster_georep_session.sdsc.secondary_node
      secondary_volume    = gluster_georep_session.sdsc.secondary_volume
      verify_node         = local.node[local.site["sdsc"].nodes[length(local.site["sdsc"].nodes) - 1]].address
      restore_points      = "link-tree"
      restore_point_store = "/var/lib/glusterdr/points"
    },
    {
      name                = "tacc"
      secondary_host      = gluster_georep_session.tacc.secondary_node
      secondary_volume    = gluster_georep_session.tacc.secondary_volume
      restore_points      = "link-tree"
      restore_point_store = "/var/lib/glusterdr/points"
    },
  ]

  retention = {
    daily  = 7
    weekly = 5
  }

  etcd = {
    endpoints = local.lab.etcd.endpoints
  }

  # The lab has no Kubernetes: its "cluster dump" is glusterd's volume
  # definitions, a real command on real files.
  cluster_dump = {
    command = ["cp", "-a", "/var/lib/glusterd/vols", "{dir}"]
  }

  provisioning = {
    inventory                 = [local.inventory]
    image_ref                 = "registry.example.org/platform/node:lab"
    ansible_inventory_command = ["ansible-inventory", "-i", local.inventory, "--list"]
  }

  # How the engine on p1 reaches the nodes: the key and known_hosts the lab
  # installs in p1's /root/.ssh.
  ssh = {
    user             = "root"
    private_key_file = "/root/.ssh/id_ed25519"
    known_hosts_file = "/root/.ssh/known_hosts"
  }
}

# The provisioning state of day one, in the backup folder on the global
# volume: replicated to both sites with everything else.
resource "gluster_provisioning_state" "initial" {
  controller_node           = dr_schedule.lab.controller_node
  primary_node              = dr_schedule.lab.primary.node
  backup_dir                = dr_schedule.lab.primary.backup_dir
  inventory                 = [local.inventory]
  image_ref                 = "registry.example.org/platform/node:lab"
  ansible_inventory_command = ["ansible-inventory", "-i", local.inventory, "--list"]
}

# The backup sets the nightly runs made; a warning when the newest did not
# verify.
data "dr_backup_sets" "lab" {
  provider     = gluster
  primary_node = dr_schedule.lab.primary.node
  backup_dir   = dr_schedule.lab.primary.backup_dir
}

check "newest_set_verified" {
  assert {
    condition     = try(data.dr_backup_sets.lab.sets[length(data.dr_backup_sets.lab.sets) - 1].status, "none") != "failed"
    error_message = "The newest backup set failed: see glusterdr sets --schedule /etc/glusterdr/schedule.hcl on p1."
  }
}

# The live status of the sdsc session, read on every plan: a warning when a
# worker is Faulty. (Outputs hold only stable values, so that a session the
# nightly schedule started or stopped does not change them: plan
# -detailed-exitcode then says 0 when nothing drifted.)
data "gluster_georep_status" "sdsc" {
  primary_node     = gluster_georep_session.sdsc.primary_node
  primary_volume   = gluster_georep_session.sdsc.primary_volume
  secondary_node   = gluster_georep_session.sdsc.secondary_node
  secondary_volume = gluster_georep_session.sdsc.secondary_volume
}

check "sdsc_session_healthy" {
  assert {
    condition     = data.gluster_georep_status.sdsc.status != "faulty"
    error_message = "A gsyncd worker of the session to sdsc is Faulty: see gluster volume geo-replication status on the primary."
  }
}

output "sessions" {
  description = "Each session's id and the host keys pinned for gsyncd."
  value = {
    for s in [gluster_georep_session.sdsc, gluster_georep_session.tacc] : s.secondary_node => {
      id               = s.id
      pinned_host_keys = s.pinned_host_keys
    }
  }
}

output "schedule" {
  description = "Where the schedule is, and the command its trigger runs each night on p1."
  value = {
    id              = dr_schedule.lab.id
    trigger_files   = dr_schedule.lab.trigger_files
    trigger_command = dr_schedule.lab.trigger_command
  }
}

output "primary_node" {
  description = "The primary node, where the sessions' gluster commands run."
  value       = local.primary
}

output "sdsc_node" {
  description = "The first node of the sdsc site, where its gluster commands run."
  value       = gluster_peer_cluster.sdsc.nodes[0]
}

output "tacc_node" {
  description = "The first node of the tacc site."
  value       = gluster_peer_cluster.tacc.nodes[0]
}
