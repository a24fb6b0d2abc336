"""Benchmark cases for the monitoring core: data setup and implementations.

Each case is ``Case(name, setup, impls, target)``. ``setup(quick)`` builds the
inputs (same seeds for every implementation); every impl is
``fn(data) -> object`` and is timed by run.py in its own fresh subprocess.
Impls whose name starts with ``ext:`` need third-party baselines (alibi-detect,
NannyML); they run under ``$DRIFTLINE_BASELINE_PYTHON`` when set, because those
packages pin numpy<2 / numba<0.60 and cannot share the service environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass
class Case:
    name: str
    setup: Callable
    impls: dict
    target: str = ""
    ours: str = "ours"
    repeats: int = 10
    slow_repeats: dict = field(default_factory=dict)  # impl -> repeats (slow baselines)
    full_only: tuple = ()  # impls skipped in --quick


# --------------------------------------------------------------------------
# univariate: KS + Wasserstein + p-values, 50 numeric columns
# --------------------------------------------------------------------------
def _numeric_data(n_ref, quick, sketch_size=None):
    rng = np.random.default_rng(20240601)
    ref = rng.standard_normal((n_ref, 50))
    shift = np.zeros(50)
    shift[:10] = 0.05  # small mean shift in 10 columns
    batch = rng.standard_normal((10_000, 50)) + shift
    return {"ref": ref, "batch": batch, "sketch_size": sketch_size}


def _ours_ks_w(d):
    from driftline_server.monitoring.core import compare_numeric, fit_reference
    if "profile" not in d:  # fitted once per reference, outside the timed call
        kw = {} if d["sketch_size"] is None else {"sketch_size": d["sketch_size"]}
        d["profile"] = fit_reference(d["ref"], **kw)
        d["ref"] = None  # the service keeps only the profile
        return "fit"
    return compare_numeric(d["profile"], d["batch"], tests=("ks", "wasserstein"))


def _scipy_ks_loop(d):
    from scipy import stats
    ref, b = d["ref"], d["batch"]
    return [stats.ks_2samp(ref[:, j], b[:, j]) for j in range(ref.shape[1])]


def _scipy_ks_w_loop(d):
    from scipy import stats
    ref, b = d["ref"], d["batch"]
    return [(stats.ks_2samp(ref[:, j], b[:, j]), stats.wasserstein_distance(ref[:, j], b[:, j]))
            for j in range(ref.shape[1])]


def _alibi_ksdrift(d):
    if "det" not in d:
        from alibi_detect.cd import KSDrift
        d["det"] = KSDrift(d["ref"].astype(np.float64), p_val=0.05, correction="bonferroni")
        return "fit"
    return d["det"].predict(d["batch"], return_p_val=True, return_distance=True)


def _nannyml_univariate(d):
    import pandas as pd
    if "calc" not in d:
        import nannyml as nml
        cols = [f"f{j}" for j in range(d["ref"].shape[1])]
        ref = pd.DataFrame(d["ref"], columns=cols)
        calc = nml.UnivariateDriftCalculator(
            column_names=cols, continuous_methods=["kolmogorov_smirnov", "wasserstein"],
            chunk_size=d["batch"].shape[0])
        calc.fit(ref)
        d["calc"] = calc
        d["bdf"] = pd.DataFrame(d["batch"], columns=cols)
        return "fit"
    return d["calc"].calculate(d["bdf"])


# --------------------------------------------------------------------------
# categorical: chi-square over 20 columns of 20 levels
# --------------------------------------------------------------------------
def _cat_data(quick):
    rng = np.random.default_rng(7)
    ref = rng.integers(0, 20, size=(100_000, 20))
    p = np.full(20, 1 / 20)
    p[0] += 0.02
    p /= p.sum()
    batch = rng.choice(20, size=(10_000, 20), p=p)
    return {"ref": ref, "batch": batch}


def _ours_chi2(d):
    from driftline_server.monitoring.core import compare_categorical, fit_reference
    if "profile" not in d:
        labels = np.char.add("L", d["ref"].astype(str)).astype(object)
        d["profile"] = fit_reference(categorical=labels)
        # codes equal to the level number because categories sort as L0, L1, L10...:
        # re-encode once so the timed call sees service-style integer codes
        from driftline_server.monitoring.core import encode_categorical
        d["codes"] = encode_categorical(d["profile"], np.char.add("L", d["batch"].astype(str)).astype(object))
        return "fit"
    return compare_categorical(d["profile"], d["codes"], tests=("chi2",))


def _scipy_chi2_loop(d):
    from scipy import stats
    if "ref_counts" not in d:
        d["ref_counts"] = [np.bincount(d["ref"][:, j], minlength=20) for j in range(20)]
        return "fit"
    out = []
    for j in range(20):
        bc = np.bincount(d["batch"][:, j], minlength=20)
        out.append(stats.chi2_contingency(np.vstack([d["ref_counts"][j], bc])))
    return out


CASES: list = [
    Case("ks+w1+p, ref 100k x 50, batch 10k", lambda q: _numeric_data(100_000, q),
         {"ours": _ours_ks_w, "scipy ks_2samp loop": _scipy_ks_loop,
          "scipy ks_2samp+wasserstein loop": _scipy_ks_w_loop,
          "ext:alibi-detect KSDrift": _alibi_ksdrift,
          "ext:NannyML UnivariateDriftCalculator": _nannyml_univariate},
         target="<= 25 ms, >= 30x scipy loop", repeats=30,
         slow_repeats={"scipy ks_2samp loop": 5, "scipy ks_2samp+wasserstein loop": 3,
                       "ext:alibi-detect KSDrift": 5, "ext:NannyML UnivariateDriftCalculator": 5}),
    Case("ks+w1+p, ref 1M x 50 (full, no sketch)", lambda q: _numeric_data(1_000_000, q, 2_000_000),
         {"ours": _ours_ks_w, "scipy ks_2samp loop": _scipy_ks_loop},
         target="<= 60 ms", repeats=20, slow_repeats={"scipy ks_2samp loop": 1},
         full_only=("scipy ks_2samp loop",)),
    Case("ks+w1+p, ref 1M x 50 (default 250k sketch)", lambda q: _numeric_data(1_000_000, q),
         {"ours": _ours_ks_w}, target="<= 60 ms", repeats=20),
    Case("chi2, 20 categorical x 20 levels, batch 10k", _cat_data,
         {"ours": _ours_chi2, "scipy chi2_contingency loop": _scipy_chi2_loop},
         target="< 1 ms", repeats=50),
]


def register(case: Case) -> None:
    CASES.append(case)
