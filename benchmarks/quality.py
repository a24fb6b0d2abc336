"""Detection quality: how well Driftline's drift detection finds constructed shifts, against
ground truth and against NannyML, Evidently and alibi-detect at their defaults, on the same
batches.

Data: stationary streams drawn from real data sets that packages ship (NannyML's synthetic
car-loan and work-from-home sets, scikit-learn's bundled breast cancer, wine and diabetes sets)
and from synthetic Gaussian and Student-t (3 df) columns. Nothing is downloaded at run time but
packages: the bundled sets are exported to parquet from the baselines venv
(benchmarks/baselines). Each data set gives one reference (3,000 rows) and, per scenario, a
stream of batches (500 rows), all drawn with replacement from the set's rows; the small
scikit-learn sets get Gaussian jitter (a smoothed bootstrap) so that their columns stay
continuous.

Scenarios: ``stationary`` (40 batches, every flag a false alarm); then, after 10 stationary
batches, 10 shifted ones: mean shifts of 0.2, 0.5 and 1 standard deviation in 1, 3 and all
numeric inputs; a categorical level's share falling to 1%; a label-prior shift (a binary
target's share moved by 0.25, rows drawn within each class); a concept shift (labels shuffled
within the batch: inputs and label shares unchanged, the labels' dependence on the inputs
gone); a selection shift with a known density ratio (rows kept with probability sigmoid(z), z
one standardised input).

Ground truth: the columns a scenario changes, plus, for the reweighting scenarios (category
share, label prior, selection), every column whose population distribution the weights move by
at least 0.02 (Kolmogorov distance, or total variation for categorical columns) computed on all
of the set's rows. A flag on any other column is a wrong column.

Per scenario, data set and detector: ``fa`` stationary batches flagged (false alarms), ``dly``
shifted batches before the first correct flag, ``hit`` shifted batches with a correct flag (of
10), ``wr`` distinct wrong columns flagged during the shift; for Driftline also ``flap``
(DRIFT_OFF events while the shift persists) and ``warn`` (batches with a WARNING status).
Driftline also flags whole targets (INPUT, CONCEPT); those count as correct when something they
span changed and as wrong names otherwise.

    .venv/bin/python benchmarks/quality.py [--quick] [--json out.json] [--peers nannyml,...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.baselines import runner  # noqa: E402
from driftline.display import format_table  # noqa: E402

REFERENCE_ROWS = 3_000
BATCH_ROWS = 500
STATIONARY_BATCHES = 40
BEFORE_SHIFT = 10
SHIFTED = 10
QUICK = {"stationary": 20, "before": 5, "shifted": 5,
         "datasets": ("car_loan", "breast_cancer", "gaussian"),
         "scenarios": ("stationary", "mean 0.5sd x1", "mean 1sd x3", "mean 0.2sd xall",
                       "category share", "label prior", "concept", "selection")}
# A column counts as moved by a reweighting when its population distribution moves this much.
AFFECTED = 0.02
# Pools below this many rows are bootstrapped with jitter; the jitter's sd, per column's sd.
SMALL_POOL = 5_000
JITTER = 0.05
SYNTHETIC_ROWS = 100_000
PEERS = ("nannyml", "evidently", "alibi")
DETECTORS = ("driftline",) + PEERS
LABELS = {"driftline": "D", "nannyml": "N", "evidently": "E", "alibi": "A"}


# -- data sets ---------------------------------------------------------------------------------


@dataclass
class Dataset:
    """A set of rows to draw stationary streams from, with its columns' roles."""

    name: str
    kind: str  # "nannyml", "sklearn" or "synthetic"
    pool: pd.DataFrame  # inputs and target; categorical columns as strings
    target: str
    task_type: str
    sampling: str = ""
    numeric: list[str] = field(default_factory=list)
    categorical: list[str] = field(default_factory=list)
    jittered: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name in self.pool.columns:
            series = self.pool[name]
            if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series) \
                    or (name == self.target and self.task_type != "REGRESSION"):
                self.pool[name] = series.astype(str)
                self.categorical.append(name)
            else:
                self.pool[name] = series.astype(np.float64)
                self.numeric.append(name)
        small = len(self.pool) < SMALL_POOL
        # Jitter only columns with many values: a two-valued column stays two-valued.
        self.jittered = [c for c in self.numeric if small and self.pool[c].nunique() > 20]
        if not self.sampling:
            self.sampling = (f"{len(self.pool)} rows drawn with replacement, Gaussian jitter of "
                             f"{JITTER:g} sd on {len(self.jittered)} columns (smoothed bootstrap)"
                             if small else f"{len(self.pool)} rows drawn with replacement")
        self.sd = {c: float(self.pool[c].std()) for c in self.numeric}

    @property
    def inputs(self) -> list[str]:
        return [c for c in self.pool.columns if c != self.target]

    @property
    def numeric_inputs(self) -> list[str]:
        return [c for c in self.numeric if c != self.target]

    def draw(self, rng: np.random.Generator, rows: int,
             weights: np.ndarray | None = None) -> pd.DataFrame:
        """``rows`` rows drawn with replacement, in proportion to ``weights`` if given."""
        p = None if weights is None else weights / weights.sum()
        frame = self.pool.iloc[rng.choice(len(self.pool), size=rows, p=p)].reset_index(drop=True)
        for name in self.jittered:
            frame[name] = frame[name] + rng.normal(0.0, JITTER * self.sd[name], rows)
        return frame

    def schema(self) -> list[dict]:
        """The task's data schema as Catalog's Column.to_json writes it."""
        columns = [{"name": "sample_id", "role": "ID", "data_type": "STRING"},
                   {"name": "timestamp", "role": "TIME_ID", "data_type": "FLOAT"}]
        for name in self.pool.columns:
            columns.append({"name": name, "role": "TARGET" if name == self.target else "INPUT",
                            "data_type": "FLOAT" if name in self.numeric else "CATEGORICAL"})
        return columns


