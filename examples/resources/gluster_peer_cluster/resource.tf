# The DR site at SDSC: a trusted pool of two nodes and a replicated volume
# across them.
resource "gluster_peer_cluster" "sdsc" {
  nodes = ["sdsc1.example.org", "sdsc2.example.org"]

  volume = {
    name          = "global-dr"
    type          = "replicate"
    replica_count = 2
    bricks = [
      "sdsc1.example.org:/data/glusterfs/global-dr/brick",
      "sdsc2.example.org:/data/glusterfs/global-dr/brick",
    ]
    options = {
      "auth.allow"             = "10.20.0.*"
      "performance.quick-read" = "off"
    }
  }

  # deletion_protection defaults to true: set it to false and apply before
  # a destroy.

  timeouts = {
    create = "20m"
  }
}
