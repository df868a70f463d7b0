"""Peer calibration: OTT-JAX ExpectileNeuralDual (ENOT) on the W2 pair, same CPU, wall-time budget.

Uses the library as shipped (its default MLP 128x4 ELU potentials, Adam 3e-4, b1 = b2 = 0.9, tau = 0.99,
one direction per step alternating), fresh samples every step, UVP on the same 16 384 test points.
Usage: python peer_ott.py --pair w2-16 --seconds 900 --batch 1024
"""
import argparse, json, os, time
import numpy as np
import jax, jax.numpy as jnp
from ott.neural.methods.expectile_neural_dual import ExpectileNeuralDual
from ott.neural.networks.potentials import MLP

import w2lib

P = argparse.ArgumentParser()
P.add_argument("--pair", default="w2-16")
P.add_argument("--seconds", type=float, default=900)
P.add_argument("--batch", type=int, default=1024)
P.add_argument("--width", type=int, default=128)
P.add_argument("--depth", type=int, default=4)
P.add_argument("--evals", type=int, default=10)
P.add_argument("--seed", type=int, default=0)
P.add_argument("--tag", default="")
P.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results.jsonl"))
A = P.parse_args()

pair = w2lib.make_pair(A.pair)
hid = [A.width] * A.depth + [1]
solver = ExpectileNeuralDual(dim_data=pair.d, neural_f=MLP(dim_hidden=hid), neural_g=MLP(dim_hidden=hid),
                             rng=jax.random.PRNGKey(A.seed))
draw_x = jax.jit(lambda k: pair.sample_source(k, A.batch))
draw_y = jax.jit(lambda k: pair.sample_target(k, A.batch))
xt, yt = pair.test_set()


def evaluate():
    pots = solver.to_dual_potentials()
    f = jax.jit(lambda z: pots.transport(z, forward=True)); b = jax.jit(lambda z: pots.transport(z, forward=False))
    tf = np.concatenate([np.asarray(f(xt[i:i + 4096])) for i in range(0, xt.shape[0], 4096)])
    tb = np.concatenate([np.asarray(b(yt[i:i + 4096])) for i in range(0, yt.shape[0], 4096)])
    return w2lib.uvp(tf, yt, pair.var_nu), w2lib.uvp(tb, xt, pair.var_mu)


key = jax.random.PRNGKey(1000 + A.seed)
curve, step, train_t = [], 0, 0.0
next_eval = A.seconds / A.evals
print(f"[{A.tag}] ott ENOT {A.pair} {hid} batch {A.batch}", flush=True)
sf, sg = solver.state_f, solver.state_g
while train_t < A.seconds:
    t0 = time.time()
    for _ in range(50):
        key, k1, k2 = jax.random.split(key, 3)
        x, y = draw_x(k1), draw_y(k2)
        if step % 2 == 0:
            sf, sg, *_ = solver.train_step(sf, sg, {"source": x, "target": y})
        else:
            sg, sf, *_ = solver.train_step(sg, sf, {"source": y, "target": x})
        step += 1
    jax.block_until_ready(jax.tree_util.tree_leaves(sf.params)[0])
    train_t += time.time() - t0
    if train_t >= next_eval or train_t >= A.seconds:
        solver.state_f, solver.state_g = sf, sg
        f, b = evaluate()
        curve.append(dict(step=step, t=round(train_t, 1), fwd=f, bwd=b))
        print(f"  step {step} ({train_t:.0f}s, {step / train_t:.1f} st/s): fwd {f:.3f} bwd {b:.3f}", flush=True)
        next_eval += A.seconds / A.evals

rec = dict(tag=A.tag, args=vars(A), method="ott-ENOT", steps=step, train_s=round(train_t, 1),
           steps_per_s=step / train_t, load=os.getloadavg()[0], fwd=curve[-1]["fwd"], bwd=curve[-1]["bwd"], curve=curve,
           best_fwd=min(c["fwd"] for c in curve), best_bwd=min(c["bwd"] for c in curve))
print(f"[{A.tag}] done: {step} steps {train_t:.0f}s fwd {rec['fwd']:.3f} bwd {rec['bwd']:.3f}", flush=True)
with open(A.out, "a") as fh:
    fh.write(json.dumps(rec) + "\n")
