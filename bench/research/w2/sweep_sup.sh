#!/bin/bash
# Supervised-signal sweep at d = 16 (calibration: how fast can the architecture/optimiser learn the map per step).
PY=../../../.venv-research/bin/python
run() { tag=$1; shift; nice -n 10 $PY train.py --pair w2-16 --signal sup --steps 1500 --batch 512 --hj-batch 512 --evals 3 --tag $tag "$@" > logs/$tag.log 2>&1; }
( run sup-k0 --kappa 0; run sup-k0-lr3e-3 --kappa 0 --lr 3e-3; run sup-k0-elu --kappa 0 --act elu ) &
( run sup-k0-nohead --kappa 0 --head none; run sup-k0-256x3 --kappa 0 --width 256 --depth 3; run sup-k0-silu --kappa 0 --act silu ) &
wait
