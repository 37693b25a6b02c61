# The Ansible provisioning state of day one, captured on the controller and
# kept, redacted, in the backup folder on the global volume (and so at the
# DR sites too).
resource "gluster_provisioning_state" "initial" {
  controller_node = dr_schedule.nightly.controller_node
  primary_node    = dr_schedule.nightly.primary.node
  backup_dir      = dr_schedule.nightly.primary.backup_dir

  inventory                 = ["/etc/ansible/inventory/hosts.yml"]
  image_ref                 = "registry.example.org/platform/node:2026.11"
  ansible_inventory_command = ["ansible-inventory", "-i", "/etc/ansible/inventory/hosts.yml", "--list"]
}

output "provisioning_state" {
  value = {
    digest     = gluster_provisioning_state.initial.digest
    status     = gluster_provisioning_state.initial.status # inventory_changed once the inventory moved on
    redactions = gluster_provisioning_state.initial.redactions
  }
}
