#!/bin/bash
# Times one `terraform plan` of examples/lab against a running lab and counts
# the SSH logins it made on each node, from the nodes' own sshd logs (logins
# from the host's bridge address only; gsyncd's come from the nodes).
#
#   tools/plan-handshakes.sh /srv/glusterdr-lab/lab.json
#
# Needs the provider built into bin/ and TF_CLI_CONFIG_FILE pointing at a CLI
# config with dev_overrides for glusterdr/gluster (make terraformrc).
set -euo pipefail

lab_json=${1:?usage: $0 LAB_JSON}
root=$(cd "$(dirname "$0")/.." && pwd)
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$lab_json" "$1"; }
dir=$(field 'd["dir"]')
user=$(field 'd["ssh"]["user"]')
bridge=$(field 'd["nodes"][0]["address"]' | sed 's/\.[0-9]*$/.1/')
nodes=$(field '" ".join(n["name"] for n in d["nodes"])')

logins() {
	for n in $nodes; do
		printf '%s=%s ' "$n" "$(grep -c "Accepted publickey for $user from $bridge " "$dir/nodes/$n/sshd.out" || true)"
	done
}

before=$(logins)
start=$(date +%s.%N)
rc=0
terraform -chdir="$root/examples/lab" plan -detailed-exitcode -input=false -var "lab_json=$lab_json" >/dev/null || rc=$?
end=$(date +%s.%N)
after=$(logins)

resources=$(terraform -chdir="$root/examples/lab" state list | wc -l)
printf 'terraform plan: exit code %d (0: no changes, 2: changes), %.2f s wall time, %d objects in state\n' \
	"$rc" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$resources"
total=0
for n in $nodes; do
	b=$(tr ' ' '\n' <<<"$before" | sed -n "s/^$n=//p")
	a=$(tr ' ' '\n' <<<"$after" | sed -n "s/^$n=//p")
	printf '  %-6s %d SSH handshake(s)\n' "$n" $((a - b))
	total=$((total + a - b))
done
printf '  total  %d SSH handshake(s)\n' "$total"
[ "$rc" -ne 1 ]
