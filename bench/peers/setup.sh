#!/usr/bin/env bash
# Creates bench/peers/.venv (outside git) with the pinned JAX reference stack.
# Required: jax + optax (the JAX NCF reference). Optional, skipped cleanly when
# they do not install: ott-jax (W2NeuralDual) and POT.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
PIP="$VENV/bin/pip"
"$PIP" install -q --upgrade pip >/dev/null
"$PIP" install -q "numpy<3" "jax==0.10.2" "jaxlib==0.10.2" "optax==0.2.8"
for peer in "ott-jax[neural]==0.6.0 flax==0.12.8" "pot==0.9.7.post1"; do
  if ! "$PIP" install -q $peer; then
    echo "warning: $peer did not install; its rows will be skipped" >&2
  fi
done
"$VENV/bin/python" - <<'PY'
import importlib
for m in ["jax", "optax", "ott", "ot"]:
    try:
        mod = importlib.import_module(m)
        print(f"{m} {getattr(mod, '__version__', '?')}")
    except Exception as e:  # a peer that failed to install
        print(f"{m} unavailable ({e.__class__.__name__})")
PY
