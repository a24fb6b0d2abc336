"""The engine: takes due jobs from the queue and runs them on Dask distributed.

Embedded (the default), it starts an in-process LocalCluster (threads, sized to the machine) on
its own event loop thread; with a scheduler address (``--dask-scheduler tcp://host:port``) it
runs the same tasks on an existing Dask cluster of any size. It is the only code that knows how
work is distributed.

Each replica's engine claims jobs under a lease that it renews while their attempts run; a
replica that dies stops renewing, and any replica puts its jobs back in the queue once the lease
expires (at-least-once). A replica that stops cleanly puts its jobs back at once.
"""

from __future__ import annotations

import asyncio
import os
import time

from driftline_server.jobs import worker
from driftline_server.jobs.domain import Claim, Jobs
from driftline_server.jobs.events import EventFeed, JobEvent
from driftline_server.jobs.registry import HandlerRegistry
from driftline_server.jobs.vocabulary import EventType, JobStatus
from driftline_server.platform.clock import new_id, utcnow
from driftline_server.platform.config import Settings, job_settings
from driftline_server.platform.logging import get_logger

_log = get_logger("driftline.jobs.engine")


class Engine:
    def __init__(
        self,
        jobs: Jobs,
        feed: EventFeed,
        registry: HandlerRegistry,
        addresses,  # () -> {service: address} the workers use to reach the suite
        settings: Settings,  # the server's: what its jobs run with
        lease_seconds: float = 15.0,
        max_in_flight: int = 512,
    ):
        self._jobs = jobs
        self._feed = feed
        self._registry = registry
        self._addresses = addresses
        self._settings = settings
        self._job_settings = job_settings(settings)
        self._scheduler_address = settings.dask_scheduler
        self._lease_seconds = lease_seconds
        self._max_in_flight = max_in_flight
        self.owner = f"{os.uname().nodename[:30]}-{os.getpid()}-{new_id()[:8]}"
        self._cluster = None
        self._client = None
        self._running: dict[str, tuple[str, object]] = {}  # job id -> (run id, Dask future)
        self._followers: set[asyncio.Task] = set()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._stopping = False

    @property
    def embedded(self) -> bool:
        return not self._scheduler_address

    async def start(self) -> None:
        from distributed import Client

        if self.embedded:
            self._cluster = await asyncio.to_thread(self._start_local_cluster)
            address = self._cluster.scheduler_address
            worker.configure_embedded(self.owner, self._settings)
        else:
            address = self._scheduler_address
        try:
            self._client = await Client(address, asynchronous=True, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise OSError(
                f"cannot reach the Dask scheduler at {address} ({error}): start it, or leave "
                "DRIFTLINE_DASK_SCHEDULER unset to run jobs on the embedded cluster"
            ) from None
        _log.info("engine_started", scheduler=address, embedded=self.embedded, owner=self.owner)
        self._tasks = [
            asyncio.create_task(self._dispatch_forever(), name="jobs-dispatcher"),
            asyncio.create_task(self._renew_forever(), name="jobs-leases"),
            asyncio.create_task(self._follow_events(), name="jobs-engine-events"),
        ]

    @staticmethod
    def _start_local_cluster():
        from distributed import LocalCluster

        # Threads, not processes: handlers mostly wait on I/O and gRPC, and a thread worker
        # starts in well under a second. Its event loop runs on a thread of its own.
        return LocalCluster(
            n_workers=1, threads_per_worker=max(2, os.cpu_count() or 2), processes=False,
            dashboard_address=None, silence_logs=40,
            # The scheduler serves health and metrics over HTTP even without a dashboard, by
            # default on port 8787 of every interface: keep it on a free loopback port.
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        )

    async def stop_dispatching(self) -> None:
        self._stopping = True
        if self.embedded:
            worker.embedded_stopping()
        dispatcher = self._tasks[0] if self._tasks else None
        if dispatcher is not None:
            dispatcher.cancel()
            await asyncio.gather(dispatcher, return_exceptions=True)

    async def stop(self) -> None:
        """Stop taking jobs, put this replica's running jobs back in the queue, close Dask."""
        self._stopping = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for task in list(self._followers):
            task.cancel()
        await asyncio.gather(*self._followers, return_exceptions=True)
        try:
            count = await self._jobs.requeue(owner=self.owner, reason="the Jobs service stopped")
            if count:
                _log.info("jobs_requeued_on_stop", count=count)
        except Exception:
            _log.warning("requeue_on_stop_failed", exc_info=True)
        if self._client is not None:
            futures = [future for _, future in self._running.values()]
            if futures:
                await self._client.cancel(futures, force=True)
            await self._client.close()
        if self._cluster is not None:
            await asyncio.to_thread(self._cluster.close)

    def wake(self) -> None:
        self._wake.set()

    # -- dispatching ---------------------------------------------------------------------

    async def _dispatch_forever(self) -> None:
        last_recovery = 0.0
        while True:
            try:
                now = time.monotonic()
                if now - last_recovery > self._lease_seconds / 3:
                    last_recovery = now
                    count = await self._jobs.requeue(reason="its lease expired")
                    if count:
                        _log.info("jobs_recovered", count=count)
                room = self._max_in_flight - len(self._running)
                if room > 0:
                    for claim in await self._jobs.claim_due(self.owner, room, self._lease_seconds):
                        self._submit(claim)
                    if len(self._running) >= self._max_in_flight:
                        timeout = 1.0
                    else:
                        due = await self._jobs.next_due_time()
                        timeout = 2.0 if due is None else min(
                            2.0, max(0.0, (due - utcnow()).total_seconds())
                        )
                else:
                    timeout = 1.0
            except asyncio.CancelledError:
                raise
            except Exception:
                _log.warning("dispatch_failed", exc_info=True)
                timeout = 1.0
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except TimeoutError:
                pass
            self._wake.clear()

    def _submit(self, claim: Claim) -> None:
        registration = self._registry.get(claim.type)
        if registration is None:  # submitted by a replica that knows a type this one does not
            outcome = {"outcome": "failed", "permanent": False, "reason": "JOB_TYPE_UNKNOWN",
                       "message": f"replica {self.owner} has no handler for '{claim.type}'"}
            self._track(claim, None, outcome)
            return
        spec = {
            "job_id": claim.job_id, "run_id": claim.run_id, "type": claim.type,
            "attempt": claim.attempt, "max_attempts": claim.max_attempts,
            "arguments": claim.arguments,
            "company_id": claim.company_id, "project_id": claim.project_id,
            "task_id": claim.task_id, "model_id": claim.model_id,
            "addresses": self._addresses(),
            "engine": self.owner, "settings": self._job_settings,
        }
        future = self._client.submit(
            worker.run_job, registration.handler, spec,
            key=f"job-{claim.type}-{claim.job_id}-{claim.run_id}", pure=False,
        )
        self._track(claim, future, None)

    def _track(self, claim: Claim, future, outcome: dict | None) -> None:
        self._running[claim.job_id] = (claim.run_id, future)
        task = asyncio.create_task(self._await_attempt(claim, future, outcome))
        self._followers.add(task)
        task.add_done_callback(self._followers.discard)

    async def _await_attempt(self, claim: Claim, future, outcome: dict | None) -> None:
        try:
            if outcome is None:
                try:
                    outcome = await future
                except asyncio.CancelledError:
                    if self._stopping:
                        raise
                    outcome = {"outcome": "skipped"}  # we cancelled it: the job was cancelled
                except Exception as error:  # the worker died, the task could not run, ...
                    outcome = {"outcome": "failed", "permanent": False, "reason": "WORKER_ERROR",
                               "message": f"{type(error).__name__}: {error}"[:1500]}
            if outcome.get("traceback"):
                _log.warning("job_attempt_failed", job_id=claim.job_id, attempt=claim.attempt,
                             reason=outcome.get("reason"), traceback=outcome["traceback"])
            for delay in (0.2, 1.0, 5.0, None):  # the database may be briefly away
                try:
                    await self._jobs.finish_attempt(claim.job_id, claim.run_id, outcome)
                    break
                except Exception:
                    if delay is None:
                        # The lease will expire and the job will run again.
                        _log.error("finish_attempt_failed", job_id=claim.job_id, exc_info=True)
                        break
                    await asyncio.sleep(delay)
        finally:
            if self._running.get(claim.job_id, (None,))[0] == claim.run_id:
                del self._running[claim.job_id]
            self._wake.set()

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self._lease_seconds / 3)
            try:
                await self._jobs.renew_leases(
                    self.owner, list(self._running), self._lease_seconds
                )
            except asyncio.CancelledError:
                raise
            except Exception:
                _log.warning("lease_renewal_failed", exc_info=True)

    async def _follow_events(self) -> None:
        """Queued jobs wake the dispatcher (also those submitted on other replicas); a job
        cancelled before it began is taken off the Dask queue."""

        async def nothing_behind(_after: int, _up_to: int) -> list[JobEvent]:
            return []  # the engine only cares about what happens from now on

        async for event in self._feed.follow(
            self._feed.high_water,
            lambda e: e.event_type is EventType.STATUS_CHANGED,
            nothing_behind,
        ):
            if event.status is JobStatus.QUEUED:
                self._wake.set()
            elif event.status is JobStatus.CANCELLED and event.job_id in self._running:
                _, future = self._running[event.job_id]
                if future is not None and not future.done():
                    await self._client.cancel([future], force=True)

