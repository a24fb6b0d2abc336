"""Benchmark cases: MMD permutation test, uLSIF, sequential detectors."""

from __future__ import annotations

import numpy as np

from core_bench_cases import Case, register


# --------------------------------------------------------------------------
# MMD permutation test: 2k vs 2k, d = 20, 100 permutations (bandwidth given)
# --------------------------------------------------------------------------
def _mmd_data(quick):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2000, 20))
    y = rng.standard_normal((2000, 20))
    y[:, :3] += 0.1
    from driftline_server.monitoring.core import median_heuristic
    return {"x": x, "y": y, "sigma": median_heuristic(x, y), "P": 100}


def _ours_mmd(d):
    from driftline_server.monitoring.core import mmd_test
    r = mmd_test(d["x"], d["y"], n_permutations=d["P"], bandwidth=d["sigma"], method="permutation")
    return r


def _kernel(z, sigma):
    sq = (z * z).sum(1)
    k = sq[:, None] + sq[None, :] - 2 * z @ z.T
    np.maximum(k, 0, out=k)
    return np.exp(-k / (2 * sigma * sigma))


def _mmd_from_k(k, n):
    m = k.shape[0] - n
    kxx, kyy, kxy = k[:n, :n], k[n:, n:], k[:n, n:]
    return ((kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
            - 2 * kxy.mean())


def _reindex_mmd(d):
    """alibi-detect's approach in NumPy: K once, then K[perm][:, perm] per permutation."""
    x, y = d["x"], d["y"]
    n = x.shape[0]
    k = _kernel(np.vstack([x, y]), d["sigma"])
    stat = _mmd_from_k(k, n)
    rng = np.random.default_rng(0)
    null = []
    for _ in range(d["P"]):
        idx = rng.permutation(k.shape[0])
        null.append(_mmd_from_k(k[idx][:, idx], n))
    return stat, (1 + np.sum(np.array(null) >= stat)) / (1 + d["P"])


def _numpy_quadform_mmd(d):
    """Well-written NumPy: K once, per permutation one mat-vec a'Ka (no re-indexing)."""
    x, y = d["x"], d["y"]
    n, m = x.shape[0], y.shape[0]
    k = _kernel(np.vstack([x, y]), d["sigma"])
    r = k.sum(1)
    tot = r.sum()
    big = n + m
    rng = np.random.default_rng(0)

    def stat_of(a):
        aka = a @ (k @ a)
        ar = a @ r
        return ((aka - n) / (n * (n - 1)) + (tot - 2 * ar + aka - m) / (m * (m - 1))
                - 2 * (ar - aka) / (n * m))

    a0 = np.r_[np.ones(n), np.zeros(m)]
    s0 = stat_of(a0)
    null = []
    for _ in range(d["P"]):
        a = np.zeros(big)
        a[rng.permutation(big)[:n]] = 1.0
        null.append(stat_of(a))
    return s0, (1 + np.sum(np.array(null) >= s0)) / (1 + d["P"])


# --------------------------------------------------------------------------
# uLSIF 5k vs 5k, d = 10, densratio's default grid
# --------------------------------------------------------------------------
def _ulsif_data(quick):
    rng = np.random.default_rng(4)
    ref = rng.standard_normal((5000, 10))
    prod = rng.standard_normal((5000, 10))
    prod[:, 0] += 0.5
    np.random.seed(9)
    idx = np.random.choice(5000, size=100, replace=False)
    return {"ref": ref, "prod": prod, "idx": idx}


def _ours_ulsif(d):
    from driftline_server.monitoring.core import DENSRATIO_GRID, ulsif_weights
    r = ulsif_weights(d["ref"], d["prod"], sigmas=DENSRATIO_GRID, lambdas=DENSRATIO_GRID,
                      centers=d["prod"][d["idx"]], loo="densratio")
    return r


def _densratio_ulsif(d):
    from densratio import densratio
    np.random.seed(9)  # same centres as ours
    r = densratio(d["prod"], d["ref"], method="uLSIF", verbose=False)
    return r


def _check_ulsif(d, res):
    if hasattr(res, "params"):
        w, s, lam = res.params["raw_ratio"], res.params["sigma"], res.params["lambda"]
    else:  # densratio's DensityRatio
        w, s, lam = res.compute_density_ratio(d["ref"]), res.kernel_info.sigma, res.lambda_
    return f"sigma={s:g} lambda={lam:g} sum(ratio over ref)={w.sum():.10f}"


# --------------------------------------------------------------------------
# sequential detectors
# --------------------------------------------------------------------------
def _stream(n):
    rng = np.random.default_rng(5)
    return {"x": rng.standard_normal(n)}


def _ours_ph(d):
    from driftline_server.monitoring.core import PageHinkley
    return PageHinkley().update(d["x"])


def _ours_ph_single(d):
    from driftline_server.monitoring.core import PageHinkley
    det = PageHinkley()
    for v in d["x"][:10_000]:
        det.update(np.array([v]))
    return det


def _river_ph(d):
    from river.drift import PageHinkley
    det = PageHinkley()
    for v in d["x"]:
        det.update(float(v))
    return det


def _river_ph_10k(d):
    from river.drift import PageHinkley
    det = PageHinkley()
    for v in d["x"][:10_000]:
        det.update(float(v))
    return det


def _ours_kswin(d):
    from driftline_server.monitoring.core import Kswin
    return Kswin(window_size=100, stat_size=30).update(d["x"])


def _river_kswin(d):
    from river.drift import KSWIN
    det = KSWIN(alpha=0.005, window_size=100, stat_size=30, seed=0)
    for v in d["x"]:
        det.update(float(v))
    return det


for c in (
    Case("MMD perm test 2k vs 2k, d=20, P=100 (sigma given)", _mmd_data,
         {"ours": _ours_mmd, "re-indexing per permutation (alibi-style, NumPy)": _reindex_mmd,
          "NumPy: K once, a'Ka mat-vec per permutation": _numpy_quadform_mmd},
         target="<= 0.3 s", repeats=10, slow_repeats={"re-indexing per permutation (alibi-style, NumPy)": 2,
                                                       "NumPy: K once, a'Ka mat-vec per permutation": 3},
         full_only=("re-indexing per permutation (alibi-style, NumPy)",)),
    Case("uLSIF 5k vs 5k, d=10, densratio grid 9x9", _ulsif_data,
         {"ours": _ours_ulsif, "densratio 0.4 uLSIF": _densratio_ulsif},
         target=">= 7x densratio, same weights", repeats=3, slow_repeats={"densratio 0.4 uLSIF": 1},
         full_only=("densratio 0.4 uLSIF",)),
    Case("Page-Hinkley, 100k updates (one array)", lambda q: _stream(100_000),
         {"ours": _ours_ph, "river 0.26 PageHinkley": _river_ph}, target=">= 50x river per update",
         repeats=10, slow_repeats={"river 0.26 PageHinkley": 3}),
    Case("Page-Hinkley, 10k updates, 1 sample per call", lambda q: _stream(10_000),
         {"ours": _ours_ph_single, "river 0.26 PageHinkley": _river_ph_10k},
         target="(per-call overhead, for honesty)", repeats=3),
    Case("KSWIN(100, 30), 20k updates (one array)", lambda q: _stream(20_000),
         {"ours": _ours_kswin, "river 0.26 KSWIN": _river_kswin}, target=">= 50x river per update",
         repeats=5, slow_repeats={"river 0.26 KSWIN": 1}, full_only=("river 0.26 KSWIN",)),
):
    if c.name.startswith("uLSIF"):
        c.check = _check_ulsif
    register(c)
