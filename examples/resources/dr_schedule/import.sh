# <controller node><path of the schedule file>
terraform import dr_schedule.nightly ctl.example.org/etc/glusterdr/schedule.hcl
