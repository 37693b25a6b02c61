package lab

// sites describes the volumes of the lab: the primary's global volume,
// which Up creates, and the DR volumes the sites are meant to hold, which
// Up leaves to the user (Terraform's gluster_peer_cluster, or PrepareSite).
func sites(dir string, all []NodeSpec) []Site {
	var out []Site
	add := func(name, volume, mount string) {
		s := Site{Name: name, Volume: volume, Mount: mount}
		for _, n := range all {
			if n.Site == name {
				s.Nodes = append(s.Nodes, n.Name)
				s.Bricks = append(s.Bricks, n.Address+":"+BrickPath(dir, n.Name, volume))
			}
		}
		out = append(out, s)
	}
	add("primary", PrimaryVolume, MountPath)
	add("sdsc", SiteVolume, "")
	add("tacc", SiteVolume, "")
	return out
}
