"""A JAX reference of our NCF training step, written from the method's definition.

It mirrors `NCFSolver` step by step (Sources/NCFFlows/Solver/TrainingStep.swift):
  network   u(x, t) = MLP([x, t]) (+ the Gaussian head q(x, t) when the problem has one)
  forward   T(x) = x + t_f * grad_x u(x, 0)                       (quadratic cost: grad h(p) = p)
  energy    2 E|T(x) - y| - E_{i != j}|T(x_i) - T(x_j)|           (U-statistic, no target term)
  HJ        mean (u(z, t) + t h(p) - t p.grad h(p) - u(z - t grad h(p), 0))^2,  p = grad_z u(z, t)
            on collocation points: box (uniform, 20 %), source points pushed along the current
            characteristics (40 %), target points pulled back (40 %), t ~ U[0, t_f]
  loss      HJ + lambda * energy;  Adam (clip 10, cosine schedule with warm-up), head rate scale / d.
Fresh Gaussian samples every step. The problem (pair, normalisation, box, INITIAL WEIGHTS, settings,
test points) comes from `ncf bench export`, so both implementations start from the same weights.

Modes: step (time per step), inference (map throughput), uvp (training time to forward-UVP thresholds).
Prints one JSON object on stdout.
"""
import argparse
import json
import math
import time

import numpy as np
import jax
import jax.numpy as jnp
import optax


def activation(name):
    if name == "tanh":
        return jnp.tanh
    if name == "silu":
        return jax.nn.silu
    if name.startswith("softplus"):
        beta = float(name.split(":")[1]) if ":" in name else 1.0
        return lambda a: jax.nn.softplus(beta * a) / beta
    raise SystemExit(f"unknown activation {name}")


class Problem:
    def __init__(self, path):
        with open(path) as f:
            p = json.load(f)
        self.raw = p
        self.d = p["dimension"]
        d = self.d
        self.params = {n: jnp.asarray(np.array(v, dtype=np.float32).reshape(s))
                       for n, s, v in zip(p["parameterNames"], p["parameterShapes"], p["parameterValues"])}
        self.names = p["parameterNames"]
        self.depth, self.act = p["depth"], activation(p["activation"])
        self.residual, self.head = p["residual"], p["head"]
        self.tf, self.lam = p["terminalTime"], p["lambda"]
        self.shift = np.array(p["shift"]); self.scale = p["scale"]
        self.lower = jnp.asarray(np.array(p["boxLower"], dtype=np.float32))
        self.upper = jnp.asarray(np.array(p["boxUpper"], dtype=np.float32))
        self.src_mean = np.array(p["sourceMean"]); self.tgt_mean = np.array(p["targetMean"])
        self.src_root = np.array(p["sourceRoot"]).reshape(d, d)
        self.tgt_root = np.array(p["targetRoot"]).reshape(d, d)
        self.gamma = np.array(p["gamma"]).reshape(d, d)
        self.tgt_var = p["targetTotalVariance"]
        self.test = np.array(p["testSource"]).reshape(p["testPoints"], d)
        # Sampling straight into model units: x_m = (mu + xi L - shift) / scale.
        self.src_affine = (jnp.asarray(((self.src_mean - self.shift) / self.scale).astype(np.float32)),
                           jnp.asarray((self.src_root / self.scale).astype(np.float32)))
        self.tgt_affine = (jnp.asarray(((self.tgt_mean - self.shift) / self.scale).astype(np.float32)),
                           jnp.asarray((self.tgt_root / self.scale).astype(np.float32)))

    # u(z) for a batch z = [x, t] (B x (d + 1)); returns (B,)
    def potential(self, params, z):
        h = z
        for l in range(1, self.depth + 1):
            w, b = params[f"layer{l}.weight"], params[f"layer{l}.bias"]
            y = self.act(h @ w + b)
            if self.residual and l >= 2 and w.shape[0] == w.shape[1]:
                y = y + h
            h = y
        u = (h @ params["output.weight"])[:, 0] + params["output.bias"][0, 0]
        if not self.head:
            return u
        d = self.d
        x, t = z[:, :d], z[:, d:]
        m, delta, c = params["head.m"][:, 0], params["head.delta"][:, 0], params["head.c"][0, 0]
        w = x - m - t * delta
        pw = 0.0
        for k in range(4):
            a = params[f"head.A{k}"]
            pw = pw + (t ** k) * (w @ (0.5 * (a + a.T)))
        dd = jnp.sum(delta * delta)
        return u + 0.5 * jnp.sum(w * pw, axis=1) + x @ delta + t[:, 0] * (c - 0.5 * dd)

    def value_and_grad(self, params, z):
        u, vjp = jax.vjp(lambda zz: self.potential(params, zz), z)
        return u, vjp(jnp.ones_like(u))[0]

    def counts(self, n):
        w = self.raw["collocationWeights"]
        total = sum(w)
        box = int(round_half_away(n * w[0] / total))
        pushed = min(n - box, int(round_half_away(n * w[1] / total)))
        return box, pushed, n - box - pushed


