"""Univariate drift tests and distances, all columns of a batch in one call.

Numeric columns (:func:`compare_numeric`) are compared with the fitted
reference by binary search: the batch is sorted once (NumPy), then each
distinct batch value is located in the sorted reference by galloping search
from the previous position. Everything below except Anderson–Darling costs
O(m log n) per column for m batch rows and n reference values:

* ``ks``  two-sided Kolmogorov–Smirnov. Statistic D (equals scipy's
  ``ks_2samp`` statistic); p-value by ``ks_mode``:
  ``"auto"`` (SciPy's rule: exact if max(n, m) <= 10000, else asymptotic),
  ``"exact"``, ``"asymp"`` (SciPy's asymptotic law kstwo(round(nm/(n+m))),
  evaluated by Pelz–Good for en > 140, max abs error vs SciPy
  ``ASYMP_P_ABS_ERROR`` = 5e-6), or ``"fast"`` (Pelz–Good with en unrounded
  even where SciPy is exact; abs error vs SciPy's auto p-value at most
  ``FAST_P_ERROR_COEF / sqrt(en)`` = 0.35/sqrt(en), e.g. 0.005 for
  en = 5000). Effect size: D.
* ``wasserstein``  W1 = ∫|F_ref - F_batch| from reference prefix sums.
  Effect size: W1 / reference std ("normed").
* ``cvm``  two-sample Cramér–von Mises T (rank form with mid-ranks, as
  scipy), asymptotic p-value (exact via SciPy when max(n, m) <= 20); where
  the normalised statistic exceeds 5 (true p < 5e-11) we report p = 0, since
  the series SciPy sums is inaccurate there.
  Effect size: T (n+m)/(n m), an estimate of ∫(F-G)^2 dH.
* ``anderson``  k-sample Anderson–Darling (k=2, mid-rank), standardised
  statistic and SciPy's interpolated p-value (capped to [0.001, 0.25]). This
  one merges the two samples: O(n + m). Effect size: A2akN (n+m)/(n m).
* ``psi``, ``jensen_shannon`` (distance, base 2), ``hellinger``, ``kl``
  (KL(batch || reference)), ``total_variation``: on frozen reference quantile
  bins, proportions smoothed as (count + s)/(total + s k) so no bin is empty.
  No p-value; effect size = the distance.
* ``missing_rate``  two-proportion z-test of NaN rate. Effect size: rate
  difference (batch - reference).

With a sketched reference column (more than ``sketch_size`` finite values)
the statistics use the sketch's ECDF, which is within 1/K of the full one
(K = sketch size); KS p-values still use the true reference count, while
CvM and AD treat the sketch as a sample of size K (conservative p-values).

NaN and ±inf are never silently dropped: they are excluded from the
distribution tests and counted in :attr:`UnivariateReport.counts`.

Categorical columns (:func:`compare_categorical`) take integer codes from
:func:`~.profiles.encode_categorical`: ``chi2`` (homogeneity, = scipy
``chi2_contingency`` on the 2 x k table, Yates correction when dof = 1),
``g_test`` (same with ``lambda_="log-likelihood"``), the binned distances
over the category proportions, and ``missing_rate``. Categories that are
empty in both reference and batch are dropped (no infinities); unseen
categories have their own bucket. Effect size of chi2/G: Cramér's V.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterable, Mapping

import numba as nb
import numpy as np
from numba import prange
from scipy import special, stats

from ._errors import CoreInputError
from ._stats import (ASYMP_P_ABS_ERROR, FAST_P_ERROR_COEF, kolmogorov_sf_pelz_good,
                     ks_pvalue_exact)
from .profiles import ReferenceProfile

__all__ = [
    "TestResult", "ColumnCounts", "UnivariateReport", "compare_numeric",
    "compare_categorical", "NUMERIC_TESTS", "CATEGORICAL_TESTS",
    "DEFAULT_NUMERIC_TESTS", "ASYMP_P_ABS_ERROR", "FAST_P_ERROR_COEF",
]

NUMERIC_TESTS = ("ks", "wasserstein", "cvm", "anderson", "psi", "jensen_shannon",
                 "hellinger", "kl", "total_variation", "missing_rate")
DEFAULT_NUMERIC_TESTS = ("ks", "wasserstein", "cvm", "psi", "jensen_shannon",
                         "hellinger", "kl", "total_variation", "missing_rate")
CATEGORICAL_TESTS = ("chi2", "g_test", "psi", "jensen_shannon", "hellinger", "kl",
                     "total_variation", "missing_rate")
_BINNED = ("psi", "jensen_shannon", "hellinger", "kl", "total_variation")
_KS_MODES = {"auto": 0, "exact": 1, "asymp": 2, "fast": 3}
_MAX_AUTO_N = 10000


@dataclass(frozen=True)
class TestResult:
    """Per-column result of one test or distance.

    Attributes:
        test: test name, e.g. "ks".
        columns: column names, aligned with the arrays.
        statistic: float64 (p,) test statistic or distance (NaN if not computable,
            e.g. a column with no finite batch values).
        p_value: float64 (p,) p-value, NaN for distances without one.
        effect_size: float64 (p,) sample-size-free effect size (see module doc).
        method: per-column note on how the p-value was computed ("exact",
            "asymp", "fast", "scipy", ...), or "" where not applicable.
    """

    test: str
    columns: tuple
    statistic: np.ndarray
    p_value: np.ndarray
    effect_size: np.ndarray
    method: tuple = ()


@dataclass(frozen=True)
class ColumnCounts:
    """How many batch values of each kind every column had.

    NaN counts as missing; ±inf are reported and excluded from the tests.
    For categorical columns ``n_unseen`` counts values outside the reference's
    categories (``n_posinf``/``n_neginf`` are zero there).
    """

    columns: tuple
    n_rows: int
    n_finite: np.ndarray
    n_nan: np.ndarray
    n_posinf: np.ndarray
    n_neginf: np.ndarray
    n_unseen: np.ndarray


@dataclass(frozen=True)
class UnivariateReport:
    """All requested tests for one batch: ``report["ks"].p_value`` etc."""

    results: Mapping
    counts: ColumnCounts

    def __getitem__(self, test: str) -> TestResult:
        return self.results[test]

    def __contains__(self, test: str) -> bool:
        return test in self.results


# --------------------------------------------------------------------------
# numba kernels
# --------------------------------------------------------------------------
_SCAN = 512  # measured: best for reference/batch ratios 10..100, harmless below


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _gallop_left(r, v, lo):
    """First index >= lo with r[idx] >= v (r sorted).

    A bounded linear scan first (the next batch value is usually a few
    reference positions ahead; a scan costs ~1 cycle per step and mispredicts
    once, a binary step mispredicts half the time), then galloping, so the
    cost stays O(log gap) for large gaps.
    """
    n = r.shape[0]
    stop = min(lo + _SCAN, n)
    while lo < stop:
        if r[lo] >= v:
            return lo
        lo += 1
    if lo >= n or r[lo] >= v:
        return lo
    step = 1
    hi = lo + 1
    while hi < n and r[hi] < v:
        lo = hi
        step *= 2
        hi = lo + step
    if hi > n:
        hi = n
    # invariant: r[lo] < v, r[hi] >= v or hi == n
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if r[mid] < v:
            lo = mid
        else:
            hi = mid
    return hi


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _gallop_right(r, v, lo):
    """First index >= lo with r[idx] > v (r sorted)."""
    n = r.shape[0]
    stop = min(lo + _SCAN, n)
    while lo < stop:
        if r[lo] > v:
            return lo
        lo += 1
    if lo >= n or r[lo] > v:
        return lo
    step = 1
    hi = lo + 1
    while hi < n and r[hi] <= v:
        lo = hi
        step *= 2
        hi = lo + step
    if hi > n:
        hi = n
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if r[mid] <= v:
            lo = mid
        else:
            hi = mid
    return hi


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _sum_sq_shift(a, e):
    """sum_{k=1..e} (a - k)^2."""
    return e * a * a - a * e * (e + 1.0) + e * (e + 1.0) * (2.0 * e + 1.0) / 6.0


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _integral_fr(a, b, ia, ib, s, inv_n):
    """∫_a^b F_ref(x) dx with ia = #r <= a, ib = #r < b (prefix sums s)."""
    return (ia * (b - a) + (ib - ia) * b - (s[ib] - s[ia])) * inv_n


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _column_stats(r, s, fb, edges, n_edges, out, bins_out):
    """KS D, W1 and CvM U for one column; fb = sorted finite batch values.

    out[0]=D, out[1]=W1, out[2]=ref_sq_part (without global ties),
    out[3]=batch_sq_part, out[4]=tie adjustment to subtract.
    """
    n = r.shape[0]
    mb = fb.shape[0]
    fn = float(n)
    fm = float(mb)
    n_over_m = fn / fm
    # reciprocals: divisions are the costliest instructions in this loop
    inv_n = 1.0 / fn
    inv_m = 1.0 / fm
    d = 0.0
    w = 0.0
    ref_sq = 0.0
    batch_sq = 0.0
    tie_sub = 0.0
    tied_exact = 0.0
    prev_pr = 0
    prev_v = 0.0
    c = 0
    i = 0
    while i < mb:
        v = fb[i]
        k = i + 1
        while k < mb and fb[k] == v:
            k += 1
        bc = k - i
        pl = _gallop_left(r, v, prev_pr)
        pr = _gallop_right(r, v, pl)
        e = pr - pl
        d1 = pl * inv_n - c * inv_m
        d2 = pr * inv_n - (c + bc) * inv_m
        if d1 > d:
            d = d1
        if -d1 > d:
            d = -d1
        if d2 > d:
            d = d2
        if -d2 > d:
            d = -d2
        # Cramér–von Mises rank sums (mid-ranks for ties)
        ref_sq += (pl - prev_pr) * float(c) * float(c)
        half = (e + bc + 1.0) / 2.0
        if e > 0:
            fe = float(e)
            tie_sub += fe * (fe * fe - 1.0) / 12.0
            tied_exact += _sum_sq_shift(c + half, fe)
        batch_sq += _sum_sq_shift(pl + half, float(bc))
        # Wasserstein-1 over [prev_v, v) where F_batch = c/m
        if i == 0:
            w += (pl * v - s[pl]) * inv_n
        else:
            a = prev_v
            ia = prev_pr
            ib = pl
            cf = c * inv_m
            # first t with t/n >= c/m, i.e. t*m >= c*n; float guess, exact fix-up
            # (avoids a 64-bit integer division per batch value)
            cn = c * n
            tstar = int(math.ceil(c * n_over_m))
            if (tstar - 1) * mb >= cn:
                tstar -= 1
            elif tstar * mb < cn:
                tstar += 1
            if tstar <= ia:
                w += _integral_fr(a, v, ia, ib, s, inv_n) - cf * (v - a)
            elif tstar > ib:
                w += cf * (v - a) - _integral_fr(a, v, ia, ib, s, inv_n)
            else:
                xs = r[tstar - 1]
                w += cf * (xs - a) - _integral_fr(a, xs, ia, tstar - 1, s, inv_n)
                w += _integral_fr(xs, v, tstar, ib, s, inv_n) - cf * (v - xs)
        prev_v = v
        prev_pr = pr
        c += bc
        i = k
    ref_sq += (n - prev_pr) * fm * fm
    w += ((s[n] - s[prev_pr]) - (n - prev_pr) * prev_v) * inv_n
    out[0] = d
    out[1] = w
    out[2] = ref_sq + tied_exact
    out[3] = batch_sq
    out[4] = tie_sub
    # batch counts in frozen bins [e_{i-1}, e_i)
    last = 0
    for t in range(n_edges):
        pos = _gallop_left(fb, edges[t], last)
        bins_out[t] = pos - last
        last = pos
    bins_out[n_edges] = mb - last


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _anderson_2samp(r, fb):
    """Unstandardised A2akN (mid-rank) for two sorted samples, by merging."""
    n = r.shape[0]
    m = fb.shape[0]
    big_n = float(n + m)
    acc_r = 0.0
    acc_b = 0.0
    i = 0
    k = 0
    inf = np.inf
    while i < n or k < m:
        zr = r[i] if i < n else inf
        zb = fb[k] if k < m else inf
        z = zr if zr < zb else zb
        i2 = i
        while i2 < n and r[i2] == z:
            i2 += 1
        k2 = k
        while k2 < m and fb[k2] == z:
            k2 += 1
        fr = float(i2 - i)
        fbb = float(k2 - k)
        lj = fr + fbb
        bj = (i + k) + lj / 2.0
        mr = i + fr / 2.0
        mbb = k + fbb / 2.0
        den = bj * (big_n - bj) - big_n * lj / 4.0
        acc_r += lj / big_n * (big_n * mr - bj * n) ** 2 / den
        acc_b += lj / big_n * (big_n * mbb - bj * m) ** 2 / den
        i = i2
        k = k2
    return (acc_r / n + acc_b / m) * (big_n - 1.0) / big_n


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _anderson_sigma2(n1, n2):
    """Variance of A2akN under H0 for k = 2 (Scholz & Stephens 1987)."""
    big_n = n1 + n2
    k = 2.0
    hh = 1.0 / n1 + 1.0 / n2
    # hs_t = sum_{i=N-1-t}^{N-1} 1/i for t = 0..N-3; g = sum_t hs_t/(t+2)
    hs = 0.0
    g = 0.0
    t = 0
    for i in range(big_n - 1, 1, -1):
        hs += 1.0 / i
        g += hs / (t + 2.0)
        t += 1
    h = hs + 1.0
    fn = float(big_n)
    a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * hh
    b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * hh - 8 * h + 4 * g - 6
    c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * hh + 4 * h
    dd = (2 * h + 6) * k ** 2 - 4 * h * k
    return (a * fn ** 3 + b * fn ** 2 + c * fn + dd) / ((fn - 1.0) * (fn - 2.0) * (fn - 3.0))


