"""Batch tests of a monitored target, calibrated so that a stationary batch raises a false alarm
with the probability a user chose.

A target (the inputs, the predictions, ...) is monitored through several quantities: one per
column, and statistics of the columns together. Each quantity's values in a production batch
are tested against its values in the reference:

* a numeric quantity by two tests, Kolmogorov-Smirnov (any change of the distribution) and
  Mann-Whitney (a shift: far more powerful than KS for the commonest change, nearly as powerful
  as a z-test of the mean on Gaussian data, and unlike it exact whatever the tails: a
  reconstruction error or a Student-t column has too heavy a tail for the mean's test);
* a categorical one by the chi-square test of the batch's category counts against the
  reference's (categories unseen in the reference count as one more category).

The quantity's p-value is the smaller of its tests', and the target's statistic is the smallest
p-value of its quantities. Testing many correlated columns makes a small p-value likely by
chance, and Bonferroni or Holm, built for the worst case, then promise fewer false alarms than
happen on independent columns and far fewer than happen on correlated ones. So the threshold is
calibrated instead, as Westfall and Young's single-step max-T (here min-p) procedure does: the
reference's rows are split at random into a pseudo-batch and a pseudo-reference many times
(permutations keep the columns' dependence), the target's smallest p-value is computed for each
split, and the threshold for a false-alarm probability alpha is that distribution's alpha
quantile. A p-value is then adjusted to the family: the share of stationary batches whose
smallest p-value is at least as small. Splitting the reference accounts for its own sampling
noise: the pseudo-reference is as far from the population as the reference is.

The calibration keeps a table of thresholds over a grid of false-alarm probabilities (so a
setting can change without refitting), reliable down to about ``MIN_EXCEEDANCES / permutations``;
below that the threshold follows the smallest reliable level's effective number of tests.

Everything that decides (the p-value of each test, the smallest p-value) is computed by the same
compiled functions in calibration and in detection, so the two cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba as nb
import numpy as np

from ._errors import CoreInputError

__all__ = ["NUMERIC", "CATEGORICAL", "QuantitySample", "TargetCalibration", "calibrate_target",
           "QuantityTest", "numeric_batch_test", "categorical_batch_test", "alarm_probability",
           "ks_p_value", "z_p_value", "chi2_p_value", "rank_shift_z", "rank_scores",
           "tie_fraction", "numeric_summary",
           "categorical_summary", "pooled_p_value"]

NUMERIC, CATEGORICAL = 0, 1
# Split the reference this many times by default; the threshold of a level alpha rests on about
# alpha * permutations splits.
DEFAULT_PERMUTATIONS = 20_000
MIN_EXCEEDANCES = 10
# The calibration splits at most this many of the reference's rows.
MAX_CALIBRATION_ROWS = 5_000
# The grid of false-alarm probabilities the calibration tabulates.
_GRID = np.unique(np.concatenate([np.logspace(-6, 0, 121), [0.5]]))


# -- p-values -----------------------------------------------------------------------------------

@nb.njit(cache=True, nogil=True)
def _kolmogorov_sf(x):
    """P(K > x) for the Kolmogorov distribution."""
    if x < 0.2:
        return 1.0
    total = 0.0
    sign = 1.0
    for k in range(1, 101):
        term = sign * math.exp(-2.0 * k * k * x * x)
        total += term
        if abs(term) < 1e-16 * max(total, 1e-300):
            break
        sign = -sign
    return min(1.0, max(0.0, 2.0 * total))


@nb.njit(cache=True, nogil=True)
def ks_p_value(d, n, m):
    """Two-sample KS p-value of statistic ``d`` for samples of sizes n and m (the asymptotic
    law with Stephens' small-sample correction)."""
    if n <= 0 or m <= 0:
        return 1.0
    en = math.sqrt(n * m / (n + m))
    return _kolmogorov_sf((en + 0.12 + 0.11 / en) * d)


@nb.njit(cache=True, nogil=True)
def z_p_value(z):
    """Two-sided p-value of a standard normal statistic."""
    return math.erfc(abs(z) / math.sqrt(2.0))


@nb.njit(cache=True, nogil=True)
def rank_shift_z(mean_rank, m, n, tie_fraction):
    """Standard score of a Mann-Whitney statistic: ``mean_rank`` is U / (m n), the share of
    (batch, reference) pairs where the batch value is larger (ties count half); its variance
    under no change is ((T + 1) - ties / (T (T - 1))) / (12 m n), T = m + n, with the ties'
    sum of t^3 - t taken as ``tie_fraction`` (T^3 - T)."""
    t = m + n
    variance = ((t + 1.0) - tie_fraction * (t * t * t - t) / (t * (t - 1.0))) / (12.0 * m * n)
    if variance <= 0:
        return 0.0
    return (mean_rank - 0.5) / math.sqrt(variance)


def tie_fraction(sorted_values: np.ndarray) -> float:
    """Sum of t^3 - t over groups of equal values, over n^3 - n (0 for distinct values)."""
    n = sorted_values.size
    if n < 2:
        return 0.0
    _, counts = np.unique(sorted_values, return_counts=True)
    t = counts.astype(np.float64)
    return float(((t ** 3 - t).sum()) / (float(n) ** 3 - n))


@nb.njit(cache=True, nogil=True)
def _gamma_q(a, x):
    """The regularised upper incomplete gamma function Q(a, x)."""
    if x <= 0.0:
        return 1.0
    gln = math.lgamma(a)
    if x < a + 1.0:  # series for P, then Q = 1 - P
        term = 1.0 / a
        total = term
        ap = a
        for _ in range(1000):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(-x + a * math.log(x) - gln))
    # Continued fraction (Lentz) for Q.
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        if abs(d) < tiny:
            d = tiny
        c = b + an / c
        if abs(c) < tiny:
            c = tiny
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return min(1.0, math.exp(-x + a * math.log(x) - gln) * h)


