#!/usr/bin/env bash
# Integration test of the glusterdr.dr collection against the real lab
# (instance 0), run from this host as root:
#
#   ansible/tests/integration/lab/run.sh
#
# It brings the lab up, sets up the sdsc and tacc sites, builds and installs
# the collection tarball, runs glusterdr.dr.install twice over real SSH to p1
# (the second time changing nothing), declares the sessions and a checkpoint
# with the modules, stages the provisioning state, runs glusterdr.dr.nightly,
# checks the verified set and its restore point, reads the set back at the
# site, checks that no
# secret reached a backup set or a log, runs the nightly again in check mode
# and checks that nothing changed. glusterdr.dr.trigger installs the nightly
# trigger on p1 (the cron entry: p1 runs no systemd), twice, the second time
# changing nothing; its job, run as cron runs it, is the other site's turn,
# after which both sites hold a verified copy; the trigger is then removed.
#
# Environment:
#   GLUSTERDR      the glusterdr binary to install (default: built from this tree)
#   KEEP_WORKDIR=1 keep the work folder (logs, collection, inventory)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
collection=$root/ansible
lab_dir=/srv/glusterdr-lab
p1=198.51.100.10

# Debian's python3 and ansible first: gsyncd and ansible-test need them.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export GLUSTERDR_LAB_INSTANCE=0
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_HOST_KEY_CHECKING=1

