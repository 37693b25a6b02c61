#!/usr/bin/env bash
# The glusterdr.dr.install role from a release: the archive from a file with
# the release's SHA256SUMS, twice (the second run changes nothing); a wrong
# SHA-256, which installs nothing; the archive from a URL; the Debian
# package in check mode (installing it would write this host's /usr/bin).
set -euo pipefail

root=$(mktemp -d /tmp/glusterdr-install-it.XXXXXX)
server=
cleanup() {
	[[ -z $server ]] || kill "$server"
	rm -rf "$root"
}
trap cleanup EXIT

# ansible-test runs this from the target's folder; its inventory (testhost)
# and integration_config.yml are two folders up.
config=../../integration_config.yml
play() { ansible-playbook -i ../../inventory -e "@$config" -e "glusterdr_test_root=$root" "$@"; }

echo "== from the archive, with SHA256SUMS"
play install.yml -e dest=archive "$@"
echo "== again: nothing changes"
play install.yml -e dest=archive "$@" | tee "$root/second.log"
grep -qE '^testhost +: .*changed=0 ' "$root/second.log" || { echo "the second install changed something"; exit 1; }

echo "== a wrong SHA-256 installs nothing"
play wrong-sum.yml "$@"

echo "== from a URL"
release_dir=$(python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["glusterdr_test_release_dir"])' "$config")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$release_dir" "$port" >"$root/http.log" 2>&1 &
server=$!
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
play install.yml -e dest=url -e "glusterdr_test_base_url=http://127.0.0.1:$port" "$@"
grep -q 'GET /glusterdr_.*_linux_amd64.tar.gz' "$root/http.log" || { echo "the archive was not fetched from the URL"; exit 1; }

echo "== the Debian package, in check mode"
play deb-check.yml --check "$@"
