#!/usr/bin/env bash
# make test-lab: the lab-tagged Go tests and the collection against the real
# lab, in three lanes side by side, each on a lab instance of its own:
#
#   lane 0 (instance 0): the collection (ansible/tests/integration/lab/run.sh,
#                        which is written for instance 0, then the
#                        ansible-test integration targets)
#   lane 1 (instance 1): ./cmd/glusterdr, the fault suite included
#   lane 2 (instance 2): every other lab package (provider acceptance tests
#                        through real Terraform, failover, georep, gluster...)
#
# Within a lane the packages run one at a time (-p 1): they share the lane's
# lab. Lanes 1 and 2 take their lab down when they end; the lab's own test
# runs last, on instance 0, and ends by taking it down. A failed lane's log is
# printed whole; the others' last lines. The fault table is printed at the end.
#
# Environment: GLUSTERDR (the built CLI), GO, TF_ACC_TERRAFORM_PATH.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1
GO=${GO:-go}
GLUSTERDR=${GLUSTERDR:-$root/bin/glusterdr}
export TF_ACC=1 TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH:-/usr/local/bin/terraform}
logs=$root/build/test-lab
mkdir -p "$logs"
rm -f "$logs"/*.log build/faults.txt build/faults.json

# The lab packages but the lab's own and the CLI's.
mapfile -t other_pkgs < <(grep -rl --include='*_test.go' '^//go:build lab' . | xargs -n1 dirname | sort -u |
	grep -vx -e ./internal/lab -e ./cmd/glusterdr)

up() { "$GLUSTERDR" lab up --instance "$1" --log-level warn; }
down() { "$GLUSTERDR" lab down --instance "$1" --log-level warn; }

lane0() {
	up 0 &&
		GLUSTERDR=$GLUSTERDR ansible/tests/integration/lab/run.sh &&
		GLUSTERDR=$GLUSTERDR GLUSTERDR_LAB_INSTANCE=0 scripts/ansible-integration.sh
}

lane1() {
	up 1 || return
	GLUSTERDR_LAB_INSTANCE=1 GLUSTERDR_FAULTS_JSON=$root/build/faults.json \
		"$GO" test -tags lab -count=1 -p 1 -timeout 60m ./cmd/glusterdr
	local rc=$?
	down 1
	return $rc
}

lane2() {
	up 2 || return
	GLUSTERDR_LAB_INSTANCE=2 "$GO" test -tags lab -count=1 -p 1 -timeout 60m "${other_pkgs[@]}"
	local rc=$?
	down 2
	return $rc
}

start=$SECONDS
declare -A pid
for lane in 0 1 2; do
	("lane$lane") >"$logs/lane$lane.log" 2>&1 &
	pid[$lane]=$!
done
failed=()
for lane in 0 1 2; do
	if wait "${pid[$lane]}"; then
		echo "== lane $lane passed ($(grep -c '' "$logs/lane$lane.log") lines of log in build/test-lab/lane$lane.log)"
		tail -n 15 "$logs/lane$lane.log"
	else
		failed+=("$lane")
	fi
done
for lane in "${failed[@]}"; do
	echo "== lane $lane FAILED: its whole log (build/test-lab/lane$lane.log)"
	cat "$logs/lane$lane.log"
done
cat build/faults.txt 2>/dev/null
echo "== the three lanes took $((SECONDS - start)) s"
if ((${#failed[@]} > 0)); then
	down 0
	exit 1
fi
# The lab's own test, last: it ends by tearing instance 0 down.
"$GO" test -tags lab -count=1 -timeout 20m -v ./internal/lab/ || { down 0; exit 1; }
