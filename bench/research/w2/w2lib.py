"""Shared pieces for the W2 research prototypes (JAX, CPU).

- the Mix3toMix10 benchmark of Korotin et al. (2021) from ../shared/benchmarks/w2-mix3to10
  (ICNN map T = grad psi*, Mix3 sampler), written from that folder's README;
- Gaussian pairs with the package's recipe (spectra log-uniform in [1/2, 2], Haar eigenbasis);
- the NCF potential u(x, t): MLP on [x; t] plus the optional Gaussian head, as in
  Sources/NCFFlows/Model/PotentialNetwork.swift;
- UVP / HJ-residual evaluation.
"""
import json, os, time
import numpy as np
import jax, jax.numpy as jnp

ROOT = os.environ.get("W2_ROOT", "/work/shared/benchmarks/w2-mix3to10")


# ----------------------------------------------------------------------------- W2 benchmark
def _celu(z):
    return jnp.where(z > 0, z, jnp.expm1(jnp.minimum(z, 0.0)))


def load_icnn(d, v, dtype=np.float32):
    folder = f"{ROOT}/d{d}"
    p = {}
    for f in os.listdir(folder):
        if f.startswith(f"psi{v}."):
            p[f[len(f"psi{v}."):-4]] = np.load(f"{folder}/{f}").astype(dtype)
    return p


def icnn_value(p, x, s=0.01):
    """psi(x) for one point x (d,), README formula."""
    def q(i):
        a = p[f"quadratic_layers.{i}.quadratic_decomposed"]  # (d, r, h)
        xa = jnp.einsum("d,drh->rh", x, a)
        return (xa ** 2).sum(0) + p[f"quadratic_layers.{i}.weight"] @ x + p[f"quadratic_layers.{i}.bias"]
    z = q(0)
    z = _celu(p["convex_layers.0.weight"] @ z + q(1))
    z = _celu(p["convex_layers.1.weight"] @ z + q(2))
    return (p["final_layer.weight"] @ z)[0] + 0.5 * s * x @ x


class W2Pair:
    """Source mu = Mix3, target nu = T#mu with T the benchmark's ICNN map."""

    def __init__(self, d, dtype=np.float32):
        self.d = d
        folder = f"{ROOT}/d{d}"
        meta = json.load(open(f"{folder}/benchmark.json"))
        self.std = meta["source"]["std"]
        self.centers = np.load(f"{folder}/source.centers.npy").astype(dtype)
        self.maps = np.load(f"{folder}/source.maps.npy").astype(dtype).reshape(3, d, d)
        self.m = np.load(f"{folder}/standardize.mean.npy").astype(dtype)
        self.v = meta["standardize"]["mean_var"]
        self.p1, self.p2 = load_icnn(d, 1, dtype), load_icnn(d, 2, dtype)
        g = jax.grad(lambda x: icnn_value(self.p1, x) + icnn_value(self.p2, x))
        sv = np.sqrt(self.v)
        self.T = jax.jit(jax.vmap(lambda x: (g(x) - self.m) / sv))
        # Var(mu) in closed form: mixture with equal weights.
        comp = np.array([self.std ** 2 * (self.maps[k] ** 2).sum() for k in range(3)]).mean()
        self.var_mu = float(comp + ((self.centers - self.centers.mean(0)) ** 2).sum(1).mean())
        self.mean_mu = self.centers.mean(0)
        covs = [self.std ** 2 * self.maps[k] @ self.maps[k].T for k in range(3)]
        cc = self.centers - self.mean_mu
        self.cov_mu = np.mean(covs, 0) + cc.T @ cc / 3
        self._var_nu = None

    def sample_source(self, key, n):
        k1, k2 = jax.random.split(key)
        idx = jax.random.randint(k1, (n,), 0, 3)
        z = jax.random.normal(k2, (n, self.d))
        mk = jnp.asarray(self.maps)[idx]  # (n, d, d)
        return jnp.einsum("nij,nj->ni", mk, z) * self.std + jnp.asarray(self.centers)[idx]

    def sample_target(self, key, n):
        return self.T(self.sample_source(key, n))

    @property
    def var_nu(self):
        if self._var_nu is None:
            y = np.asarray(self.sample_target(jax.random.PRNGKey(987654), 1 << 17), np.float64)
            self._var_nu = float(y.var(0).sum())
        return self._var_nu

    def test_set(self, n=16384, seed=2024):
        x = self.sample_source(jax.random.PRNGKey(seed), n)
        return x, self.T(x)


