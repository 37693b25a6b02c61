terraform {
  required_providers {
    gluster = {
      source = "glusterdr/gluster"
    }
  }
}

# Every node is reached over SSH as root with one key; host keys are
# verified against a known_hosts file (never trusted blindly).
provider "gluster" {
  user             = "root"
  private_key_file = "~/.ssh/glusterdr_ed25519"
  known_hosts_file = "~/.ssh/known_hosts"
  connect_timeout  = "20s"

  # Or pin the keys in the configuration itself:
  # host_keys = [
  #   "sdsc1.example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA...",
  # ]

  # Reach the DR sites through a bastion.
  jump_host = {
    host = "bastion.example.org"
  }

  # Per-node overrides, keyed by the name gluster knows the node by.
  nodes = {
    "tacc1.example.org" = {
      address = "198.51.100.31" # dial this address instead of the name
      port    = 2222
    }
  }
}
