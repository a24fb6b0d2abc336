"""DataService operations of ``driftline.Client``: uploading historical, production, target and
KPI data, listing batches, and reading data back as pyarrow Tables.

Data is a pandas DataFrame, a polars DataFrame, a pyarrow Table (or RecordBatchReader), or the
path of a .csv or .parquet file; see ``_uploads`` for how each is streamed. Every add_* method
returns the id of the ingestion job that validates and commits the batch: wait for it with
``wait_job_completion``. Batches and data summaries are ``driftline.types`` models (Batch,
DataSummary), converted in ``driftline.conversions.data``. Kinds and states take
``driftline.enums`` members (``BatchKind.HISTORICAL``), the generated values
(``batch_pb2.BATCH_KIND_HISTORICAL``) or their names, with or without the prefix
(``"historical"``). Times take epoch seconds or datetimes (naive ones are UTC).
"""

from __future__ import annotations

import math
import sys
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone

import pyarrow as pa
from google.protobuf import timestamp_pb2

from driftline._enums import enum_values, names
from driftline._pagination import Pager
from driftline._transport import Transport
from driftline.arrow_stream import read_arrow_stream
from driftline._uploads import (
    PROGRESS_THRESHOLD_BYTES,
    Part,
    to_part,
    upload_stream,
)
from driftline.conversions import data as convert
from driftline.data.v1 import batch_pb2, data_service_pb2 as pb, data_service_pb2_grpc
from driftline.types.data import Batch, DataSummary


def _timestamp(value) -> timestamp_pb2.Timestamp | None:
    """A Timestamp for epoch seconds (int or float) or a datetime (naive means UTC)."""
    if value is None or isinstance(value, timestamp_pb2.Timestamp):
        return value
    stamp = timestamp_pb2.Timestamp()
    if isinstance(value, datetime):
        stamp.FromDatetime(value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        # Whole seconds and nanoseconds apart: epoch nanoseconds overflow a float's precision.
        seconds = math.floor(value)
        nanos = min(round((value - seconds) * 1e9), 999_999_999)
        stamp.seconds, stamp.nanos = int(seconds), nanos
    else:
        raise TypeError(
            f"a time is epoch seconds or a datetime, not {type(value).__name__}: {value!r}"
        )
    return stamp


def _sample_parts(inputs, target, predictions) -> list[Part]:
    """The parts of a historical or production batch: inputs, then target, then predictions."""
    parts = [to_part(batch_pb2.PART_KIND_INPUTS, inputs, what="inputs")]
    if target is not None:
        parts.append(to_part(batch_pb2.PART_KIND_TARGET, target, what="target"))
    return parts + _prediction_parts(predictions)


def _prediction_parts(predictions) -> list[Part]:
    """One PREDICTIONS part per (model_id, data) pair; a mapping {model_id: data} also works."""
    if predictions is None:
        return []
    if isinstance(predictions, Mapping):
        predictions = list(predictions.items())
    if not isinstance(predictions, (list, tuple)):
        raise TypeError(
            "predictions must be a list of (model_id, data) pairs, not "
            f"{type(predictions).__name__}"
        )
    parts = []
    for item in predictions:
        if not (isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[0], str)):
            raise TypeError(
                f"predictions must be a list of (model_id, data) pairs; got an item {item!r:.80}"
            )
        model_id, data = item
        parts.append(to_part(batch_pb2.PART_KIND_PREDICTIONS, data, model_id,
                             what=f"predictions of model '{model_id}'"))
    return parts


class _Progress:
    """A tqdm bar of the bytes sent; without tqdm (or when not wanted) it does nothing."""

    def __init__(self, parts: list[Part], progress: bool | None, description: str):
        self._bar = None
        estimates = [part.estimated_bytes for part in parts]
        total = sum(estimates) if None not in estimates else None
        if progress is False:
            return
        if progress is None and (total is None or total <= PROGRESS_THRESHOLD_BYTES):
            return
        try:
            from tqdm import tqdm
        except ImportError:  # tqdm is optional: without it, uploads are silent
            return
        self._total = total
        self._bar = tqdm(total=total, desc=description, unit="B", unit_scale=True,
                         unit_divisor=1024, file=sys.stderr)

    def restart(self) -> None:
        """A new attempt sends every byte again."""
        if self._bar is not None:
            self._bar.reset(total=self._total)

    def update(self, size: int) -> None:
        if self._bar is not None:
            self._bar.update(size)

    def close(self) -> None:
        if self._bar is not None:
            if self._bar.total is not None and self._bar.n > self._bar.total:
                self._bar.total = self._bar.n  # the IPC size only approximates the table's
            self._bar.close()