def synthetic(name: str, seed: int = 0, rows: int = SYNTHETIC_ROWS) -> Dataset:
    """Ten independent columns (standard normal, or Student-t with 3 df), a categorical
    segment with a 10% level, and a binary label depending on three columns."""
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(rows, 10)) if name == "gaussian" else \
        rng.standard_t(3, size=(rows, 10))
    frame = pd.DataFrame({f"x{j}": values[:, j] for j in range(10)})
    frame["segment"] = rng.choice(["a", "b", "c", "d"], size=rows, p=[0.45, 0.3, 0.15, 0.1])
    logit = values[:, 0] + values[:, 1] - values[:, 2]
    frame["label"] = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int)
    return Dataset(name, "synthetic", frame, "label", "CLASSIFICATION_BINARY",
                   sampling=f"{rows} generated rows drawn with replacement")


# The exported sets: kind, target column, task type.
EXPORTED = {
    "car_loan": ("nannyml", "repaid", "CLASSIFICATION_BINARY"),
    "work_from_home": ("nannyml", "work_home_actual", "CLASSIFICATION_BINARY"),
    "breast_cancer": ("sklearn", "malignant", "CLASSIFICATION_BINARY"),
    "wine": ("sklearn", "cultivar", "CLASSIFICATION_MULTICLASS"),
    "diabetes": ("sklearn", "progression", "REGRESSION"),
}
ALL_DATASETS = (*EXPORTED, "gaussian", "student_t3")


def load_datasets(names: list[str]) -> list[Dataset]:
    """The named data sets; the bundled ones come from the export in the baselines venv."""
    found = []
    folder = runner.export_datasets() if any(n in EXPORTED for n in names) else None
    for name in names:
        if name in EXPORTED:
            kind, target, task_type = EXPORTED[name]
            pool = pd.read_parquet(folder / f"{name}.parquet")
            found.append(Dataset(name, kind, pool, target, task_type))
        else:
            found.append(synthetic(name))
    return found


# -- scenarios ---------------------------------------------------------------------------------


@dataclass
class Scenario:
    """A stream: ``before`` stationary batches, then ``shifted`` batches drawn by ``shift``.
    ``changed``: the columns it changes (with those a reweighting moves); ``concept``: the
    labels' relation to the inputs changes."""

    name: str
    before: int
    shifted: int
    shift: Callable[[np.random.Generator, int], pd.DataFrame] | None = None
    changed: set[str] = field(default_factory=set)
    concept: bool = False
    note: str = ""


