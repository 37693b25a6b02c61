data "gluster_georep_status" "sdsc" {
  primary_node     = "gluster1.example.org"
  primary_volume   = "global"
  secondary_node   = "sdsc1.example.org"
  secondary_volume = "global-dr"
}

# Fail a plan when the copy at SDSC is broken.
check "sdsc_replication" {
  assert {
    condition     = data.gluster_georep_status.sdsc.status != "faulty"
    error_message = "A gsyncd worker of the SDSC session is Faulty."
  }
}

output "sdsc_pending" {
  value = data.gluster_georep_status.sdsc.pending
}
