"""Time a column-wise drift report in Evidently or NannyML on one reference/production pair.

Runs inside the benchmark-only venv made by ``setup.sh`` (never Driftline's venv), so it
imports only numpy, pandas, pyarrow, evidently, nannyml and the standard library.

    python benchmarks/baselines/drift_reports.py --reference ref.parquet \
        --production prod.parquet --library evidently|nannyml --repeats 5 --json out.json

Numeric (non-bool) columns are treated as continuous, every other column as categorical.
One untimed warm-up run precedes ``--repeats`` timed runs. A timed run starts from the two
DataFrames already in memory (parquet reading is not timed) and ends once the library has
handed back its per-column result as plain Python objects:

* evidently, ``--evidently-api report`` (default): build both ``Dataset``s, run a ``Report``
  with ``DataDriftPreset``, take ``snapshot.dict()``. Evidently 0.7 builds its plotly widgets
  inside ``Report.run`` and offers no switch to skip them, so they are part of the time.
* evidently, ``--evidently-api legacy``: ``evidently.legacy`` Report + ``DataDriftPreset``,
  ``as_dict()``; this API computes widgets only when rendering, so it is statistics only.
* nannyml: build ``UnivariateDriftCalculator`` (one chunk = the whole production batch), fit
  on the reference, calculate on the production batch, ``to_df()``. ``phases_ms`` splits
  fit from calculate, since a monitor would fit once per reference, not once per batch.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
import warnings
from typing import Any, Callable

# Both libraries phone home by default; a benchmark must not depend on the network.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

# Driftline's per-batch step computes KS and W1 per continuous column; these are NannyML's
# equivalents. Chi-squared is the categorical test named in the benchmark's brief.
NANNYML_CONTINUOUS_METHODS = ("kolmogorov_smirnov", "wasserstein")
NANNYML_CATEGORICAL_METHODS = ("chi2",)


def split_columns(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Return (continuous, categorical) column names: numeric non-bool columns are continuous."""
    continuous, categorical = [], []
    for name in frame.columns:
        dtype = frame[name].dtype
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            continuous.append(str(name))
        else:
            categorical.append(str(name))
    return continuous, categorical