def moved_columns(dataset: Dataset, weights: np.ndarray) -> set[str]:
    """Columns whose population distribution ``weights`` move by at least AFFECTED."""
    moved = set()
    uniform = np.full(len(weights), 1 / len(weights))
    weights = weights / weights.sum()
    for name in dataset.pool.columns:
        values = dataset.pool[name].to_numpy()
        if name in dataset.numeric:
            order = np.argsort(values, kind="stable")
            ends = np.r_[np.flatnonzero(np.diff(values[order])), len(values) - 1]
            distance = np.abs(np.cumsum(weights[order] - uniform[order])[ends]).max()
        else:
            levels, codes = np.unique(values.astype(str), return_inverse=True)
            distance = 0.5 * np.abs(np.bincount(codes, weights, len(levels))
                                    - np.bincount(codes, uniform, len(levels))).sum()
        if distance >= AFFECTED:
            moved.add(name)
    return moved


def _category_level(dataset: Dataset) -> tuple[str, str, float] | None:
    """An input category with a share near 10% (between 5% and 30%): column, level, share."""
    best = None
    for name in dataset.categorical:
        if name == dataset.target:
            continue
        for level, share in dataset.pool[name].value_counts(normalize=True).items():
            if 0.05 <= share <= 0.3 and (best is None or abs(share - 0.1) < abs(best[2] - 0.1)):
                best = (name, str(level), float(share))
    return best


def scenarios(dataset: Dataset, stationary: int, before: int, shifted: int) -> list[Scenario]:
    """Every scenario that applies to the data set."""
    found = [Scenario("stationary", stationary, 0)]
    numeric = dataset.numeric_inputs
    for columns, count in (("1", 1), ("3", 3), ("all", len(numeric))):
        chosen = numeric[:count]
        for size in (0.2, 0.5, 1.0):
            def shift(rng, rows, chosen=chosen, size=size):
                frame = dataset.draw(rng, rows)
                for name in chosen:
                    frame[name] = frame[name] + size * dataset.sd[name]
                return frame
            found.append(Scenario(f"mean {size:g}sd x{columns}", before, shifted, shift,
                                  set(chosen), note=f"shifted: {', '.join(chosen)}"))
    level = _category_level(dataset)
    if level is not None:
        name, value, share = level
        is_level = (dataset.pool[name] == value).to_numpy()
        weights = np.where(is_level, 0.01 / share, 0.99 / (1 - share))
        found.append(_reweighted(dataset, "category share", weights, before, shifted,
                                 f"{name}={value!r}: {share:.0%} -> 1% of rows"))
    if dataset.task_type == "CLASSIFICATION_BINARY":
        labels = dataset.pool[dataset.target]
        positive = sorted(labels.unique())[-1]
        share = float((labels == positive).mean())
        wanted = share + 0.25 if share < 0.5 else share - 0.25
        is_positive = (labels == positive).to_numpy()
        weights = np.where(is_positive, wanted / share, (1 - wanted) / (1 - share))
        found.append(_reweighted(dataset, "label prior", weights, before, shifted,
                                 f"{dataset.target}={positive}: {share:.0%} -> {wanted:.0%}"))

    def concept(rng, rows):
        frame = dataset.draw(rng, rows)
        frame[dataset.target] = rng.permutation(frame[dataset.target].to_numpy())
        return frame
    found.append(Scenario("concept", before, shifted, concept, set(), concept=True,
                          note=f"{dataset.target} shuffled within each batch"))
    column = numeric[0]
    z = (dataset.pool[column] - dataset.pool[column].mean()) / dataset.sd[column]
    weights = 1 / (1 + np.exp(-z.to_numpy()))
    found.append(_reweighted(dataset, "selection", weights, before, shifted,
                             f"rows kept with probability sigmoid(z), z = standardised {column}"))
    return found


def _reweighted(dataset: Dataset, name: str, weights: np.ndarray, before: int, shifted: int,
                note: str) -> Scenario:
    moved = moved_columns(dataset, weights)
    return Scenario(name, before, shifted, lambda rng, rows: dataset.draw(rng, rows, weights),
                    moved, note=f"{note}; moved: {', '.join(sorted(moved)) or 'none'}")


def stream(dataset: Dataset, scenario: Scenario, rows: int, seed: int) -> list[pd.DataFrame]:
    """The scenario's batches, in order."""
    rng = np.random.default_rng(seed)
    batches = [dataset.draw(rng, rows) for _ in range(scenario.before)]
    return batches + [scenario.shift(rng, rows) for _ in range(scenario.shifted)]