@nb.njit(cache=True, nogil=True)
def chi2_p_value(statistic, df):
    """Upper tail of the chi-square law with ``df`` degrees of freedom."""
    if df <= 0:
        return 1.0
    return _gamma_q(0.5 * df, 0.5 * statistic)


@nb.njit(cache=True, nogil=True)
def _chi2_two_sample(batch_counts, reference_counts):
    """Chi-square statistic and degrees of freedom of a 2 x k table (empty categories out)."""
    nb_ = 0.0
    nr = 0.0
    for k in range(batch_counts.size):
        nb_ += batch_counts[k]
        nr += reference_counts[k]
    if nb_ <= 0 or nr <= 0:
        return 0.0, 0
    total = nb_ + nr
    statistic = 0.0
    used = 0
    for k in range(batch_counts.size):
        column = batch_counts[k] + reference_counts[k]
        if column <= 0:
            continue
        used += 1
        expected_b = column * nb_ / total
        expected_r = column * nr / total
        statistic += (batch_counts[k] - expected_b) ** 2 / expected_b
        statistic += (reference_counts[k] - expected_r) ** 2 / expected_r
    return statistic, used - 1


# -- calibration --------------------------------------------------------------------------------

@nb.njit(cache=True, nogil=True)
def _smallest_p_of_split(rows, member, order, last_of_value, numeric_n, numeric_rank,
                         numeric_ties, codes, counts, levels):
    """The target's smallest p-value for one split: ``rows`` is the pseudo-batch (rows of the
    pool, flagged in ``member``), the rest of the pool is the pseudo-reference."""
    m = rows.size
    smallest = 1.0
    for q in range(order.shape[0]):
        n_pool = numeric_n[q]
        count = 0
        ranks = 0.0
        for i in range(m):
            value = numeric_rank[rows[i], q]
            if value == value:  # not NaN: the value is present
                count += 1
                ranks += value
        rest = n_pool - count
        if count < 2 or rest < 2:
            continue
        # Both ECDFs step only at the pool's values: the largest gap is at a value's last row.
        d = 0.0
        in_batch = 0
        for k in range(n_pool):
            in_batch += member[order[q, k]]
            if last_of_value[q, k]:
                gap = abs(in_batch / count - (k + 1 - in_batch) / rest)
                if gap > d:
                    d = gap
        p = ks_p_value(d, rest, count)
        # Mann-Whitney from the pool's mid-ranks: U = R - count (count + 1) / 2.
        u = (ranks - count * (count + 1) / 2.0) / (count * rest)
        pz = z_p_value(rank_shift_z(u, count, rest, numeric_ties[q]))
        if pz < p:
            p = pz
        if p < smallest:
            smallest = p
    for q in range(codes.shape[1]):
        k = levels[q]
        batch = np.zeros(k)
        for i in range(m):
            code = codes[rows[i], q]
            if code >= 0:
                batch[code] += 1.0
        rest_counts = np.empty(k)
        for j in range(k):
            rest_counts[j] = counts[q, j] - batch[j]
        statistic, df = _chi2_two_sample(batch, rest_counts)
        p = chi2_p_value(statistic, df)
        if p < smallest:
            smallest = p
    return smallest


