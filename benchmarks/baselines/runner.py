"""Run the Evidently / NannyML baselines from Driftline's benchmark, in their own venv.

The two libraries never get imported here: ``setup.sh`` builds ``.bench-baselines-venv``
and ``drift_reports.py`` runs under that venv's python in a subprocess. This module needs
only the standard library plus pyarrow/pandas to write the tables.

    from benchmarks.baselines.runner import run_baseline
    result = run_baseline("nannyml", reference_df, production_df, repeats=5)
    result["median_ms"], result["drifted_columns"]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
SETUP_SCRIPT = HERE / "setup.sh"
# alibi-detect caps numpy below 2 (and pandas, Pillow, numba), which the Evidently / NannyML
# pins cannot meet: it gets a venv of its own.
ALIBI_SETUP_SCRIPT = HERE / "setup_alibi.sh"
REPORT_SCRIPT = HERE / "drift_reports.py"
QUALITY_SCRIPT = HERE / "quality_peers.py"
LIBRARIES = ("evidently", "nannyml")
QUALITY_LIBRARIES = ("evidently", "nannyml", "alibi")
# Where the bundled data sets are exported, inside the venv: git-ignored, and rebuilt with it.
DATASETS_FOLDER = "quality-datasets"
# Building the venv downloads ~2 GB of wheels; budget it apart from the timed run.
SETUP_TIMEOUT_S = 1800.0


def baseline_venv() -> Path:
    """Where setup.sh puts the venv (BENCH_BASELINES_VENV overrides, as in setup.sh)."""
    return Path(os.environ.get("BENCH_BASELINES_VENV", REPO_ROOT / ".bench-baselines-venv"))


def alibi_venv() -> Path:
    """Where setup_alibi.sh puts alibi-detect's venv (BENCH_ALIBI_VENV overrides)."""
    return Path(os.environ.get("BENCH_ALIBI_VENV", REPO_ROOT / ".bench-alibi-venv"))


def ensure_setup(timeout: float = SETUP_TIMEOUT_S, library: str = "evidently") -> Path:
    """Build the venv that holds ``library`` if its stamp is stale; return the venv's python."""
    if library == "alibi":
        _run(["bash", str(ALIBI_SETUP_SCRIPT)], timeout, "setup_alibi.sh")
        return alibi_venv() / "bin" / "python"
    _run(["bash", str(SETUP_SCRIPT)], timeout, "setup.sh")
    return baseline_venv() / "bin" / "python"


def export_datasets(timeout: float = 600) -> Path:
    """NannyML's and scikit-learn's bundled data sets as parquet files (exported once, from
    the baselines venv, since neither library may enter Driftline's venv); their folder."""
    python = ensure_setup()
    folder = baseline_venv() / DATASETS_FOLDER
    if not (folder / ".complete").exists():
        _run([str(python), str(QUALITY_SCRIPT), "export", "--out", str(folder)], timeout,
             "quality_peers.py export")
        (folder / ".complete").touch()
    return folder


def run_quality_peer(library: str, reference: Any, streams: dict[str, list[Any]],
                     batch_rows: int, timeout: float = 1800) -> dict:
    """Flag drifted columns in every batch of every stream with ``library`` at its defaults.

    reference and the batches: pandas DataFrames with the same columns. Returns
    quality_peers.py's JSON: ``flags`` {stream: [[column, ...] per batch]}, version, config,
    seconds; plus ``wall_s``. Raises RuntimeError as run_baseline does.
    """
    import pandas as pd

    if library not in QUALITY_LIBRARIES:
        raise ValueError(f"library must be one of {QUALITY_LIBRARIES}, not {library!r}")
    python = ensure_setup(library=library)
    every = pd.concat([batch.assign(__scenario=name, __batch=index)
                       for name, batches in streams.items()
                       for index, batch in enumerate(batches)], ignore_index=True)
    with tempfile.TemporaryDirectory(prefix="driftline-quality-") as folder:
        paths = {name: Path(folder) / f"{name}.parquet" for name in ("reference", "batches")}
        _write_parquet(reference, paths["reference"])
        _write_parquet(every, paths["batches"])
        result_path = Path(folder) / "result.json"
        started = time.perf_counter()
        _run([str(python), str(QUALITY_SCRIPT), "detect", "--library", library,
              "--reference", str(paths["reference"]), "--batches", str(paths["batches"]),
              "--batch-rows", str(batch_rows), "--json", str(result_path)],
             timeout, f"quality_peers.py detect --library {library}")
        result = json.loads(result_path.read_text(encoding="utf-8"))
    result["wall_s"] = time.perf_counter() - started
    return result


def run_baseline(library: str, reference: Any, production: Any, repeats: int = 5,
                 timeout: float = 600, *, warmup: int = 1,
                 extra_args: list[str] | None = None) -> dict:
    """Time `library`'s column-wise drift report of `production` against `reference`.

    reference/production: pandas.DataFrame or pyarrow.Table with the same columns.
    timeout: seconds for the timed subprocess (venv setup has its own, longer budget).
    extra_args: more drift_reports.py flags, e.g. ["--evidently-api", "legacy"].
    Returns drift_reports.py's JSON (times_ms, median_ms, p99_ms, drifted_columns, ...)
    plus "wall_s", the subprocess's wall time. Raises RuntimeError with stderr's tail if
    setup or the run fails or times out.
    """
    if library not in LIBRARIES:
        raise ValueError(f"library must be one of {LIBRARIES}, not {library!r}")
    python = ensure_setup()
    with tempfile.TemporaryDirectory(prefix="driftline-baseline-") as folder:
        reference_path = Path(folder) / "reference.parquet"
        production_path = Path(folder) / "production.parquet"
        result_path = Path(folder) / "result.json"
        _write_parquet(reference, reference_path)
        _write_parquet(production, production_path)
        command = [
            str(python), str(REPORT_SCRIPT),
            "--reference", str(reference_path), "--production", str(production_path),
            "--library", library, "--repeats", str(repeats), "--warmup", str(warmup),
            "--json", str(result_path), *(extra_args or []),
        ]
        started = time.perf_counter()
        _run(command, timeout, f"drift_reports.py --library {library}")
        result = json.loads(result_path.read_text(encoding="utf-8"))
    result["wall_s"] = time.perf_counter() - started
    return result


def _write_parquet(table: Any, path: Path) -> None:
    """Write a pandas DataFrame or pyarrow Table to parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not isinstance(table, pa.Table):
        # preserve_index=False: an index column would be scored as one more feature.
        table = pa.Table.from_pandas(table, preserve_index=False)
    pq.write_table(table, path)


def _run(command: list[str], timeout: float, what: str) -> None:
    """Run a command; raise RuntimeError with the tail of its stderr on failure/timeout."""
    env = dict(os.environ, DO_NOT_TRACK="1", NML_DISABLE_USAGE_LOGGING="1", MPLBACKEND="Agg")
    # Driftline's venv must not leak into the baselines' interpreter.
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                   env=env, cwd=REPO_ROOT)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"{what} timed out after {timeout:.0f} s\n{_tail(exc.stderr)}") from exc
    if completed.returncode != 0:
        raise RuntimeError(
            f"{what} failed with exit code {completed.returncode}\n{_tail(completed.stderr)}"
        )


def _tail(text: str | bytes | None, lines: int = 40) -> str:
    """The last `lines` lines of a process's output."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return "\n".join(text.splitlines()[-lines:])


if __name__ == "__main__":
    # Handy for a manual check: python benchmarks/baselines/runner.py
    print(ensure_setup(), file=sys.stderr)