# -- Driftline ---------------------------------------------------------------------------------


def driftline_settings() -> dict:
    """The reference settings the detection job gets: the server's defaults (the promise of
    stationary batches per target between false drifts, the minimum reference size) as
    platform/config.py sets them. The one place the benchmark knows them."""
    from driftline_server.platform.config import Settings

    return {"min_samples": Settings.monitoring_min_reference_samples,
            "batches_between_false_alarms": Settings.monitoring_batches_between_false_alarms}


def replay_driftline(reference: pa.Table, streams: dict[str, list[pa.Table]], schema: list[dict],
                     task_type: str) -> dict:
    """Fit a reference on ``reference`` as the reference job does and replay each stream's
    batches through detection as the detection job does, each stream from a fresh state.

    Returns ``{"fit_s", "quantities", "streams": {name: [batch, ...]}}``, a batch being
    ``{"status": {name: status}, "events": [[event_type, name], ...]}`` where ``name`` is a
    column for a FEATURE quantity and the target (INPUT, CONCEPT, ...) otherwise.
    """
    from driftline_server.monitoring.detection import (
        BatchSamples,
        DetectionReference,
        advance,
        examine,
    )
    from driftline_server.monitoring.references import fit_model_reference, plan_reference

    started = time.perf_counter()
    plan = plan_reference(task_type, schema, "model")
    fitted = fit_model_reference(plan, reference, **driftline_settings())
    detection = DetectionReference.from_bytes(fitted.to_bytes())
    fit_s = time.perf_counter() - started

    def name(target: str, metric: str, feature: str) -> str:
        return feature if metric == "FEATURE" and target == "INPUT" else \
            "/".join(part for part in (target, metric, feature) if part)

    replayed = {}
    for stream_name, batches in streams.items():
        state: dict = {}
        replayed[stream_name] = []
        for table in batches:
            samples = BatchSamples.of(table, plan.id_column, plan.time_column)
            step = advance(detection, state, examine(detection, samples), samples)
            state = step.state
            replayed[stream_name].append({
                "status": {name(s["target"], s["metric"], s["feature"]): s["status"]
                           for s in step.statuses.values()},
                "events": [[t.event_type, name(t.quantity.target, t.quantity.metric,
                                               t.quantity.feature)]
                           for t in step.transitions]})
    return {"fit_s": fit_s, "quantities": [name(q.target, q.metric, q.feature) for q in fitted.quantities],
            "streams": replayed}


def driftline_table(frame: pd.DataFrame, first_row: int) -> pa.Table:
    """A batch as Driftline ingests it: with sample ids and times (rows in time order)."""
    rows = np.arange(first_row, first_row + len(frame))
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return table.append_column("sample_id", pa.array([f"s{i}" for i in rows])) \
        .append_column("timestamp", pa.array(rows.astype(np.float64)))


def driftline_flags(replayed: list[dict]) -> tuple[list[set], list[set], list[list]]:
    """Per batch: the names in DRIFT, the names in WARNING, and the events."""
    drift = [{n for n, s in b["status"].items() if s == "DRIFT"} for b in replayed]
    warning = [{n for n, s in b["status"].items() if s == "WARNING"} for b in replayed]
    return drift, warning, [b["events"] for b in replayed]


# -- scoring -----------------------------------------------------------------------------------


def score(scenario: Scenario, dataset: Dataset, flags: list[set], warnings: list[set] | None = None,
          events: list[list] | None = None) -> dict:
    """A detector's figures on one stream from the names it flagged per batch."""
    inputs = set(dataset.inputs)

    def correct(name: str) -> bool:
        if name in dataset.pool.columns:
            return name in scenario.changed
        if name == "INPUT":  # Driftline's inputs as a whole
            return bool(scenario.changed & inputs)
        return bool(scenario.changed) or scenario.concept

    before, after = flags[:scenario.before], flags[scenario.before:]
    hits = [any(correct(n) for n in batch) for batch in after]
    wrong = sorted({n for batch in (after if scenario.shifted else before) for n in batch
                    if not (scenario.shifted and correct(n))})
    figures = {"false_alarms": sum(bool(batch) for batch in before),
               "stationary_batches": len(before),
               "delay": hits.index(True) if any(hits) else None,
               "flagged": sum(hits), "shifted_batches": len(after),
               "wrong_columns": len(wrong), "wrong": wrong}
    if warnings is not None:
        figures["warned"] = sum(bool(batch) for batch in warnings)
    if events is not None:
        figures["flapping"] = sum(kind == "DRIFT_OFF" for batch in events[scenario.before:]
                                  for kind, _ in batch)
    return figures


