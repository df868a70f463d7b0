#!/usr/bin/env bash
# Side-by-side benchmark: ours vs a jit-compiled JAX NCF and OTT-JAX W2NeuralDual.
# Usage: bench/peers/run.sh [report.py options, e.g. --uvp-seconds 60 --skip ott]
# Writes bench/peers/out/peers.{md,json,log}. About 15-25 minutes on 2 loaded cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/common.sh && ncf_prepare
swift build -c release "${NCF_FLAGS[@]}" >/dev/null
[ -x bench/peers/.venv/bin/python ] || bench/peers/setup.sh
exec nice -n 10 python3 bench/peers/report.py --ncf "$(swift build -c release "${NCF_FLAGS[@]}" --show-bin-path)/ncf" \
  --python bench/peers/.venv/bin/python --out bench/peers/out/peers "$@"
