# The nightly DR policy, written onto the controller as
# /etc/glusterdr/schedule.hcl, with the trigger that runs it every night.
#
# dr_schedule is the name users asked for; its prefix is not the provider's
# ("gluster"), so the block must say `provider = gluster`, or Terraform
# looks for a provider called "dr".
resource "dr_schedule" "nightly" {
  provider        = gluster
  controller_node = "ctl.example.org"

  # 01:30 every night, on the wall clock of Los Angeles.
  cron      = "30 1 * * *"
  time_zone = "America/Los_Angeles"
  rotation  = "alternate" # one site a night: the one whose verified copy is oldest

  checkpoint_timeout = "3h"

  primary = {
    volume = "global"
    node   = "gluster1.example.org" # mounts /var/glfs/global
  }

  # One geo-replication session per site (gluster_georep_session), and a
  # restore point of the site's volume after every verified set: sdsc keeps
  # whole trees hard-linked to each other in a store on the second volume
  # of its pool (gluster_peer_cluster's store_volumes); tacc's bricks are
  # thin LVs, so it takes gluster snapshots.
  targets = [
    {
      name                 = "sdsc"
      secondary_host       = gluster_georep_session.sdsc.secondary_node
      secondary_volume     = gluster_georep_session.sdsc.secondary_volume
      verify_node          = "sdsc2.example.org" # reads the copy back
      restore_points       = "link-tree"
      restore_point_volume = gluster_peer_cluster.sdsc.store_volumes[0].name # mounted on sdsc2
      restore_point_store  = "/sdsc"                                         # a folder inside it
    },
    {
      name             = "tacc"
      secondary_host   = gluster_georep_session.tacc.secondary_node
      secondary_volume = gluster_georep_session.tacc.secondary_volume
      restore_points   = "gluster-snapshot"
    },
  ]

  # Each site's newest restore point is drilled when its last passed drill
  # is a week old.
  drill_every = "168h"

  # Per site: the newest verified set of each of the last 7 days that have
  # one (a 3-day weekend and a failed night), then of each of the 5 ISO
  # weeks before those.
  retention = {
    daily  = 7
    weekly = 5
  }

  etcd = {
    endpoints = ["https://10.0.0.11:2379"]
    cacert    = "/etc/kubernetes/pki/etcd/ca.crt"
    cert      = "/etc/kubernetes/pki/etcd/healthcheck-client.crt"
    key       = "/etc/kubernetes/pki/etcd/healthcheck-client.key"
  }

  provisioning = {
    inventory                 = ["/etc/ansible/inventory/hosts.yml"]
    image_ref                 = "registry.example.org/platform/node:2026.11"
    ansible_inventory_command = ["ansible-inventory", "-i", "/etc/ansible/inventory/hosts.yml", "--list"]
  }

  # How the engine, on the controller, reaches the primary and the sites:
  # tacc's nodes only through its login host, which has a key of its own.
  ssh = {
    private_key_file = "/etc/glusterdr/id_ed25519"
    known_hosts_file = "/etc/glusterdr/known_hosts"
    nodes = {
      "login.tacc.example.org" = {
        user             = "glusterdr"
        private_key_file = "/etc/glusterdr/id_tacc_login"
      }
      "tacc1.example.org" = { # the tacc session's secondary node
        jump_host = "login.tacc.example.org"
      }
    }
  }
}

output "nightly" {
  value = {
    next_runs = dr_schedule.nightly.next_runs
    trigger   = dr_schedule.nightly.trigger_command
  }
}