@nb.njit(cache=True, parallel=True)
def _null_smallest_p(n_rows, batch_size, permutations, seed, order, last_of_value, numeric_n,
                     numeric_rank, numeric_ties, codes, counts, levels):
    out = np.empty(permutations)
    chunks = 64
    per_chunk = (permutations + chunks - 1) // chunks
    for c in nb.prange(chunks):
        np.random.seed(seed + c)
        index = np.arange(n_rows)
        member = np.zeros(n_rows, dtype=np.int64)
        for t in range(c * per_chunk, min(permutations, (c + 1) * per_chunk)):
            # A partial Fisher-Yates shuffle draws the pseudo-batch without replacement.
            for i in range(batch_size):
                j = i + np.random.randint(n_rows - i)
                index[i], index[j] = index[j], index[i]
            rows = index[:batch_size]
            for i in range(batch_size):
                member[rows[i]] = 1
            out[t] = _smallest_p_of_split(rows, member, order, last_of_value, numeric_n,
                                          numeric_rank, numeric_ties, codes, counts, levels)
            for i in range(batch_size):
                member[rows[i]] = 0
    return out


@dataclass(frozen=True)
class QuantitySample:
    """One quantity's values on the reference's rows, row-aligned with the target's other
    quantities: float64 values (NaN where missing) for NUMERIC, int64 category codes (-1 where
    missing) for CATEGORICAL."""

    kind: int
    values: np.ndarray


@dataclass(frozen=True)
class TargetCalibration:
    """The null distribution of a target's smallest p-value, tabulated: ``thresholds[i]`` is the
    smallest p-value that stationary batches go under with probability ``alphas[i]``."""

    alphas: np.ndarray
    thresholds: np.ndarray
    permutations: int
    batch_size: int
    tests: int  # the number of tests the target's smallest p-value is taken over

    @property
    def reliable_alpha(self) -> float:
        """The smallest false-alarm probability the table measured (not extrapolated)."""
        return min(1.0, MIN_EXCEEDANCES / self.permutations)

    def _effective_tests(self) -> float:
        """At the smallest reliable level: how many independent tests the target is worth."""
        alpha = self.reliable_alpha
        return max(1.0, alpha / max(self._interpolated(alpha), 1e-300))

    def _interpolated(self, alpha: float) -> float:
        la = np.log(self.alphas)
        lt = np.log(np.maximum(self.thresholds, 1e-300))
        return float(np.exp(np.interp(math.log(alpha), la, lt)))

    def threshold(self, alpha: float) -> float:
        """The p-value under which a quantity of the target raises an alarm at false-alarm
        probability ``alpha`` per stationary batch."""
        if not 0 < alpha <= 1:
            raise CoreInputError(f"alpha must be in (0, 1]; got {alpha}")
        if alpha >= self.reliable_alpha:
            return self._interpolated(alpha)
        return alpha / self._effective_tests()

    def adjusted(self, p_value: float) -> float:
        """The family-wise p-value: the share of stationary batches whose smallest p-value is
        at most ``p_value`` (Westfall-Young single-step)."""
        if not np.isfinite(p_value):
            return float("nan")
        if p_value >= self.threshold(self.reliable_alpha):
            lt = np.log(np.maximum(self.thresholds, 1e-300))
            return float(min(1.0, np.exp(np.interp(math.log(max(p_value, 1e-300)), lt,
                                                   np.log(self.alphas)))))
        return float(min(1.0, p_value * self._effective_tests()))

    def to_dict(self) -> dict:
        return {"alphas": self.alphas.tolist(), "thresholds": self.thresholds.tolist(),
                "permutations": self.permutations, "batch_size": self.batch_size,
                "tests": self.tests}

    @classmethod
    def from_dict(cls, data: dict) -> "TargetCalibration":
        return cls(np.asarray(data["alphas"], dtype=np.float64),
                   np.asarray(data["thresholds"], dtype=np.float64), int(data["permutations"]),
                   int(data["batch_size"]), int(data["tests"]))

    @classmethod
    def bonferroni(cls, tests: int) -> "TargetCalibration":
        """The conservative table of a target fitted before calibration existed."""
        tests = max(1, tests)
        return cls(_GRID.copy(), _GRID / tests, 1_000_000_000, 0, tests)