def round_half_away(v):
    return math.floor(v + 0.5) if v >= 0 else -math.floor(-v + 0.5)


def mean_distance(a, b, exclude_diagonal):
    # |a_i - b_j| through |a|^2 + |b|^2 - 2 a.b (a GEMM), with a zero gradient at zero distance.
    sq = jnp.sum(a * a, 1)[:, None] + jnp.sum(b * b, 1)[None, :] - 2.0 * a @ b.T
    dist = jnp.sqrt(jnp.maximum(sq, 1e-12))
    n, m = a.shape[0], b.shape[0]
    if exclude_diagonal:
        dist = dist * (1.0 - jnp.eye(n, dtype=dist.dtype))
        return jnp.sum(dist) / (n * (n - 1))
    return jnp.sum(dist) / (n * m)


def make_step(P, energy_batch, colloc_batch, lr, iterations, warmup, final_fraction, clip):
    d, tf = P.d, P.tf
    n_box, n_push, n_pull = P.counts(colloc_batch)
    unbiased = P.raw["unbiasedEnergy"]
    head_scale = P.raw["headLearningRateScale"] / d
    warm = min(warmup, iterations // 10)

    def schedule(step):
        step = step.astype(jnp.float32)
        span = max(iterations - warm, 1)
        progress = jnp.minimum(1.0, (step - warm) / span)
        cos = lr * (final_fraction + (1 - final_fraction) * 0.5 * (1 + jnp.cos(jnp.pi * progress)))
        if warm > 0:
            return jnp.where(step < warm, lr * (step + 1) / warm, cos)
        return cos

    opt = optax.chain(optax.clip_by_global_norm(clip) if clip else optax.identity(),
                      optax.scale_by_adam(b1=0.9, b2=0.999, eps=1e-8),
                      optax.scale_by_learning_rate(schedule))
    scales = {n: (head_scale if n.startswith("head.") else 1.0) for n in P.names}

    def loss_fn(params, x, y, key):
        ones = jnp.ones((x.shape[0], 1), x.dtype)
        _, g = P.value_and_grad(params, jnp.concatenate([x, 0 * ones], 1))
        v = g[:, :d]
        mapped = x + tf * v
        energy = 2 * mean_distance(mapped, y, False) - mean_distance(mapped, mapped, unbiased)
        # Collocation points (no gradient flows through them).
        kt, kb = jax.random.split(key)
        t = jax.random.uniform(kt, (colloc_batch, 1), minval=0.0, maxval=tf)
        box = P.lower + (P.upper - P.lower) * jax.random.uniform(kb, (n_box, d))
        v0 = jax.lax.stop_gradient(v)
        idx = jnp.arange(n_push) % x.shape[0]
        pushed = x[idx] + t[n_box:n_box + n_push] * v0[idx]
        parts = [box, pushed]
        if n_pull > 0:
            rows = min(n_pull, y.shape[0])
            ys = y[:rows]
            _, g1 = P.value_and_grad(jax.lax.stop_gradient(params), jnp.concatenate([ys, tf * jnp.ones((rows, 1))], 1))
            v1 = g1[:, :d]
            j = jnp.arange(n_pull) % rows
            parts.append(ys[j] - (tf - t[n_box + n_push:]) * v1[j])
        cx = jax.lax.stop_gradient(jnp.concatenate(parts, 0))
        u, gz = P.value_and_grad(params, jnp.concatenate([cx, t], 1))
        p = gz[:, :d]
        hval = 0.5 * jnp.sum(p * p, 1)
        shifted = cx - t * p
        u0 = P.potential(params, jnp.concatenate([shifted, jnp.zeros_like(t)], 1))
        residual = u + t[:, 0] * hval - t[:, 0] * jnp.sum(p * p, 1) - u0
        hj = jnp.mean(residual ** 2)
        return hj + P.lam * energy, (hj, energy)

    def sample(key, n, affine):
        mean, root = affine
        return mean + jax.random.normal(key, (n, d)) @ root

    @jax.jit
    def step(params, opt_state, key):
        kx, ky, kc = jax.random.split(key, 3)
        x = sample(kx, energy_batch, P.src_affine)
        y = sample(ky, energy_batch, P.tgt_affine)
        (loss, (hj, energy)), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, x, y, kc)
        updates, opt_state = opt.update(grads, opt_state, params)
        params = {n: params[n] + scales[n] * updates[n] for n in params}
        return params, opt_state, hj, energy

    return step, opt


