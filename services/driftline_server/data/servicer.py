"""DataService over gRPC: each RPC converts the request, calls the domain with the caller, and
converts the answer. Errors are domain exceptions, mapped by the ErrorInterceptor."""

from __future__ import annotations

from driftline.data.v1 import data_service_pb2 as pb, data_service_pb2_grpc
from driftline_server.data import conversions as convert
from driftline_server.data.domain import Data
from driftline_server.data.vocabulary import BatchKind, BatchState
from driftline_server.platform.errors import InvalidArgument
from driftline_server.platform.clock import time_from_proto
from driftline_server.platform.roles import current_caller


class DataServicer(data_service_pb2_grpc.DataServiceServicer):
    def __init__(self, data: Data):
        self._data = data

    async def UploadBatch(self, request_iterator, context):
        messages = request_iterator.__aiter__()
        first = await anext(messages, None)
        if first is None or first.WhichOneof("content") != "header":
            raise InvalidArgument.for_field(
                "header", "the first message of an upload is its header (task or KPI, kind)",
                "HEADER_REQUIRED")
        header = convert.header_from_proto(first.header)

        async def content():
            async for message in messages:
                which = message.WhichOneof("content")
                if which == "chunk":
                    yield message.chunk
                elif which == "part":
                    yield convert.part_from_proto(message.part)
                else:
                    raise InvalidArgument.for_field(
                        "header", "an upload has one header, its first message",
                        "HEADER_REPEATED")

        batch = await self._data.upload(current_caller(), header, content())
        return pb.UploadBatchResponse(batch=convert.batch_to_proto(batch))

    async def GetBatch(self, request: pb.GetBatchRequest, context):
        batch = await self._data.get_batch(current_caller(), request.batch_id)
        return pb.GetBatchResponse(batch=convert.batch_to_proto(batch))

    async def ListBatches(self, request: pb.ListBatchesRequest, context):
        rows, token = await self._data.list_batches(
            current_caller(), task_id=request.task_id.strip(),
            project_id=request.project_id.strip(), kpi_id=request.kpi_id.strip(),
            kinds=convert.enums_from_proto(BatchKind, request.kinds, "kinds"),
            states=convert.enums_from_proto(BatchState, request.states, "states"),
            from_time=time_from_proto(request, "from_time"),
            to_time=time_from_proto(request, "to_time"),
            page_size=request.page_size, page_token=request.page_token,
        )
        return pb.ListBatchesResponse(batches=[convert.batch_to_proto(row) for row in rows],
                                      next_page_token=token)

    async def ReadBatch(self, request: pb.ReadBatchRequest, context):
        pieces = await self._data.read_batch(current_caller(), request.batch_id,
                                             list(request.columns))
        async for piece in pieces:
            yield pb.ReadBatchResponse(arrow_ipc=piece)

    async def ReadSamples(self, request: pb.ReadSamplesRequest, context):
        pieces = await self._data.read_samples(
            current_caller(), request.task_id.strip(),
            convert.enums_from_proto(BatchKind, request.kinds, "kinds"),
            time_from_proto(request, "from_time"),
            time_from_proto(request, "to_time"), list(request.columns),
            [batch_id.strip() for batch_id in request.batch_ids],
        )
        async for piece in pieces:
            yield pb.ReadSamplesResponse(arrow_ipc=piece)

    async def GetDataSummary(self, request: pb.GetDataSummaryRequest, context):
        summary = await self._data.data_summary(current_caller(), request.task_id.strip())
        return pb.GetDataSummaryResponse(summary=convert.summary_to_proto(summary))

    # -- internal: the ingestion job --------------------------------------------------------

    async def CommitBatch(self, request: pb.CommitBatchRequest, context):
        batch = await self._data.commit_batch(request.batch_id)
        return pb.CommitBatchResponse(batch=convert.batch_to_proto(batch))

    async def FailBatch(self, request: pb.FailBatchRequest, context):
        batch = await self._data.fail_batch(
            request.batch_id, request.failure_message,
            [convert.problem_from_proto(problem) for problem in request.problems])
        return pb.FailBatchResponse(batch=convert.batch_to_proto(batch))
