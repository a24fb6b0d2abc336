"""Detection as the service keeps it: starting a batch's detection, what its job needs, what it
records, and reading back statuses and detection events. Nothing here knows gRPC.

Data tells Monitoring of every committed batch (``batch_committed``); a PRODUCTION batch, or a
TARGET batch of late targets, of a task whose models have an active reference starts one
detection job (its request id is the batch's, so it starts once). The job (job_handlers.py,
computing with detection.py) asks for the context, reads the batch, and records each model's
detection with ``record_detection``: the detectors' new state, the statuses and the events, in
one transaction of the detection event log, never twice for the same batch and reference.

Authorization as the rest of Monitoring: reading needs PROJECT_VIEW on the task's project,
feedback PROJECT_USER, and another company's task is NOT_FOUND.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import select

from driftline_server.catalog.remote import CatalogModels, ModelInfo, TaskInfo
from driftline_server.jobs.remote import JobsClient
from driftline_server.monitoring.models import (
    DetectedBatchRow,
    EvaluationThresholdRow,
    DetectionEventRow,
    DetectionStateRow,
    KpiStateRow,
    QuantityStatusRow,
    ReferenceRow,
    active_references,
)
from driftline_server.monitoring.access import visible_model, visible_task
from driftline_server.monitoring.rules import Rules
from driftline_server.monitoring.vocabulary import (
    DETECTED_BATCH_KINDS,
    DETECTION_JOB,
    CLASSIFICATION_METRICS,
    HIGHER_IS_BETTER,
    KPI_DETECTION_JOB,
    PROBABILITY_METRICS,
    MonitoringStatus,
    quantity_key,
    worst,
)
from driftline_server.platform import paging
from driftline_server.platform.clock import new_id, utcnow
from driftline_server.platform.database import Database
from driftline_server.platform.eventlog import LogFeed, SequencedLog, stopping_error
from driftline_server.platform.errors import (
    Aborted,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    Unavailable,
    not_found,
    require,
)
from driftline_server.platform.logging import get_logger
from driftline_server.platform.roles import Caller, ProjectRole
from driftline_server.platform.validation import require_id

_log = get_logger("driftline.monitoring.detection")

NOTIFY_CHANNEL = "driftline_detection_events"
_APPEND_LOCK_KEY = 0x6465746563747673  # "detectvs"; the same in every replica
DEFAULT_EVENTS_PAGE = 100


@dataclass(frozen=True)
class Heartbeat:
    """What a quiet watcher is sent: the sequence to resume after."""

    sequence: int


class DetectionLog(SequencedLog[DetectionEventRow, object]):
    def __init__(self, database: Database):
        super().__init__(database, DetectionEventRow, lambda row: row,
                         lock_key=_APPEND_LOCK_KEY, notify_channel=NOTIFY_CHANNEL)


def detection_feed(log: DetectionLog, poll_seconds: float) -> LogFeed:
    return LogFeed(log, Heartbeat, stopping_error("monitoring"), poll_seconds=poll_seconds)


@dataclass
class ModelContext:
    """What one model's detection of a batch needs."""

    model: ModelInfo
    reference_id: str
    state_version: int
    state: dict
    thresholds: list = field(default_factory=list)  # EvaluationThresholdRow


@dataclass
class DetectionContext:
    task: TaskInfo
    id_column: str
    time_column: str
    models: list[ModelContext]
    columns: list[dict] = field(default_factory=list)  # the data schema's


@dataclass
class QuantityStatus:
    """Where one quantity stands (model fields empty for a summary of several models)."""

    target: str
    metric: str
    feature: str
    status: str
    model: ModelInfo | None = None
    reference_id: str = ""
    status_time: datetime | None = None
    last_batch_id: str = ""
    update_time: datetime | None = None
    evaluation_metric: str = ""


