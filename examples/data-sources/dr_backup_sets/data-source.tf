# The backup sets at SDSC, with their verification. Like dr_schedule, the
# type's prefix is not the provider's: the block says `provider = gluster`.
data "dr_backup_sets" "sdsc" {
  provider     = gluster
  primary_node = dr_schedule.nightly.primary.node
  backup_dir   = dr_schedule.nightly.primary.backup_dir
  target       = "sdsc"
}

# Fail a plan when the newest set at SDSC did not verify.
check "sdsc_newest_set_verified" {
  assert {
    condition     = try(data.dr_backup_sets.sdsc.sets[length(data.dr_backup_sets.sdsc.sets) - 1].verified, true)
    error_message = "The newest backup set at SDSC is not verified: see glusterdr sets on the controller."
  }
}

output "sdsc_sets" {
  value = [for s in data.dr_backup_sets.sdsc.sets : "${s.id}: ${s.status}, ${s.bytes} bytes"]
}
