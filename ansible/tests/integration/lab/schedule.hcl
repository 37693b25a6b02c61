# The nightly schedule of the lab (instance 0), as dr_schedule would write it
# on the controller node p1. The engine runs on p1 and reaches the nodes with
# the key and known_hosts the lab installed in p1's /root/.ssh.

cron               = "0 2 * * *"
time_zone          = "UTC"
rotation           = "alternate"
checkpoint_timeout = "10m"
# The live changelog crawl was seen to wait forever; stop/start it sooner.
checkpoint_stall_after = "30s"
sample_files       = 20
state_dir          = "/var/lib/glusterdr"
lock_file          = "/var/lib/glusterdr/run.lock"
metrics_file       = "/var/lib/glusterdr/metrics/glusterdr.prom"

primary {
  volume     = "global"
  mount      = "/var/glfs/global"
  node       = "198.51.100.10"
  backup_dir = "/var/glfs/global/backup"
}

target "sdsc" {
  primary_volume   = "global"
  secondary_host   = "198.51.100.21"
  secondary_volume = "global-dr"
  secondary_user   = "root"
  ssh_port         = 22
  verify_node      = "198.51.100.22"
  # A link-tree store in the node's own /var (each lab node has its own).
  restore_points      = "link-tree"
  restore_point_store = "/var/lib/glusterdr/points"
}

target "tacc" {
  primary_volume   = "global"
  secondary_host   = "198.51.100.31"
  secondary_volume = "global-dr"
  secondary_user   = "root"
  ssh_port         = 22
  verify_node      = "198.51.100.31"
  restore_points      = "link-tree"
  restore_point_store = "/var/lib/glusterdr/points"
}

ssh {
  user             = "root"
  port             = 22
  private_key_file = "/root/.ssh/id_ed25519"
  known_hosts_file = "/root/.ssh/known_hosts"
}

retention {
  daily      = 7
  weekly     = 5
  monthly    = 0
  full_every = 0
}

etcd {
  endpoints    = ["http://198.51.100.10:23790"]
  dial_timeout = "5s"
}

# The lab has no Kubernetes: glusterd's volume definitions stand in for the
# cluster dump (a real command on real files).
cluster_dump {
  command = ["cp", "-a", "/var/lib/glusterd/vols", "{dir}"]
}

# What the glusterdr.dr.provisioning_state role staged.
provisioning {
  ansible_inventory_command = ["cat", "/var/lib/glusterdr/provisioning/inventory.json"]
  inventory                 = ["/var/lib/glusterdr/provisioning/files/inventory.ini"]
  image_ref                 = "registry.example.org/platform/node:lab"
}
