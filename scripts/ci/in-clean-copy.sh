#!/usr/bin/env bash
# in-clean-copy.sh VERSION|MAJOR COMMAND [ARGS…]
#
# Copies the project (without node_modules/, dist/, data/ or .git) into a temporary folder,
# runs `npm ci` there on that Node.js (with-node.sh: native modules are built for it, and
# `prepare` builds dist/), then COMMAND in that folder on the same Node. The copy is removed
# at the end. The project's own node_modules/ is left as it was.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
want="${1:?usage: in-clean-copy.sh VERSION|MAJOR COMMAND [ARGS…]}"
shift

base="$(mktemp -d "${TMPDIR:-/tmp}/okta-connect-node$want-XXXXXX")"
trap 'rm -rf "$base"' EXIT
copy="$base/$(basename "$root")"
mkdir "$copy"
# The manifest test reads Slack's schema from ../shared, beside the project.
if [ -d "$root/../shared" ]; then ln -s "$(cd "$root/../shared" && pwd)" "$base/shared"; fi
tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./data --exclude=./.git \
  --exclude=./test-artifacts --exclude=./.env -cf - . | tar -C "$copy" -xf -
cd "$copy"
"$here/with-node.sh" "$want" bash -c 'echo "node $(node --version), npm $(npm --version) in $PWD"
  npm ci --no-audit --no-fund && exec "$@"' in-clean-copy "$@"