# ----------------------------------------------------------------------------- Gaussian pairs
def _sqrtm_spd(a):
    w, q = np.linalg.eigh(a)
    return (q * np.sqrt(np.maximum(w, 0))) @ q.T


def gaussian_ot_matrix(s0, s1):
    r = _sqrtm_spd(s0)
    ri = np.linalg.inv(r)
    g = ri @ _sqrtm_spd(r @ s1 @ r) @ ri
    return 0.5 * (g + g.T)


class GaussianPair:
    """The package's recipe (not its RNG): Sigma = Q diag(lambda) Q^T, lambda log-uniform in [1/2, 2],
    Q Haar; optional non-zero means (N(0, I) entries)."""

    def __init__(self, d, seed=0, means=False):
        r = np.random.default_rng(10_000 + d + 1000 * seed)
        def cov():
            q, rr = np.linalg.qr(r.normal(size=(d, d)))
            q = q * np.sign(np.diag(rr))
            lam = np.exp(r.uniform(-np.log(2), np.log(2), size=d))
            s = (q * lam) @ q.T
            return 0.5 * (s + s.T)
        self.d = d
        self.s0, self.s1 = cov(), cov()
        self.m0 = r.normal(size=d) if means else np.zeros(d)
        self.m1 = r.normal(size=d) if means else np.zeros(d)
        self.G = gaussian_ot_matrix(self.s0, self.s1)
        self.L0, self.L1 = np.linalg.cholesky(self.s0), np.linalg.cholesky(self.s1)
        self.var_mu, self.var_nu = float(np.trace(self.s0)), float(np.trace(self.s1))
        G = jnp.asarray(self.G, jnp.float32); m0 = jnp.asarray(self.m0, jnp.float32); m1 = jnp.asarray(self.m1, jnp.float32)
        self.T = jax.jit(lambda x: m1 + (x - m0) @ G)

    def sample_source(self, key, n):
        return jax.random.normal(key, (n, self.d)) @ jnp.asarray(self.L0.T, jnp.float32) + jnp.asarray(self.m0, jnp.float32)

    def sample_target(self, key, n):
        return jax.random.normal(key, (n, self.d)) @ jnp.asarray(self.L1.T, jnp.float32) + jnp.asarray(self.m1, jnp.float32)

    def test_set(self, n=16384, seed=2024):
        x = self.sample_source(jax.random.PRNGKey(seed), n)
        return x, self.T(x)


def make_pair(name):
    """'w2-16' or 'gauss-16' or 'gaussm-16' (non-zero means)."""
    kind, d = name.rsplit("-", 1)
    d = int(d)
    if kind == "w2":
        return W2Pair(d)
    if kind == "gauss":
        return GaussianPair(d)
    if kind == "gaussm":
        return GaussianPair(d, means=True)
    raise ValueError(name)


# ----------------------------------------------------------------------------- linear (moment) map
def moment_map(xs, ys):
    """The closed-form Gaussian OT map between the samples' moments: returns (G, m0, m1)."""
    xs = np.asarray(xs, np.float64); ys = np.asarray(ys, np.float64)
    m0, m1 = xs.mean(0), ys.mean(0)
    s0, s1 = np.cov(xs.T), np.cov(ys.T)
    return gaussian_ot_matrix(np.atleast_2d(s0), np.atleast_2d(s1)), m0, m1


def uvp(est, truth, var):
    est = np.asarray(est, np.float64); truth = np.asarray(truth, np.float64)
    return 100.0 * ((est - truth) ** 2).sum(1).mean() / var
