#!/usr/bin/env bash
# Install the Debian packages of deploy/apt-packages.txt that are missing.
#   As root: apt-get installs them. Otherwise: prints the one apt-get line to run, exits 1.
#   usage: deploy/system-packages.sh [LIST]
set -euo pipefail
list="${1:-$(dirname "$0")/apt-packages.txt}"
if [ ! -r "$list" ]; then
  echo "system-packages: cannot read $list" >&2
  exit 2
fi
missing=()
while read -r pkg; do
  pkg="${pkg%%#*}"; pkg="${pkg//[[:space:]]/}"
  [ -n "$pkg" ] || continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Dasi needs these Debian packages first; run:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
