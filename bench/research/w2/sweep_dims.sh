#!/bin/bash
# The candidate (ENOT on NCF, kappa 1, lr 1e-2 cosine, batch 512, 128x4 softplus4 + moment head) on
# W2 d = 2, 8 and Gaussian pairs d = 2, 16, 64 (1500 steps each).
PY=../../../.venv-research/bin/python
run() { tag=$1; shift; nice -n 10 $PY train.py --signal enot --steps 1500 --batch 512 --hj-batch 512 --evals 3 --lr 1e-2 --tag $tag "$@" > logs/$tag.log 2>&1; }
run cand-w2-2 --pair w2-2
run cand-w2-8 --pair w2-8
run cand-gauss-2 --pair gauss-2
run cand-gauss-16 --pair gauss-16
run cand-gauss-64 --pair gauss-64
