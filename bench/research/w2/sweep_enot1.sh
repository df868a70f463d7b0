#!/bin/bash
# ENOT-on-NCF at d = 16, 1500 steps: learning rate, kappa, HJ detach, directions.
PY=../../../.venv-research/bin/python
run() { tag=$1; shift; nice -n 10 $PY train.py --pair w2-16 --signal enot --steps 1500 --batch 512 --hj-batch 512 --evals 3 --tag $tag "$@" > logs/$tag.log 2>&1; }
( run enot-lr3e-3 --lr 3e-3; run enot-lr3e-3-k0.1 --lr 3e-3 --kappa 0.1; run enot-lr3e-3-alt --lr 3e-3 --enot-dirs alt ) &
( run enot-lr3e-3-det --lr 3e-3 --hj-detach0 1; run enot-lr3e-3-k0 --lr 3e-3 --kappa 0; run enot-lr3e-3-det-k10 --lr 3e-3 --hj-detach0 1 --kappa 10 ) &
wait
