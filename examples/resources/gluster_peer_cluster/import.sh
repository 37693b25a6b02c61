# <first node>/<volume name>
terraform import gluster_peer_cluster.sdsc sdsc1.example.org/global-dr
