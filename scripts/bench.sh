#!/usr/bin/env bash
# `npm run bench` / `npm run bench:start`: on Node 24, the runtime the image ships, from the same cache as .ci/run
# (scripts/node24.sh) when the machine's Node is older. BENCH_NODE=machine measures on the machine's own Node
# instead (BENCHMARKS.md records both). Every child (service, floor, raw bcrypt) runs on the Node running this.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_NODE:-24}" != machine ]; then
  if node24=$(bash scripts/node24.sh); then
    export PATH="$(dirname "$node24"):$PATH"
  else
    echo "[bench] no Node 24 available; measuring on the machine's $(node --version)" >&2
  fi
fi
echo "[bench] node $(node --version)" >&2
what=${1:-all}
if [ "$what" = all ] || [ "$what" = start ]; then node --import tsx scripts/bench-start.ts; fi
if [ "$what" = all ]; then node --import tsx scripts/bench.ts; fi