@nb.njit(parallel=True, cache=True, error_model="numpy")
def _numeric_kernel(values, offsets, prefix, ties, edges, n_edges, batch_t,
                    want_ad, stats_out, counts_out, bins_out, ad_out):
    """All numeric columns; batch_t is (p, m), each row sorted (NaN last)."""
    p = batch_t.shape[0]
    m = batch_t.shape[1]
    for j in prange(p):
        b = batch_t[j]
        lo = 0
        while lo < m and b[lo] == -np.inf:
            lo += 1
        hi = m
        while hi > lo and np.isnan(b[hi - 1]):
            hi -= 1
        n_nan = m - hi
        hi2 = hi
        while hi2 > lo and b[hi2 - 1] == np.inf:
            hi2 -= 1
        counts_out[j, 0] = hi2 - lo
        counts_out[j, 1] = n_nan
        counts_out[j, 2] = hi - hi2
        counts_out[j, 3] = lo
        fb = b[lo:hi2]
        r = values[offsets[j]:offsets[j + 1]]
        s = prefix[offsets[j] + j: offsets[j + 1] + j + 1]
        if fb.shape[0] == 0:
            for t in range(stats_out.shape[1]):
                stats_out[j, t] = np.nan
            ad_out[j, 0] = np.nan
            ad_out[j, 1] = np.nan
            continue
        _column_stats(r, s, fb, edges[j], n_edges[j], stats_out[j], bins_out[j])
        stats_out[j, 2] += ties[j]
        stats_out[j, 2] -= stats_out[j, 4]
        if want_ad:
            ad_out[j, 0] = _anderson_2samp(r, fb)
            ad_out[j, 1] = _anderson_sigma2(r.shape[0], fb.shape[0])