@dataclass
class EventFilter:
    model_id: str = ""
    targets: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    from_time: datetime | None = None
    to_time: datetime | None = None

    def where(self) -> list:
        clauses = []
        if self.model_id:
            clauses.append(DetectionEventRow.model_id == self.model_id)
        if self.targets:
            clauses.append(DetectionEventRow.target.in_(self.targets))
        if self.types:
            clauses.append(DetectionEventRow.event_type.in_(self.types))
        if self.severities:
            clauses.append(DetectionEventRow.severity.in_(self.severities))
        if self.from_time is not None:
            clauses.append(DetectionEventRow.create_time >= self.from_time)
        if self.to_time is not None:
            clauses.append(DetectionEventRow.create_time < self.to_time)
        return clauses


# Model identities kept (see Detections._model): a few hundred bytes each.
_MAX_IDENTITIES = 10_000


class Detections:
    def __init__(self, database: Database, catalog: CatalogModels, jobs: JobsClient,
                 log: DetectionLog, feed: LogFeed, rules: Rules):
        self._rules = rules
        self._db = database
        self._catalog = catalog
        self._jobs = jobs
        self._log = log
        self._feed = feed
        self._identities: dict[str, ModelInfo] = {}  # model id -> its identity (see _model)

    # -- access ------------------------------------------------------------------------------

    async def _task(self, caller: Caller, task_id: str, needed: ProjectRole,
                    action: str) -> TaskInfo:
        return await visible_task(self._catalog, caller, task_id, needed, action)

    async def _active_references(self, task_id: str, model_id: str = "") -> list[ReferenceRow]:
        """The active reference (newest COMPLETE) of each model of the task."""
        statement = active_references(task_id=task_id, model_id=model_id)
        async with self._db.reading() as session:
            return list((await session.exec(statement)).all())

    async def _model(self, model_id: str) -> ModelInfo:
        """The model's identity (id, task, name, version) for statuses and events. A model
        version's name and version never change, so it is asked of the Catalog once: detection
        needs it for every model of every batch. (Its other fields may change: ask the Catalog.)"""
        known = self._identities.get(model_id)
        if known is not None:
            return known
        model = await self._catalog.get_model(model_id)
        if model is None:
            # A model deleted since its reference was set keeps its events under its id.
            return ModelInfo(id=model_id, task_id="", name="", version="")
        if len(self._identities) >= _MAX_IDENTITIES:
            self._identities.pop(next(iter(self._identities)))
        self._identities[model_id] = model
        return model

    # -- starting detection (internal) --------------------------------------------------------

    async def batch_committed(self, batch_id: str, task_id: str, kind: str, kpi_id: str = "",
                              project_id: str = "") -> str:
        """Start the batch's detection job when there is something to detect; its id or ""."""
        require_id(batch_id, "batch_id")
        if kind == "KPI" and kpi_id:
            return await self._kpi_batch_committed(batch_id, kpi_id, project_id)
        if kind not in DETECTED_BATCH_KINDS or not task_id:
            return ""
        require_id(task_id, "task_id")
        references = await self._active_references(task_id)
        if not references:
            return ""
        first = references[0]
        job_id = await self._jobs.submit(
            DETECTION_JOB, {"task_id": task_id, "batch_id": batch_id, "kind": kind},
            company_id=first.company_id, project_id=first.project_id, task_id=task_id,
            request_id=f"detect-{batch_id}", max_attempts=5)
        _log.info("detection_submitted", batch_id=batch_id, task_id=task_id, job_id=job_id,
                  models=len(references))
        return job_id

    async def _kpi_batch_committed(self, batch_id: str, kpi_id: str, project_id: str) -> str:
        """Every KPI batch is detected: its first values make the KPI's reference."""
        require_id(kpi_id, "kpi_id")
        project_id = project_id or await self._catalog.kpi_project(kpi_id) or ""
        company_id = await self._catalog.project_company(project_id)
        job_id = await self._jobs.submit(
            KPI_DETECTION_JOB, {"kpi_id": kpi_id, "batch_id": batch_id},
            company_id=company_id, project_id=project_id, request_id=f"detect-{batch_id}",
            max_attempts=5)
        _log.info("kpi_detection_submitted", batch_id=batch_id, kpi_id=kpi_id, job_id=job_id)
        return job_id

    async def kpi_detection_state(self, kpi_id: str, batch_id: str) -> tuple[bool, int, dict]:
        """(whether the batch is recorded already, the state's version, the state)."""
        require_id(kpi_id, "kpi_id")
        require_id(batch_id, "batch_id")
        async with self._db.reading() as session:
            done = await session.get(DetectedBatchRow, (kpi_id, batch_id))
            row = await session.get(KpiStateRow, kpi_id)
        return done is not None, row.version if row else 0, row.state if row else {}

    async def record_kpi_detection(self, kpi_id: str, batch_id: str, expected_version: int,
                                   state: dict, status: dict, events: list[dict]) -> bool:
        """Store a KPI's detection of one batch, all or nothing, once."""
        require_id(kpi_id, "kpi_id")
        require_id(batch_id, "batch_id")
        project_id = await self._catalog.kpi_project(kpi_id)
        if project_id is None:
            raise not_found("KPI", kpi_id)
        company_id = await self._catalog.project_company(project_id)

        async def change(writer) -> bool:
            session = writer.session
            if await session.get(DetectedBatchRow, (kpi_id, batch_id)) is not None:
                return False
            now = utcnow()
            row = await session.get(KpiStateRow, kpi_id, with_for_update=True)
            if (row.version if row else 0) != expected_version:
                raise Aborted(reason="DETECTION_STATE_CHANGED",
                              message=f"the detector of KPI '{kpi_id}' changed since version "
                                      f"{expected_version} was read: read it again",
                              metadata={"kpi_id": kpi_id})
            row = row or KpiStateRow(kpi_id=kpi_id, company_id=company_id,
                                     project_id=project_id, version=0, state={},
                                     status=status["status"], update_time=now)
            row.version += 1
            row.state, row.status = state, status["status"]
            row.status_time = status.get("status_time")
            row.reference_value_count = status["reference_value_count"]
            row.last_batch_id, row.update_time = batch_id, now
            session.add(row)
            session.add(DetectedBatchRow(reference_id=kpi_id, batch_id=batch_id,
                                         event_count=len(events), record_time=now))
            for event in events:
                await writer.add(DetectionEventRow(
                    id=new_id(), company_id=company_id, project_id=project_id, task_id="",
                    model_id="", reference_id="", batch_id=batch_id, kpi_id=kpi_id,
                    create_time=now, **event))
            return True

        recorded = await self._log.write(change)
        _log.info("kpi_detection_recorded", kpi_id=kpi_id, batch_id=batch_id,
                  recorded=recorded, events=len(events))
        return recorded

    async def kpi_status(self, caller: Caller, kpi_id: str) -> KpiStateRow:
        """Where the KPI stands (NOT_INITIALIZED before any value)."""
        await self._kpi(caller, kpi_id, "GetKpiStatus")
        async with self._db.reading() as session:
            row = await session.get(KpiStateRow, kpi_id)
        return row or KpiStateRow(kpi_id=kpi_id, company_id="", project_id="", state={},
                                  status="NOT_INITIALIZED", update_time=None)

    async def _kpi(self, caller: Caller, kpi_id: str, action: str) -> str:
        """The KPI's project, once the caller may read it."""
        require_id(kpi_id, "kpi_id")
        project_id = await self._catalog.kpi_project(kpi_id)
        company_id = await self._catalog.project_company(project_id) if project_id else ""
        if not project_id or not caller.sees_company(company_id):
            raise not_found("KPI", kpi_id)
        caller.require_project_role(project_id, company_id, ProjectRole.VIEW, action)
        return project_id

    async def detection_context(self, task_id: str, batch_id: str) -> DetectionContext:
        require_id(task_id, "task_id")
        require_id(batch_id, "batch_id")
        task = await self._catalog.get_task(task_id)
        if task is None:
            raise not_found("task", task_id)
        schema = await self._catalog.get_data_schema(task_id)
        if schema is None:
            raise FailedPrecondition(reason="DATA_SCHEMA_REQUIRED",
                                     message=f"task '{task_id}' has no data schema")
        references = await self._active_references(task_id)
        ids = [r.id for r in references]
        async with self._db.reading() as session:
            done = set((await session.exec(select(DetectedBatchRow.reference_id).where(
                DetectedBatchRow.batch_id == batch_id,
                DetectedBatchRow.reference_id.in_(ids)))).all()) if ids else set()
            states = {row.reference_id: row for row in (await session.exec(
                select(DetectionStateRow).where(
                    DetectionStateRow.reference_id.in_(ids)))).all()} if ids else {}
        models = []
        for reference in references:
            if reference.id in done:
                continue
            state = states.get(reference.id)
            models.append(ModelContext(await self._model(reference.model_id), reference.id,
                                       state.version if state else 0,
                                       state.state if state else {},
                                       await self.thresholds(None, reference.model_id)))

        def named(role: str) -> str:
            return next((c["name"] for c in schema.columns if c.get("role") == role), "")

        return DetectionContext(task, named("ID"), named("TIME_ID"), models, schema.columns)

    # -- recording (internal) ----------------------------------------------------------------

    async def record_detection(self, reference_id: str, batch_id: str, expected_version: int,
                               state: dict, statuses: list[dict],
                               events: list[dict]) -> tuple[bool, list[DetectionEventRow]]:
        """Store one model's detection of one batch, all or nothing. Returns (False, the events
        stored then) when the batch was already recorded for the reference; Aborted when the
        detectors' state is no longer ``expected_version``."""
        require_id(reference_id, "reference_id")
        require_id(batch_id, "batch_id")
        async with self._db.reading() as session:
            reference = await session.get(ReferenceRow, reference_id)
        if reference is None:
            raise not_found("reference", reference_id)
        model = await self._model(reference.model_id)

        async def change(writer):
            session = writer.session
            if await session.get(DetectedBatchRow, (reference_id, batch_id)) is not None:
                stored = (await session.exec(select(DetectionEventRow).where(
                    DetectionEventRow.reference_id == reference_id,
                    DetectionEventRow.batch_id == batch_id).order_by(
                    DetectionEventRow.sequence))).all()
                return False, list(stored), []
            now = utcnow()
            row = await session.get(DetectionStateRow, reference_id, with_for_update=True)
            if (row.version if row else 0) != expected_version:
                raise Aborted(
                    reason="DETECTION_STATE_CHANGED",
                    message=f"the detectors of reference '{reference_id}' changed since "
                            f"version {expected_version} was read: read them again",
                    metadata={"reference_id": reference_id})
            if row is None:
                row = DetectionStateRow(reference_id=reference_id, task_id=reference.task_id,
                                        model_id=reference.model_id, version=0, state={},
                                        update_time=now)
            row.version += 1
            row.state = state
            row.update_time = now
            session.add(row)
            # Every status row of the reference in one read (a reference has dozens).
            existing = {stored.quantity: stored for stored in (await session.exec(
                select(QuantityStatusRow).where(
                    QuantityStatusRow.reference_id == reference_id))).all()}
            for status in statuses:
                key = quantity_key(status["target"], status["metric"], status["feature"],
                                   status.get("evaluation_metric", ""))
                stored = existing.get(key)
                if stored is None:
                    stored = QuantityStatusRow(
                        reference_id=reference_id, quantity=key, task_id=reference.task_id,
                        model_id=reference.model_id, target=status["target"],
                        metric=status["metric"], feature=status["feature"],
                        evaluation_metric=status.get("evaluation_metric", ""))
                stored.status = status["status"]
                stored.status_time = status.get("status_time")
                stored.last_batch_id = batch_id
                stored.update_time = now
                session.add(stored)
            session.add(DetectedBatchRow(reference_id=reference_id, batch_id=batch_id,
                                         event_count=len(events), record_time=now))
            rows = []
            for event in events:
                event_row = DetectionEventRow(
                    id=new_id(), company_id=reference.company_id,
                    project_id=reference.project_id, task_id=reference.task_id,
                    model_id=reference.model_id, model_name=model.name,
                    model_version=model.version, reference_id=reference_id, batch_id=batch_id,
                    create_time=now, **event)
                await writer.add(event_row)
                rows.append(event_row)
            # The rules' deliveries are planned with the events: none is lost in between.
            return True, rows, await self._rules.plan_deliveries(session, rows)

        recorded, rows, deliveries = await self._log.write(change)
        if recorded:
            _log.info("detection_recorded", reference_id=reference_id, batch_id=batch_id,
                      events=len(rows), deliveries=len(deliveries))
        if deliveries:
            try:
                await self._rules.submit_deliveries(deliveries, reference.company_id,
                                                    reference.project_id, reference.task_id)
            except Unavailable:  # Jobs is away: recovery submits them
                _log.warning("deliveries_not_submitted", batch_id=batch_id,
                             deliveries=len(deliveries))
        return recorded, rows

    # -- statuses ----------------------------------------------------------------------------

    async def statuses(self, caller: Caller, task_id: str, model_id: str = "",
                       action: str = "ListMonitoringStatuses") -> list[QuantityStatus]:
        """Every quantity the active references of the task's models monitor, where it
        stands: OK until a detection moved it."""
        await self._task(caller, task_id, ProjectRole.VIEW, action)
        if model_id:
            require_id(model_id, "model_id")
        references = await self._active_references(task_id, model_id)
        ids = [r.id for r in references]
        async with self._db.reading() as session:
            stored = {(row.reference_id, row.quantity): row for row in (await session.exec(
                select(QuantityStatusRow).where(
                    QuantityStatusRow.reference_id.in_(ids)))).all()} if ids else {}
            thresholds = (await session.exec(select(EvaluationThresholdRow).where(
                EvaluationThresholdRow.model_id.in_([r.model_id for r in references])))).all() \
                if ids else []
        found = []
        for reference in references:
            model = await self._model(reference.model_id)
            monitored = [(q["target"], q.get("metric", ""), q.get("feature", ""), "")
                         for q in reference.quantities or []]
            monitored += [("ERROR", "", "", t.evaluation_metric) for t in thresholds
                          if t.model_id == reference.model_id]
            for target, metric, feature, evaluation in monitored:
                row = stored.get((reference.id, quantity_key(target, metric, feature,
                                                             evaluation)))
                found.append(QuantityStatus(
                    target, metric, feature, row.status if row else MonitoringStatus.OK.value,
                    model, reference.id, row.status_time if row else None,
                    row.last_batch_id if row else "", row.update_time if row else None,
                    evaluation))
        return found

    async def monitoring_status(self, caller: Caller, task_id: str, target: str | None,
                                metric: str | None, feature: str,
                                model_id: str) -> tuple[QuantityStatus, list[QuantityStatus]]:
        """The worst status of the task's quantities matching the arguments, and each. A
        metric without a ``feature`` (a column) stands for every column it is monitored on:
        the target as a whole for that metric, as the platform SDK asks for it."""
        if target is None:
            raise InvalidArgument.for_field("target", "required: the target whose status to get",
                                            "TARGET_REQUIRED")
        metric = metric or ""
        every = await self.statuses(caller, task_id, model_id, "GetMonitoringStatus")
        matching = [s for s in every if s.target == target and s.metric == metric
                    and (not feature or s.feature == feature) and not s.evaluation_metric]
        if not matching:
            what = " ".join(part for part in (target, metric, feature) if part)
            metrics = sorted({s.metric or "none (the target as a whole)" for s in every
                              if s.target == target and not s.evaluation_metric})
            hint = (f"{target} is monitored with the metrics {', '.join(metrics)}: ask for one"
                    if metrics else "set a reference (SetModelReference) and see what it "
                                    "monitors in its quantities")
            raise NotFound(
                reason="MONITORED_QUANTITY_NOT_FOUND",
                message=f"no active reference of task '{task_id}'"
                        + (f" (model '{model_id}')" if model_id else "")
                        + f" monitors {what}: {hint}",
                metadata={"task_id": task_id, "target": target})
        summary_status = worst([s.status for s in matching])
        if len(matching) == 1:
            return matching[0], matching
        # Several models or columns: the worst status, since the earliest of those in it; the
        # model's fields kept when every quantity is of one model version.
        times = [s.status_time for s in matching
                 if s.status == summary_status and s.status_time is not None]
        updates = [s.update_time for s in matching if s.update_time is not None]
        models = {s.model.id for s in matching if s.model is not None}
        one_model = matching[0] if len(models) == 1 else None
        summary = QuantityStatus(target, metric, feature, summary_status,
                                 model=one_model.model if one_model else None,
                                 reference_id=one_model.reference_id if one_model else "",
                                 status_time=min(times) if times else None,
                                 update_time=max(updates) if updates else None)
        return summary, matching

    # -- evaluation metric thresholds --------------------------------------------------------

    async def set_threshold(self, caller: Caller, model_id: str, metric: str | None,
                            warning: float, drift: float) -> EvaluationThresholdRow:
        model, task = await visible_model(self._catalog, caller, model_id, ProjectRole.USER,
                                          "SetEvaluationMetricThreshold")
        violations = []
        if metric is None:
            violations.append(FieldViolation("threshold.evaluation_metric", "required"))
        else:
            classification = task.task_type.startswith("CLASSIFICATION")
            if (metric in CLASSIFICATION_METRICS) != classification:
                violations.append(FieldViolation(
                    "threshold.evaluation_metric",
                    f"{metric} does not fit {task.task_type} tasks"))
            if metric in PROBABILITY_METRICS and not model.with_probabilistic_output:
                violations.append(FieldViolation(
                    "threshold.evaluation_metric",
                    f"{metric} needs a model with probabilistic output"))
            if not (math.isfinite(warning) and math.isfinite(drift)):
                violations.append(FieldViolation("threshold", "thresholds must be numbers"))
            elif (drift > warning) if metric in HIGHER_IS_BETTER else (drift < warning):
                better = "above" if metric in HIGHER_IS_BETTER else "below"
                violations.append(FieldViolation(
                    "threshold.drift_threshold",
                    f"must not be {better} the warning threshold: {metric} reaches WARNING "
                    "first, then DRIFT"))
        require(violations, "EVALUATION_THRESHOLD_INVALID")
        async with self._db.transaction() as session:
            row = await session.get(EvaluationThresholdRow, (model_id, metric)) or \
                EvaluationThresholdRow(model_id=model_id, evaluation_metric=metric,
                                       company_id=task.company_id, project_id=task.project_id,
                                       task_id=task.id, warning_threshold=warning,
                                       drift_threshold=drift, update_time=utcnow())
            row.warning_threshold, row.drift_threshold = warning, drift
            row.update_time = utcnow()
            session.add(row)
        _log.info("evaluation_threshold_set", model_id=model_id, metric=metric)
        return row

    async def thresholds(self, caller: Caller | None, model_id: str
                         ) -> list[EvaluationThresholdRow]:
        if caller is not None:
            await visible_model(self._catalog, caller, model_id, ProjectRole.VIEW,
                                "ListEvaluationMetricThresholds")
        async with self._db.reading() as session:
            return list((await session.exec(select(EvaluationThresholdRow).where(
                EvaluationThresholdRow.model_id == model_id).order_by(
                EvaluationThresholdRow.evaluation_metric))).all())

    async def delete_threshold(self, caller: Caller, model_id: str, metric: str | None) -> None:
        await visible_model(self._catalog, caller, model_id, ProjectRole.USER,
                            "DeleteEvaluationMetricThreshold")
        async with self._db.transaction() as session:
            row = await session.get(EvaluationThresholdRow, (model_id, metric or ""))
            if row is not None:
                await session.delete(row)

    # -- events ------------------------------------------------------------------------------

    async def list_events(self, caller: Caller, task_id: str, event_filter: EventFilter,
                          page_size: int, page_token: str, kpi_id: str = ""
                          ) -> tuple[list[DetectionEventRow], str]:
        if bool(task_id) == bool(kpi_id):
            raise InvalidArgument.for_field("task_id", "name exactly one of task_id and kpi_id",
                                            "EVENTS_SCOPE_REQUIRED")
        if task_id:
            await self._task(caller, task_id, ProjectRole.VIEW, "ListDetectionEvents")
            scope = DetectionEventRow.task_id == task_id
        else:
            await self._kpi(caller, kpi_id, "ListDetectionEvents")
            scope = DetectionEventRow.kpi_id == kpi_id
        if event_filter.model_id:
            require_id(event_filter.model_id, "model_id")
        if (event_filter.from_time and event_filter.to_time
                and event_filter.from_time >= event_filter.to_time):
            raise InvalidArgument.for_field("to_time", "must be after from_time",
                                            "TIME_RANGE_INVALID")
        page = paging.parse(page_size or DEFAULT_EVENTS_PAGE, page_token, paging.fingerprint(
            "detection_events", task_id, kpi_id, event_filter.model_id, event_filter.targets,
            event_filter.types, event_filter.severities, event_filter.from_time,
            event_filter.to_time))
        statement = select(DetectionEventRow).where(scope, *event_filter.where())
        if page.after is not None:
            statement = statement.where(DetectionEventRow.sequence > page.after[0])
        statement = statement.order_by(DetectionEventRow.sequence).limit(page.size + 1)
        async with self._db.reading() as session:
            rows = list((await session.exec(statement)).all())
        return rows[: page.size], paging.next_token(page, rows, lambda row: [row.sequence])

    async def set_user_feedback(self, caller: Caller, event_id: str,
                                feedback: bool) -> DetectionEventRow:
        require_id(event_id, "event_id")
        event = await self._event_by_id(event_id)
        if event is None or not caller.sees_company(event.company_id):
            raise not_found("detection event", event_id)
        caller.require_project_role(event.project_id, event.company_id, ProjectRole.USER,
                                    "SetDetectionEventUserFeedback")
        async with self._db.transaction() as session:
            stored = (await session.exec(select(DetectionEventRow).where(
                DetectionEventRow.id == event_id))).one()
            stored.user_feedback = feedback
            session.add(stored)
        _log.info("detection_event_feedback", event_id=event_id, feedback=feedback)
        return stored

    async def _event_by_id(self, event_id: str) -> DetectionEventRow | None:
        async with self._db.reading() as session:
            return (await session.exec(select(DetectionEventRow).where(
                DetectionEventRow.id == event_id))).first()

    async def watch(self, caller: Caller, task_id: str, project_id: str, after: int,
                    heartbeat_seconds: float) -> AsyncIterator[DetectionEventRow | Heartbeat]:
        """The events of a task or a project after ``after`` (0: from now on), as they are
        recorded, with heartbeats when quiet."""
        if bool(task_id) == bool(project_id):
            raise InvalidArgument.for_field(
                "task_id", "name exactly one of task_id and project_id", "WATCH_SCOPE_REQUIRED")
        if after < 0:
            raise InvalidArgument.for_field("after_sequence", "must not be negative",
                                            "INVALID_ARGUMENT")
        if task_id:
            await self._task(caller, task_id, ProjectRole.VIEW, "WatchDetectionEvents")
            where = [DetectionEventRow.task_id == task_id]

            def matches(event) -> bool:
                return event.task_id == task_id
        else:
            require_id(project_id, "project_id")
            company_id = await self._catalog.project_company(project_id)
            if not company_id or not caller.sees_company(company_id):
                raise not_found("project", project_id)
            caller.require_project_role(project_id, company_id, ProjectRole.VIEW,
                                        "WatchDetectionEvents")
            where = [DetectionEventRow.project_id == project_id]

            def matches(event) -> bool:
                return event.project_id == project_id

        if after == 0:
            after = self._feed.high_water
            yield Heartbeat(after)  # where this watch starts: resume from here

        async def read_log(cursor: int, up_to: int) -> list[DetectionEventRow]:
            return await self._log.read(cursor, up_to, where=where)

        async for event in self._feed.follow(after, matches, read_log, heartbeat_seconds):
            yield event
