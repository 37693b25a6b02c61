#!/usr/bin/env bash
# What a release packs beside the binaries, made from this tree into
# build/release/ (goreleaser's before hook; goreleaser empties dist/ after
# its hooks, so they cannot write there):
#
#   man/*.1.gz         glusterdr man, dated by the commit (SOURCE_DATE_EPOCH)
#   completions/       glusterdr completion bash|zsh|fish
#   collection/        the Ansible collection tarball (ansible-galaxy collection build)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/build/release
rm -rf "$out"
mkdir -p "$out/man" "$out/completions" "$out/collection"

cli=$(mktemp -d /tmp/glusterdr-release.XXXXXX)
trap 'rm -rf "$cli"' EXIT
(cd "$root" && CGO_ENABLED=0 go build -trimpath -o "$cli/glusterdr" ./cmd/glusterdr)

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct)}
"$cli/glusterdr" man "$out/man"
gzip -9n "$out"/man/*.1
for shell in bash zsh fish; do
	"$cli/glusterdr" completion "$shell" >"$out/completions/glusterdr.$shell"
done

PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH ansible-galaxy collection build "$root/ansible" \
	--output-path "$out/collection" --force >/dev/null
ls "$out"/collection/glusterdr-dr-*.tar.gz >/dev/null
