#!/usr/bin/env bash
# Checks the package as another team receives it: packs this project, installs the tarball into a scratch
# project, and there runs the embedding example of docs/embedding.md in plain Node, checks that the `.` entry
# loads no other package, and type-checks a TypeScript consumer of every entry point. Nothing here imports this
# repository by path, so a missing `exports` entry, file or declaration fails it. Needs the npm registry (or npm's
# cache) for the tarball's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
fixtures=$repo/scripts/package-check
scratch=$(mktemp -d "${TMPDIR:-/tmp}/auth-service-package.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

log() { printf '\n-- %s\n' "$*"; }
fail() { printf 'package check: %s\n' "$*" >&2; exit 1; }
version_of() { node -p "require('$repo/node_modules/$1/package.json').version"; }

log "pack"
# .npmrc sets ignore-scripts=true for installs, which would also skip `prepare`, the script that compiles lib/:
# the tarball would then hold no JavaScript. Packing is the one place this project's own script must run.
tarball=$(timeout 300 npm pack --ignore-scripts=false --pack-destination "$scratch" --silent | tail -n 1)
tarball=$scratch/$tarball
listing=$(tar -tzf "$tarball")
for expected in package/lib/application/index.js package/lib/application/index.d.ts package/README.md package/docs/api.md package/docs/embedding.md; do
  grep -qx "$expected" <<<"$listing" || fail "the tarball lacks $expected"
done
if grep -E '^package/(test|bootstrap|scripts|lib/bootstrap|dist|data)/' <<<"$listing" | head -n 3 | grep .; then
  fail "the tarball carries files a consumer has no use for"
fi

log "install into a scratch project"
cd "$scratch"
printf '{ "name": "embedding-check", "private": true, "type": "module" }\n' >package.json
# The consumer's TypeScript tools at this repository's versions, which npm's cache already holds.
timeout 300 npm install --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=error \
  "$tarball" "typescript@$(version_of typescript)" "@types/node@$(version_of @types/node)" "@types/koa@$(version_of @types/koa)"

log "every exports target exists"
node --input-type=module -e "
  import { createRequire } from 'node:module';
  import { existsSync } from 'node:fs';
  const require = createRequire(import.meta.url);
  const manifest = require('auth-service/package.json');
  const root = require.resolve('auth-service/package.json').replace(/package\.json$/, '');
  const targets = Object.values(manifest.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
  const missing = targets.filter((t) => !existsSync(root + t));
  if (missing.length > 0) throw new Error('missing: ' + missing.join(', '));
  console.log(targets.length + ' targets present');
"

log "the embedding example of docs/embedding.md, in plain Node"
# The first js block after the section heading, exactly as a reader copies it.
awk '/^#+ Embedding the use cases/ { section = 1 } section && /^```js$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' \
  "$repo/docs/embedding.md" >example.js
[ -s example.js ] || fail "no js block under docs/embedding.md's 'Embedding the use cases'"
output=$(timeout 60 node example.js)
printf '%s\n' "$output"
[ "$output" = "jane is logged in true" ] || fail "the example printed '$output'"

log "the . entry loads no framework"
loads() {
  : >"$scratch/loaded.txt"
  LOADED_MODULES_FILE=$scratch/loaded.txt node --import "$fixtures/record-loads.mjs" --input-type=module -e "await import('$1')"
  # Packages other than auth-service itself, by name.
  grep -oE '/node_modules/(@[^/]+/)?[^/]+/' "$scratch/loaded.txt" | sed -E 's#^/node_modules/##; s#/$##' | grep -vx auth-service | sort -u || true
}
root_loads=$(loads auth-service)
[ -z "$root_loads" ] || fail "importing auth-service loads: $(tr '\n' ' ' <<<"$root_loads")"
grep -q '/node_modules/auth-service/lib/application/index.js' "$scratch/loaded.txt" || fail "the load recorder saw nothing"
# The recorder does see packages: the crypto entry must show jose.
grep -qx jose <<<"$(loads auth-service/adapters/crypto)" || fail "the load recorder missed jose behind adapters/crypto"
echo "auth-service loads no other package; auth-service/adapters/crypto loads jose"

log "a TypeScript consumer type-checks"
cp "$fixtures/consumer.ts" "$fixtures/tsconfig.json" .
cp example.js example.ts
timeout 120 ./node_modules/.bin/tsc -p tsconfig.json
echo "consumer.ts and the embedding example type-check against the installed declarations"
