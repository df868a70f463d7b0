#!/usr/bin/env bash
# Discrete-OT benchmarks: our timings (through a Swift Testing suite that is
# disabled unless NCF_BENCH is set), then POT / NumPy on the same inputs.
#
#   bench/discrete/run.sh                  # everything
#   NCF_BENCH_FILTER=exactOT bench/discrete/run.sh
#   SKIP_NUMPY_ENERGY=1 bench/discrete/run.sh   # skip the ~1 min NumPy energy distance
set -euo pipefail
cd "$(dirname "$0")/../.."
export NCF_BENCH=1
export NCF_BENCH_DIR="${NCF_BENCH_DIR:-/tmp/ncf-bench-discrete}"
SCRATCH="${NCF_SCRATCH:-.build-discrete}"
mkdir -p "$NCF_BENCH_DIR"
rm -f "$NCF_BENCH_DIR/swift_results.txt"
swift test -c release --scratch-path "$SCRATCH" -Xcc -march=x86-64-v3 \
  --filter "DiscreteBenchmarks${NCF_BENCH_FILTER:+.*$NCF_BENCH_FILTER}" 2>&1 | grep -E "^BENCH|✘|error" || true
python3 bench/discrete/pot_reference.py "$NCF_BENCH_DIR"