class EvidentlyReport:
    """One Evidently drift report over all columns, in the current or the legacy API."""

    def __init__(self, api: str, continuous: list[str], categorical: list[str],
                 num_method: str | None, cat_method: str | None) -> None:
        import evidently

        self.version = evidently.__version__
        self.api = api
        self.continuous, self.categorical = continuous, categorical
        self.num_method, self.cat_method = num_method, cat_method
        if api == "report":
            from evidently import DataDefinition

            # An explicit definition keeps Evidently's type inference out of the timing and
            # pins the column types to the same split NannyML gets.
            self.definition = DataDefinition(
                numerical_columns=continuous, categorical_columns=categorical
            )
        elif api == "legacy":
            from evidently.legacy.pipeline.column_mapping import ColumnMapping

            self.mapping = ColumnMapping(
                target=None, prediction=None, datetime=None, id=None, user_id=None, item_id=None,
                numerical_features=continuous, categorical_features=categorical,
            )
        else:
            raise ValueError(f"unknown evidently api {api!r}")

    def config(self) -> dict[str, Any]:
        """The report's settings, for the JSON output."""
        return {
            "api": self.api,
            "preset": "DataDriftPreset",
            "num_method": self.num_method or "auto (Evidently's default per column size)",
            "cat_method": self.cat_method or "auto (Evidently's default per column size)",
        }

    def run(self, reference: pd.DataFrame, production: pd.DataFrame) -> dict[str, Any]:
        """Compute the report and return it as a plain dict (no HTML)."""
        if self.api == "report":
            from evidently import Dataset, Report
            from evidently.presets import DataDriftPreset

            preset = DataDriftPreset(num_method=self.num_method, cat_method=self.cat_method)
            # include_tests: the per-column pass/fail verdict lives in the tests, not the metrics.
            snapshot = Report([preset], include_tests=True).run(
                current_data=Dataset.from_pandas(production, data_definition=self.definition),
                reference_data=Dataset.from_pandas(reference, data_definition=self.definition),
            )
            return snapshot.dict()
        from evidently.legacy.metric_preset import DataDriftPreset as LegacyDataDriftPreset
        from evidently.legacy.report import Report as LegacyReport

        report = LegacyReport(metrics=[LegacyDataDriftPreset(
            num_stattest=self.num_method, cat_stattest=self.cat_method)])
        report.run(reference_data=reference, current_data=production, column_mapping=self.mapping)
        return report.as_dict()

    def verdicts(self, result: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """Per column: method, score, threshold and whether Evidently calls it drifted."""
        out: dict[str, dict[str, Any]] = {}
        if self.api == "report":
            for metric in result["metrics"]:
                config = metric.get("config", {})
                if config.get("type", "").endswith(":ValueDrift"):
                    out[config["column"]] = {
                        "method": config.get("method"),
                        "score": _plain(metric.get("value")),
                        "threshold": config.get("threshold"),
                        "drifted": False,
                    }
            for test in result["tests"]:
                params = test.get("metric_config", {}).get("params", {})
                if params.get("type", "").endswith(":ValueDrift") and params.get("column") in out:
                    out[params["column"]]["drifted"] = str(test.get("status")).endswith("FAIL")
            return out
        for metric in result["metrics"]:
            if metric.get("metric") == "DataDriftTable":
                for name, column in metric["result"]["drift_by_columns"].items():
                    out[name] = {
                        "method": column["stattest_name"],
                        "score": _plain(column["drift_score"]),
                        "threshold": column["stattest_threshold"],
                        "drifted": bool(column["drift_detected"]),
                    }
        return out


class NannyMLReport:
    """NannyML's univariate drift over all columns, the production batch as one chunk."""

    def __init__(self, continuous: list[str], categorical: list[str], reference_rows: int,
                 chunk_size: int, continuous_methods: list[str], categorical_methods: list[str],
                 threshold_mode: str, ks_alpha: float) -> None:
        import nannyml
        from nannyml.thresholds import ConstantThreshold

        self.version = nannyml.__version__
        self.continuous, self.categorical = continuous, categorical
        self.chunk_size = chunk_size
        self.continuous_methods, self.categorical_methods = continuous_methods, categorical_methods
        self.threshold_mode, self.ks_alpha = threshold_mode, ks_alpha
        self.thresholds: dict[str, Any] | None = None
        self.threshold_values: dict[str, float | None] = {}
        if threshold_mode == "constant":
            # NannyML's default alert bound is mean + 3 sd of the method over the reference's
            # chunks; with one chunk per production batch the reference has only
            # reference_rows / chunk_size (here 2) chunks, and that bound flags almost every
            # column. A fixed KS critical value is the closest thing to Driftline's KS test.
            ks_critical = ks_critical_value(ks_alpha, reference_rows, chunk_size)
            self.thresholds = {}
            for method in continuous_methods + categorical_methods:
                if method == "chi2":
                    continue  # NannyML always uses chi2's own p-value (< 0.05); no override
                upper = ks_critical if method == "kolmogorov_smirnov" else None
                self.thresholds[method] = ConstantThreshold(lower=None, upper=upper)
                self.threshold_values[method] = upper
        self.fit_ms: list[float] = []
        self.calculate_ms: list[float] = []

    def config(self) -> dict[str, Any]:
        """The calculator's settings, for the JSON output."""
        if self.threshold_mode == "constant":
            thresholds = {
                "mode": "constant",
                "ks_alpha": self.ks_alpha,
                "upper": self.threshold_values,
                "note": "kolmogorov_smirnov alerts above the asymptotic two-sample KS critical "
                        "value at ks_alpha; other continuous methods are reported, never alert; "
                        "chi2 alerts on its p-value < 0.05 (fixed in NannyML)",
            }
        else:
            thresholds = {
                "mode": "default",
                "note": "NannyML defaults: mean + 3 sd over the reference's chunks of "
                        "chunk_size rows; chi2 on its p-value < 0.05",
            }
        return {
            "calculator": "UnivariateDriftCalculator",
            "chunk_size": self.chunk_size,
            "continuous_methods": self.continuous_methods,
            "categorical_methods": self.categorical_methods,
            "thresholds": thresholds,
        }

    def run(self, reference: pd.DataFrame, production: pd.DataFrame) -> pd.DataFrame:
        """Fit on the reference, calculate on the production batch, return the result table."""
        from nannyml import UnivariateDriftCalculator

        start = time.perf_counter_ns()
        calculator = UnivariateDriftCalculator(
            column_names=self.continuous + self.categorical,
            treat_as_categorical=self.categorical or None,
            chunk_size=self.chunk_size,
            continuous_methods=self.continuous_methods,
            categorical_methods=self.categorical_methods,
            thresholds=self.thresholds,
        )
        calculator.fit(reference)
        fitted = time.perf_counter_ns()
        table = calculator.calculate(production).filter(period="analysis").to_df()
        done = time.perf_counter_ns()
        self.fit_ms.append((fitted - start) / 1e6)
        self.calculate_ms.append((done - fitted) / 1e6)
        return table

    def verdicts(self, table: pd.DataFrame) -> dict[str, dict[str, Any]]:
        """Per column: each method's value and alert; drifted if any method alerts."""
        out: dict[str, dict[str, Any]] = {}
        for name in self.continuous + self.categorical:
            continuous = name in self.continuous
            methods = self.continuous_methods if continuous else self.categorical_methods
            per_method = {}
            for method in methods:
                per_method[method] = {
                    "value": _plain(table[(name, method, "value")].iloc[0]),
                    "upper_threshold": _plain(table[(name, method, "upper_threshold")].iloc[0]),
                    "alert": bool(table[(name, method, "alert")].iloc[0]),
                }
            out[name] = {
                "methods": per_method,
                "drifted": any(m["alert"] for m in per_method.values()),
            }
        return out


def _plain(value: Any) -> Any:
    """A JSON-safe float (None for NaN/missing)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def ks_critical_value(alpha: float, n: int, m: int) -> float:
    """Two-sample KS statistic above which H0 is rejected at `alpha` (asymptotic formula)."""
    return math.sqrt(-math.log(alpha / 2) / 2) * math.sqrt((n + m) / (n * m))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile; with few repeats p99 is the maximum, which is what we want."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def time_runs(run: Callable[[], Any], warmup: int, repeats: int) -> tuple[list[float], Any]:
    """Run `warmup` untimed then `repeats` timed calls; return (times in ms, last result)."""
    result = None
    for _ in range(warmup):
        result = run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter_ns()
        result = run()
        times.append((time.perf_counter_ns() - start) / 1e6)
    return times, result


def load(path: str) -> pd.DataFrame:
    """Read a parquet file into pandas (untimed)."""
    return pq.read_table(path).to_pandas()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", required=True, help="reference parquet file")
    parser.add_argument("--production", required=True, help="production batch parquet file")
    parser.add_argument("--library", required=True, choices=["evidently", "nannyml"])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument("--json", required=True, help="where to write the result JSON")
    parser.add_argument("--evidently-api", choices=["report", "legacy"], default="report",
                        help="report: evidently.Report (default); legacy: evidently.legacy")
    parser.add_argument("--evidently-num-method", default=None,
                        help="Evidently stattest for numeric columns, e.g. ks, wasserstein "
                             "(default: Evidently's automatic choice)")
    parser.add_argument("--evidently-cat-method", default=None,
                        help="Evidently stattest for categorical columns, e.g. chisquare")
    parser.add_argument("--nannyml-continuous-methods",
                        default=",".join(NANNYML_CONTINUOUS_METHODS),
                        help="comma-separated (default: %(default)s)")
    parser.add_argument("--nannyml-categorical-methods",
                        default=",".join(NANNYML_CATEGORICAL_METHODS),
                        help="comma-separated (default: %(default)s)")
    parser.add_argument("--nannyml-thresholds", choices=["constant", "default"],
                        default="constant",
                        help="constant: KS alerts above its critical value at --nannyml-ks-alpha "
                             "(default); default: NannyML's chunk-based thresholds")
    parser.add_argument("--nannyml-ks-alpha", type=float, default=0.001,
                        help="significance level for the constant KS threshold (default 0.001, "
                             "Driftline's drift alpha)")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.warmup < 0:
        parser.error("--repeats must be >= 1 and --warmup >= 0")
    return args


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: time the chosen library's drift report and write the JSON."""
    args = parse_args(argv)
    reference, production = load(args.reference), load(args.production)
    differing = set(reference.columns) ^ set(production.columns)
    if differing:
        print(f"reference and production columns differ: {sorted(differing)}", file=sys.stderr)
        return 2
    production = production[list(reference.columns)]
    continuous, categorical = split_columns(reference)

    if args.library == "evidently":
        report: EvidentlyReport | NannyMLReport = EvidentlyReport(
            args.evidently_api, continuous, categorical,
            args.evidently_num_method, args.evidently_cat_method,
        )
    else:
        report = NannyMLReport(
            continuous, categorical, reference_rows=len(reference), chunk_size=len(production),
            continuous_methods=[m for m in args.nannyml_continuous_methods.split(",") if m],
            categorical_methods=[m for m in args.nannyml_categorical_methods.split(",") if m],
            threshold_mode=args.nannyml_thresholds, ks_alpha=args.nannyml_ks_alpha,
        )

    with warnings.catch_warnings():
        # NannyML warns that one analysis chunk is "too few"; that is the point here.
        warnings.simplefilter("ignore")
        times, result = time_runs(lambda: report.run(reference, production),
                                  args.warmup, args.repeats)
    verdicts = report.verdicts(result)
    drifted = [name for name in reference.columns if verdicts.get(name, {}).get("drifted")]

    output: dict[str, Any] = {
        "library": args.library,
        "version": report.version,
        "config": report.config(),
        "reference_rows": len(reference),
        "production_rows": len(production),
        "continuous_columns": len(continuous),
        "categorical_columns": len(categorical),
        "warmup": args.warmup,
        "repeats": args.repeats,
        "times_ms": times,
        "median_ms": statistics.median(times),
        "p99_ms": percentile(times, 99),
        "max_ms": max(times),
        "min_ms": min(times),
        "columns_drifted": len(drifted),
        "drifted_columns": drifted,
        "columns": verdicts,
        "environment": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "pyarrow": pyarrow.__version__,
        },
    }
    if isinstance(report, NannyMLReport):
        timed_fit = report.fit_ms[args.warmup:]
        timed_calculate = report.calculate_ms[args.warmup:]
        output["phases_ms"] = {"fit": timed_fit, "calculate": timed_calculate}
        output["calculate_median_ms"] = statistics.median(timed_calculate)
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump(output, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
