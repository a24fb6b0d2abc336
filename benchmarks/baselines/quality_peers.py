"""The peers' side of the detection-quality benchmark (benchmarks/quality.py), run inside a
benchmark-only venv (never Driftline's):

    # in .bench-baselines-venv: NannyML's and scikit-learn's bundled data sets as parquet
    python benchmarks/baselines/quality_peers.py export --out DIR

    # in .bench-baselines-venv (evidently, nannyml) or .bench-alibi-venv (alibi)
    python benchmarks/baselines/quality_peers.py detect --library evidently|nannyml|alibi \
        --reference ref.parquet --batches batches.parquet --batch-rows 500 --json out.json

``batches.parquet`` holds every scenario's batches, one after another, with two bookkeeping
columns: ``__scenario`` (its name) and ``__batch`` (0, 1, ... within the scenario). Each
library runs at its defaults and names, per batch, the columns it flags as drifted:

* evidently: ``evidently.legacy`` Report with ``DataDriftPreset()`` (Evidently picks each
  column's test and threshold; the legacy API computes the same statistics without building
  plotly widgets, which would dominate the run time), one report per batch;
* nannyml: ``UnivariateDriftCalculator`` with its default methods and thresholds,
  ``chunk_size`` = the batch size, so each chunk of a scenario's batches is one batch;
* alibi: ``KSDrift`` (numeric columns only) or ``TabularDrift`` (KS for numeric, chi-square
  for categorical columns) at ``p_val=0.05`` with the default Bonferroni correction; a column
  is flagged when its p-value is under the corrected threshold the detector reports.

The JSON holds ``{"library", "version", "config", "seconds", "flags": {scenario: [[column,
...] per batch]}}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

# The libraries phone home by default; a benchmark must not depend on the network.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from drift_reports import EvidentlyReport, split_columns  # noqa: E402  (same folder)

SCENARIO, BATCH = "__scenario", "__batch"


# -- export ------------------------------------------------------------------------------------


def export(out: Path) -> dict:
    """NannyML's synthetic data sets (their reference period, which is stationary) and
    scikit-learn's bundled (never downloaded) data sets, written as ``<name>.parquet``."""
    import nannyml
    from sklearn import datasets

    out.mkdir(parents=True, exist_ok=True)
    written = {}
    car_loan = nannyml.load_synthetic_car_loan_dataset()[0]
    written["car_loan"] = car_loan.drop(columns=["id", "timestamp", "y_pred_proba", "y_pred"],
                                        errors="ignore")
    work_from_home = nannyml.load_synthetic_binary_classification_dataset()[0]
    written["work_from_home"] = work_from_home.drop(
        columns=["identifier", "id", "timestamp", "y_pred_proba", "y_pred", "period"], errors="ignore")
    for name, loader, target in (("breast_cancer", datasets.load_breast_cancer, "malignant"),
                                 ("wine", datasets.load_wine, "cultivar"),
                                 ("diabetes", datasets.load_diabetes, "progression")):
        bunch = loader(as_frame=True)
        frame = bunch.data.copy()
        frame.columns = [str(c).replace(" ", "_") for c in frame.columns]
        values = bunch.target.to_numpy()
        if name == "breast_cancer":
            values = (values == 0).astype(int)  # scikit-learn codes malignant as 0
        frame[target] = values
        written[name] = frame
    for name, frame in written.items():
        frame.reset_index(drop=True).to_parquet(out / f"{name}.parquet", index=False)
    return {name: list(frame.columns) for name, frame in written.items()}


# -- detection ---------------------------------------------------------------------------------


def detect_evidently(reference: pd.DataFrame, scenarios: dict[str, list[pd.DataFrame]],
                     batch_rows: int) -> tuple[dict, str, dict]:
    continuous, categorical = split_columns(reference)
    report = EvidentlyReport("legacy", continuous, categorical, None, None)
    flags = {}
    for name, batches in scenarios.items():
        flags[name] = []
        for batch in batches:
            verdicts = report.verdicts(report.run(reference, batch))
            flags[name].append([c for c in reference.columns if verdicts.get(c, {}).get("drifted")])
    return flags, report.version, report.config()


