"""OTT-JAX W2NeuralDual on the same Gaussian pair and test points as `ncf bench time-to-uvp`.

The library as shipped: ICNN potentials (64 x 4, its default), its default optimisers and amortisation,
fresh samples every step (batch = the problem's energy batch), and the ICNN's identity initialisation
(`--gaussian-init 1` uses its Bures-map initialisation from 65 536 samples per side).
Training time excludes scoring and the first step (compilation), which is counted as long as the second.
Prints one JSON object on stdout.
"""
import argparse
import json
import time

import numpy as np
import jax
import jax.numpy as jnp
from ott.neural.methods.neuraldual import W2NeuralDual
from ott.neural.networks.icnn import ICNN

from ncf_jax import Problem


def main():
    A = argparse.ArgumentParser()
    A.add_argument("--problem", required=True, help="JSON from `ncf bench export`")
    A.add_argument("--thresholds", default="0.5,0.1")
    A.add_argument("--score-every", type=int, default=100)
    A.add_argument("--max-seconds", type=float, default=120)
    A.add_argument("--max-steps", type=int, default=100_000)
    A.add_argument("--gaussian-init", type=int, default=0)
    A.add_argument("--seed", type=int, default=0)
    a = A.parse_args()
    P = Problem(a.problem)
    d, batch = P.d, P.raw["energyBatch"]
    rng = np.random.default_rng(a.seed)

    def sampler(mean, root):
        while True:
            yield (mean + rng.standard_normal((batch, d)) @ root).astype(np.float32)

    src, tgt = sampler(P.src_mean, P.src_root), sampler(P.tgt_mean, P.tgt_root)
    init = None
    if a.gaussian_init:
        n = 65_536
        init = (jnp.asarray(P.src_mean + rng.standard_normal((n, d)) @ P.src_root, dtype=jnp.float32),
                jnp.asarray(P.tgt_mean + rng.standard_normal((n, d)) @ P.tgt_root, dtype=jnp.float32))
    f = ICNN(dim_data=d, dim_hidden=[64, 64, 64, 64], gaussian_map_samples=init)
    g = ICNN(dim_data=d, dim_hidden=[64, 64, 64, 64])
    solver = W2NeuralDual(dim_data=d, neural_f=f, neural_g=g, num_train_iters=a.max_steps,
                          valid_freq=10 ** 9, log_freq=10 ** 9, rng=jax.random.PRNGKey(a.seed))
    thresholds = [float(v) for v in a.thresholds.split(",")]
    truth = P.tgt_mean + (P.test - P.src_mean) @ P.gamma
    test = jnp.asarray(P.test, dtype=jnp.float32)
    seconds_to, steps_to, trace = [None] * len(thresholds), [None] * len(thresholds), []
    # The callback runs after every step; time spent in it (scoring) is excluded, and so is the first
    # step (compilation), whose time is counted as that of the second step.
    clock = {"start": None, "excluded": 0.0, "first": None}

    class Stop(Exception):
        pass

    def callback(step, potentials):
        jax.block_until_ready(solver.state_f.params)
        now = time.perf_counter()
        if step == 0:
            clock["start"] = now
            return
        if step == 1:
            clock["first"] = now - clock["start"]
        training = now - clock["start"] - clock["excluded"] + clock["first"]
        if (step + 1) % a.score_every == 0 or training >= a.max_seconds:
            tx = np.asarray(potentials.transport(test, forward=True), dtype=np.float64)
            uvp = 100 * float(np.mean(np.sum((tx - truth) ** 2, 1))) / P.tgt_var
            trace.append({"step": step + 1, "seconds": training, "forwardUVP": uvp})
            for i, th in enumerate(thresholds):
                if seconds_to[i] is None and uvp <= th:
                    seconds_to[i], steps_to[i] = training, step + 1
            done = all(s is not None for s in seconds_to) or training >= a.max_seconds or not np.isfinite(uvp)
            clock["excluded"] += time.perf_counter() - now
            if done:
                raise Stop()

    try:
        solver(src, tgt, src, tgt, callback=callback)
    except Stop:
        pass
    steps = trace[-1]["step"] if trace else 0
    training = trace[-1]["seconds"] if trace else float("nan")
    warm = float("nan")
    print(json.dumps({"dimension": d, "method": "OTT-JAX W2NeuralDual (ICNN 64x4, defaults)", "batch": batch,
                      "gaussianInit": bool(a.gaussian_init), "firstChunkSeconds": warm, "thresholds": thresholds,
                      "secondsToThreshold": seconds_to, "stepsToThreshold": steps_to, "trace": trace, "steps": steps,
                      "trainingSeconds": training, "testPoints": int(P.test.shape[0])}))


if __name__ == "__main__":
    main()
