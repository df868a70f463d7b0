#!/usr/bin/env bash
# Runs the whole test suite in release mode (numeric code is ~700x slower in
# debug builds). Extra arguments go to `swift test` (e.g. --filter NCFFlowsTests).
set -euo pipefail
cd "$(dirname "$0")/.." && source scripts/common.sh && ncf_prepare
exec swift test -c release "${NCF_FLAGS[@]}" "$@"