@nb.njit(parallel=True, cache=True, error_model="numpy")
def _ks_pvalues(d, n_ref, n_batch, mode, p_out, method_out):
    """method_out: 0 exact, 1 asymp (Pelz-Good), 2 needs SciPy (small en), 3 fast."""
    p = d.shape[0]
    for j in prange(p):
        n1 = n_ref[j]
        n2 = n_batch[j]
        dj = d[j]
        if n2 == 0 or not np.isfinite(dj):
            p_out[j] = np.nan
            method_out[j] = -1
            continue
        use_exact = False
        if mode == 0:
            use_exact = max(n1, n2) <= 10000
        elif mode == 1:
            g = math.gcd(n1, n2)
            use_exact = (n1 // g) < 2147483647.0 / (n2 // g)
        if use_exact:
            ok, dr, pv = ks_pvalue_exact(dj, n1, n2)
            if ok:
                p_out[j] = min(1.0, max(0.0, pv))
                method_out[j] = 0
                continue
        mm = max(n1, n2) * 1.0
        nn = min(n1, n2) * 1.0
        en = mm * nn / (mm + nn)
        if mode == 3:
            p_out[j] = kolmogorov_sf_pelz_good(en, dj)
            method_out[j] = 3
            continue
        enr = np.round(en)
        if enr <= 140:
            p_out[j] = np.nan
            method_out[j] = 2
        else:
            p_out[j] = kolmogorov_sf_pelz_good(enr, dj)
            method_out[j] = 1


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _binned_distances(ref_counts, batch_counts, k, smoothing, out):
    """out: psi, js distance (base 2), hellinger, kl(batch||ref), tv."""
    tr = 0.0
    tb = 0.0
    for i in range(k):
        tr += ref_counts[i]
        tb += batch_counts[i]
    if tb == 0 or tr == 0:
        for t in range(5):
            out[t] = np.nan
        return
    psi = 0.0
    js = 0.0
    bc = 0.0
    kl = 0.0
    tv = 0.0
    for i in range(k):
        pr = (ref_counts[i] + smoothing) / (tr + smoothing * k)
        pb = (batch_counts[i] + smoothing) / (tb + smoothing * k)
        lr = math.log(pb / pr)
        psi += (pb - pr) * lr
        kl += pb * lr
        mid = 0.5 * (pr + pb)
        js += 0.5 * (pr * math.log(pr / mid) + pb * math.log(pb / mid))
        bc += math.sqrt(pr * pb)
        tv += abs(pr - pb)
    out[0] = psi
    out[1] = math.sqrt(max(js, 0.0) / math.log(2.0))
    out[2] = math.sqrt(max(1.0 - bc, 0.0))
    out[3] = kl
    out[4] = 0.5 * tv


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _binned_kernel(ref_bins, batch_bins, n_bins, smoothing, out):
    for j in range(ref_bins.shape[0]):  # tiny: serial (see _categorical_kernel)
        _binned_distances(ref_bins[j], batch_bins[j], n_bins[j], smoothing, out[j])


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _categorical_kernel(codes, ref_counts, n_levels, correction, batch_counts,
                        miss_out, unseen_out, chi_out):
    """Count codes per column, then chi-square and G on the 2 x k table.

    chi_out[j] = (chi2, G, dof, total). Serial on purpose: ~0.1 ms of work,
    where a parallel region only adds wake-up latency (and stalls badly when
    the cores are shared with other processes).
    """
    m = codes.shape[0]
    q = codes.shape[1]
    for j in range(q):
        lv = n_levels[j]
        unseen = lv - 1
        miss = 0
        for t in range(lv):
            batch_counts[j, t] = 0
        for i in range(m):
            c = codes[i, j]
            if c == -1:
                miss += 1
            elif c < 0 or c >= unseen:
                batch_counts[j, unseen] += 1
            else:
                batch_counts[j, c] += 1
        miss_out[j] = miss
        unseen_out[j] = batch_counts[j, unseen]
        # contingency 2 x k without categories empty in both rows
        tr = 0.0
        tb = 0.0
        kk = 0
        for t in range(lv):
            if ref_counts[j, t] + batch_counts[j, t] > 0:
                kk += 1
                tr += ref_counts[j, t]
                tb += batch_counts[j, t]
        tot = tr + tb
        dof = kk - 1
        if tr == 0 or tb == 0 or dof <= 0:
            chi_out[j, 0] = 0.0 if (tr > 0 and tb > 0) else np.nan
            chi_out[j, 1] = chi_out[j, 0]
            chi_out[j, 2] = max(dof, 0)
            chi_out[j, 3] = tot
            continue
        chi = 0.0
        gg = 0.0
        for t in range(lv):
            col = ref_counts[j, t] + batch_counts[j, t]
            if col == 0:
                continue
            for row in range(2):
                obs = float(ref_counts[j, t] if row == 0 else batch_counts[j, t])
                ex = (tr if row == 0 else tb) * col / tot
                if dof == 1 and correction:
                    diff = ex - obs
                    mag = min(0.5, abs(diff))
                    if diff > 0:
                        obs += mag
                    elif diff < 0:
                        obs -= mag
                chi += (obs - ex) ** 2 / ex
                if obs > 0:
                    gg += obs * math.log(obs / ex)
        chi_out[j, 0] = chi
        chi_out[j, 1] = 2.0 * gg
        chi_out[j, 2] = dof
        chi_out[j, 3] = tot


# --------------------------------------------------------------------------
# p-value helpers (vectorised over columns, NumPy/SciPy special functions)
# --------------------------------------------------------------------------
def _cvm_inf_sf(x: np.ndarray) -> np.ndarray:
    """1 - CDF of the limiting Cramér–von Mises law (Csörgő & Faraway 1996).

    Adds series terms until one is below 1e-7 in magnitude (that one included).
    """
    x = np.asarray(x, dtype=np.float64)
    tot = np.zeros_like(x)
    active = np.ones(x.shape, dtype=bool)
    k = 0
    while active.any() and k < 1_000_000:
        xa = x[active]
        u = math.exp(special.gammaln(k + 0.5) - special.gammaln(k + 1.0)) / (math.pi ** 1.5 * np.sqrt(xa))
        y = 4 * k + 1
        qq = y ** 2 / (16 * xa)
        term = u * math.sqrt(y) * np.exp(-qq) * special.kv(0.25, qq)
        tot[active] += term
        still = np.abs(term) >= 1e-7
        idx = np.flatnonzero(active)
        active[idx[~still]] = False
        k += 1
    return np.clip(1.0 - tot, 0.0, None)


def _cvm_pvalue_asymptotic(t, n, m):
    t = np.asarray(t, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    m = np.asarray(m, dtype=np.float64)
    big_n = n + m
    k = n * m
    et = (1 + 1 / big_n) / 6
    vt = (big_n + 1) * (4 * k * big_n - 3 * (n ** 2 + m ** 2) - 2 * k)
    vt = vt / (45 * big_n ** 2 * 4 * k)
    tn = 1 / 6 + (t - et) / np.sqrt(45 * vt)
    p = np.ones_like(tn)
    # Beyond tn = 5 the true p-value is < 5e-11, and the series (SciPy's too)
    # loses accuracy and even grows with tn (1e-5 at tn = 1e6); report 0.
    ok = np.isfinite(tn) & (tn >= 0.003) & (tn <= 5.0)
    p[np.isfinite(tn) & (tn > 5.0)] = 0.0
    if ok.any():
        p[ok] = _cvm_inf_sf(tn[ok])
    p[~np.isfinite(tn)] = np.nan
    return p


_AD_SIG = np.array([0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001])
_AD_CRIT = (np.array([0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085])
            + np.array([-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615])
            + np.array([-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154]))
_AD_POLY = np.polyfit(_AD_CRIT, np.log(_AD_SIG), 2)


def _anderson_pvalue(a2: np.ndarray) -> np.ndarray:
    """SciPy's interpolation of the k=2 critical values (capped to [0.001, 0.25])."""
    with np.errstate(over="ignore", invalid="ignore"):
        p = np.exp(np.polyval(_AD_POLY, a2))
    p = np.where(a2 < _AD_CRIT.min(), 0.25, p)
    p = np.where(a2 > _AD_CRIT.max(), 0.001, p)
    return np.where(np.isfinite(a2), p, np.nan)


def _two_proportion_z(x1, n1, x2, n2):
    """Pooled two-proportion z-test; returns (z, p, rate2 - rate1)."""
    x1 = np.asarray(x1, dtype=np.float64)
    x2 = np.asarray(x2, dtype=np.float64)
    n1 = np.asarray(n1, dtype=np.float64)
    n2 = np.asarray(n2, dtype=np.float64)
    r1 = x1 / n1
    r2 = x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (r2 - r1) / se, 0.0)
    p = special.erfc(np.abs(z) / math.sqrt(2.0))
    return z, p, r2 - r1


_SORT_POOL = None


def _sorted_columns(x: np.ndarray) -> np.ndarray:
    """(p, m) array of the batch columns, each sorted (NaN last).

    NumPy's SIMD sort beats numba's; it releases the GIL, so large batches
    are sorted on all cores.
    """
    global _SORT_POOL
    xt = np.ascontiguousarray(x.T)
    workers = min(os.cpu_count() or 1, xt.shape[0])
    if workers < 2 or xt.size < 100_000:
        xt.sort(axis=1)
        return xt
    if _SORT_POOL is None:
        _SORT_POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="driftline-sort")
    bounds = np.linspace(0, xt.shape[0], workers + 1).astype(int)
    list(_SORT_POOL.map(lambda k: xt[bounds[k]:bounds[k + 1]].sort(axis=1), range(workers)))
    return xt


