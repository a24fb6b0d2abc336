"""The client's conversions of DataService's batches and data summaries
(driftline.conversions.data): every message round trip, the fields' names, unset values as
None."""

from __future__ import annotations

from datetime import timezone

import pytest

from conversions_helpers import assert_round_trip, filled
from driftline.conversions import data as convert
from driftline.data.v1 import batch_pb2
from driftline.enums import BatchKind, BatchState, DataFormat, PartKind
from driftline.types import Batch, DataSummary

MESSAGES = [
    (batch_pb2.BatchPart, convert.batch_part_from_proto, convert.batch_part_to_proto),
    (batch_pb2.BatchProblem, convert.batch_problem_from_proto, convert.batch_problem_to_proto),
    (batch_pb2.Batch, convert.batch_from_proto, convert.batch_to_proto),
    (batch_pb2.KindSummary, convert.kind_summary_from_proto, convert.kind_summary_to_proto),
    (batch_pb2.DataSummary, convert.data_summary_from_proto, convert.data_summary_to_proto),
]


@pytest.mark.parametrize("message_type, from_proto, to_proto", MESSAGES,
                         ids=[m[0].__name__ for m in MESSAGES])
def test_every_message_survives_the_round_trip(message_type, from_proto, to_proto):
    assert_round_trip(filled(message_type), from_proto, to_proto)


def test_a_pending_batch_survives_with_its_unset_fields():
    message = batch_pb2.Batch(id="b", task_id="t", project_id="p",
                              kind=batch_pb2.BATCH_KIND_PRODUCTION,
                              state=batch_pb2.BATCH_STATE_PENDING, ingestion_job_id="j")
    batch = convert.batch_from_proto(message)
    assert batch.kpi_id is None and batch.first_sample_datetime is None
    assert batch.failure_message is None and batch.schema_version is None
    assert batch.problems == [] and batch.parts == []
    assert_round_trip(message, convert.batch_from_proto, convert.batch_to_proto)


def test_a_batch_names_its_fields_and_enums():
    message = filled(batch_pb2.Batch)
    batch = convert.batch_from_proto(message)
    assert (batch.batch_id, batch.ingestion_job_id) == (message.id, message.ingestion_job_id)
    assert batch.kind is BatchKind.KPI and batch.state is BatchState.FAILED
    assert batch.parts[0].kind is PartKind.KPI and batch.parts[0].format is DataFormat.CSV
    assert batch.problems[0].rows == list(message.problems[0].rows)
    assert batch.creation_datetime == message.create_time.ToDatetime(tzinfo=timezone.utc)
    assert {"batch_id", "creation_datetime", "finish_datetime", "first_sample_datetime",
            "last_sample_datetime"} <= set(Batch.model_fields)


def test_a_data_summary_finds_a_kind_by_member_number_or_name():
    summary = DataSummary(task_id="t", kinds=[
        convert.kind_summary_from_proto(batch_pb2.KindSummary(kind=1, row_count=10)),
        convert.kind_summary_from_proto(batch_pb2.KindSummary(kind=2, row_count=5)),
    ])
    assert summary.of_kind(BatchKind.PRODUCTION).row_count == 5
    assert summary.of_kind(batch_pb2.BATCH_KIND_HISTORICAL).row_count == 10
    assert summary.of_kind("historical").row_count == 10
    assert summary.of_kind("BATCH_KIND_PRODUCTION").row_count == 5
    assert summary.of_kind("KPI") is None
