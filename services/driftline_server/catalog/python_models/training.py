"""What a training gives a Python model's train function, decided apart from running it: which
of the task's columns it receives, and the data of a retraining suggestion. Pure: no gRPC, no
database.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pyarrow as pa
import pyarrow.compute as pc

# Columns of other models' outputs are not training data: a model learns from the inputs and
# the targets (and ids, times and metadata, which it may use or drop).
_NOT_FOR_TRAINING = frozenset({"PREDICTION", "PREDICTION_ADDITIONAL_EMBEDDING", "ERROR"})


def training_columns(columns: list[dict]) -> list[str]:
    """The names of the schema's columns (Column.to_json dicts) a train function receives, in
    the schema's order."""
    return [column["name"] for column in columns if column.get("role") not in _NOT_FOR_TRAINING]


def id_column(columns: list[dict]) -> str:
    return next((column["name"] for column in columns if column.get("role") == "ID"), "")


def suggested_data(table: pa.Table, id_column: str, sample_ids: list[str],
                   weights: list[float] | None) -> tuple[pa.Table, list[float] | None]:
    """The rows a retraining suggestion names, in its order: with SAMPLE_WEIGHTS each once with
    its weight; with RESAMPLED_DATASET (no weights) each as often as it was drawn. Names the
    table lacks (samples deleted since) are left out, with their weights."""
    position = {sample_id: index for index, sample_id
                in enumerate(pc.cast(table[id_column], pa.string()).to_pylist())}
    if weights is None:
        rows = [position[name] for name in sample_ids if name in position]
        return table.take(pa.array(rows, pa.int64())), None
    kept = [(position[name], weight) for name, weight in zip(sample_ids, weights)
            if name in position]
    rows = [row for row, _ in kept]
    return table.take(pa.array(rows, pa.int64())), [weight for _, weight in kept]


def gpu_available() -> bool:
    """Whether this worker has an NVIDIA GPU that the driver lists (within the worker's share,
    CUDA_VISIBLE_DEVICES)."""
    if os.environ.get("CUDA_VISIBLE_DEVICES", None) == "":
        return False
    command = shutil.which("nvidia-smi")
    if command is None:
        return False
    try:
        listed = subprocess.run([command, "-L"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return listed.returncode == 0 and "GPU" in listed.stdout
