# Geo-replication from the primary's global volume to the SDSC site. The
# host keys of every SDSC node are pinned for gsyncd (the default).
resource "gluster_georep_session" "sdsc" {
  primary_node     = "gluster1.example.org"
  primary_volume   = "global"
  secondary_node   = gluster_peer_cluster.sdsc.nodes[0]
  secondary_volume = gluster_peer_cluster.sdsc.volume.name

  # On Debian 12, rsync 3.5.0 makes gsyncd's default rsync sync deliver
  # empty files while reporting success: use tarssh there.
  sync_method = "tarssh"
  sync_jobs   = 3

  # The extracting tar on the SDSC nodes writes 128 KiB at a time (the
  # default; GNU tar's own 20 blocks wrote a large file in 10 KiB pieces).
  tar_blocking_factor = 256

  # desired_state is left unset: a nightly schedule starts and stops the
  # session, and plan must not report that as drift. Set it to "started",
  # "stopped" or "paused" to enforce a state.
}

output "sdsc_session" {
  value = {
    status      = gluster_georep_session.sdsc.status
    last_synced = gluster_georep_session.sdsc.last_synced
  }
}
