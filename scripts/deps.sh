#!/bin/sh
# Installs the Debian packages glusterdr's lab, tests and demo need, and
# only those that are missing, so that a second run takes a second.
set -eu

packages="
  glusterfs-server glusterfs-client attr acl rsync
  openssh-server openssh-client
  iproute2 util-linux tini
  etcd-server etcd-client
  ansible ansible-lint yamllint shellcheck
  python3-pytest python3-pytest-xdist python3-pytest-forked python3-mock
  chromium
"

missing=""
for p in $packages; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done

if [ -z "$missing" ]; then
  echo "deps: all Debian packages present"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "deps: missing:$missing; run as root (or: sudo make deps)" >&2
  exit 1
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is wanted
apt-get install -y -qq $missing >/dev/null
