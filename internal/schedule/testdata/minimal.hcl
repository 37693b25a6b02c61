# The smallest useful schedule: everything else takes its default.
cron = "@daily"

primary {
  volume = "global"
  node   = "gluster-1.example.org"
}

target "sdsc" {
  secondary_host   = "dr-1.sdsc.example.org"
  secondary_volume = "global-dr"
}