def _pool_columns(samples: list[QuantitySample]):
    """The arrays the calibration kernel walks: per numeric quantity its present rows in value
    order with the last row of each value flagged, each row's mid-rank among them and their
    ties; per categorical one its codes and counts."""
    numeric = [s.values for s in samples if s.kind == NUMERIC]
    categorical = [s.values for s in samples if s.kind == CATEGORICAL]
    n = len(samples[0].values)
    order = np.zeros((len(numeric), n), dtype=np.int64)
    last_of_value = np.zeros((len(numeric), n), dtype=np.bool_)
    ranks = np.full((n, len(numeric)), np.nan)
    counts_n = np.zeros(len(numeric), dtype=np.int64)
    ties = np.zeros(len(numeric))
    for q, values in enumerate(numeric):
        present = np.flatnonzero(np.isfinite(values))
        ranked = present[np.argsort(values[present], kind="stable")]
        sorted_values = values[ranked]
        order[q, :ranked.size] = ranked
        last_of_value[q, :ranked.size] = np.append(sorted_values[1:] != sorted_values[:-1], True) \
            if ranked.size else []
        below = np.searchsorted(sorted_values, values[present], side="left")
        at_most = np.searchsorted(sorted_values, values[present], side="right")
        ranks[present, q] = (below + at_most + 1) / 2.0  # 1-based, ties averaged
        counts_n[q] = ranked.size
        ties[q] = tie_fraction(sorted_values)
    levels = np.array([int(v.max()) + 1 if v.size and v.max() >= 0 else 1 for v in categorical],
                      dtype=np.int64)
    codes = np.full((n, len(categorical)), -1, dtype=np.int64)
    counts = np.zeros((len(categorical), int(levels.max()) if levels.size else 1))
    for q, values in enumerate(categorical):
        codes[:, q] = values
        present = values[values >= 0]
        counts[q, :levels[q]] = np.bincount(present, minlength=levels[q])
    return order, last_of_value, counts_n, ranks, ties, codes, counts, levels