def make_map(P, forward):
    tau, sign = (0.0, 1.0) if forward else (P.tf, -1.0)
    shift = jnp.asarray(P.shift.astype(np.float32))

    @jax.jit
    def apply(params, x):
        xm = (x - shift) / P.scale
        z = jnp.concatenate([xm, jnp.full((x.shape[0], 1), tau, xm.dtype)], 1)
        _, g = P.value_and_grad(params, z)
        return x + sign * P.tf * P.scale * g[:, :P.d]

    return apply


def main():
    A = argparse.ArgumentParser()
    A.add_argument("mode", choices=["step", "inference", "uvp"])
    A.add_argument("--problem", required=True, help="JSON from `ncf bench export`")
    A.add_argument("--warmup", type=int, default=5)
    A.add_argument("--steps", type=int, default=20)
    A.add_argument("--repeats", type=int, default=5)
    A.add_argument("--points", type=int, default=1_000_000)
    A.add_argument("--chunk", type=int, default=50_000)
    A.add_argument("--thresholds", default="0.5,0.1")
    A.add_argument("--score-every", type=int, default=100)
    A.add_argument("--max-seconds", type=float, default=120)
    A.add_argument("--seed", type=int, default=0)
    a = A.parse_args()
    P = Problem(a.problem)
    r = P.raw
    out = {"dimension": P.d, "width": r["width"], "depth": r["depth"], "activation": r["activation"], "head": P.head,
           "jax": jax.__version__, "devices": str(jax.devices())}

    if a.mode == "inference":
        rng = np.random.default_rng(0x1F)
        x = P.src_mean + rng.standard_normal((min(a.chunk, a.points), P.d)) @ P.src_root
        for name, fwd in [("forward", True), ("backward", False)]:
            f = make_map(P, fwd)
            np.asarray(f(P.params, x))
            times = []
            for _ in range(a.repeats):
                t0 = time.perf_counter(); done = 0
                while done < a.points:
                    n = min(x.shape[0], a.points - done)
                    np.asarray(f(P.params, x[:n]))
                    done += n
                times.append(time.perf_counter() - t0)
            out[f"{name}Seconds"] = times
            out[f"{name}PointsPerSecond"] = a.points / float(np.median(times))
        out["points"] = a.points
        print(json.dumps(out))
        return

    step, opt = make_step(P, r["energyBatch"], r["collocationBatch"], r["learningRate"], r["iterations"],
                          r["warmupSteps"], r["finalLearningRateFraction"], r["gradientClipNorm"])
    params, opt_state = P.params, opt.init(P.params)
    key = jax.random.PRNGKey(a.seed)

    t0 = time.perf_counter()
    compiled = step.lower(params, opt_state, key).compile()
    out["compileSeconds"] = time.perf_counter() - t0

    if a.mode == "step":
        for _ in range(a.warmup):
            key, k = jax.random.split(key)
            params, opt_state, hj, _ = compiled(params, opt_state, k)
        hj.block_until_ready()
        per = []
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            for _ in range(a.steps):
                key, k = jax.random.split(key)
                params, opt_state, hj, _ = compiled(params, opt_state, k)
            hj.block_until_ready()
            per.append((time.perf_counter() - t0) / a.steps)
        out.update(secondsPerStep=per, medianSecondsPerStep=float(np.median(per)), energyBatch=r["energyBatch"],
                   collocationBatch=r["collocationBatch"], finalHJ=float(hj))
        print(json.dumps(out))
        return

    # uvp: training time (scoring excluded) until the forward UVP first falls below each threshold.
    thresholds = [float(v) for v in a.thresholds.split(",")]
    fmap = make_map(P, True)
    truth = P.tgt_mean + (P.test - P.src_mean) @ P.gamma
    seconds_to, steps_to, trace = [None] * len(thresholds), [None] * len(thresholds), []
    training, steps = 0.0, 0
    while steps < r["iterations"]:
        t0 = time.perf_counter()
        for _ in range(min(a.score_every, r["iterations"] - steps)):
            key, k = jax.random.split(key)
            params, opt_state, hj, _ = compiled(params, opt_state, k)
            steps += 1
        hj.block_until_ready()
        training += time.perf_counter() - t0
        tx = np.asarray(fmap(params, P.test), dtype=np.float64)
        uvp = 100 * float(np.mean(np.sum((tx - truth) ** 2, 1))) / P.tgt_var
        trace.append({"step": steps, "seconds": training, "forwardUVP": uvp})
        for i, th in enumerate(thresholds):
            if seconds_to[i] is None and uvp <= th:
                seconds_to[i], steps_to[i] = training, steps
        if all(s is not None for s in seconds_to) or training >= a.max_seconds or not np.isfinite(uvp):
            break
    out.update(thresholds=thresholds, secondsToThreshold=seconds_to, stepsToThreshold=steps_to, trace=trace,
               steps=steps, trainingSeconds=training, testPoints=int(P.test.shape[0]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
