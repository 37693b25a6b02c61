# glusterdr schedule, written by the dr_schedule Terraform resource.
# Edits here show up as drift in terraform plan.

cron                   = "@daily"
time_zone              = "UTC"
rotation               = "alternate"
checkpoint_timeout     = "2h"
checkpoint_stall_after = "3m"
run_timeout            = "5h"
sample_files           = 20
drill_every            = "168h"
state_dir              = "/var/lib/glusterdr"
lock_file              = "/var/lib/glusterdr/run.lock"
metrics_file           = "/var/lib/prometheus/node-exporter/glusterdr.prom"

primary {
  volume     = "global"
  mount      = "/var/glfs/global"
  node       = "gluster-1.example.org"
  backup_dir = "/var/glfs/global/backup"
}

target "sdsc" {
  primary_volume     = "global"
  secondary_host     = "dr-1.sdsc.example.org"
  secondary_volume   = "global-dr"
  secondary_user     = "root"
  ssh_port           = 22
  verify_node        = "dr-1.sdsc.example.org"
  restore_points     = "none"
  restore_point_node = "dr-1.sdsc.example.org"
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

cluster_dump {
  command = ["kubectl", "cluster-info", "dump", "--all-namespaces", "--output-directory", "{dir}"]
}
