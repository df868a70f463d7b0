#!/usr/bin/env bash
# The main job on built-in data: builds ncf (release) and runs `ncf demo`.
# Extra arguments go to `ncf demo` (e.g. --out DIR, --dataset moons).
set -euo pipefail
cd "$(dirname "$0")/.." && source scripts/common.sh && ncf_prepare
swift build -c release --product ncf "${NCF_FLAGS[@]}"
exec "$(swift build -c release --product ncf "${NCF_FLAGS[@]}" --show-bin-path)/ncf" demo "$@"
