"""Data's proto <-> domain conversions: what the ingestion job sends back and forth, and what
the servicer reads from an upload's messages."""

from __future__ import annotations

import pytest

from driftline.data.v1 import batch_pb2, data_service_pb2 as pb
from driftline_server.data import conversions as convert
from driftline_server.data.vocabulary import BatchKind, DataFormat, PartKind
from driftline_server.platform.errors import InvalidArgument


def test_a_problem_round_trips():
    problem = {"code": "UNKNOWN_CATEGORY", "column": "plan", "part": "INPUTS", "model_id": "",
               "message": "gold is not a plan", "rows": [0, 4], "values": ["gold", "gold"],
               "row_count": 2}
    assert convert.problem_from_proto(convert.problem_to_proto(problem)) == problem
    bare = {**problem, "part": ""}
    assert convert.problem_from_proto(convert.problem_to_proto(bare)) == bare


def test_headers_and_parts_are_read_trimmed():
    header = convert.header_from_proto(pb.UploadHeader(
        task_id=" t1 ", kind=batch_pb2.BATCH_KIND_TARGET, request_id=" r "))
    assert (header.kind, header.task_id, header.request_id) == (BatchKind.TARGET, "t1", "r")
    part = convert.part_from_proto(pb.PartHeader(
        kind=batch_pb2.PART_KIND_PREDICTIONS, model_id=" m ",
        format=batch_pb2.DATA_FORMAT_PARQUET, size_bytes=7))
    assert (part.kind, part.model_id, part.data_format, part.size_bytes) == (
        PartKind.PREDICTIONS, "m", DataFormat.PARQUET, 7)
    assert convert.part_from_proto(pb.PartHeader()).kind is None
    with pytest.raises(InvalidArgument) as caught:
        convert.part_from_proto(pb.PartHeader(kind=42))
    assert caught.value.violations[0].field == "part.kind"
