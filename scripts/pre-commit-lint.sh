#!/bin/sh
# The pre-commit hook jumio-batch-lint (.pre-commit-hooks.yaml, `language: script`): pre-commit
# runs this from its own clone of this repository, kept in its cache, with the staged input.csv
# files as arguments. The first run installs and builds the CLI in that clone; later runs reuse it.
# (Not `language: node`: pre-commit installs those with `npm install -g git+file://…`, and npm then
# runs the build without the devDependencies it needs, npm/cli#8440.)
set -e
tool=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$tool/dist/cli.js" ]; then
  echo "jumio-batch-lint: installing and building jumio-batch in $tool (first run only)" >&2
  (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error && node scripts/build.mjs) >&2
fi
exec node "$tool/dist/cli.js" lint "$@"
