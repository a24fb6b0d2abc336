"""MonitoringService over gRPC: each RPC converts the request, calls the domain with the caller,
and converts the answer. Errors are domain exceptions, mapped by the ErrorInterceptor."""

from __future__ import annotations

from driftline.monitoring.v1 import monitoring_service_pb2 as pb, monitoring_service_pb2_grpc
from driftline_server.monitoring import conversions as convert
from driftline_server.monitoring.domain import Monitoring
from driftline_server.platform.clock import time_from_proto
from driftline_server.platform.roles import current_caller


class MonitoringServicer(monitoring_service_pb2_grpc.MonitoringServiceServicer):
    def __init__(self, monitoring: Monitoring):
        self._monitoring = monitoring

    async def SetModelReference(self, request: pb.SetModelReferenceRequest, context):
        reference = await self._monitoring.set_model_reference(
            current_caller(), request.model_id.strip(),
            time_from_proto(request, "from_time"),
            time_from_proto(request, "to_time"), request.request_id.strip())
        return pb.SetModelReferenceResponse(job_id=reference.row.job_id or "",
                                            reference=convert.reference_to_proto(reference))

    async def GetModelReference(self, request: pb.GetModelReferenceRequest, context):
        reference = await self._monitoring.get_model_reference(
            current_caller(), request.model_id.strip(), request.version)
        return pb.GetModelReferenceResponse(reference=convert.reference_to_proto(reference))

    async def ListModelReferences(self, request: pb.ListModelReferencesRequest, context):
        references, token = await self._monitoring.list_model_references(
            current_caller(), request.model_id.strip(), request.page_size, request.page_token)
        return pb.ListModelReferencesResponse(
            references=[convert.reference_to_proto(r) for r in references],
            next_page_token=token)

    # -- internal: the reference job ---------------------------------------------------------

    async def CompleteModelReference(self, request: pb.CompleteModelReferenceRequest, context):
        reference = await self._monitoring.complete_reference(
            request.reference_id.strip(), request.sample_count, request.labelled_sample_count,
            [convert.quantity_from_proto(q) for q in request.quantities],
            [convert.skipped_from_proto(s) for s in request.skipped_targets], request.fitted)
        return pb.CompleteModelReferenceResponse(reference=convert.reference_to_proto(reference))

    async def FailModelReference(self, request: pb.FailModelReferenceRequest, context):
        reference = await self._monitoring.fail_reference(
            request.reference_id.strip(), request.failure_message, request.sample_count)
        return pb.FailModelReferenceResponse(reference=convert.reference_to_proto(reference))
