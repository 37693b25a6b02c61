#!/usr/bin/env bash
# Refuses to release a version other than the tree's: goreleaser's version
# (from the tag v<version>, or a snapshot's <version>-SNAPSHOT-<commit>)
# must be internal/version/VERSION, and ansible/galaxy.yml must say the same.
#
# Usage: scripts/release-version.sh GORELEASER_VERSION [true|false: snapshot]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
want=$(<"$root/internal/version/VERSION")
got=$1
if [[ ${2:-false} == true ]]; then
	got=${got%%-SNAPSHOT-*}
fi
galaxy=$(awk '$1 == "version:" {print $2}' "$root/ansible/galaxy.yml")

if [[ $got != "$want" ]]; then
	echo "release-version: goreleaser releases $1, but internal/version/VERSION says $want: tag v$want, or change VERSION" >&2
	exit 1
fi
if [[ $galaxy != "$want" ]]; then
	echo "release-version: ansible/galaxy.yml says $galaxy, internal/version/VERSION says $want" >&2
	exit 1
fi