def _check_tests(tests, allowed, what):
    tests = tuple(tests)
    bad = [t for t in tests if t not in allowed]
    if bad:
        raise CoreInputError(f"unknown {what} test(s) {bad}; choose from {list(allowed)}")
    if not tests:
        raise CoreInputError(f"no {what} tests requested; pass e.g. tests={list(allowed[:2])}")
    return tests


def compare_numeric(
    profile: ReferenceProfile,
    batch,
    tests: Iterable[str] = DEFAULT_NUMERIC_TESTS,
    *,
    ks_mode: str = "auto",
    smoothing: float = 0.5,
) -> UnivariateReport:
    """Compare every numeric column of a batch with the fitted reference.

    Args:
        profile: fitted :class:`~.profiles.ReferenceProfile`.
        batch: (m, p) float array, columns in ``profile.numeric`` order.
        tests: subset of :data:`NUMERIC_TESTS` (default: all but "anderson").
        ks_mode: "auto" | "exact" | "asymp" | "fast" (see module docstring).
        smoothing: pseudo-count added per bin for the binned distances.

    Returns:
        :class:`UnivariateReport` with one :class:`TestResult` per test and the
        per-column NaN/±inf counts.

    Raises:
        CoreInputError: empty batch, wrong number of columns, unknown test/mode.

    Example:
        >>> rep = compare_numeric(prof, batch, tests=("ks", "wasserstein"))
        >>> rep["ks"].p_value
    """
    tests = _check_tests(tests, NUMERIC_TESTS, "numeric")
    if ks_mode not in _KS_MODES:
        raise CoreInputError(f"ks_mode must be one of {list(_KS_MODES)}; got {ks_mode!r}")
    if smoothing <= 0:
        raise CoreInputError(f"smoothing must be > 0 to avoid empty bins; got {smoothing}")
    x = np.asarray(batch)
    if x.ndim == 1:
        x = x[:, None]
    p = len(profile.numeric)
    if x.ndim != 2 or x.shape[1] != p:
        raise CoreInputError(
            f"numeric batch must have shape (rows, {p}) matching the reference columns "
            f"{profile.numeric_names}; got shape {x.shape}")
    m = x.shape[0]
    if m == 0:
        raise CoreInputError("numeric batch has 0 rows; send at least one row per batch")
    if p == 0:
        raise CoreInputError("the reference profile has no numeric columns")
    try:
        xt = _sorted_columns(np.asarray(x, dtype=np.float64))  # (p, m), NaN last
    except (TypeError, ValueError) as exc:
        raise CoreInputError(f"numeric batch must be convertible to float64 ({exc})") from exc
    pk = profile._packed
    stats_out = np.empty((p, 5))
    counts = np.zeros((p, 4), dtype=np.int64)
    bins = np.zeros(pk["ref_bins"].shape, dtype=np.int64)
    ad = np.full((p, 2), np.nan)
    _numeric_kernel(pk["values"], pk["offsets"], pk["prefix"], pk["ties"], pk["edges"],
                    pk["n_edges"], xt, "anderson" in tests, stats_out, counts, bins, ad)
    names = tuple(profile.numeric_names)
    n_fin = counts[:, 0]
    n_eff = np.diff(pk["offsets"])  # stored reference points (sketch size if sketched)
    n_true = pk["n_true"]
    res = {}
    nanv = np.full(p, np.nan)
    if "ks" in tests:
        d = stats_out[:, 0]
        pv = np.empty(p)
        meth = np.empty(p, dtype=np.int64)
        _ks_pvalues(d, n_true, n_fin, _KS_MODES[ks_mode], pv, meth)
        small = np.flatnonzero(meth == 2)
        if small.size:
            en = np.round(np.maximum(n_true[small], n_fin[small]) * 1.0
                          * np.minimum(n_true[small], n_fin[small])
                          / (n_true[small] + n_fin[small]))
            pv[small] = np.clip(stats.kstwo.sf(d[small], en), 0, 1)
        labels = {-1: "", 0: "exact", 1: "asymp", 2: "asymp-scipy", 3: "fast"}
        res["ks"] = TestResult("ks", names, d.copy(), pv, d.copy(),
                               tuple(labels[int(t)] for t in meth))
    if "wasserstein" in tests:
        w = stats_out[:, 1].copy()
        std = pk["std"]
        with np.errstate(divide="ignore", invalid="ignore"):
            normed = np.where(std > 0, w / std, np.where(w == 0, 0.0, np.nan))
        res["wasserstein"] = TestResult("wasserstein", names, w, nanv.copy(), normed)
    if "cvm" in tests:
        fn = n_eff.astype(np.float64)
        fm = n_fin.astype(np.float64)
        k = fn * fm
        big_n = fn + fm
        with np.errstate(divide="ignore", invalid="ignore"):
            u = fn * stats_out[:, 2] + fm * stats_out[:, 3]
            t = u / (k * big_n) - (4 * k - 1) / (6 * big_n)
            pv = _cvm_pvalue_asymptotic(t, fn, fm)
        meth = ["asymp"] * p
        for j in range(p):
            if n_fin[j] < 2 or n_eff[j] < 2:
                t[j] = np.nan
                pv[j] = np.nan
                meth[j] = ""
            elif max(n_eff[j], n_fin[j]) <= 20 and not pk["is_sketch"][j]:
                fb = xt[j][np.isfinite(xt[j])]
                pv[j] = stats.cramervonmises_2samp(profile.numeric[j].values, fb, method="exact").pvalue
                meth[j] = "exact-scipy"
        with np.errstate(divide="ignore", invalid="ignore"):
            eff = t * big_n / k
        res["cvm"] = TestResult("cvm", names, t, pv, eff, tuple(meth))
    if "anderson" in tests:
        a2kn = ad[:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            a2 = (a2kn - 1.0) / np.sqrt(ad[:, 1])
            eff = a2kn * (n_eff + n_fin) / (n_eff * n_fin)
        res["anderson"] = TestResult("anderson", names, a2, _anderson_pvalue(a2), eff)
    binned = [t for t in tests if t in _BINNED]
    if binned:
        out = np.empty((p, 5))
        _binned_kernel(pk["ref_bins"], bins, pk["n_edges"] + 1, float(smoothing), out)
        for t in binned:
            v = out[:, _BINNED.index(t)].copy()
            res[t] = TestResult(t, names, v, nanv.copy(), v.copy())
    if "missing_rate" in tests:
        z, pv, diff = _two_proportion_z(pk["n_nan"], pk["n_rows"], counts[:, 1], np.full(p, m))
        res["missing_rate"] = TestResult("missing_rate", names, z, pv, diff)
    cc = ColumnCounts(names, m, n_fin.copy(), counts[:, 1].copy(), counts[:, 2].copy(),
                      counts[:, 3].copy(), np.zeros(p, dtype=np.int64))
    return UnivariateReport(MappingProxyType(res), cc)


def compare_categorical(
    profile: ReferenceProfile,
    codes,
    tests: Iterable[str] = CATEGORICAL_TESTS,
    *,
    correction: bool = True,
    smoothing: float = 0.5,
) -> UnivariateReport:
    """Compare every categorical column of a batch with the fitted reference.

    Args:
        profile: fitted reference with categorical columns.
        codes: (m, q) int array from :func:`~.profiles.encode_categorical`
            (-1 missing; values outside [0, n_categories) go to "unseen").
        tests: subset of :data:`CATEGORICAL_TESTS`.
        correction: Yates' continuity correction when dof == 1 (as SciPy).
        smoothing: pseudo-count per category for the binned distances.

    Returns:
        :class:`UnivariateReport`; ``counts.n_unseen`` has the unseen counts.

    Example:
        >>> rep = compare_categorical(prof, encode_categorical(prof, raw_batch))
        >>> rep["chi2"].p_value
    """
    tests = _check_tests(tests, CATEGORICAL_TESTS, "categorical")
    if smoothing <= 0:
        raise CoreInputError(f"smoothing must be > 0; got {smoothing}")
    c = np.asarray(codes)
    if c.ndim == 1:
        c = c[:, None]
    q = len(profile.categorical)
    if q == 0:
        raise CoreInputError("the reference profile has no categorical columns")
    if c.ndim != 2 or c.shape[1] != q:
        raise CoreInputError(
            f"categorical codes must have shape (rows, {q}) for columns {profile.categorical_names}; "
            f"got shape {c.shape}")
    if not np.issubdtype(c.dtype, np.integer):
        raise CoreInputError(
            "categorical batch must be integer codes; convert raw labels with encode_categorical(profile, batch)")
    m = c.shape[0]
    if m == 0:
        raise CoreInputError("categorical batch has 0 rows; send at least one row per batch")
    c = np.ascontiguousarray(c, dtype=np.int64)  # one compiled signature only
    pk = profile._packed
    batch_counts = np.zeros(pk["cat_counts"].shape, dtype=np.int64)
    miss = np.zeros(q, dtype=np.int64)
    unseen = np.zeros(q, dtype=np.int64)
    chi = np.zeros((q, 4))
    _categorical_kernel(c, pk["cat_counts"], pk["cat_levels"], bool(correction),
                        batch_counts, miss, unseen, chi)
    names = tuple(profile.categorical_names)
    res = {}
    nanv = np.full(q, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        for t, col in (("chi2", 0), ("g_test", 1)):
            if t in tests:
                st = chi[:, col].copy()
                dof = chi[:, 2]
                pv = np.where(dof > 0, special.chdtrc(np.maximum(dof, 1), st), np.where(np.isnan(st), np.nan, 1.0))
                v = np.sqrt(st / chi[:, 3])
                res[t] = TestResult(t, names, st, pv, v)
    binned = [t for t in tests if t in _BINNED]
    if binned:
        out = np.empty((q, 5))
        _binned_kernel(pk["cat_counts"], batch_counts, pk["cat_levels"], float(smoothing), out)
        for t in binned:
            v = out[:, _BINNED.index(t)].copy()
            res[t] = TestResult(t, names, v, nanv.copy(), v.copy())
    if "missing_rate" in tests:
        z, pv, diff = _two_proportion_z(pk["cat_missing"], pk["cat_rows"], miss, np.full(q, m))
        res["missing_rate"] = TestResult("missing_rate", names, z, pv, diff)
    zeros = np.zeros(q, dtype=np.int64)
    cc = ColumnCounts(names, m, m - miss, miss, zeros, zeros.copy(), unseen)
    return UnivariateReport(MappingProxyType(res), cc)
