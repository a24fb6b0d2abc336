"""MonitoringService as other services see it: Data tells it of committed batches (which start
their detection), over gRPC with the internal credential."""

from __future__ import annotations

import grpc

from driftline.monitoring.v1 import monitoring_service_pb2 as pb, monitoring_service_pb2_grpc
from driftline_server.platform.channels import ServiceChannels
from driftline_server.platform.errors import Unavailable

_TIMEOUT_SECONDS = 10.0


class MonitoringClient:
    def __init__(self, channels: ServiceChannels):
        self._channels = channels

    async def notify_batch_committed(self, batch_id: str, task_id: str, kind: str,
                                     kpi_id: str = "", project_id: str = "") -> str:
        """Tell Monitoring a batch of a task is committed; returns its detection job's id, or
        "" when there is nothing to detect."""
        try:
            stub = monitoring_service_pb2_grpc.MonitoringServiceStub(
                self._channels.channel("monitoring"))
        except ValueError as error:  # this process knows no address for Monitoring
            raise Unavailable(reason="MONITORING_UNAVAILABLE", message=str(error)) from None
        try:
            response = await stub.NotifyBatchCommitted(
                pb.NotifyBatchCommittedRequest(batch_id=batch_id, task_id=task_id, kind=kind,
                                               kpi_id=kpi_id, project_id=project_id),
                metadata=self._channels.metadata(), timeout=_TIMEOUT_SECONDS)
        except grpc.aio.AioRpcError as error:
            raise Unavailable(
                reason="MONITORING_UNAVAILABLE",
                message=f"MonitoringService could not answer ({error.code().name}: "
                        f"{error.details()}): retry later") from None
        return response.job_id
