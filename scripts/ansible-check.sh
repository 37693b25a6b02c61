#!/usr/bin/env bash
# Builds the glusterdr.dr collection tarball, installs it into a temporary
# collections path and checks the installed collection, offline:
#
#   1. ansible-galaxy collection build + install (the tarball is kept in bin/),
#      and a listing of the tarball: no dotfiles, no lab scripts
#   2. ansible-test units --local
#   3. ansible-test sanity --local, without the tests that need PyPI (below)
#   4. tests/sanity/docs_check.py, which stands in for those: DOCUMENTATION,
#      EXAMPLES and RETURN parse and lint; documented options match each
#      module's argument_spec; examples pass documented options only; imports;
#      role argument specs (all through ansible-doc's own parsing)
#   5. ansible-lint --offline (production profile) and yamllint
#
# Usage: scripts/ansible-check.sh [units|sanity|lint|all]   (default all)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src=$root/ansible
what=${1:-all}

# Debian's python3 (with python3-pytest, -xdist, -forked, -mock) and ansible.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export ANSIBLE_NOCOLOR=1

# ansible-test sanity tests that install their requirements from PyPI into a
# virtualenv (bootstrapping pip from ci-files.testing.ansible.com), and so
# fail offline. Each one's stand-in is named.
offline_skips=(
	ansible-doc      # stand-in: docs_check.py runs ansible-doc --json on every module and role
	changelog        # needs antsibull-changelog; stand-in: yamllint, ansible-lint galaxy[no-changelog]
	import           # stand-in: docs_check.py (imports) and the unit tests import every module
	pep8             # needs pycodestyle; no offline stand-in beyond compile and review
	pylint           # needs pylint; no offline stand-in beyond compile and review
	runtime-metadata # needs voluptuous; stand-in: ansible-lint's schema check of meta/runtime.yml
	validate-modules # needs voluptuous; stand-in: docs_check.py (options vs argument_spec)
	yamllint         # needs yamllint in the venv; stand-in: yamllint below and docs_check.py
)

work=$(mktemp -d /tmp/glusterdr-ansible-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
coll=$work/ansible_collections/glusterdr/dr

step() { printf '\n==> %s\n' "$*"; }

step "build and install the collection"
mkdir -p "$root/bin"
ansible-galaxy collection build "$src" --output-path "$root/bin" --force
version=$(awk '/^version:/ {print $2}' "$src/galaxy.yml")
ansible-galaxy collection install "$root/bin/glusterdr-dr-$version.tar.gz" -p "$work" --force 2>&1 | grep -v 'not part of the configured' || true
export ANSIBLE_COLLECTIONS_PATH=$work

step "the tarball holds no dotfiles and none of the lab's scripts (galaxy.yml build_ignore)"
tarball=$root/bin/glusterdr-dr-$version.tar.gz
bad=$(tar -tzf "$tarball" | grep -E '(^|/)\.[^/]|^tests/integration/lab(/|$)|^MAKE\.md$' || true)
if [[ -n $bad ]]; then
	printf 'the collection tarball holds:\n%s\n' "$bad" >&2
	exit 1
fi
echo "$(tar -tzf "$tarball" | wc -l) entries, none of them a dotfile or a lab script"

if [[ $what == all || $what == units ]]; then
	step "ansible-test units"
	(cd "$coll" && ansible-test units --local --python 3.11 --color no)
fi

if [[ $what == all || $what == sanity ]]; then
	step "ansible-test sanity (skipping, offline: ${offline_skips[*]})"
	skip=()
	for t in "${offline_skips[@]}"; do skip+=(--skip-test "$t"); done
	(cd "$coll" && ansible-test sanity --local --python 3.11 --color no "${skip[@]}")
	step "docs_check.py (offline stand-in for validate-modules, ansible-doc, import, yamllint)"
	python3 "$src/tests/sanity/docs_check.py" "$work"
fi

if [[ $what == all || $what == lint ]]; then
	step "ansible-lint --offline"
	(cd "$src" && ansible-lint --offline --nocolor)
	step "yamllint"
	(cd "$src" && yamllint --strict .)
fi

step "ok"