def calibrate_target(samples: list[QuantitySample], *, batch_size: int = 500,
                     permutations: int = DEFAULT_PERMUTATIONS, seed: int = 0,
                     max_rows: int = MAX_CALIBRATION_ROWS) -> TargetCalibration:
    """The null distribution of the target's smallest p-value, by splitting the reference's
    rows (at most ``max_rows`` of them, drawn at random: the columns' dependence shows as well
    in them, and the cost grows with the rows) ``permutations`` times into a pseudo-batch of
    ``batch_size`` rows (at most a fifth of the rows) and the rest."""
    if not samples:
        raise CoreInputError("a target needs at least one quantity to calibrate")
    n = len(samples[0].values)
    if any(len(s.values) != n for s in samples):
        raise CoreInputError("the quantities' samples must be row-aligned (the same rows)")
    if n < 20:
        raise CoreInputError(f"{n} rows are too few to calibrate on (at least 20)")
    if n > max_rows:
        kept = np.sort(np.random.default_rng(seed).choice(n, size=max_rows, replace=False))
        samples = [QuantitySample(s.kind, s.values[kept]) for s in samples]
        n = max_rows
    size = int(max(10, min(batch_size, n // 5)))
    smallest = np.sort(_null_smallest_p(n, size, int(permutations), int(seed),
                                        *_pool_columns(samples)))
    # The alpha-quantile of the smallest p-value: the threshold at false-alarm probability alpha.
    positions = np.clip(_GRID * permutations - 1, 0, permutations - 1)
    thresholds = np.interp(positions, np.arange(permutations), smallest)
    thresholds = np.maximum.accumulate(np.maximum(thresholds, 1e-300))
    tests = 2 * sum(s.kind == NUMERIC for s in samples) + sum(s.kind == CATEGORICAL for s in samples)
    return TargetCalibration(_GRID.copy(), thresholds, int(permutations), size, tests)


# -- testing a batch ----------------------------------------------------------------------------

@dataclass(frozen=True)
class QuantityTest:
    """A quantity's batch test: its p-value (the smaller of its tests'), which test gave it, its
    statistic, and the per-sample score whose mean moved (for locating the change)."""

    test: str  # "ks", "mann_whitney" or "chi2"
    statistic: float
    p_value: float
    sample_count: int
    # Where the KS distance was largest (numeric), or the category that moved most (its code).
    where: float = float("nan")
    direction: float = 0.0  # the sign of the batch's departure there


@nb.njit(cache=True, nogil=True)
def _ks_walk(reference, values):
    """Largest gap between the ECDFs of two sorted samples, the value where it is and its sign
    (positive: the batch has more mass at or below it), in one merged pass."""
    n, m = reference.size, values.size
    i = j = 0
    d, where, sign = 0.0, np.nan, 0.0
    while i < n or j < m:
        x = reference[i] if j >= m or (i < n and reference[i] <= values[j]) else values[j]
        while i < n and reference[i] <= x:
            i += 1
        while j < m and values[j] <= x:
            j += 1
        gap = j / m - i / n
        if abs(gap) > d:
            d, where, sign = abs(gap), x, (1.0 if gap > 0 else -1.0)
    return d, where, sign


def rank_scores(reference: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each value's share of the reference below it (ties count half): uniform on (0, 1) when
    nothing changed, whatever the distribution."""
    below = np.searchsorted(reference, values, side="left")
    at_most = np.searchsorted(reference, values, side="right")
    return (below + at_most) / (2.0 * reference.size)


def numeric_batch_test(reference: np.ndarray, reference_count: int,
                       batch: np.ndarray) -> QuantityTest | None:
    """KS and Mann-Whitney tests of a batch's values against a numeric quantity's reference
    (its sorted values, or quantiles standing for ``reference_count`` of them). Both depend on
    ranks only, so heavy tails and skew (a reconstruction error, an income) cannot make their
    p-values wrong."""
    values = np.sort(batch[np.isfinite(batch)])
    m = values.size
    if m < 2 or reference.size == 0:
        return None
    reference = np.ascontiguousarray(reference, dtype=np.float64)
    d, where, sign = _ks_walk(reference, values)
    p_ks = ks_p_value(d, float(reference_count), float(m))
    # The ties of the batch and the reference together (the reference's alone when it is kept
    # as quantiles, whose ties are not its values').
    ties = (tie_fraction(np.sort(np.concatenate([reference, values])))
            if reference.size == reference_count else tie_fraction(reference))
    z = rank_shift_z(float(rank_scores(reference, values).mean()), float(m),
                     float(reference_count), ties)
    p_rank = z_p_value(z)
    if p_rank <= p_ks:
        return QuantityTest("mann_whitney", float(z), float(p_rank), m, float("nan"),
                            float(np.sign(z)))
    return QuantityTest("ks", float(d), float(p_ks), m, float(where), sign)


def categorical_batch_test(reference_counts: np.ndarray, codes: np.ndarray) -> QuantityTest | None:
    """Chi-square test of a batch's category codes (-1 missing; codes past the reference's
    categories are categories it never saw) against the reference's counts."""
    present = codes[codes >= 0]
    if present.size < 2:
        return None
    size = max(reference_counts.size, int(present.max()) + 1)
    batch = np.bincount(present, minlength=size).astype(np.float64)
    reference = np.zeros(size)
    reference[:reference_counts.size] = reference_counts
    statistic, df = _chi2_two_sample(batch, reference)
    p = chi2_p_value(statistic, df)
    shares = batch / batch.sum() - reference / max(reference.sum(), 1.0)
    moved = int(np.argmax(np.abs(shares)))
    return QuantityTest("chi2", float(statistic), float(p), int(present.size), float(moved),
                        float(np.sign(shares[moved])))


# -- pooling batches ------------------------------------------------------------------------------

def numeric_summary(reference: np.ndarray, reference_count: int, values: np.ndarray) -> dict:
    """What a later batch needs of this one to test them together: its count and its values'
    rank scores' sum (JSON-able)."""
    finite = values[np.isfinite(values)]
    return {"count": int(finite.size),
            "rank_sum": float(rank_scores(reference, finite).sum()) if finite.size else 0.0,
            "reference_count": int(reference_count), "ties": tie_fraction(reference)}


def categorical_summary(codes: np.ndarray, reference_counts: np.ndarray) -> dict:
    """The same for a categorical quantity: the batch's category counts (JSON-able)."""
    present = codes[codes >= 0]
    size = max(reference_counts.size, int(present.max()) + 1 if present.size else 0)
    return {"counts": np.bincount(present, minlength=size).astype(int).tolist(),
            "reference": np.asarray(reference_counts, dtype=float).tolist()}


def pooled_p_value(summaries: list[dict]) -> float:
    """The p-value of several batches taken together (Mann-Whitney of their values together, or
    the chi-square of their summed counts): a small shift that each batch shows weakly, the batches together show
    clearly. 1 when the summaries do not match (a reference changed in between)."""
    if not summaries or any(set(s) != set(summaries[0]) for s in summaries):
        return 1.0
    if "counts" in summaries[0]:
        size = max(len(s["counts"]) for s in summaries)
        counts = np.zeros(size)
        for summary in summaries:
            counts[:len(summary["counts"])] += summary["counts"]
        reference = np.zeros(size)
        reference[:len(summaries[-1]["reference"])] = summaries[-1]["reference"]
        statistic, df = _chi2_two_sample(counts, reference)
        return float(chi2_p_value(statistic, df))
    count = sum(s["count"] for s in summaries)
    n = summaries[-1]["reference_count"]
    if count < 2 or n < 2:
        return 1.0
    mean_rank = sum(s["rank_sum"] for s in summaries) / count
    return float(z_p_value(rank_shift_z(mean_rank, float(count), float(n),
                                        summaries[-1]["ties"])))


# -- the false-alarm promise --------------------------------------------------------------------

def alarm_probability(batches_between_false_alarms: float, release_batches: int,
                      calm_probability: float = 1.0) -> float:
    """The per-batch alarm probability a whose false DRIFT_ON events come once every
    ``batches_between_false_alarms`` stationary batches, when a drift ends only after
    ``release_batches`` calm batches in a row and a stationary batch is calm with
    ``calm_probability``: a drift blocks new events while it lasts, E = (1 - c^r) / ((1 - c)
    c^r) batches after its alarm (the wait for r successes in a row), so events come at rate
    a / (1 + a E), solved here for a."""
    rate = 1.0 / batches_between_false_alarms
    c, r = calm_probability, release_batches
    blocked = float(r) if c >= 1.0 else (1.0 - c ** r) / ((1.0 - c) * c ** r)
    if rate * blocked >= 1.0:
        raise CoreInputError(
            f"{batches_between_false_alarms:g} batches between false alarms is too few: a "
            f"drift lasts about {blocked:.1f} batches after its alarm")
    return float(rate / (1.0 - rate * blocked))
