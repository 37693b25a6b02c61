# <primary node>/<primary volume>/[<user>@]<secondary node>::<secondary volume>
terraform import gluster_georep_session.sdsc gluster1.example.org/global/sdsc1.example.org::global-dr
