# The DR site at SDSC: a trusted pool of two nodes, a replicated volume
# across them, and a second volume of the same pool that holds the site's
# link-tree restore points.
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

  # The store of dr_schedule's link-tree restore points
  # (restore_point_volume): created after the pool and the volume, on bricks
  # of its own (never inside the volume's), and deleted before the nodes
  # are detached on destroy.
  store_volumes = [{
    name          = "glusterdr-points"
    type          = "replicate"
    replica_count = 2
    bricks = [
      "sdsc1.example.org:/data/glusterfs/glusterdr-points/brick",
      "sdsc2.example.org:/data/glusterfs/glusterdr-points/brick",
    ]
  }]

  # deletion_protection defaults to true: set it to false and apply before
  # a destroy.

  timeouts = {
    create = "20m"
  }
}
