"""Sequential drift detectors fed an array at a time, and their calibration.

Detectors: :class:`PageHinkley`, :class:`Cusum` (two-sided, tabular),
:class:`Ewma` (EWMA control chart), :class:`Adwin` (ADWIN2, exponential
histogram), :class:`Kswin` (sliding-window KS). All share one model: each
sample produces a scalar monitoring statistic s_t; the detector is in
``WARNING`` while s_t > warning_threshold and signals ``DRIFT`` when
s_t > drift_threshold (then it resets, or for ADWIN drops the old part of its
window). Statistics:

* PageHinkley: max of the upward / downward Page–Hinkley cumulative sums.
* Cusum: max(S+, S-) on z = (x - mu0)/sigma0 with allowance k.
* Ewma: |z_t - mu0| / sd(z_t) (exact time-varying EWMA standard deviation).
* Adwin: max over window splits of the Hoeffding/Bernstein bound level
  -ln(delta) at which ADWIN would cut; thresholds are -ln(delta).
* Kswin: -ln(p) of the KS test (exact, n = stat_size each) between the most
  recent ``stat_size`` samples and a random draw from the older part of the
  window; thresholds are -ln(alpha).

Fixed textbook thresholds give false alarms every few hundred samples on
stationary data; :func:`calibrate` simulates stationary streams by
bootstrapping the reference and sets both thresholds so that the mean run
length (ARL) between false alarms meets a target.

Detector state (parameters and running state, including ADWIN buckets, KSWIN
window and its random generator) round-trips through :meth:`to_dict` /
:func:`detector_from_dict` (JSON-able) so a service can persist it between
batches: feeding a stream in pieces gives exactly the same output as feeding
it at once.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numba as nb
import numpy as np

from ._errors import CoreInputError, ProfileFormatError
from ._stats import ks_exact_square

__all__ = ["STABLE", "WARNING", "DRIFT", "DetectorOutput", "PageHinkley", "Cusum", "Ewma", "Adwin",
           "Kswin", "detector_from_dict", "calibrate", "CalibrationResult"]

STABLE, WARNING, DRIFT = 0, 1, 2
_STATE_FORMAT = 1


@dataclass(frozen=True)
class DetectorOutput:
    """Output of one ``update`` call.

    Attributes:
        statistic: float64 (k,) monitoring statistic after each sample.
        state: int8 (k,) per sample: 0 STABLE, 1 WARNING, 2 DRIFT.
        drift_indices: positions (in this call's array) where DRIFT fired.
        warning: True if the detector ends the call in WARNING.
        drift: True if DRIFT fired anywhere in this call.
    """

    statistic: np.ndarray
    state: np.ndarray
    drift_indices: np.ndarray
    warning: bool
    drift: bool


# ---------------------------------------------------------------------------
# kernels: params (float64), state (float64); thresholds are params[-2:]
# ---------------------------------------------------------------------------
@nb.njit(cache=True, nogil=True, error_model="numpy")
def _classify(s, warn, drift):
    if s > drift:
        return DRIFT
    if s > warn:
        return WARNING
    return STABLE


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _ph_run(x, prm, st, stat, code):
    # prm: delta, alpha, min_instances, direction(0 both,1 up,2 down), reset, warn, drift
    # st[1] is the running sum (not the mean): keeps the division off the
    # loop-carried dependency chain, ~3x faster than the incremental mean.
    delta, alpha, min_n, direction, reset, warn, drift = prm[0], prm[1], prm[2], prm[3], prm[4], prm[5], prm[6]
    n, total, m_up, min_up, m_dn, min_dn = st[0], st[1], st[2], st[3], st[4], st[5]
    for i in range(x.shape[0]):
        v = x[i]
        n += 1.0
        total += v
        mean = total / n
        m_up = alpha * m_up + (v - mean - delta)
        m_dn = alpha * m_dn + (mean - v - delta)
        if m_up < min_up:
            min_up = m_up
        if m_dn < min_dn:
            min_dn = m_dn
        up = m_up - min_up
        dn = m_dn - min_dn
        s = up if direction == 1 else (dn if direction == 2 else max(up, dn))
        if n < min_n:
            s = 0.0
        stat[i] = s
        c = _classify(s, warn, drift)
        code[i] = c
        if c == DRIFT and reset > 0:
            n, total, m_up, min_up, m_dn, min_dn = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    st[0], st[1], st[2], st[3], st[4], st[5] = n, total, m_up, min_up, m_dn, min_dn


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _cusum_run(x, prm, st, stat, code):
    # prm: mu0, sigma0, k, reset, warn, drift ; st: n, s_plus, s_minus
    mu0, sd0, k, reset, warn, drift = prm[0], prm[1], prm[2], prm[3], prm[4], prm[5]
    n, sp, sm = st[0], st[1], st[2]
    inv = 1.0 / sd0
    for i in range(x.shape[0]):
        z = (x[i] - mu0) * inv
        n += 1.0
        sp = max(0.0, sp + z - k)
        sm = max(0.0, sm - z - k)
        s = max(sp, sm)
        stat[i] = s
        c = _classify(s, warn, drift)
        code[i] = c
        if c == DRIFT and reset > 0:
            n, sp, sm = 0.0, 0.0, 0.0
    st[0], st[1], st[2] = n, sp, sm


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _ewma_run(x, prm, st, stat, code):
    # prm: mu0, sigma0, lam, reset, warn, drift ; st: n, z, decay=(1-lam)^(2n)
    mu0, sd0, lam, reset, warn, drift = prm[0], prm[1], prm[2], prm[3], prm[4], prm[5]
    n, z, decay = st[0], st[1], st[2]
    if n == 0:
        z = mu0
        decay = 1.0
    base = sd0 * math.sqrt(lam / (2.0 - lam))
    q = (1.0 - lam) ** 2
    for i in range(x.shape[0]):
        n += 1.0
        z = lam * x[i] + (1.0 - lam) * z
        decay *= q
        s = abs(z - mu0) / (base * math.sqrt(1.0 - decay))
        stat[i] = s
        c = _classify(s, warn, drift)
        code[i] = c
        if c == DRIFT and reset > 0:
            n, z, decay = 0.0, mu0, 1.0
    st[0], st[1], st[2] = n, z, decay


# ADWIN2 exponential histogram: row r holds up to M+1 buckets of 2^r samples;
# buckets per row are kept oldest-first. st: [width, total, variance, tick,
# n_rows, last_stat] ; tot/var: (ROWS, M+1) ; cnt: (ROWS,)
_ADWIN_ROWS = 64


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _adwin_insert(v, st, tot, var, cnt, m_max):
    width = st[0]
    total = st[1]
    if width > 0:
        mean = total / width
        st[2] += width * (v - mean) ** 2 / (width + 1.0)
    st[0] = width + 1.0
    st[1] = total + v
    # append newest bucket to row 0
    c0 = cnt[0]
    tot[0, c0] = v
    var[0, c0] = 0.0
    cnt[0] = c0 + 1
    r = 0
    n_rows = int(st[4])
    if n_rows < 1:
        n_rows = 1
    while cnt[r] > m_max:
        # merge the two oldest buckets of row r into the newest slot of row r+1
        n1 = 2.0 ** r
        t1, t2 = tot[r, 0], tot[r, 1]
        v1, v2 = var[r, 0], var[r, 1]
        u1, u2 = t1 / n1, t2 / n1
        merged_var = v1 + v2 + n1 * n1 * (u1 - u2) ** 2 / (2.0 * n1)
        for j in range(cnt[r] - 2):
            tot[r, j] = tot[r, j + 2]
            var[r, j] = var[r, j + 2]
        cnt[r] -= 2
        nr = r + 1
        if nr >= _ADWIN_ROWS:
            break
        cr = cnt[nr]
        tot[nr, cr] = t1 + t2
        var[nr, cr] = merged_var
        cnt[nr] = cr + 1
        if nr + 1 > n_rows:
            n_rows = nr + 1
        r = nr
    st[4] = n_rows


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _adwin_drop_oldest(st, tot, var, cnt):
    r = int(st[4]) - 1
    while r >= 0 and cnt[r] == 0:
        r -= 1
    if r < 0:
        return
    n1 = 2.0 ** r
    t1 = tot[r, 0]
    v1 = var[r, 0]
    width = st[0]
    u1 = t1 / n1
    st[0] = width - n1
    st[1] -= t1
    if st[0] > 0:
        st[2] -= v1 + n1 * st[0] * (u1 - st[1] / st[0]) ** 2 / (n1 + st[0])
        if st[2] < 0:
            st[2] = 0.0
    else:
        st[2] = 0.0
    for j in range(cnt[r] - 1):
        tot[r, j] = tot[r, j + 1]
        var[r, j] = var[r, j + 1]
    cnt[r] -= 1
    while r >= 0 and cnt[r] == 0 and r == int(st[4]) - 1:
        st[4] -= 1
        r -= 1


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _adwin_stat(st, tot, var, cnt, min_len):
    """max over splits (oldest part | newest part) of the cut level L - ln(2 ln W)."""
    width = st[0]
    if width < 2 * min_len or width < 3:
        return 0.0
    total = st[1]
    sigma2 = st[2] / width
    n0 = 0.0
    u0 = 0.0
    best = 0.0
    n_rows = int(st[4])
    for r in range(n_rows - 1, -1, -1):
        size = 2.0 ** r
        for j in range(cnt[r]):
            n0 += size
            u0 += tot[r, j]
            n1 = width - n0
            if n1 < min_len:
                break
            if n0 < min_len:
                continue
            g = abs(u0 / n0 - (total - u0) / n1)
            minv = 1.0 / n0 + 1.0 / n1
            a = 2.0 / 3.0 * minv
            b = math.sqrt(2.0 * minv * sigma2)
            u = (-b + math.sqrt(b * b + 4.0 * a * g)) / (2.0 * a)
            lev = u * u
            if lev > best:
                best = lev
    return best - math.log(2.0 * math.log(width))


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _adwin_run(x, prm, st, tot, var, cnt, stat, code):
    # prm: max_buckets, clock, min_len, warn, drift ; st: width,total,var,tick,n_rows,last
    m_max, clock, min_len, warn, drift = int(prm[0]), prm[1], prm[2], prm[3], prm[4]
    for i in range(x.shape[0]):
        _adwin_insert(x[i], st, tot, var, cnt, m_max)
        st[3] += 1.0
        c = STABLE
        if st[3] % clock == 0:
            s = _adwin_stat(st, tot, var, cnt, min_len)
            st[5] = s
            stat[i] = s
            if s > drift:
                c = DRIFT
                # drop old buckets until the window is homogeneous again
                while s > drift and st[0] > 2 * min_len:
                    _adwin_drop_oldest(st, tot, var, cnt)
                    s = _adwin_stat(st, tot, var, cnt, min_len)
                st[5] = s
            elif s > warn:
                c = WARNING
        else:
            stat[i] = st[5]
            c = _classify(st[5], warn, np.inf)
        code[i] = c


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _splitmix(state):
    z = (state[0] + np.uint64(0x9E3779B97F4A7C15))
    state[0] = z
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _kswin_run(x, prm, st, win, rng, ptab, idx, a, b, stat, code):
    # prm: window, stat_size, reset, warn, drift ; st: count ; win: ring-free buffer (oldest first)
    w = int(prm[0])
    r = int(prm[1])
    warn, drift = prm[3], prm[4]
    count = int(st[0])
    for i in range(x.shape[0]):
        if count < w:
            win[count] = x[i]
            count += 1
        else:
            for j in range(w - 1):
                win[j] = win[j + 1]
            win[w - 1] = x[i]
        s = 0.0
        if count >= w:
            older = w - r
            # partial Fisher-Yates: r distinct positions from the older part
            for j in range(older):
                idx[j] = j
            for j in range(r):
                k = j + int(_splitmix(rng) % np.uint64(older - j))
                t = idx[j]
                idx[j] = idx[k]
                idx[k] = t
                a[j] = win[idx[j]]
                b[j] = win[older + j]
            a.sort()
            b.sort()
            # KS statistic for equal sizes, in units of 1/r
            ia = 0
            ib = 0
            h = 0
            while ia < r and ib < r:
                v = min(a[ia], b[ib])
                while ia < r and a[ia] == v:
                    ia += 1
                while ib < r and b[ib] == v:
                    ib += 1
                dd = abs(ia - ib)
                if dd > h:
                    h = dd
            s = ptab[h]
        stat[i] = s
        c = _classify(s, warn, drift)
        code[i] = c
        if c == DRIFT and prm[2] > 0:
            # keep only the most recent stat_size samples (as river's KSWIN)
            for j in range(r):
                win[j] = win[w - r + j]
            count = r
    st[0] = count


# ---------------------------------------------------------------------------
# detector classes
# ---------------------------------------------------------------------------
class _Detector:
    kind = ""
    _param_names: tuple = ()

    def __init__(self, warning_threshold, drift_threshold):
        if not warning_threshold <= drift_threshold:
            raise CoreInputError(
                f"warning_threshold ({warning_threshold}) must not exceed drift_threshold ({drift_threshold})")
        self.warning_threshold = float(warning_threshold)
        self.drift_threshold = float(drift_threshold)

    # subclasses: _params(inf: bool) -> float64 array; _run(x, prm, stat, code); reset()
    def update(self, values) -> DetectorOutput:
        """Feed samples (1-D array, in order). State persists between calls.

        Returns:
            :class:`DetectorOutput` with one statistic and state per sample.
        """
        x = np.ascontiguousarray(np.asarray(values, dtype=np.float64).ravel())
        if x.size and not np.all(np.isfinite(x)):
            bad = int(np.count_nonzero(~np.isfinite(x)))
            raise CoreInputError(
                f"{bad} non-finite value(s) in the detector stream; detectors need finite "
                "statistics/errors — drop or impute them before update() (they were counted, not used)")
        stat = np.empty(x.size)
        code = np.empty(x.size, dtype=np.int8)
        self._run(x, self._params(False), stat, code)
        drift_idx = np.flatnonzero(code == DRIFT)
        return DetectorOutput(stat, code, drift_idx, bool(x.size and code[-1] == WARNING),
                              bool(drift_idx.size))

    def _trace(self, x):
        """Statistic path with thresholds disabled (for calibration); no state change."""
        clone = detector_from_dict(self.to_dict())
        clone.reset()
        stat = np.empty(x.size)
        code = np.empty(x.size, dtype=np.int8)
        clone._run(x, clone._params(True), stat, code)
        return stat

    def to_dict(self) -> dict:
        """JSON-able parameters and state; inverse: :func:`detector_from_dict`."""
        return {"format_version": _STATE_FORMAT, "kind": self.kind,
                "params": {k: getattr(self, k) for k in self._param_names},
                "warning_threshold": self.warning_threshold, "drift_threshold": self.drift_threshold,
                "state": self._state_dict()}

    def with_thresholds(self, warning_threshold, drift_threshold):
        """Copy of this detector (fresh state) with new thresholds."""
        d = self.to_dict()
        d["warning_threshold"], d["drift_threshold"] = warning_threshold, drift_threshold
        det = detector_from_dict(d)
        det.reset()
        return det


class PageHinkley(_Detector):
    """Page–Hinkley test for a change in the mean (both directions by default).

    Args:
        delta: magnitude of changes to ignore.
        alpha: fading factor of the cumulative sums (1 = no fading).
        min_instances: samples before the statistic can alarm (after a reset).
        direction: "both", "up" or "down".
        warning_threshold / drift_threshold: levels for the PH statistic
            (defaults 25 / 50 as common in practice; prefer :func:`calibrate`).
        reset_on_drift: restart the sums after a DRIFT.

    Example:
        >>> ph = PageHinkley()
        >>> out = ph.update(errors_batch); out.drift
    """

    kind = "page_hinkley"
    _param_names = ("delta", "alpha", "min_instances", "direction", "reset_on_drift")

    def __init__(self, *, delta=0.005, alpha=1 - 1e-4, min_instances=30, direction="both",
                 warning_threshold=25.0, drift_threshold=50.0, reset_on_drift=True):
        super().__init__(warning_threshold, drift_threshold)
        if direction not in ("both", "up", "down"):
            raise CoreInputError(f"direction must be 'both', 'up' or 'down'; got {direction!r}")
        if not 0 < alpha <= 1:
            raise CoreInputError(f"alpha must be in (0, 1]; got {alpha}")
        self.delta, self.alpha, self.min_instances = float(delta), float(alpha), int(min_instances)
        self.direction, self.reset_on_drift = direction, bool(reset_on_drift)
        self.reset()

    def reset(self):
        self._st = np.zeros(6)

    def _params(self, inf):
        d = {"both": 0.0, "up": 1.0, "down": 2.0}[self.direction]
        w, dr = (np.inf, np.inf) if inf else (self.warning_threshold, self.drift_threshold)
        return np.array([self.delta, self.alpha, self.min_instances, d, float(self.reset_on_drift), w, dr])

    def _run(self, x, prm, stat, code):
        _ph_run(x, prm, self._st, stat, code)

    def _state_dict(self):
        return {"st": self._st.tolist()}

    def _load_state(self, s):
        self._st = np.asarray(s["st"], dtype=np.float64)


class _Standardised(_Detector):
    def __init__(self, mu0, sigma0, warning_threshold, drift_threshold):
        super().__init__(warning_threshold, drift_threshold)
        if mu0 is None or sigma0 is None:
            mu0, sigma0 = 0.0, 1.0
            self.fitted = False
        else:
            self.fitted = True
        if not sigma0 > 0:
            raise CoreInputError(f"sigma0 must be > 0; got {sigma0} (a constant reference cannot be standardised)")
        self.mu0, self.sigma0 = float(mu0), float(sigma0)

    def fit(self, reference):
        """Set mu0/sigma0 from reference values (in-control mean and std)."""
        r = np.asarray(reference, dtype=np.float64).ravel()
        r = r[np.isfinite(r)]
        if r.size < 2:
            raise CoreInputError("need at least 2 finite reference values to fit mu0/sigma0")
        sd = float(r.std(ddof=1))
        if not sd > 0:
            raise CoreInputError("reference values are constant; sigma0 would be 0 — pass sigma0 explicitly")
        self.mu0, self.sigma0, self.fitted = float(r.mean()), sd, True
        self.reset()
        return self


class Cusum(_Standardised):
    """Two-sided tabular CUSUM on standardised values z = (x - mu0) / sigma0.

    Args:
        mu0, sigma0: in-control mean and std (or call :meth:`fit` on the reference).
        k: allowance in sigma units (detects shifts of about 2k sigma best).
        warning_threshold / drift_threshold: decision intervals h (defaults 4 / 5).

    Example:
        >>> det = Cusum().fit(reference_errors); det.update(new_errors).drift
    """

    kind = "cusum"
    _param_names = ("mu0", "sigma0", "k", "reset_on_drift")

    def __init__(self, *, mu0=None, sigma0=None, k=0.5, warning_threshold=4.0, drift_threshold=5.0,
                 reset_on_drift=True):
        super().__init__(mu0, sigma0, warning_threshold, drift_threshold)
        self.k, self.reset_on_drift = float(k), bool(reset_on_drift)
        self.reset()

    def reset(self):
        self._st = np.zeros(3)

    def _params(self, inf):
        w, dr = (np.inf, np.inf) if inf else (self.warning_threshold, self.drift_threshold)
        return np.array([self.mu0, self.sigma0, self.k, float(self.reset_on_drift), w, dr])

    def _run(self, x, prm, stat, code):
        _cusum_run(x, prm, self._st, stat, code)

    def _state_dict(self):
        return {"st": self._st.tolist()}

    def _load_state(self, s):
        self._st = np.asarray(s["st"], dtype=np.float64)


class Ewma(_Standardised):
    """EWMA control chart with exact time-varying limits.

    Args:
        mu0, sigma0: in-control mean and std (or :meth:`fit`).
        lam: smoothing weight in (0, 1].
        warning_threshold / drift_threshold: limits L in EWMA-sd units (2 / 3).
    """

    kind = "ewma"
    _param_names = ("mu0", "sigma0", "lam", "reset_on_drift")

    def __init__(self, *, mu0=None, sigma0=None, lam=0.1, warning_threshold=2.0, drift_threshold=3.0,
                 reset_on_drift=True):
        super().__init__(mu0, sigma0, warning_threshold, drift_threshold)
        if not 0 < lam <= 1:
            raise CoreInputError(f"lam must be in (0, 1]; got {lam}")
        self.lam, self.reset_on_drift = float(lam), bool(reset_on_drift)
        self.reset()

    def reset(self):
        self._st = np.zeros(3)

    def _params(self, inf):
        w, dr = (np.inf, np.inf) if inf else (self.warning_threshold, self.drift_threshold)
        return np.array([self.mu0, self.sigma0, self.lam, float(self.reset_on_drift), w, dr])

    def _run(self, x, prm, stat, code):
        _ewma_run(x, prm, self._st, stat, code)

    def _state_dict(self):
        return {"st": self._st.tolist()}

    def _load_state(self, s):
        self._st = np.asarray(s["st"], dtype=np.float64)


class Adwin(_Detector):
    """ADWIN2 adaptive window (Bifet & Gavaldà 2007) on an exponential histogram.

    Thresholds are on the cut level -ln(delta): the defaults correspond to
    delta = 0.002 (drift) and 0.01 (warning). The window is checked every
    ``clock`` samples; on DRIFT the oldest buckets are dropped until no cut
    remains (ADWIN's own reset).

    Args:
        max_buckets: buckets per histogram row (M).
        clock: check period in samples.
        min_window: minimum length of each sub-window at a split.
    """

    kind = "adwin"
    _param_names = ("max_buckets", "clock", "min_window")

    def __init__(self, *, max_buckets=5, clock=32, min_window=5,
                 warning_threshold=-math.log(0.01), drift_threshold=-math.log(0.002)):
        super().__init__(warning_threshold, drift_threshold)
        if max_buckets < 2 or clock < 1 or min_window < 1:
            raise CoreInputError("need max_buckets >= 2, clock >= 1, min_window >= 1")
        self.max_buckets, self.clock, self.min_window = int(max_buckets), int(clock), int(min_window)
        self.reset()

    @property
    def width(self) -> int:
        """Current window length."""
        return int(self._st[0])

    def reset(self):
        self._st = np.zeros(6)
        self._tot = np.zeros((_ADWIN_ROWS, self.max_buckets + 1))
        self._var = np.zeros((_ADWIN_ROWS, self.max_buckets + 1))
        self._cnt = np.zeros(_ADWIN_ROWS, dtype=np.int64)

    def _params(self, inf):
        w, dr = (np.inf, np.inf) if inf else (self.warning_threshold, self.drift_threshold)
        return np.array([self.max_buckets, self.clock, self.min_window, w, dr], dtype=np.float64)

    def _run(self, x, prm, stat, code):
        _adwin_run(x, prm, self._st, self._tot, self._var, self._cnt, stat, code)

    def _state_dict(self):
        rows = int(self._st[4])
        return {"st": self._st.tolist(), "tot": self._tot[:rows].tolist(), "var": self._var[:rows].tolist(),
                "cnt": self._cnt[:rows].tolist()}

    def _load_state(self, s):
        self.reset()
        self._st = np.asarray(s["st"], dtype=np.float64)
        rows = len(s["cnt"])
        if rows:
            self._tot[:rows] = np.asarray(s["tot"], dtype=np.float64)
            self._var[:rows] = np.asarray(s["var"], dtype=np.float64)
            self._cnt[:rows] = np.asarray(s["cnt"], dtype=np.int64)


class Kswin(_Detector):
    """KSWIN (Raab et al. 2020): KS test inside a sliding window.

    Compares the newest ``stat_size`` samples with ``stat_size`` samples drawn
    without replacement from the older part of a ``window_size`` window.
    Statistic -ln(p) with the exact KS p-value (equal sizes); defaults
    alpha = 0.005 (drift) and 0.05 (warning), as river's default alpha.

    Args:
        window_size, stat_size: window and sample sizes (stat_size < window_size / 2).
        seed: seed of the (serialisable) sampler.
        reset_on_drift: keep only the newest stat_size samples after DRIFT.
    """

    kind = "kswin"
    _param_names = ("window_size", "stat_size", "seed", "reset_on_drift")

    def __init__(self, *, window_size=100, stat_size=30, seed=0, warning_threshold=-math.log(0.05),
                 drift_threshold=-math.log(0.005), reset_on_drift=True):
        super().__init__(warning_threshold, drift_threshold)
        if not (2 <= stat_size and 2 * stat_size <= window_size):
            raise CoreInputError(f"need 2 <= stat_size <= window_size/2; got {stat_size}, {window_size}")
        self.window_size, self.stat_size, self.seed = int(window_size), int(stat_size), int(seed)
        self.reset_on_drift = bool(reset_on_drift)
        r = self.stat_size
        self._ptab = np.array([-math.log(max(ks_exact_square(r, h), 1e-300)) if h > 0 else 0.0
                               for h in range(r + 1)])
        self.reset()

    def reset(self):
        self._st = np.zeros(1)
        self._win = np.zeros(self.window_size)
        self._rng = np.array([self.seed], dtype=np.uint64)
        self._idx = np.zeros(self.window_size, dtype=np.int64)
        self._a = np.zeros(self.stat_size)
        self._b = np.zeros(self.stat_size)

    def _params(self, inf):
        w, dr = (np.inf, np.inf) if inf else (self.warning_threshold, self.drift_threshold)
        return np.array([self.window_size, self.stat_size, float(self.reset_on_drift), w, dr])

    def _run(self, x, prm, stat, code):
        _kswin_run(x, prm, self._st, self._win, self._rng, self._ptab, self._idx, self._a, self._b, stat, code)

    def _state_dict(self):
        n = int(self._st[0])
        return {"count": n, "window": self._win[:n].tolist(), "rng": str(int(self._rng[0]))}

    def _load_state(self, s):
        self.reset()
        n = int(s["count"])
        self._st[0] = n
        self._win[:n] = np.asarray(s["window"], dtype=np.float64)
        self._rng[0] = np.uint64(int(s["rng"]))


_KINDS = {c.kind: c for c in (PageHinkley, Cusum, Ewma, Adwin, Kswin)}


def detector_from_dict(data: dict):
    """Rebuild a detector (parameters, thresholds and running state) from ``to_dict()``."""
    try:
        if int(data["format_version"]) > _STATE_FORMAT:
            raise ProfileFormatError(
                f"detector state format {data['format_version']} is newer than supported ({_STATE_FORMAT})")
        cls = _KINDS[data["kind"]]
        params = dict(data["params"])
        mu0 = params.get("mu0")
        det = cls(warning_threshold=data["warning_threshold"], drift_threshold=data["drift_threshold"],
                  **params)
        if mu0 is not None:
            det.fitted = True
        det._load_state(data["state"])
        return det
    except ProfileFormatError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise ProfileFormatError(f"corrupt detector state: {exc!r}") from exc


# ---------------------------------------------------------------------------
# calibration by simulation
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CalibrationResult:
    """Thresholds chosen by :func:`calibrate` and what the simulation estimated.

    Attributes:
        detector: a fresh detector with the calibrated thresholds.
        warning_threshold / drift_threshold: the thresholds.
        warning_arl / drift_arl: estimated mean run length to a false alarm
            at those thresholds (censored-exponential estimate).
        n_streams, horizon: simulation size.
    """

    detector: object
    warning_threshold: float
    drift_threshold: float
    warning_arl: float
    drift_arl: float
    n_streams: int
    horizon: int


def _records(path):
    """Times (1-based) and values where the running maximum of a path increases."""
    mp = np.maximum.accumulate(path)
    up = np.flatnonzero(np.diff(mp, prepend=-np.inf) > 0)
    return up + 1, mp[up]


def calibrate(detector, reference, *, drift_arl: float = 10_000, warning_arl: float | None = None,
              n_streams: int = 200, horizon: int | None = None, block_size: int = 1,
              seed: int = 0) -> CalibrationResult:
    """Set a detector's thresholds so that false alarms are rare on stationary data.

    Simulates ``n_streams`` stationary streams by (block) bootstrap of the
    reference values, records each stream's statistic path with alarms
    disabled, and picks the thresholds whose mean run length to the first
    false alarm is ``drift_arl`` (and ``warning_arl``, default drift_arl/10).
    Run lengths beyond ``horizon`` are censored and handled by the
    exponential estimate ARL = exposure / alarms.

    Args:
        detector: a detector instance (its other parameters are kept; standardised
            detectors that were not fitted are fitted on the reference).
        reference: 1-D stationary reference values (per-batch statistics or errors).
        drift_arl / warning_arl: target mean run lengths, in samples.
        n_streams: simulated streams; horizon: samples per stream (default 3 x drift_arl,
            capped at 200k).
        block_size: bootstrap block length (> 1 keeps short-range dependence).
        seed: RNG seed.

    Returns:
        :class:`CalibrationResult` (``.detector`` is ready to use).

    Example:
        >>> cal = calibrate(PageHinkley(), reference_errors, drift_arl=5000)
        >>> cal.detector.update(errors).drift
    """
    ref = np.asarray(reference, dtype=np.float64).ravel()
    n_bad = int(np.count_nonzero(~np.isfinite(ref)))
    ref = ref[np.isfinite(ref)]
    if ref.size < 10:
        raise CoreInputError(
            f"need at least 10 finite reference values to calibrate (got {ref.size}, {n_bad} non-finite)")
    if drift_arl < 10:
        raise CoreInputError(f"drift_arl must be >= 10 samples; got {drift_arl}")
    warning_arl = drift_arl / 10 if warning_arl is None else warning_arl
    if not 1 < warning_arl <= drift_arl:
        raise CoreInputError(f"warning_arl must be in (1, drift_arl]; got {warning_arl}")
    if isinstance(detector, _Standardised) and not detector.fitted:
        detector.fit(ref)
    horizon = int(min(max(3 * drift_arl, 1000), 200_000)) if horizon is None else int(horizon)
    def simulate(i):
        rng = np.random.default_rng([seed, i])
        if block_size <= 1:
            x = ref[rng.integers(0, ref.size, horizon)]
        else:
            nb_ = -(-horizon // block_size)
            starts = rng.integers(0, max(ref.size - block_size, 1), nb_)
            x = ref[(starts[:, None] + np.arange(block_size)[None, :]).ravel() % ref.size][:horizon]
        return _records(detector._trace(x))

    # kernels release the GIL: simulate streams on all cores
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        recs = list(pool.map(simulate, range(n_streams)))
    top = max(float(v[-1]) for _, v in recs if v.size)
    floor = min(float(v[0]) for _, v in recs if v.size)

    def arl_at(h):
        exposure = 0.0
        alarms = 0
        for t, v in recs:
            k = int(np.searchsorted(v, h, side="right"))
            if k < v.size:
                exposure += t[k]
                alarms += 1
            else:
                exposure += horizon
        return exposure / alarms if alarms else math.inf

    def solve(target):
        lo, hi = floor, float(np.nextafter(top, np.inf))
        if arl_at(lo) >= target:
            return lo, arl_at(lo)
        if arl_at(hi) < target:  # cannot reach the target within the simulation
            return hi, arl_at(hi)
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            if arl_at(mid) >= target:
                hi = mid
            else:
                lo = mid
            if hi - lo <= 1e-9 * max(1.0, abs(hi)):
                break
        return hi, arl_at(hi)

    h_drift, a_drift = solve(drift_arl)
    h_warn, a_warn = solve(warning_arl)
    h_warn = min(h_warn, h_drift)
    det = detector.with_thresholds(h_warn, h_drift)
    if isinstance(det, _Standardised):
        det.fitted = True
    return CalibrationResult(det, h_warn, h_drift, a_warn, a_drift, n_streams, horizon)
