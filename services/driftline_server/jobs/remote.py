"""JobsService as other services see it: submitting their jobs and reading how they ended, over
gRPC with the internal credential (the way catalog/remote.py serves Catalog's facts)."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
from google.protobuf import struct_pb2

from driftline.jobs.v1 import job_pb2, jobs_service_pb2, jobs_service_pb2_grpc
from driftline_server.platform.channels import ServiceChannels
from driftline_server.platform.errors import Unavailable

_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class JobOutcome:
    """How a job stands: its status name (QUEUED ... CANCELLED) and its error, if it failed."""

    status: str
    error_reason: str = ""
    error_message: str = ""

    @property
    def finished(self) -> bool:
        return self.status in ("COMPLETED", "FAILED", "CANCELLED")


class JobsClient:
    def __init__(self, channels: ServiceChannels):
        self._channels = channels

    def _stub(self) -> jobs_service_pb2_grpc.JobsServiceStub:
        return jobs_service_pb2_grpc.JobsServiceStub(self._channels.channel("jobs"))

    async def submit(
        self, job_type: str, arguments: dict, *, company_id: str, project_id: str = "",
        task_id: str = "", model_id: str = "", request_id: str = "", max_attempts: int = 0,
        enforce_plan_limit: bool = False,
    ) -> str:
        """Submit a job (stored before the answer); the same request_id returns the same job.
        ``enforce_plan_limit``: a job a user's call starts, refused past the company plan's
        max_concurrent_jobs (ResourceExhausted, passed on as Jobs gave it)."""
        struct = struct_pb2.Struct()
        struct.update(arguments)
        try:
            response = await self._stub().SubmitJob(
                jobs_service_pb2.SubmitJobRequest(
                    type=job_type, arguments=struct, company_id=company_id,
                    project_id=project_id, task_id=task_id, model_id=model_id,
                    request_id=request_id, max_attempts=max_attempts,
                    enforce_plan_limit=enforce_plan_limit,
                ),
                metadata=self._channels.metadata(), timeout=_TIMEOUT_SECONDS,
            )
        except grpc.aio.AioRpcError as error:
            from driftline_server.identity.remote import plan_refusal

            raise (plan_refusal(error) or _unavailable(error)) from None
        return response.job.id

    async def outcome(self, job_id: str) -> JobOutcome | None:
        """The job's status, or None when it does not exist."""
        try:
            response = await self._stub().GetJob(
                jobs_service_pb2.GetJobRequest(job_id=job_id),
                metadata=self._channels.metadata(), timeout=_TIMEOUT_SECONDS,
            )
        except grpc.aio.AioRpcError as error:
            if error.code() is grpc.StatusCode.NOT_FOUND:
                return None
            raise _unavailable(error) from None
        job = response.job
        return JobOutcome(job_pb2.JobStatus.Name(job.status).removeprefix("JOB_STATUS_"),
                          job.error.reason, job.error.message)


def _unavailable(error: grpc.aio.AioRpcError) -> Unavailable:
    return Unavailable(
        reason="JOBS_UNAVAILABLE",
        message=f"JobsService could not answer ({error.code().name}: {error.details()}): "
                "retry later",
    )