# -- the run -----------------------------------------------------------------------------------


def run_dataset(dataset: Dataset, options: argparse.Namespace, peers: list[str],
                seed: int) -> tuple[list[dict], dict]:
    """Every scenario of one data set through Driftline and the peers."""
    rng = np.random.default_rng(seed)
    reference = dataset.draw(rng, options.reference_rows)
    found = [s for s in scenarios(dataset, options.stationary, options.before, options.shifted)
             if not options.scenario_names or s.name in options.scenario_names]
    streams = {s.name: stream(dataset, s, options.batch_rows, seed + 1 + i)
               for i, s in enumerate(found)}
    info: dict = {"kind": dataset.kind, "rows": len(dataset.pool), "sampling": dataset.sampling,
                  "task_type": dataset.task_type, "target": dataset.target,
                  "numeric": dataset.numeric, "categorical": dataset.categorical,
                  "scenarios": {s.name: s.note for s in found}, "peers": {}}

    # The peers run in their own processes meanwhile: they wait on subprocesses, not the GIL.
    with ThreadPoolExecutor(max(1, len(peers))) as pool:
        running = {library: pool.submit(runner.run_quality_peer, library, reference, streams,
                                        options.batch_rows) for library in peers}
        first = options.reference_rows
        tables = {name: [driftline_table(b, first + i * options.batch_rows)
                         for i, b in enumerate(batches)]
                  for name, batches in streams.items()}
        started = time.perf_counter()
        replayed = replay_driftline(driftline_table(reference, 0), tables, dataset.schema(),
                                    dataset.task_type)
        info["driftline"] = {"fit_s": replayed["fit_s"], "quantities": replayed["quantities"],
                             "seconds": time.perf_counter() - started}
        peer_flags: dict[str, dict] = {}
        for library, future in running.items():
            try:
                result = future.result()
            except RuntimeError as error:  # a peer that cannot run leaves its columns empty
                print(f"  {library} failed on {dataset.name}: {str(error).splitlines()[0]}",
                      file=sys.stderr)
                info["peers"][library] = {"error": str(error)[-2000:]}
                continue
            peer_flags[library] = {k: [set(f) for f in v]
                                   for k, v in result.pop("flags").items()}
            info["peers"][library] = result

    rows = []
    for scenario in found:
        row = {"scenario": scenario.name, "dataset": dataset.name}
        drift, warning, events = driftline_flags(replayed["streams"][scenario.name])
        row["driftline"] = score(scenario, dataset, drift, warning, events)
        for library in peers:
            if library in peer_flags:
                row[library] = score(scenario, dataset, peer_flags[library][scenario.name])
        rows.append(row)
    return rows, info


def _figure(value) -> str:
    return "-" if value is None else str(value)


def table_rows(results: list[dict], detectors: tuple[str, ...] = DETECTORS) -> tuple[list, list]:
    """Headers and rows of the printed table: scenario x data set, each detector's figures."""
    headers = ["scenario", "data set"]
    for detector in detectors:
        label = LABELS[detector]
        headers += [f"{label}:fa", f"{label}:dly", f"{label}:hit", f"{label}:wr"]
        if detector == "driftline":
            headers += [f"{label}:flap", f"{label}:warn"]
    rows = []
    for result in results:
        row = [result["scenario"], result["dataset"]]
        for detector in detectors:
            figures = result.get(detector)
            width = 6 if detector == "driftline" else 4
            if figures is None:
                row += ["n/a"] + [""] * (width - 1)
                continue
            stationary = not figures["shifted_batches"]
            row += [f"{figures['false_alarms']}/{figures['stationary_batches']}",
                    "-" if stationary else _figure(figures["delay"]),
                    "-" if stationary else f"{figures['flagged']}/{figures['shifted_batches']}",
                    _figure(figures["wrong_columns"])]
            if detector == "driftline":
                row += ["-" if stationary else _figure(figures["flapping"]),
                        _figure(figures["warned"])]
        rows.append(row)
    return headers, rows