def detect_nannyml(reference: pd.DataFrame, scenarios: dict[str, list[pd.DataFrame]],
                   batch_rows: int) -> tuple[dict, str, dict]:
    import nannyml
    from nannyml import UnivariateDriftCalculator

    continuous, categorical = split_columns(reference)
    columns = continuous + categorical
    calculator = UnivariateDriftCalculator(
        column_names=columns, treat_as_categorical=categorical or None, chunk_size=batch_rows)
    calculator.fit(reference)  # once: every scenario shares the reference
    flags = {}
    for name, batches in scenarios.items():
        table = calculator.calculate(pd.concat(batches, ignore_index=True)) \
            .filter(period="analysis").to_df()
        alerts = [key for key in table.columns if len(key) == 3 and key[2] == "alert"]
        flags[name] = [
            sorted({key[0] for key in alerts if bool(table[key].iloc[row])},
                   key=columns.index)
            for row in range(len(table))
        ]
    config = {"calculator": "UnivariateDriftCalculator", "chunk_size": batch_rows,
              "methods_and_thresholds": "NannyML's defaults",
              "continuous_methods": list(calculator.continuous_method_names),
              "categorical_methods": list(calculator.categorical_method_names)}
    return flags, nannyml.__version__, config


def _codes(reference: pd.DataFrame, frame: pd.DataFrame, categorical: list[str]) -> np.ndarray:
    """The columns as float32, categorical ones as codes of the reference's levels (an unseen
    level gets one more code)."""
    out = np.empty((len(frame), len(frame.columns)), dtype=np.float32)
    for j, name in enumerate(frame.columns):
        if name in categorical:
            levels = {v: i for i, v in enumerate(sorted(reference[name].astype(str).unique()))}
            out[:, j] = [levels.get(v, len(levels)) for v in frame[name].astype(str)]
        else:
            out[:, j] = frame[name].to_numpy(dtype=np.float32)
    return out


def detect_alibi(reference: pd.DataFrame, scenarios: dict[str, list[pd.DataFrame]],
                 batch_rows: int) -> tuple[dict, str, dict]:
    import alibi_detect
    from alibi_detect.cd import ChiSquareDrift, KSDrift, TabularDrift  # noqa: F401

    continuous, categorical = split_columns(reference)
    columns = list(reference.columns)
    x_ref = _codes(reference, reference, categorical)
    if categorical:
        # None: alibi infers each categorical column's levels from the reference.
        detector = TabularDrift(x_ref, p_val=0.05, categories_per_feature={
            columns.index(c): None for c in categorical})
        kind = "TabularDrift"
    else:
        detector = KSDrift(x_ref, p_val=0.05)
        kind = "KSDrift"
    flags = {}
    for name, batches in scenarios.items():
        flags[name] = []
        for batch in batches:
            data = detector.predict(_codes(reference, batch, categorical))["data"]
            p_values, threshold = np.asarray(data["p_val"]), float(data["threshold"])
            flags[name].append([c for c, p in zip(columns, p_values) if p < threshold])
    config = {"detector": kind, "p_val": 0.05, "correction": "bonferroni (default)",
              "column_flag": "p-value < the corrected threshold alibi reports"}
    return flags, alibi_detect.__version__, config


DETECTORS = {"evidently": detect_evidently, "nannyml": detect_nannyml, "alibi": detect_alibi}


def detect(library: str, reference_path: str, batches_path: str, batch_rows: int) -> dict:
    """Every scenario's batches through one library; the columns it flags per batch."""
    reference = pq.read_table(reference_path).to_pandas()
    every = pq.read_table(batches_path).to_pandas()
    scenarios: dict[str, list[pd.DataFrame]] = {}
    for name in dict.fromkeys(every[SCENARIO]):
        rows = every[every[SCENARIO] == name]
        scenarios[name] = [group.drop(columns=[SCENARIO, BATCH]).reset_index(drop=True)
                           for _, group in rows.groupby(BATCH, sort=True)]
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # each library warns about small chunks and the like
        flags, version, config = DETECTORS[library](reference, scenarios, batch_rows)
    return {"library": library, "version": version, "config": config,
            "seconds": time.perf_counter() - started, "flags": flags}


def main(argv: list[str] | None = None) -> int:
    """CLI entry point (see the module's docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    exporting = commands.add_parser("export", help="write the bundled data sets as parquet")
    exporting.add_argument("--out", required=True, type=Path)
    detecting = commands.add_parser("detect", help="flag drifted columns batch by batch")
    detecting.add_argument("--library", required=True, choices=sorted(DETECTORS))
    detecting.add_argument("--reference", required=True)
    detecting.add_argument("--batches", required=True)
    detecting.add_argument("--batch-rows", required=True, type=int)
    detecting.add_argument("--json", required=True)
    args = parser.parse_args(argv)
    if args.command == "export":
        print(json.dumps(export(args.out)))
        return 0
    result = detect(args.library, args.reference, args.batches, args.batch_rows)
    Path(args.json).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
