# <primary node><backup_dir>/provisioning/<name>
terraform import gluster_provisioning_state.initial gluster1.example.org/var/glfs/global/backup/provisioning/initial
