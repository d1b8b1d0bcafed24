#!/usr/bin/env bash
# Installs Debian's linux-source-6.1 and unpacks it into a cache folder outside the repo.
# Prints the path of the unpacked tree; reuses it when already present.
set -euo pipefail
cache="${PATHFIND_LINUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pathfind}"
tree="$cache/linux-source-6.1"
if [ -f "$tree/.unpacked" ]; then
  echo "$tree"
  exit 0
fi
tarball=/usr/src/linux-source-6.1.tar.xz
if [ ! -f "$tarball" ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq linux-source-6.1 >&2
fi
mkdir -p "$cache"
rm -rf "$tree.partial"
mkdir -p "$tree.partial"
tar -xJf "$tarball" -C "$tree.partial" --strip-components=1
touch "$tree.partial/.unpacked"
rm -rf "$tree"
mv "$tree.partial" "$tree"
echo "$tree"
