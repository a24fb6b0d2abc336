"""JobsService over gRPC: each RPC converts the request, calls the domain with the caller, and
converts the answer. Errors are domain exceptions, mapped by the ErrorInterceptor."""

from __future__ import annotations

from driftline.jobs.v1 import job_pb2, jobs_service_pb2 as pb, jobs_service_pb2_grpc
from driftline_server.jobs import conversions as convert
from driftline_server.jobs.domain import Jobs
from driftline_server.jobs.models import JobRow
from driftline_server.platform.errors import InvalidArgument
from driftline_server.platform.roles import current_caller
from driftline_server.platform.validation import heartbeat_seconds

DEFAULT_HEARTBEAT_SECONDS = 5.0


class JobsServicer(jobs_service_pb2_grpc.JobsServiceServicer):
    def __init__(self, jobs: Jobs):
        self._jobs = jobs

    async def _named(self, job: JobRow) -> job_pb2.Job:
        return convert.job_to_proto(job, (await self._jobs.names([job])).get(job.id))

    async def GetJob(self, request: pb.GetJobRequest, context):
        job = await self._jobs.get(current_caller(), request.job_id)
        return pb.GetJobResponse(job=await self._named(job))

    async def ListJobs(self, request: pb.ListJobsRequest, context):
        rows, token = await self._jobs.list(
            current_caller(), convert.filter_from_proto(request.filter), request.page_size,
            request.page_token,
        )
        names = await self._jobs.names(rows)
        return pb.ListJobsResponse(
            jobs=[convert.job_to_proto(row, names.get(row.id)) for row in rows],
            next_page_token=token,
        )

    async def CancelJob(self, request: pb.CancelJobRequest, context):
        job = await self._jobs.cancel(current_caller(), request.job_id)
        return pb.CancelJobResponse(job=await self._named(job))

    async def WatchJob(self, request: pb.WatchJobRequest, context):
        if request.after_sequence < 0:
            raise InvalidArgument.for_field("after_sequence", "must not be negative")
        async for event in self._jobs.watch_job(
            current_caller(), request.job_id, request.after_sequence
        ):
            yield pb.WatchJobResponse(event=convert.event_to_proto(event))

    async def WatchJobs(self, request: pb.WatchJobsRequest, context):
        if request.after_sequence < 0:
            raise InvalidArgument.for_field("after_sequence", "must not be negative")
        heartbeat = heartbeat_seconds(request, DEFAULT_HEARTBEAT_SECONDS)
        async for event in self._jobs.watch_jobs(
            current_caller(), convert.filter_from_proto(request.filter),
            request.after_sequence, heartbeat,
        ):
            yield pb.WatchJobsResponse(event=convert.event_to_proto(event))

    async def SubmitDiagnosticsJob(self, request: pb.SubmitDiagnosticsJobRequest, context):
        job = await self._jobs.submit_diagnostics(
            current_caller(), request.project_id or None,
            convert.diagnostics_arguments(request), request.max_attempts,
            request.request_id or None,
        )
        return pb.SubmitDiagnosticsJobResponse(job=await self._named(job))

    # -- internal ------------------------------------------------------------------------

    async def SubmitJob(self, request: pb.SubmitJobRequest, context):
        job = await self._jobs.submit(convert.draft_from_proto(request))
        return pb.SubmitJobResponse(job=convert.job_to_proto(job))

    async def StartJobAttempt(self, request: pb.StartJobAttemptRequest, context):
        proceed, job = await self._jobs.start_attempt(request.job_id, request.run_id)
        return pb.StartJobAttemptResponse(proceed=proceed, job=convert.job_to_proto(job))

    async def ReportJobProgress(self, request: pb.ReportJobProgressRequest, context):
        cancel = await self._jobs.report_progress(
            request.job_id, request.run_id, request.progress.fraction, request.progress.message
        )
        return pb.ReportJobProgressResponse(cancel_requested=cancel)

    async def CheckJobCancellation(self, request: pb.CheckJobCancellationRequest, context):
        cancel = await self._jobs.check_cancellation(request.job_id, request.run_id)
        return pb.CheckJobCancellationResponse(cancel_requested=cancel)