class DataMethods:
    """Mixed into ``driftline.Client``; expects ``self._transport`` and ``self._data``."""

    _transport: Transport
    _data: data_service_pb2_grpc.DataServiceStub

    # ---- uploads -------------------------------------------------------------------------

    def _upload(self, header: pb.UploadHeader, parts: list[Part], request_id: str | None,
                progress: bool | None) -> str:
        """Send one batch; returns its ingestion job's id."""
        # The request id makes a retried upload answer with the first batch, never store it
        # twice; so the whole stream can be sent again on UNAVAILABLE, if every part can be
        # read again (a RecordBatchReader cannot).
        header.request_id = request_id or uuid.uuid4().hex
        kind = batch_pb2.BatchKind.Name(header.kind).removeprefix("BATCH_KIND_").lower()
        bar = _Progress(parts, progress, f"upload {kind}")

        def requests() -> Iterator[pb.UploadBatchRequest]:
            bar.restart()
            return upload_stream(header, parts, on_bytes=bar.update)

        try:
            response = self._transport.client_stream(
                self._data.UploadBatch, requests,
                idempotent=all(part.replayable for part in parts),
            )
        finally:
            bar.close()
        return response.batch.ingestion_job_id

    def add_historical_data(
        self,
        task_id: str,
        inputs,
        target=None,
        predictions=None,
        *,
        request_id: str | None = None,
        progress: bool | None = None,
    ) -> str:
        """Upload historical (training) samples of a task: ``inputs`` (the ID and TIME_ID
        columns and the input columns), optionally ``target`` (the ID column and the TARGET
        columns) and ``predictions``, a list of (model_id, data) with the ID column and that
        model's PREDICTION columns. The tables are joined by the schema's ID column.

        Data is a pandas DataFrame, a polars DataFrame, a pyarrow Table or RecordBatchReader,
        or the path of a .csv or .parquet file. The upload is one stream, sent in chunks of a
        few MiB; ``request_id`` (generated when not given) makes a retry safe. ``progress``
        draws a progress bar (tqdm) on stderr; by default only for uploads over 64 MiB.

        Returns the id of the ingestion job that validates the batch against the task's data
        schema and commits it (at least PROJECT_USER).

        Example:
            >>> job_id = client.add_historical_data(
            ...     task_id, inputs=train_df, target=train_df[["sample_id", "target"]],
            ...     predictions=[(model_id, "predictions.parquet")])
            >>> client.wait_job_completion(job_id)
        """
        header = pb.UploadHeader(task_id=task_id, kind=batch_pb2.BATCH_KIND_HISTORICAL)
        return self._upload(header, _sample_parts(inputs, target, predictions), request_id,
                            progress)

    def add_production_data(
        self,
        task_id: str,
        inputs=None,
        target=None,
        predictions=None,
        *,
        request_id: str | None = None,
        progress: bool | None = None,
    ) -> str:
        """Upload production samples of a task, like ``add_historical_data``. Without
        ``inputs``, ``target`` alone is a batch of targets of samples already uploaded (as
        ``add_target_data``); predictions are sent with their inputs.

        Returns the id of the ingestion job (at least PROJECT_USER).

        Example:
            >>> job_id = client.add_production_data(
            ...     task_id, inputs="production.parquet",
            ...     predictions=[(model_id, predictions_df)])
            >>> client.wait_job_completion(job_id)
        """
        if inputs is None:
            if predictions is not None:
                raise ValueError(
                    "predictions are sent with their inputs: pass inputs too (a batch of "
                    "late data without inputs carries only targets)"
                )
            if target is None:
                raise ValueError("nothing to upload: pass inputs, or target alone")
            return self.add_target_data(task_id, target, request_id=request_id,
                                        progress=progress)
        header = pb.UploadHeader(task_id=task_id, kind=batch_pb2.BATCH_KIND_PRODUCTION)
        return self._upload(header, _sample_parts(inputs, target, predictions), request_id,
                            progress)

    def add_target_data(
        self,
        task_id: str,
        target,
        *,
        request_id: str | None = None,
        progress: bool | None = None,
    ) -> str:
        """Upload targets that arrive after their samples: the ID column and the TARGET
        columns; every sample id must already be stored for the task. Reads join them to their
        samples.

        Returns the id of the ingestion job (at least PROJECT_USER).

        Example:
            >>> job_id = client.add_target_data(task_id, labels_df[["sample_id", "target"]])
            >>> client.wait_job_completion(job_id)
        """
        parts = [to_part(batch_pb2.PART_KIND_TARGET, target, what="target")]
        header = pb.UploadHeader(task_id=task_id, kind=batch_pb2.BATCH_KIND_TARGET)
        return self._upload(header, parts, request_id, progress)

    def add_kpi_data(
        self,
        project_id: str,
        kpi_id: str,
        kpi,
        *,
        request_id: str | None = None,
        progress: bool | None = None,
    ) -> str:
        """Upload values of a project's KPI: a table with a "timestamp" column and a numeric
        "value" column.

        Returns the id of the ingestion job (at least PROJECT_USER).

        Example:
            >>> kpi_df = pd.DataFrame({"timestamp": [1.7e9, 1.7e9 + 86400],
            ...                        "value": [120.5, 98.0]})
            >>> client.wait_job_completion(client.add_kpi_data(project_id, kpi_id, kpi_df))
        """
        parts = [to_part(batch_pb2.PART_KIND_KPI, kpi, what="kpi")]
        header = pb.UploadHeader(project_id=project_id, kpi_id=kpi_id,
                                 kind=batch_pb2.BATCH_KIND_KPI)
        return self._upload(header, parts, request_id, progress)

    # ---- batches -------------------------------------------------------------------------

    def get_batch(self, batch_id: str) -> Batch:
        """A batch by id (at least PROJECT_VIEW): ``batch_id``, ``kind``, ``state``, its
        ``ingestion_job_id``, ``parts``, ``row_count``, ``first_sample_datetime`` and
        ``last_sample_datetime``, and for a FAILED batch the ``failure_message`` and the
        ``problems`` its validation found.

        Example:
            >>> from driftline.enums import BatchState
            >>> batch = client.get_batch(batch_id)
            >>> batch.state is BatchState.COMMITTED, batch.row_count
            (True, 1000000)
        """
        return convert.batch_from_proto(self._transport.call(
            self._data.GetBatch, pb.GetBatchRequest(batch_id=batch_id), idempotent=True
        ).batch)

    def get_batches(
        self,
        task_id: str | None = None,
        *,
        kinds=None,
        states=None,
        from_timestamp=None,
        to_timestamp=None,
        project_id: str | None = None,
        kpi_id: str | None = None,
        page_size: int | None = None,
        limit: int | None = None,
    ) -> Pager[Batch]:
        """The batches of a task (or, with ``project_id`` and ``kpi_id``, of a KPI), oldest
        upload first, filtered by kinds, states (one or several, values or names) and the time
        range of their samples. Lazy: pages (of ``page_size``) are fetched as you iterate, up to
        ``limit`` batches (at least PROJECT_VIEW).

        Example:
            >>> for batch in client.get_batches(task_id, kinds="production",
            ...                                 states=["COMMITTED"], from_timestamp=1.7e9):
            ...     print(batch.batch_id, batch.row_count)
            >>> latest = list(client.get_batches(task_id, limit=10))
        """
        request = pb.ListBatchesRequest(
            task_id=task_id or "", project_id=project_id or "", kpi_id=kpi_id or "",
            kinds=enum_values(batch_pb2.BatchKind, kinds, "BATCH_KIND_"),
            states=enum_values(batch_pb2.BatchState, states, "BATCH_STATE_"),
            from_time=_timestamp(from_timestamp), to_time=_timestamp(to_timestamp),
        )

        return Pager(self._transport.call, self._data.ListBatches, request, "batches",
                     convert.batch_from_proto, page_size=page_size, limit=limit)

    def get_data_summary(self, task_id: str) -> DataSummary:
        """What is stored for a task (at least PROJECT_VIEW): ``kinds``, one KindSummary per
        kind with committed batches (``kind``, ``batch_count``, ``row_count``,
        ``first_sample_datetime``, ``last_sample_datetime``), ``pending_batch_count``,
        ``failed_batch_count`` and ``labelled_sample_count``.

        Example:
            >>> summary = client.get_data_summary(task_id)
            >>> {k.kind.name: k.row_count for k in summary.kinds}
            {'HISTORICAL': 1000000, 'PRODUCTION': 5000}
            >>> summary.of_kind("PRODUCTION").last_sample_datetime
        """
        return convert.data_summary_from_proto(self._transport.call(
            self._data.GetDataSummary, pb.GetDataSummaryRequest(task_id=task_id),
            idempotent=True,
        ).summary)

    # ---- reads ---------------------------------------------------------------------------

    def read_batch(self, batch_id: str, columns: str | Iterable[str] | None = None) -> pa.Table:
        """The rows of a committed batch as stored, as a pyarrow Table, optionally only some
        ``columns`` in that order (at least PROJECT_VIEW). The table is built as the stream
        arrives; ``.to_pandas()`` turns it into a DataFrame.

        Example:
            >>> table = client.read_batch(batch_id, columns=["sample_id", "age"])
            >>> df = table.to_pandas()
        """
        request = pb.ReadBatchRequest(batch_id=batch_id, columns=names(columns))
        responses = self._transport.stream(self._data.ReadBatch, request)
        return read_arrow_stream(response.arrow_ipc for response in responses)

    def read_samples(
        self,
        task_id: str,
        from_timestamp=None,
        to_timestamp=None,
        kinds=None,
        columns: str | Iterable[str] | None = None,
    ) -> pa.Table:
        """The committed samples of a task in ``[from_timestamp, to_timestamp)`` (unset: from
        the first, up to the last), of the given kinds (HISTORICAL, PRODUCTION or both, the
        default), with targets that arrived later joined to their samples, as a pyarrow Table;
        optionally only some ``columns`` (at least PROJECT_VIEW).

        Example:
            >>> from datetime import datetime, timezone
            >>> table = client.read_samples(
            ...     task_id, from_timestamp=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     kinds="production", columns=["sample_id", "timestamp", "target"])
            >>> table.num_rows
            5000
        """
        request = pb.ReadSamplesRequest(
            task_id=task_id, kinds=enum_values(batch_pb2.BatchKind, kinds, "BATCH_KIND_"),
            from_time=_timestamp(from_timestamp), to_time=_timestamp(to_timestamp),
            columns=names(columns),
        )
        responses = self._transport.stream(self._data.ReadSamples, request)
        return read_arrow_stream(response.arrow_ipc for response in responses)
