package provider

// The time zone database is built in: dr_schedule checks time_zone and
// computes next_runs on the machine that runs Terraform, which may have no
// zoneinfo of its own (Windows, minimal containers).
import _ "time/tzdata"