work=$(mktemp -d /tmp/glusterdr-ansible-lab.XXXXXX)
cleanup() {
	if [[ ${KEEP_WORKDIR:-0} == 1 ]]; then
		echo "work folder kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
export ANSIBLE_COLLECTIONS_PATH=$work/collections ANSIBLE_LOCAL_TEMP=$work/tmp

started=$SECONDS
say() { printf '\n==> [%4ds] %s\n' "$((SECONDS - started))" "$*"; }
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# play NAME ARGS...: runs ansible-playbook, keeps its output in $work/NAME.log
# and prints its recap.
play() {
	local name=$1
	shift
	local t0=$SECONDS rc=0
	ansible-playbook -i "$here/inventory.ini" "$@" >"$work/$name.log" 2>&1 || rc=$?
	sed -n '/^PLAY RECAP/,$p' "$work/$name.log"
	echo "($name: $((SECONDS - t0))s, exit $rc)"
	if [[ $rc != 0 ]]; then
		tail -n 60 "$work/$name.log" >&2
		fail "ansible-playbook $name exited $rc"
	fi
}

# recap NAME FIELD: a number from p1's line of the recap.
recap() {
	local v
	v=$(sed -n '/^PLAY RECAP/,$p' "$work/$1.log" | grep -E '^p1 ' | grep -oE "$2=[0-9]+" | head -n 1 | cut -d= -f2)
	echo "${v:-0}"
}

# on_p1 ARGV...: runs a command on p1 over SSH as the playbooks do.
on_p1() {
	ssh -i "$lab_dir/id_ed25519" -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$lab_dir/known_hosts" \
		-o BatchMode=yes "root@$p1" -- "$@"
}

[[ $(id -u) == 0 ]] || fail "run as root: the lab needs it"

say "building glusterdr"
if [[ -z ${GLUSTERDR:-} ]]; then
	GLUSTERDR=$work/glusterdr
	(cd "$root" && go build -trimpath -o "$GLUSTERDR" ./cmd/glusterdr)
fi
"$GLUSTERDR" --version

say "lab up (instance 0)"
"$GLUSTERDR" lab up --instance 0 --log-level warn >/dev/null
"$GLUSTERDR" lab status --instance 0 >/dev/null || fail "the lab is not healthy"

say "sites: pools, volumes and sessions at sdsc and tacc (lab demo, one cycle each)"
for site in sdsc tacc; do
	# lab demo compares the bytes at the site with the primary's. A new
	# session's first cycle has delivered a file short while the checkpoint
	# completed; the demo then writes such files again for one more cycle,
	# as the nightly's verify step does, and fails if they are still wrong.
	"$GLUSTERDR" lab demo --instance 0 --log-level warn --site "$site" | grep -E '^==>' ||
		fail "lab demo --site $site: the lab's own replication check failed (see above), before the collection ran; \
the copy at $site is damaged: start again from \`glusterdr lab down\`"
done

say "building and installing the collection tarball"
mkdir -p "$work/dist" "$work/tmp"
ansible-galaxy collection build "$collection" --output-path "$work/dist" --force
tarball=$(ls "$work"/dist/glusterdr-dr-*.tar.gz)
ansible-galaxy collection install "$tarball" -p "$work/collections" --force 2>&1 | grep -v 'not part of the configured'
ansible-doc -t module glusterdr.dr.backup_set >/dev/null

say "glusterdr.dr.install, twice (the binary, the folders, and this collection for the nightly trigger)"
# p1 sees this host's /usr: the collection goes into root's own default
# collections path there, which is copy-on-write like the rest of /root.
install_vars=(-e "glusterdr_install_src=$GLUSTERDR" -e "glusterdr_install_collection_src=$tarball"
	-e glusterdr_install_collections_path=/root/.ansible/collections)
play install-1 glusterdr.dr.install "${install_vars[@]}"
play install-2 glusterdr.dr.install "${install_vars[@]}"
[[ $(recap install-1 changed) -gt 0 ]] || echo "(install-1 changed nothing: p1 already had this binary)"
[[ $(recap install-2 changed) == 0 ]] || fail "the second install changed something"
on_p1 /usr/local/bin/glusterdr --version

say "schedule, sessions (georep_session) and a checkpoint (checkpoint) on p1"
play setup "$here/setup.yml"

say "glusterdr.dr.trigger, twice, and in check mode (the cron entry on p1, which runs no systemd)"
on_p1 rm -f /etc/cron.d/glusterdr # a trigger an earlier, failed run of this script left
play trigger-1 glusterdr.dr.trigger
play trigger-2 glusterdr.dr.trigger
[[ $(recap trigger-1 changed) == 1 ]] || fail "installing the trigger changed nothing"
[[ $(recap trigger-2 changed) == 0 ]] || fail "installing the trigger again changed something"
on_p1 sha256sum /etc/cron.d/glusterdr >"$work/trigger-before.txt"
play trigger-check glusterdr.dr.trigger --check -e glusterdr_trigger_state=absent
[[ $(recap trigger-check changed) == 1 ]] || fail "removing the trigger in check mode would change nothing"
on_p1 sha256sum /etc/cron.d/glusterdr | diff -u "$work/trigger-before.txt" - || fail "check mode changed the trigger"
grep -E 'trigger runs|timeout' "$work/trigger-1.log" | head -n 3

say "glusterdr.dr.provisioning_state, twice"
play provisioning-1 glusterdr.dr.provisioning_state -e "{\"glusterdr_provisioning_state_files\": [\"$here/inventory.ini\"]}"
play provisioning-2 glusterdr.dr.provisioning_state -e "{\"glusterdr_provisioning_state_files\": [\"$here/inventory.ini\"]}"
[[ $(recap provisioning-2 changed) == 0 ]] || fail "staging an unchanged inventory changed something"

say "glusterdr.dr.nightly with a target the schedule lacks fails, naming it"
if ansible-playbook -i "$here/inventory.ini" glusterdr.dr.nightly -e glusterdr_nightly_target=nosuch >"$work/nightly-bad.log" 2>&1; then
	fail "a nightly for a missing target passed"
fi
grep -q 'failed: .*target .*nosuch.* is not in the schedule' "$work/nightly-bad.log" || { tail -n 30 "$work/nightly-bad.log"; fail "the failure does not name the target"; }
sed -n '/^PLAY RECAP/,$p' "$work/nightly-bad.log"

say "glusterdr.dr.nightly"
play nightly glusterdr.dr.nightly -v -e '{"glusterdr_nightly_sessions": [{"target": "sdsc", "config": {"sync_method": "tarssh"}}, {"target": "tacc", "config": {"sync_method": "tarssh"}}]}'
on_p1 /usr/local/bin/glusterdr sets --json --log-level warn >"$work/sets.json"
set_id=$(python3 - "$work/sets.json" <<'PY'
import json, sys
sets = json.load(open(sys.argv[1]))['sets']
newest = sorted(sets, key=lambda s: s['id'])[-1]
assert newest['status'] == 'verified' and newest['verified'], newest
point = newest['restore_point']
assert point['method'] == 'link-tree' and point['verified'] and point['location'].endswith('/' + newest['id']), point
print(newest['id'])
PY
) || fail "the nightly left no verified set: $(cat "$work/sets.json")"
echo "newest set: $set_id"

say "the set, read back at its site (glusterdr verify mounts the site's volume read-only)"
on_p1 /usr/local/bin/glusterdr verify --json --log-level warn --set "$set_id" >"$work/verify.json" ||
	fail "verification at the site failed: $(cat "$work/verify.json")"
python3 - "$work/verify.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
ver = v['verification']
assert v['verified'] and ver['errors'] == 0, v
assert ver['entries'] > 0 and ver['etcd']['ok'], ver
print('%s at %s, read on %s: %d manifest entries and %d sampled files identical, etcd snapshot revision %d'
      % (v['set'], v['target'], ver['node'], ver['entries'], ver['sample']['files'], ver['etcd']['revision']))
PY

say "no secret in the backup set or in any log"
on_p1 cat "/var/glfs/global/backup/$set_id/provisioning.json" >"$work/provisioning.json"
python3 - "$work/provisioning.json" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
hv = st['inventory']['_meta']['hostvars']['p1']
assert hv['platform_db_password'] != 'hunter2-glusterdr-lab-secret', 'the password reached the set'
assert any('platform_db_password' in r for r in st['redactions']), st['redactions']
print('provisioning.json: %d redaction(s), e.g. %s' % (len(st['redactions']), st['redactions'][0]))
PY
for secret in hunter2-glusterdr-lab-secret abcdef.0123456789abcdef; do
	if grep -rl -- "$secret" "$work"/*.log "$work/provisioning.json"; then
		fail "a secret reached the files above"
	fi
done

say "glusterdr.dr.nightly --tags verify,record on the verified set: nothing left to do"
play nightly-tags glusterdr.dr.nightly --tags verify,record -e "glusterdr_nightly_set=$set_id"
[[ $(recap nightly-tags changed) == 0 ]] || fail "re-running done steps changed something"

say "glusterdr.dr.nightly --check changes nothing"
snapshot() {
	on_p1 sh -c 'ls -1 /var/glfs/global/backup; sha256sum /var/lib/glusterdr/journal.jsonl /var/lib/glusterdr/status.json \
		/var/glfs/global/backup/*/set.json; gluster volume geo-replication status'
}
snapshot >"$work/before-check.txt"
play nightly-check glusterdr.dr.nightly --check
snapshot >"$work/after-check.txt"
diff -u "$work/before-check.txt" "$work/after-check.txt" || fail "the nightly in check mode changed something"
echo "sets, journal, status.json, every set.json and the sessions are unchanged"

