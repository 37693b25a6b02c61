# The nightly DR schedule of the research platform: every setting spelled out.

cron               = "30 1 * * *" # 01:30 every night...
time_zone          = "America/Los_Angeles" # ...on the controller's wall clock
rotation           = "alternate"
checkpoint_timeout = "3h"
checkpoint_stall_after = "5m"
run_timeout        = "6h" # [2 x checkpoint_timeout + 1h]
sample_files       = 50
drill_every        = "72h"
state_dir          = "/var/lib/glusterdr"
lock_file          = "/run/glusterdr.lock"
metrics_file       = "/var/lib/prometheus/node-exporter/glusterdr.prom"

primary {
  volume     = "global"
  mount      = "/var/glfs/global"
  node       = "gluster-1.example.org"
  backup_dir = "/var/glfs/global/backup"
}

target "sdsc" {
  secondary_host   = "dr-1.sdsc.example.org"
  secondary_volume = "global-dr"
  verify_node      = "dr-2.sdsc.example.org"
  restore_points   = "link-tree"
  restore_point_store = "/srv/glusterdr/points"
}

target "tacc" {
  primary_volume   = "global"
  secondary_host   = "198.51.100.31"
  secondary_volume = "global-dr"
  secondary_user   = "georep"
  ssh_port         = 2222
  restore_points   = "gluster-snapshot"
  restore_point_node = "198.51.100.32"
}

ssh {
  user             = "glusterdr"
  port             = 2200
  private_key_file = "/etc/glusterdr/id_ed25519"
  known_hosts_file = "/etc/glusterdr/known_hosts"
  config_file      = "/etc/glusterdr/ssh_config"

  node "login.tacc.example.org" { # the bastion in front of tacc
    user             = "jump"
    port             = 22
    private_key_file = "/etc/glusterdr/id_tacc_bastion"
    known_hosts_file = "/etc/glusterdr/known_hosts.tacc"
  }

  node "198.51.100.31" {
    jump_host = "login.tacc.example.org"
  }

  node "198.51.100.32" {
    address   = "dr-2.tacc.internal"
    user      = "root"
    jump_host = "login.tacc.example.org"
  }
}

retention {
  daily      = 7
  weekly     = 5
  monthly    = 3
  full_every = 0
}

etcd {
  endpoints    = ["https://10.0.0.11:2379", "https://10.0.0.12:2379"]
  cacert       = "/etc/kubernetes/pki/etcd/ca.crt"
  cert         = "/etc/kubernetes/pki/etcd/healthcheck-client.crt"
  key          = "/etc/kubernetes/pki/etcd/healthcheck-client.key"
  dial_timeout = "10s"
}

cluster_dump {
  command = ["kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf",
    "cluster-info", "dump", "--all-namespaces", "--output-directory", "{dir}"]
}

provisioning {
  inventory                 = ["/etc/ansible/inventory/hosts.ini", "/etc/ansible/inventory/group_vars/all.yml"]
  image_ref                 = "registry.example.org/platform/node:2026.11"
  ansible_inventory_command = ["ansible-inventory", "-i", "/etc/ansible/inventory/hosts.ini", "--list"]
}
