#!/bin/bash
# Finite data: n points per side in fixed arrays, 10 % held out, candidate settings, 15 evaluations
# (held-out energy and semi-dual criteria recorded at each; early stopping evaluated post hoc).
PY=../../../.venv-research/bin/python
run() { tag=$1; shift; nice -n 10 $PY train.py --signal enot --steps 1500 --batch 512 --hj-batch 512 --evals 15 --lr 1e-2 --tag $tag "$@" > logs/$tag.log 2>&1; }
run fin-gaussm-2-n20k --pair gaussm-2 --data-n 20000
run fin-w2-16-n20k --pair w2-16 --data-n 20000
run fin-gaussm-8-n20k --pair gaussm-8 --data-n 20000
run fin-w2-16-n2k --pair w2-16 --data-n 2000
run fin-w2-16-n200k --pair w2-16 --data-n 200000
run fin-gaussm-2-n2k --pair gaussm-2 --data-n 2000
run fin-gaussm-2-n200k --pair gaussm-2 --data-n 200000
