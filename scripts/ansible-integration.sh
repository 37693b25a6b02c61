#!/usr/bin/env bash
# ansible-test integration for the glusterdr.dr collection: the targets in
# ansible/tests/integration/targets, run on this host (root) as the DR
# controller, against a lab instance and a release snapshot:
#
#   install          the install role from the release archive (file and URL,
#                    SHA256SUMS checked, a wrong SHA-256 refused) and the .deb
#                    in check mode; needs the files of `make release-test` in dist/
#   dr_status, georep_session, checkpoint, backup_set, retention
#                    each module against the lab (setup_glusterdr_lab checks it
#                    and writes its schedule); they change the lab: destructive
#
# The collection is built, installed into a temporary collections path and
# tested there, as ansible-test wants it; integration_config.yml passes the
# binary, the lab instance and the release folder to the targets.
#
# Usage: scripts/ansible-integration.sh [TARGET...]   (default: all)
# Environment:
#   GLUSTERDR               the glusterdr binary (default: built from this tree)
#   GLUSTERDR_LAB_INSTANCE  the lab instance (default 0)
#   RELEASE_DIR             the release snapshot (default: dist/)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
instance=${GLUSTERDR_LAB_INSTANCE:-0}
release_dir=$(cd "${RELEASE_DIR:-$root/dist}" 2>/dev/null && pwd) || {
	echo "no release snapshot in ${RELEASE_DIR:-$root/dist}: run make release-test first" >&2
	exit 1
}
compgen -G "$release_dir/*_SHA256SUMS" >/dev/null || {
	echo "no SHA256SUMS in $release_dir: run make release-test first" >&2
	exit 1
}

export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export ANSIBLE_NOCOLOR=1
[[ $(id -u) == 0 ]] || { echo "run as root: the lab needs it" >&2; exit 1; }

work=$(mktemp -d /tmp/glusterdr-ansible-integration.XXXXXX)
trap 'rm -rf "$work"' EXIT
coll=$work/ansible_collections/glusterdr/dr

if [[ -z ${GLUSTERDR:-} ]]; then
	GLUSTERDR=$work/glusterdr
	(cd "$root" && go build -trimpath -o "$GLUSTERDR" ./cmd/glusterdr)
fi

ansible-galaxy collection build "$root/ansible" --output-path "$work" --force >/dev/null
ansible-galaxy collection install "$work"/glusterdr-dr-*.tar.gz -p "$work" --force 2>&1 | grep -v 'not part of the configured' || true
export ANSIBLE_COLLECTIONS_PATH=$work

cat >"$coll/tests/integration/integration_config.yml" <<YAML
glusterdr_test_binary: $GLUSTERDR
glusterdr_test_lab_instance: $instance
glusterdr_test_release_dir: $release_dir
YAML

cd "$coll"
ansible-test integration --local --python 3.11 --allow-destructive --color no "$@"