LEGEND = """D = Driftline, N = NannyML, E = Evidently, A = alibi-detect (each at its defaults).
fa: batches flagged before the shift (stationary: of all); dly: shifted batches before the first
correct flag (0 = the first, - = never); hit: shifted batches with a correct flag; wr: distinct
wrong names flagged during the shift (stationary: any flagged); flap: Driftline DRIFT_OFF events
during the shift; warn: Driftline batches with a WARNING status."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"data sets {', '.join(QUICK['datasets'])}, fewer batches")
    parser.add_argument("--datasets", default="",
                        help=f"comma-separated, of {', '.join(ALL_DATASETS)}")
    parser.add_argument("--scenarios", default="",
                        help="comma-separated scenario names (default: all; --quick: a subset)")
    parser.add_argument("--peers", default=",".join(PEERS),
                        help="comma-separated peers to run ('' for none; default: %(default)s)")
    parser.add_argument("--reference-rows", type=int, default=REFERENCE_ROWS)
    parser.add_argument("--batch-rows", type=int, default=BATCH_ROWS)
    parser.add_argument("--stationary", type=int, default=None,
                        help=f"batches of the stationary stream ({STATIONARY_BATCHES})")
    parser.add_argument("--before", type=int, default=None,
                        help=f"stationary batches before a shift ({BEFORE_SHIFT})")
    parser.add_argument("--shifted", type=int, default=None,
                        help=f"shifted batches ({SHIFTED})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", default="", help="also write the results here")
    parser.add_argument("--table-from", default="",
                        help="only print the table of an earlier run's JSON (even a partial one)")
    options = parser.parse_args(argv)
    defaults = (QUICK["stationary"], QUICK["before"], QUICK["shifted"]) if options.quick else \
        (STATIONARY_BATCHES, BEFORE_SHIFT, SHIFTED)
    for name, default in zip(("stationary", "before", "shifted"), defaults):
        if getattr(options, name) is None:
            setattr(options, name, default)
    names = [n for n in options.datasets.split(",") if n] or \
        list(QUICK["datasets"] if options.quick else ALL_DATASETS)
    unknown = set(names) - set(ALL_DATASETS)
    if unknown:
        parser.error(f"unknown data sets {sorted(unknown)}")
    options.dataset_names = names
    options.scenario_names = [n for n in options.scenarios.split(",") if n] or \
        (list(QUICK["scenarios"]) if options.quick else [])
    options.peer_names = [p for p in options.peers.split(",") if p]
    if set(options.peer_names) - set(PEERS):
        parser.error(f"peers are {', '.join(PEERS)}")
    return options


def write_json(options: argparse.Namespace, results: list[dict], infos: dict,
               seconds: float) -> None:
    """The results so far, with the settings, data sets and peers' versions, to --json."""
    if options.json:
        output = {"options": vars(options), "driftline_settings": driftline_settings(),
                  "seconds": seconds, "datasets": infos, "results": results}
        Path(options.json).write_text(json.dumps(output, indent=1, default=str),
                                      encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write the JSON."""
    options = parse_args(argv)
    if options.table_from:
        earlier = json.loads(Path(options.table_from).read_text(encoding="utf-8"))
        detectors = ("driftline", *earlier["options"]["peer_names"])
        print(format_table(*table_rows(earlier["results"], detectors)))
        print(LEGEND)
        print(f"{len(earlier['datasets'])} data sets in {earlier['seconds']:.0f} s")
        return 0
    started = time.perf_counter()
    results, infos = [], {}
    for index, dataset in enumerate(load_datasets(options.dataset_names)):
        print(f"{dataset.name}: {dataset.sampling}", flush=True)
        rows, info = run_dataset(dataset, options, options.peer_names, options.seed + 100 * index)
        results += rows
        infos[dataset.name] = info
        # Written after each data set, so that a long run cut short still leaves its figures.
        write_json(options, results, infos, time.perf_counter() - started)
    seconds = time.perf_counter() - started
    detectors = ("driftline", *options.peer_names)
    headers, rows = table_rows(results, detectors)
    print()
    print(format_table(headers, rows))
    print(LEGEND)
    print(f"reference {options.reference_rows} rows, batches {options.batch_rows} rows; "
          f"Driftline settings {driftline_settings()}; {seconds:.0f} s")
    write_json(options, results, infos, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
