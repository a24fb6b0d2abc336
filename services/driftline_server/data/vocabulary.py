"""Data's words: the kinds of batches and parts, their states and formats, as the domain uses
them (names without the proto prefixes), and what an upload is made of."""

from __future__ import annotations

import enum
from dataclasses import dataclass


# The job type that validates and commits an upload (data/job_handlers.py).
INGESTION_JOB = "ingest_batch"


class BatchKind(enum.StrEnum):
    HISTORICAL = "HISTORICAL"
    PRODUCTION = "PRODUCTION"
    TARGET = "TARGET"
    KPI = "KPI"


class BatchState(enum.StrEnum):
    PENDING = "PENDING"
    COMMITTED = "COMMITTED"
    FAILED = "FAILED"


class PartKind(enum.StrEnum):
    INPUTS = "INPUTS"
    TARGET = "TARGET"
    PREDICTIONS = "PREDICTIONS"
    KPI = "KPI"


class DataFormat(enum.StrEnum):
    ARROW_IPC_STREAM = "ARROW_IPC_STREAM"
    PARQUET = "PARQUET"
    CSV = "CSV"


# Kinds whose batches hold samples (with an ID and a TIME_ID), as opposed to targets and KPIs.
SAMPLE_KINDS = (BatchKind.HISTORICAL, BatchKind.PRODUCTION)

# The parts a batch of each kind may have: (required, allowed).
PARTS_OF_KIND = {
    BatchKind.HISTORICAL: ({PartKind.INPUTS}, {PartKind.INPUTS, PartKind.TARGET,
                                               PartKind.PREDICTIONS}),
    BatchKind.PRODUCTION: ({PartKind.INPUTS}, {PartKind.INPUTS, PartKind.TARGET,
                                               PartKind.PREDICTIONS}),
    BatchKind.TARGET: ({PartKind.TARGET}, {PartKind.TARGET}),
    BatchKind.KPI: ({PartKind.KPI}, {PartKind.KPI}),
}


@dataclass(frozen=True)
class UploadHeader:
    kind: BatchKind | None
    task_id: str = ""
    project_id: str = ""
    kpi_id: str = ""
    request_id: str = ""


@dataclass(frozen=True)
class PartStart:
    """Starts a part of an upload; the bytes that follow are its content."""

    kind: PartKind | None
    data_format: DataFormat | None
    model_id: str = ""
    size_bytes: int = 0
