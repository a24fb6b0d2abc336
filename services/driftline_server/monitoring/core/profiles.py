"""Reference profiles: everything a batch is compared against, fitted once.

A :class:`ReferenceProfile` holds, per numeric column, the sorted finite
reference values (or an equal-weight quantile sketch of them above
``sketch_size``), their prefix sums (rebuilt on load, never stored), moments,
NaN/±inf counts and frozen quantile bin edges; per categorical column the
category table, counts and an "unseen" bucket. Batches are compared with
binary searches into the sorted reference, so the per-batch cost is
O(m log n) per numeric column for a batch of m rows (see univariate.py).

Serialisation: :meth:`ReferenceProfile.to_bytes` / :meth:`from_bytes` write a
NumPy ``.npz`` container (no pickle) with a JSON header carrying
``FORMAT_VERSION``; :meth:`to_dict` / :meth:`from_dict` give a JSON-able form.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any, Sequence

import numba as nb
import numpy as np

from ._errors import CoreInputError, ProfileFormatError

FORMAT_VERSION = 1
#: Above this many finite values a numeric column keeps a quantile sketch.
DEFAULT_SKETCH_SIZE = 250_000
#: Number of quantile bins for the binned distances (PSI, JS, ...).
DEFAULT_N_BINS = 10
_MAGIC = "driftline.reference_profile"


@dataclass(frozen=True)
class NumericColumnProfile:
    """Reference summary of one numeric column.

    Attributes:
        name: column name.
        values: sorted finite reference values, or (``is_sketch``) the
            ``sketch_size`` order statistics at ranks (i+0.5)/K, each standing
            for n_finite/K rows. The sketch's ECDF is within 1/K of the full one.
        n_rows: rows seen at fit time (finite + NaN + ±inf).
        n_finite, n_nan, n_posinf, n_neginf: counts by kind.
        mean, std, minimum, maximum: moments of the finite values (std: ddof=0).
        tie_correction: sum over tie groups of e(e^2-1)/12 in ``values``
            (needed by the rank-based Cramér–von Mises statistic).
        bin_edges: frozen interior bin edges (reference quantiles, unique).
        bin_counts: reference counts of finite values per bin
            (``len(bin_edges) + 1`` bins, bin i = [edge[i-1], edge[i])).
    """

    name: str
    values: np.ndarray
    n_rows: int
    n_finite: int
    n_nan: int
    n_posinf: int
    n_neginf: int
    mean: float
    std: float
    minimum: float
    maximum: float
    tie_correction: float
    bin_edges: np.ndarray
    bin_counts: np.ndarray
    is_sketch: bool

    @property
    def missing_rate(self) -> float:
        """Share of NaN rows in the reference."""
        return self.n_nan / self.n_rows if self.n_rows else 0.0


@dataclass(frozen=True)
class CategoricalColumnProfile:
    """Reference summary of one categorical column.

    Attributes:
        name: column name.
        categories: the reference categories (as strings, sorted).
        counts: int64 counts, ``len(categories) + 1`` entries; the last entry is
            the "unseen" bucket (always 0 in the reference).
        n_rows: rows seen at fit time; n_missing: of which missing (None/NaN).
    """

    name: str
    categories: tuple
    counts: np.ndarray
    n_rows: int
    n_missing: int

    @property
    def missing_rate(self) -> float:
        return self.n_missing / self.n_rows if self.n_rows else 0.0

    @property
    def unseen_code(self) -> int:
        """Integer code used for categories absent from the reference."""
        return len(self.categories)


@nb.njit(cache=True, error_model="numpy")
def _tie_correction(v):
    tot = 0.0
    i = 0
    n = v.shape[0]
    while i < n:
        j = i + 1
        while j < n and v[j] == v[i]:
            j += 1
        e = float(j - i)
        if e > 1.0:
            tot += e * (e * e - 1.0) / 12.0
        i = j
    return tot


@dataclass(frozen=True)
class ReferenceProfile:
    """A fitted, versioned reference: numeric and categorical column profiles.

    Build with :func:`fit_reference`; persist with :meth:`to_bytes`.
    Packed arrays used by the batch kernels are derived in ``__post_init__``.
    """

    numeric: tuple = ()
    categorical: tuple = ()
    sketch_size: int = DEFAULT_SKETCH_SIZE
    n_bins: int = DEFAULT_N_BINS
    format_version: int = FORMAT_VERSION
    _packed: dict = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_packed", _pack(self.numeric, self.categorical))

    # -- convenience -----------------------------------------------------
    @property
    def numeric_names(self) -> list:
        return [c.name for c in self.numeric]

    @property
    def categorical_names(self) -> list:
        return [c.name for c in self.categorical]

    # -- serialisation ---------------------------------------------------
    def to_dict(self) -> dict:
        """JSON-able form (lists instead of arrays). Inverse: :meth:`from_dict`."""
        return {
            "format": _MAGIC,
            "format_version": self.format_version,
            "sketch_size": self.sketch_size,
            "n_bins": self.n_bins,
            "numeric": [
                {
                    "name": c.name, "values": c.values.tolist(), "n_rows": c.n_rows,
                    "n_finite": c.n_finite, "n_nan": c.n_nan, "n_posinf": c.n_posinf,
                    "n_neginf": c.n_neginf, "mean": c.mean, "std": c.std,
                    "minimum": c.minimum, "maximum": c.maximum,
                    "tie_correction": c.tie_correction,
                    "bin_edges": c.bin_edges.tolist(), "bin_counts": c.bin_counts.tolist(),
                    "is_sketch": c.is_sketch,
                }
                for c in self.numeric
            ],
            "categorical": [
                {"name": c.name, "categories": list(c.categories), "counts": c.counts.tolist(),
                 "n_rows": c.n_rows, "n_missing": c.n_missing}
                for c in self.categorical
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ReferenceProfile":
        """Rebuild a profile from :meth:`to_dict` output."""
        try:
            if data.get("format") != _MAGIC:
                raise ProfileFormatError("not a Driftline reference profile (missing 'format' tag)")
            version = int(data["format_version"])
            if version > FORMAT_VERSION:
                raise ProfileFormatError(
                    f"profile format version {version} is newer than this library "
                    f"supports ({FORMAT_VERSION}); upgrade driftline_server")
            numeric = tuple(
                NumericColumnProfile(
                    name=c["name"], values=np.asarray(c["values"], dtype=np.float64),
                    n_rows=int(c["n_rows"]), n_finite=int(c["n_finite"]), n_nan=int(c["n_nan"]),
                    n_posinf=int(c["n_posinf"]), n_neginf=int(c["n_neginf"]),
                    mean=float(c["mean"]), std=float(c["std"]), minimum=float(c["minimum"]),
                    maximum=float(c["maximum"]), tie_correction=float(c["tie_correction"]),
                    bin_edges=np.asarray(c["bin_edges"], dtype=np.float64),
                    bin_counts=np.asarray(c["bin_counts"], dtype=np.int64),
                    is_sketch=bool(c["is_sketch"]))
                for c in data["numeric"])
            categorical = tuple(
                CategoricalColumnProfile(
                    name=c["name"], categories=tuple(c["categories"]),
                    counts=np.asarray(c["counts"], dtype=np.int64),
                    n_rows=int(c["n_rows"]), n_missing=int(c["n_missing"]))
                for c in data["categorical"])
            return cls(numeric=numeric, categorical=categorical,
                       sketch_size=int(data["sketch_size"]), n_bins=int(data["n_bins"]),
                       format_version=version)
        except ProfileFormatError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise ProfileFormatError(f"corrupt reference profile dict: {exc!r}") from exc

    def to_bytes(self, compress: bool = False) -> bytes:
        """Binary form (.npz container, JSON header, no pickle).

        Size is bounded by ``sketch_size`` values per numeric column (8 bytes
        each). ``compress=True`` deflates it, which costs seconds for large
        references and saves little on continuous data.
        """
        d = self.to_dict()
        arrays = {}
        for i, c in enumerate(self.numeric):
            arrays[f"n{i}_values"] = c.values
            arrays[f"n{i}_edges"] = c.bin_edges
            arrays[f"n{i}_bins"] = c.bin_counts
            for key in ("values", "bin_edges", "bin_counts"):
                d["numeric"][i][key] = None
        for i, c in enumerate(self.categorical):
            arrays[f"c{i}_counts"] = c.counts
            d["categorical"][i]["counts"] = None
        header = np.frombuffer(json.dumps(d).encode("utf-8"), dtype=np.uint8)
        buf = io.BytesIO()
        (np.savez_compressed if compress else np.savez)(buf, __header__=header, **arrays)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> "ReferenceProfile":
        """Inverse of :meth:`to_bytes`; raises ProfileFormatError on bad input."""
        try:
            with np.load(io.BytesIO(blob), allow_pickle=False) as z:
                d = json.loads(bytes(z["__header__"]).decode("utf-8"))
                for i, c in enumerate(d["numeric"]):
                    c["values"] = z[f"n{i}_values"]
                    c["bin_edges"] = z[f"n{i}_edges"]
                    c["bin_counts"] = z[f"n{i}_bins"]
                for i, c in enumerate(d["categorical"]):
                    c["counts"] = z[f"c{i}_counts"]
        except ProfileFormatError:
            raise
        except Exception as exc:  # zipfile/json/key errors all mean "not a profile"
            raise ProfileFormatError(
                f"cannot read reference profile bytes ({exc!r}); pass the output of "
                "ReferenceProfile.to_bytes()") from exc
        return cls.from_dict(d)


def _pack(numeric, categorical) -> dict:
    """Concatenate per-column arrays so one compiled call serves all columns."""
    p = len(numeric)
    lengths = np.array([c.values.shape[0] for c in numeric], dtype=np.int64)
    offsets = np.zeros(p + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    values = np.concatenate([c.values for c in numeric]) if p else np.zeros(0)
    # prefix sums: column j occupies [offsets[j] + j, offsets[j+1] + j + 1)
    prefix = np.zeros(int(offsets[-1]) + p, dtype=np.float64)
    for j, c in enumerate(numeric):
        s = prefix[offsets[j] + j: offsets[j + 1] + j + 1]
        np.cumsum(c.values, out=s[1:])
    n_edges = np.array([c.bin_edges.shape[0] for c in numeric], dtype=np.int64)
    kmax = int(n_edges.max()) + 1 if p else 1
    edges = np.full((p, max(kmax - 1, 1)), np.inf)
    ref_bins = np.zeros((p, kmax), dtype=np.int64)
    for j, c in enumerate(numeric):
        edges[j, : n_edges[j]] = c.bin_edges
        ref_bins[j, : n_edges[j] + 1] = c.bin_counts
    q = len(categorical)
    n_levels = np.array([len(c.categories) + 1 for c in categorical], dtype=np.int64)
    lmax = int(n_levels.max()) if q else 1
    cat_counts = np.zeros((q, lmax), dtype=np.int64)
    for j, c in enumerate(categorical):
        cat_counts[j, : n_levels[j]] = c.counts
    return {
        "values": values, "offsets": offsets, "prefix": prefix,
        "n_true": np.array([c.n_finite for c in numeric], dtype=np.int64),
        "ties": np.array([c.tie_correction for c in numeric], dtype=np.float64),
        "std": np.array([c.std for c in numeric], dtype=np.float64),
        "edges": edges, "n_edges": n_edges, "ref_bins": ref_bins,
        "n_rows": np.array([c.n_rows for c in numeric], dtype=np.int64),
        "n_nan": np.array([c.n_nan for c in numeric], dtype=np.int64),
        "cat_counts": cat_counts, "cat_levels": n_levels,
        "cat_rows": np.array([c.n_rows for c in categorical], dtype=np.int64),
        "cat_missing": np.array([c.n_missing for c in categorical], dtype=np.int64),
        "is_sketch": np.array([c.is_sketch for c in numeric], dtype=np.bool_),
    }


def _is_missing_scalar(v) -> bool:
    return v is None or (isinstance(v, (float, np.floating)) and v != v)


_is_missing = np.frompyfunc(_is_missing_scalar, 1, 1)


def _as_2d(x, what: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise CoreInputError(
            f"{what} must be a 2-D array (rows x columns); got shape {arr.shape}. "
            "Reshape it, e.g. values.reshape(-1, 1) for a single column.")
    return arr


def _names(names, k, prefix):
    if names is None:
        return [f"{prefix}{i}" for i in range(k)]
    names = [str(n) for n in names]
    if len(names) != k:
        raise CoreInputError(f"got {len(names)} {prefix}names for {k} columns; pass one name per column")
    if len(set(names)) != k:
        raise CoreInputError(f"column names must be unique; got {names}")
    return names


def fit_reference(
    numeric: Any = None,
    categorical: Any = None,
    *,
    numeric_names: Sequence[str] | None = None,
    categorical_names: Sequence[str] | None = None,
    sketch_size: int = DEFAULT_SKETCH_SIZE,
    n_bins: int = DEFAULT_N_BINS,
) -> ReferenceProfile:
    """Fit a reference profile from reference rows.

    Args:
        numeric: (n, p) array-like of floats (NaN = missing; ±inf are counted
            and kept out of the distributions), or None.
        categorical: (n, q) array-like of labels (None/NaN = missing), or None.
        numeric_names / categorical_names: column names (default "num0", "cat0", ...).
        sketch_size: above this many finite values a column keeps an
            equal-weight quantile sketch of ``sketch_size`` points.
        n_bins: quantile bins for the binned distances (edges frozen here).

    Returns:
        ReferenceProfile.

    Example:
        >>> prof = fit_reference(np.random.default_rng(0).normal(size=(1000, 3)))
        >>> prof.numeric_names
        ['num0', 'num1', 'num2']
    """
    if numeric is None and categorical is None:
        raise CoreInputError("fit_reference needs numeric and/or categorical reference data; got neither")
    if sketch_size < 2:
        raise CoreInputError(f"sketch_size must be >= 2; got {sketch_size}")
    if n_bins < 2:
        raise CoreInputError(f"n_bins must be >= 2; got {n_bins}")
    num_profiles = []
    if numeric is not None:
        x = _as_2d(numeric, "numeric reference")
        try:
            x = x.astype(np.float64, copy=False)
        except (TypeError, ValueError) as exc:
            raise CoreInputError(
                f"numeric reference must be convertible to float64 ({exc}); "
                "pass categorical columns through `categorical=`") from exc
        n, p = x.shape
        if n == 0:
            raise CoreInputError("numeric reference has 0 rows; fit the profile on a non-empty reference")
        names = _names(numeric_names, p, "num")
        # one contiguous row per column, sorted: NaN last, -inf first, +inf before NaN
        xs = np.ascontiguousarray(x.T)
        xs.sort(axis=1)
        for j in range(p):
            col = xs[j]
            n_nan = int(np.count_nonzero(np.isnan(col)))
            n_neginf = int(np.count_nonzero(col == -np.inf))
            n_posinf = int(np.count_nonzero(col == np.inf))
            fin = col[n_neginf: n - n_nan - n_posinf]
            nf = fin.shape[0]
            if nf == 0:
                raise CoreInputError(
                    f"numeric reference column {names[j]!r} has no finite values "
                    f"({n_nan} NaN, {n_posinf} +inf, {n_neginf} -inf); drop the column "
                    "or declare it categorical")
            fin = np.ascontiguousarray(fin)
            qs = np.quantile(fin, np.arange(1, n_bins) / n_bins)
            edges = np.unique(qs)
            # bins are [e_{i-1}, e_i); counts via left positions in the sorted values
            cum = np.searchsorted(fin, edges, side="left")
            bins = np.diff(np.concatenate([[0], cum, [nf]])).astype(np.int64)
            if nf > sketch_size:
                ranks = np.floor((np.arange(sketch_size) + 0.5) * nf / sketch_size).astype(np.int64)
                stored = np.ascontiguousarray(fin[ranks])
                is_sketch = True
            else:
                stored = fin.copy()
                is_sketch = False
            num_profiles.append(NumericColumnProfile(
                name=names[j], values=stored, n_rows=n, n_finite=nf, n_nan=n_nan,
                n_posinf=n_posinf, n_neginf=n_neginf, mean=float(fin.mean()),
                std=float(fin.std()), minimum=float(fin[0]), maximum=float(fin[-1]),
                tie_correction=float(_tie_correction(stored)), bin_edges=edges,
                bin_counts=bins, is_sketch=is_sketch))
    cat_profiles = []
    if categorical is not None:
        c = _as_2d(np.asarray(categorical, dtype=object), "categorical reference")
        n, q = c.shape
        if n == 0:
            raise CoreInputError("categorical reference has 0 rows; fit on a non-empty reference")
        names = _names(categorical_names, q, "cat")
        for j in range(q):
            col = c[:, j]
            miss = _is_missing(col).astype(bool)
            vals = col[~miss].astype(str)
            cats, counts = np.unique(vals, return_counts=True)
            cat_profiles.append(CategoricalColumnProfile(
                name=names[j], categories=tuple(cats.tolist()),
                counts=np.concatenate([counts, [0]]).astype(np.int64),
                n_rows=n, n_missing=int(miss.sum())))
    return ReferenceProfile(numeric=tuple(num_profiles), categorical=tuple(cat_profiles),
                            sketch_size=sketch_size, n_bins=n_bins)


def encode_categorical(profile: ReferenceProfile, batch: Any) -> np.ndarray:
    """Map raw categorical batch values to the reference's integer codes.

    Args:
        profile: the fitted reference.
        batch: (m, q) labels, columns in ``profile.categorical`` order.

    Returns:
        int64 array (m, q): code i for ``categories[i]``, ``len(categories)``
        for an unseen category, -1 for missing (None/NaN).

    Example:
        >>> codes = encode_categorical(prof, [["a"], ["zzz"], [None]])
    """
    c = _as_2d(np.asarray(batch, dtype=object), "categorical batch")
    m, q = c.shape
    if q != len(profile.categorical):
        raise CoreInputError(
            f"categorical batch has {q} columns but the reference has "
            f"{len(profile.categorical)} ({profile.categorical_names}); pass the same columns in the same order")
    out = np.empty((m, q), dtype=np.int64)
    for j, cp in enumerate(profile.categorical):
        col = c[:, j]
        miss = _is_missing(col).astype(bool) if m else np.zeros(0, dtype=bool)
        s = col.astype(str)
        cats = np.asarray(cp.categories, dtype=str)
        if cats.size:
            pos = np.searchsorted(cats, s)
            pos_c = np.minimum(pos, cats.size - 1)
            found = cats[pos_c] == s
            code = np.where(found, pos_c, cats.size)
        else:
            code = np.zeros(m, dtype=np.int64)
        code[miss] = -1
        out[:, j] = code
    return out