say "the trigger's job, on p1 as cron runs it: the schedule's rotation alternates to the other site"
t0=$SECONDS
# The job as `glusterdr schedule show` reads it from the cron entry, with the
# entry's variables only, through /bin/sh, as root.
job=$(on_p1 /usr/local/bin/glusterdr schedule show --json --log-level warn |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["installed"]["job"])')
[[ $job == "timeout -k 180s "*" ansible-playbook "* ]] || fail "the trigger's job is not the playbook under timeout: $job"
echo "job: $job"
read -r -a cron_vars <<<"$(on_p1 grep -E '^[A-Z_]+=' /etc/cron.d/glusterdr | tr '\n' ' ')"
printf '%s\n' "$job" | on_p1 sh -c 'cat > /tmp/glusterdr-job.sh'
on_p1 env -i HOME=/root LOGNAME=root "${cron_vars[@]}" /bin/sh /tmp/glusterdr-job.sh >"$work/timer.log" 2>&1 ||
	{ tail -n 40 "$work/timer.log" >&2; fail "the trigger's nightly failed"; }
sed -n '/^PLAY RECAP/,$p' "$work/timer.log"
echo "(trigger: $((SECONDS - t0))s)"
on_p1 env PATH=/usr/sbin:/usr/bin:/sbin:/bin ANSIBLE_CONFIG=/etc/glusterdr/ansible.cfg ansible-inventory --graph glusterdr_controller |
	grep -q localhost || fail "/etc/glusterdr/ansible.cfg does not name the controller"
on_p1 /usr/local/bin/glusterdr status --json >"$work/status.json"
python3 - "$work/status.json" "$set_id" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
first = sys.argv[2]
verified = {t['name']: t['last_verified']['set'] for t in st['targets'] if t['last_verified']}
assert len(verified) == 2 and first in verified.values(), verified
assert st['verified_copies'] == 2, st
print('verified copies at %d sites: %s; RPO %.0fs' % (st['verified_copies'], verified, st['rpo_seconds']))
PY

say "glusterdr.dr.restore_drill: both sites' newest copies restore"
play restore-drill glusterdr.dr.restore_drill
if ! grep -q 'Restore drill of .* at sdsc passed' "$work/restore-drill.log" ||
	! grep -q 'Restore drill of .* at tacc passed' "$work/restore-drill.log"; then
	tail -n 40 "$work/restore-drill.log" >&2
	fail "the restore drill did not report both sites passing"
fi

say "glusterdr.dr.trigger absent, twice: the cron entry is gone, then nothing changes"
play trigger-absent-1 glusterdr.dr.trigger -e glusterdr_trigger_state=absent
play trigger-absent-2 glusterdr.dr.trigger -e glusterdr_trigger_state=absent
[[ $(recap trigger-absent-1 changed) == 1 && $(recap trigger-absent-2 changed) == 0 ]] ||
	fail "removing the trigger: changed $(recap trigger-absent-1 changed) then $(recap trigger-absent-2 changed), want 1 then 0"
if on_p1 test -e /etc/cron.d/glusterdr; then fail "/etc/cron.d/glusterdr is still on p1"; fi

say "passed in $((SECONDS - started))s"
echo "the nightly's recap:"
sed -n '/^PLAY RECAP/,$p' "$work/nightly.log"
