"""Data's results: batches (the unit of upload, validation and storage) with their parts and
the problems their validation found, and the summary of what a task has stored.

Example:
    >>> from driftline.enums import BatchState
    >>> batch = client.get_batch(batch_id)
    >>> batch.state is BatchState.COMMITTED, batch.row_count
    (True, 1000000)
"""

from __future__ import annotations

from datetime import datetime

from driftline.enums import BatchKind, BatchState, DataFormat, PartKind
from driftline.types._base import Result
from driftline.types._fields import enum_field


class BatchPart(Result):
    """One uploaded table of a batch: which table, the model of a PREDICTIONS part, how its
    bytes were encoded and how many were received."""

    kind: enum_field(PartKind)
    model_id: str | None = None
    format: enum_field(DataFormat)
    size_bytes: int = 0


class BatchProblem(Result):
    """Something wrong in an uploaded batch, found by its validation: a stable ``code``
    (COLUMN_MISSING, NULL_NOT_ALLOWED, ...), the column, part and model concerned, what to fix,
    the first offending rows (0-based, at most 10) with their values, and how many rows have
    it in all."""

    code: str
    column: str | None = None
    part: enum_field(PartKind) | None = None
    model_id: str | None = None
    message: str = ""
    rows: list[int] = []
    values: list[str] = []
    row_count: int = 0


class Batch(Result):
    """A batch of data of a task (HISTORICAL, PRODUCTION, TARGET) or of a KPI (KPI).

    ``ingestion_job_id`` is the job that validates and commits it; a FAILED batch says why in
    ``failure_message`` and ``problems``; a COMMITTED TARGET batch names the sample batches it
    labels in ``labelled_batch_ids``. Sample times are unset until the batch is committed.
    """

    batch_id: str
    task_id: str | None = None
    project_id: str
    kpi_id: str | None = None
    kind: enum_field(BatchKind)
    state: enum_field(BatchState)
    ingestion_job_id: str
    parts: list[BatchPart] = []
    schema_version: int | None = None
    row_count: int = 0
    first_sample_datetime: datetime | None = None
    last_sample_datetime: datetime | None = None
    stored_bytes: int = 0
    problems: list[BatchProblem] = []
    failure_message: str | None = None
    request_id: str | None = None
    creator_id: str | None = None
    creation_datetime: datetime | None = None
    finish_datetime: datetime | None = None
    labelled_batch_ids: list[str] = []


class KindSummary(Result):
    """The committed batches of one kind of a task's data: how many, their rows, and the times
    of their earliest and latest samples."""

    kind: enum_field(BatchKind)
    batch_count: int = 0
    row_count: int = 0
    first_sample_datetime: datetime | None = None
    last_sample_datetime: datetime | None = None


class DataSummary(Result):
    """What is stored for a task: one ``KindSummary`` per kind with committed batches, the
    batches pending and failed, and the samples that have a target (inline or late)."""

    task_id: str
    kinds: list[KindSummary] = []
    pending_batch_count: int = 0
    failed_batch_count: int = 0
    labelled_sample_count: int = 0

    def of_kind(self, kind) -> KindSummary | None:
        """The summary of one kind (a BatchKind, its number or its name), None when nothing of
        it is committed.

        Example:
            >>> client.get_data_summary(task_id).of_kind("HISTORICAL").row_count
            1000000
        """
        if isinstance(kind, str):
            kind = BatchKind[kind.upper().removeprefix("BATCH_KIND_")]
        return next((summary for summary in self.kinds if summary.kind == kind), None)
