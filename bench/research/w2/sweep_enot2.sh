#!/bin/bash
# Ablations of the candidate at d = 16, 1500 steps, lr 1e-2 (compare with enot-lr1e-2: 3.58 / 1.41).
PY=../../../.venv-research/bin/python
run() { tag=$1; shift; nice -n 10 $PY train.py --pair w2-16 --signal enot --steps 1500 --evals 3 --lr 1e-2 --tag $tag "$@" > logs/$tag.log 2>&1; }
run abl-hjevery4 --batch 512 --hj-batch 512 --hj-every 4
run abl-b256 --batch 256 --hj-batch 256
run abl-nohead --batch 512 --hj-batch 512 --head none
