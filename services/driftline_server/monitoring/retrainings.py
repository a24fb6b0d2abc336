"""Retraining as the service keeps it: reports and their suggestions, retrain triggers, and
retraining a model. Nothing here knows gRPC; the computation is retraining.py's, run by the
"compute_retraining_report" job (job_handlers.py).

A report is stored PENDING with the model's active reference, then its job reads the reference's
samples and the production samples since, estimates importance weights with the monitoring core
and stores the report COMPLETE (or FAILED with why), its suggestion's samples kept apart. A
report computed to retrain the model (RetrainModel, or a rule's RETRAIN action) is then sent
through the model's retrain trigger: an AWS EventBridge, GCP Pub/Sub or Azure Event Grid message
naming the report and where to read its weights. Setting a model version's reference to a
suggestion (SetModelReference with suggestion_id) marks the suggestion executed.

Authorization: computing, retraining and triggers need PROJECT_USER on the model's project,
reading PROJECT_VIEW; another company's model is NOT_FOUND.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from dataclasses import dataclass

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from driftline_server.catalog.remote import CatalogModels, ModelInfo, TaskInfo
from driftline_server.jobs.remote import JobsClient
from driftline_server.monitoring.access import visible_model
from driftline_server.monitoring.models import (
    DetectionEventRow,
    ReferenceRow,
    RetrainingReportRow,
    RetrainingSamplesRow,
    RetrainTriggerRow,
    active_references,
)
from driftline_server.monitoring.vocabulary import (
    DRIFTLINE_TRIGGER,
    RETRAINING_JOB,
    TRIGGER_ACTIONS,
    ReportState,
)
from driftline_server.platform.clock import as_utc, new_id, utcnow
from driftline_server.platform.database import Database, is_unique_violation
from driftline_server.platform.plans import forget_if_refused
from driftline_server.platform.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    not_found,
    require,
)
from driftline_server.platform.logging import get_logger
from driftline_server.platform.roles import INTERNAL_CALLER, Caller, ProjectRole
from driftline_server.platform.validation import (
    MAX_REQUEST_ID,
    MAX_VERSION,
    check_text,
    require_id,
)

_log = get_logger("driftline.monitoring.retraining")

REPORT, RETRAIN = "REPORT", "RETRAIN"


@dataclass
class Suggestion:
    """A COMPLETE report's suggestion with its samples."""

    report: RetrainingReportRow
    sample_ids: list[str]
    weights: list[float] | None


def samples_to_bytes(sample_ids: list[str], weights: list[float] | None) -> bytes:
    buffer = io.BytesIO()
    arrays = {"sample_ids": np.asarray(sample_ids, dtype=str)}
    if weights is not None:
        arrays["weights"] = np.asarray(weights, dtype=np.float64)
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def samples_from_bytes(content: bytes) -> tuple[list[str], list[float] | None]:
    with np.load(io.BytesIO(content), allow_pickle=False) as found:
        ids = found["sample_ids"].tolist()
        weights = found["weights"].tolist() if "weights" in found else None
    return ids, weights


class Retrainings:
    def __init__(self, database: Database, catalog: CatalogModels, jobs: JobsClient,
                 resolve_credentials, trigger_settings):
        self._db = database
        self._catalog = catalog
        self._jobs = jobs
        # async (credentials_id, project_id) -> dict, and the actions' DeliverySettings.
        self._resolve_credentials = resolve_credentials
        self._trigger_settings = trigger_settings

    async def _model(self, caller: Caller | None, model_id: str, needed: ProjectRole,
                     action: str) -> tuple[ModelInfo, TaskInfo]:
        """The model and its task; ``caller`` None is the suite itself (a RETRAIN action)."""
        return await visible_model(self._catalog, caller or INTERNAL_CALLER, model_id, needed,
                                   action)

    # -- computing ---------------------------------------------------------------------------

    async def compute(self, caller: Caller | None, model_id: str, request_id: str,
                      purpose: str = REPORT) -> RetrainingReportRow:
        """Store a report PENDING and submit the job that computes it (and, to retrain, fires
        the model's trigger with it)."""
        if len(request_id) > MAX_REQUEST_ID + 16:
            raise InvalidArgument.for_field("request_id", f"at most {MAX_REQUEST_ID} characters")
        action = "RetrainModel" if purpose == RETRAIN else "ComputeRetrainingReport"
        model, task = await self._model(caller, model_id, ProjectRole.USER, action)
        if request_id:
            existing = await self._by_request_id(model_id, request_id)
            if existing is not None:
                return existing
        async with self._db.reading() as session:
            reference = (await session.exec(active_references(model_id=model_id))).first()
        if reference is None:
            raise FailedPrecondition(
                reason="MODEL_REFERENCE_REQUIRED",
                message=f"model '{model_id}' has no active reference to weight: set one "
                        "(SetModelReference) and wait for its job first",
                metadata={"model_id": model_id})
        if purpose == RETRAIN and await self._trigger_row(model_id) is None:
            raise FailedPrecondition(
                reason="RETRAIN_TRIGGER_REQUIRED",
                message=f"model '{model_id}' has no retrain trigger to fire: set one "
                        "(SetRetrainTrigger)", metadata={"model_id": model_id})
        schema = await self._catalog.get_data_schema(task.id)
        row = RetrainingReportRow(
            id=new_id(), company_id=task.company_id, project_id=task.project_id,
            task_id=task.id, model_id=model_id, reference_id=reference.id,
            state=ReportState.PENDING.value, purpose=purpose,
            suggestion_type=model.preferred_suggestion_type or "SAMPLE_WEIGHTS",
            metric_name=model.metric_name, bounds_available={}, method_scores={},
            diagnostics={}, columns=[], request_id=request_id or None,
            creator_id=caller.user_id if caller else "", create_time=utcnow())
        try:
            async with self._db.transaction() as session:
                session.add(row)
        except IntegrityError as error:
            if not (request_id and is_unique_violation(error)):
                raise
            return await self._by_request_id(model_id, request_id)
        arguments = {
            "report_id": row.id, "model_id": model_id, "task_id": task.id,
            "project_id": task.project_id,
            "task_type": task.task_type, "columns": schema.columns if schema else [],
            "reference_from": as_utc(reference.from_time).isoformat(),
            "reference_to": as_utc(reference.to_time).isoformat(),
            "metric_name": model.metric_name, "suggestion_type": row.suggestion_type,
            "resampled_dataset_size": model.resampled_dataset_size,
            "retraining_cost": model.retraining_cost, "purpose": purpose,
        }
        # A user's call is held to the plan's max_concurrent_jobs; a rule's retrain is not.
        job_id = await forget_if_refused(self._db, RetrainingReportRow, row.id, self._jobs.submit(
            RETRAINING_JOB, arguments, company_id=task.company_id, project_id=task.project_id,
            task_id=task.id, model_id=model_id, request_id=row.id, max_attempts=3,
            enforce_plan_limit=caller is not None))
        async with self._db.transaction() as session:
            stored = await session.get(RetrainingReportRow, row.id)
            stored.job_id = job_id
            session.add(stored)
        _log.info("retraining_report_submitted", report_id=row.id, model_id=model_id,
                  purpose=purpose, job_id=job_id)
        return stored

    async def _by_request_id(self, model_id: str, request_id: str) -> RetrainingReportRow | None:
        async with self._db.reading() as session:
            return (await session.exec(select(RetrainingReportRow).where(
                RetrainingReportRow.model_id == model_id,
                RetrainingReportRow.request_id == request_id))).first()

    async def retrain_from_event(self, event_id: str, rule_id: str) -> str:
        """A rule's RETRAIN action: retrain the event's model, once per event and rule."""
        require_id(event_id, "event_id")
        require_id(rule_id, "rule_id")
        async with self._db.reading() as session:
            event = (await session.exec(select(DetectionEventRow).where(
                DetectionEventRow.id == event_id))).first()
        if event is None:
            raise not_found("detection event", event_id)
        request_id = "retrain-" + hashlib.sha256(
            f"{event_id}:{rule_id}".encode()).hexdigest()[:40]
        row = await self.compute(None, event.model_id, request_id, RETRAIN)
        return row.job_id or ""

    # -- reading -----------------------------------------------------------------------------

    async def get(self, caller: Caller, model_id: str, report_id: str,
                  include_samples: bool) -> tuple[RetrainingReportRow, Suggestion | None]:
        await self._model(caller, model_id, ProjectRole.VIEW, "GetRetrainingReport")
        async with self._db.reading() as session:
            if report_id:
                require_id(report_id, "report_id")
                row = await session.get(RetrainingReportRow, report_id)
                if row is None or row.model_id != model_id:
                    raise not_found("retraining report", report_id)
            else:
                row = (await session.exec(select(RetrainingReportRow).where(
                    RetrainingReportRow.model_id == model_id,
                    RetrainingReportRow.state == ReportState.COMPLETE.value).order_by(
                    RetrainingReportRow.create_time.desc()))).first()
                if row is None:
                    raise NotFound(
                        reason="RETRAINING_REPORT_NOT_FOUND",
                        message=f"model '{model_id}' has no COMPLETE retraining report: "
                                "compute one (ComputeRetrainingReport)",
                        metadata={"model_id": model_id})
        suggestion = await self._samples(row) if include_samples else None
        return row, suggestion

    async def _samples(self, row: RetrainingReportRow) -> Suggestion | None:
        async with self._db.reading() as session:
            stored = await session.get(RetrainingSamplesRow, row.id)
        if stored is None:
            return None
        ids, weights = await asyncio.to_thread(samples_from_bytes, stored.content)
        return Suggestion(row, ids, weights)

    async def suggestions(self, caller: Caller, model_id: str,
                          model_version: str = "") -> list[RetrainingReportRow]:
        """The COMPLETE suggestions of ``model_id``'s version, or of the version of the same
        model (its task and name) named ``model_version``, newest first."""
        violations: list[FieldViolation] = []
        model_version = check_text(violations, "model_version", model_version, MAX_VERSION,
                                   required=False)
        require(violations, "MODEL_VERSION_INVALID")
        model, _ = await self._model(caller, model_id, ProjectRole.VIEW,
                                     "ListRetrainingSuggestions")
        if model_version and model_version != model.version:
            # Suggestions are stored by version id: the platform SDK names a version by its
            # model and version text, so find that version's id.
            version = await self._catalog.get_model_version(model.task_id, model.name,
                                                            model_version)
            if version is None:
                raise NotFound(
                    reason="MODEL_VERSION_NOT_FOUND",
                    message=f"model '{model.name}' (of model_id '{model_id}') has no version "
                            f"'{model_version}': name one of its versions (GetModels lists "
                            "them), or leave model_version empty for model_id's own",
                    metadata={"model_id": model_id, "model_version": model_version})
            model_id = version.id
        async with self._db.reading() as session:
            return list((await session.exec(select(RetrainingReportRow).where(
                RetrainingReportRow.model_id == model_id,
                RetrainingReportRow.state == ReportState.COMPLETE.value).order_by(
                RetrainingReportRow.create_time.desc()))).all())

    async def suggestion_for_reference(self, caller: Caller, task_id: str, suggestion_id: str
                                       ) -> tuple[RetrainingReportRow, ReferenceRow]:
        """A COMPLETE suggestion of a model of ``task_id`` that a new reference will be set to,
        and the reference it weights (whose range the new one takes)."""
        require_id(suggestion_id, "suggestion_id")
        async with self._db.reading() as session:
            row = await session.get(RetrainingReportRow, suggestion_id)
            reference = await session.get(ReferenceRow, row.reference_id) if row else None
        if row is None or reference is None or not caller.sees_company(row.company_id):
            raise not_found("retraining suggestion", suggestion_id)
        if row.task_id != task_id:
            raise InvalidArgument.for_field(
                "suggestion_id", "is a suggestion of another task: a reference is set from the "
                                 "data of its own task", "SUGGESTION_OF_ANOTHER_TASK")
        if row.state != ReportState.COMPLETE:
            raise FailedPrecondition(
                reason="SUGGESTION_NOT_COMPLETE",
                message=f"retraining report '{suggestion_id}' is {row.state}: wait for its job",
                metadata={"suggestion_id": suggestion_id})
        return row, reference

    async def mark_executed(self, suggestion_id: str) -> None:
        async with self._db.transaction() as session:
            row = await session.get(RetrainingReportRow, suggestion_id)
            if row is not None:
                row.executed = True
                session.add(row)

    # -- the job (internal) ------------------------------------------------------------------

    async def complete(self, report_id: str, fields: dict | None, sample_ids: list[str],
                       weights: list[float] | None, failure: str = "") -> RetrainingReportRow:
        """Store what the job computed (COMPLETE), or why it could not (FAILED)."""
        require_id(report_id, "report_id")
        content = (await asyncio.to_thread(samples_to_bytes, sample_ids, weights)
                   if fields is not None else None)
        async with self._db.transaction() as session:
            row = await session.get(RetrainingReportRow, report_id, with_for_update=True)
            if row is None:
                raise not_found("retraining report", report_id)
            if row.state != ReportState.PENDING:
                return row  # a re-run after the commit changes nothing
            row.finish_time = utcnow()
            if fields is None:
                row.state = ReportState.FAILED.value
                row.failure_message = failure[:2000]
            else:
                for name, value in fields.items():
                    setattr(row, name, value)
                row.state = ReportState.COMPLETE.value
                row.sample_count = len(sample_ids)
                session.add(RetrainingSamplesRow(report_id=report_id, content=content))
            session.add(row)
        _log.info("retraining_report_finished", report_id=report_id, state=row.state)
        return row

    async def record_trigger(self, report_id: str, outcome: str, fired: bool) -> None:
        require_id(report_id, "report_id")
        async with self._db.transaction() as session:
            row = await session.get(RetrainingReportRow, report_id, with_for_update=True)
            if row is None:
                raise not_found("retraining report", report_id)
            row.trigger_outcome = outcome[:1000]
            row.triggered = row.triggered or fired
            session.add(row)
        _log.info("retrain_trigger_fired" if fired else "retrain_trigger_failed",
                  report_id=report_id)

    async def trigger_context(self, report_id: str) -> tuple[RetrainingReportRow, ModelInfo,
                                                             dict | None]:
        """For the job: the report, its model and the model's trigger."""
        async with self._db.reading() as session:
            row = await session.get(RetrainingReportRow, report_id)
        if row is None:
            raise not_found("retraining report", report_id)
        stored = await self._trigger_row(row.model_id)
        return row, await self._catalog.get_model(row.model_id), \
            stored.trigger if stored else None

    # -- triggers ----------------------------------------------------------------------------

    async def _trigger_row(self, model_id: str) -> RetrainTriggerRow | None:
        async with self._db.reading() as session:
            return await session.get(RetrainTriggerRow, model_id)

    def _checked_trigger(self, model: ModelInfo, trigger: dict) -> dict:
        """The trigger as it is stored, once it is one the model can have."""
        from driftline_server.monitoring.actions import validate_action

        kind = trigger.get("type")
        if kind == DRIFTLINE_TRIGGER:
            _require_python_model(model)
            return {"type": DRIFTLINE_TRIGGER}
        if kind not in TRIGGER_ACTIONS:
            raise InvalidArgument.for_field(
                "trigger", "say where to send it: aws_event_bridge, gcp_pubsub, "
                           "azure_event_grid or driftline", "RETRAIN_TRIGGER_INVALID")
        problems = validate_action({**trigger, "type": TRIGGER_ACTIONS[kind]},
                                   settings=self._trigger_settings)
        require([FieldViolation(f"trigger.{key}", problem) for key, problem in problems],
                "RETRAIN_TRIGGER_INVALID")
        return trigger

    async def set_trigger(self, caller: Caller, model_id: str, trigger: dict) -> dict:
        model, task = await self._model(caller, model_id, ProjectRole.USER,
                                        "SetRetrainTrigger")
        trigger = self._checked_trigger(model, trigger)
        kind = trigger["type"]
        async with self._db.transaction() as session:
            row = await session.get(RetrainTriggerRow, model_id) or RetrainTriggerRow(
                model_id=model_id, company_id=task.company_id, project_id=task.project_id,
                task_id=task.id, trigger={}, update_time=utcnow())
            row.trigger = trigger
            row.update_time = utcnow()
            session.add(row)
        _log.info("retrain_trigger_set", model_id=model_id, type=kind)
        return trigger

    async def get_trigger(self, caller: Caller, model_id: str) -> dict:
        await self._model(caller, model_id, ProjectRole.VIEW, "GetRetrainTrigger")
        row = await self._trigger_row(model_id)
        if row is None:
            raise NotFound(reason="RETRAIN_TRIGGER_NOT_FOUND",
                           message=f"model '{model_id}' has no retrain trigger: set one "
                                   "(SetRetrainTrigger)", metadata={"model_id": model_id})
        return row.trigger

    async def delete_trigger(self, caller: Caller, model_id: str) -> None:
        """Remove the model's trigger: retraining it then needs a new one."""
        await self._model(caller, model_id, ProjectRole.USER, "DeleteRetrainTrigger")
        async with self._db.transaction() as session:
            row = await session.get(RetrainTriggerRow, model_id)
            if row is None:
                raise NotFound(reason="RETRAIN_TRIGGER_NOT_FOUND",
                               message=f"model '{model_id}' has no retrain trigger to remove",
                               metadata={"model_id": model_id})
            await session.delete(row)
        _log.info("retrain_trigger_deleted", model_id=model_id)

    async def test_trigger(self, caller: Caller, model_id: str,
                           trigger: dict | None = None) -> str:
        """Send a test message through ``trigger`` (checked as set_trigger checks it, not
        stored), else the model's own; what the service answered."""
        from driftline_server.monitoring.actions import DeliveryError, deliver

        model, task = await self._model(caller, model_id, ProjectRole.USER,
                                        "TestRetrainTrigger")
        if trigger is None:
            trigger = await self.get_trigger(caller, model_id)
        else:
            trigger = self._checked_trigger(model, trigger)
        if trigger["type"] == DRIFTLINE_TRIGGER:
            _require_python_model(model)
            return (f"Driftline trains the next version of Python model "
                    f"'{model.python_model_id}' on the report's suggestion when this trigger "
                    "fires (nothing was trained by this test)")
        credentials = await self._resolve_credentials(trigger["credentials_id"],
                                                      task.project_id)
        message = {"event_type": "RETRAIN_TEST", "task_id": task.id, "model_id": model.id,
                   "model_name": model.name, "model_version": model.version}
        action = {**trigger, "type": TRIGGER_ACTIONS[trigger["type"]]}
        try:
            return await asyncio.to_thread(deliver, action, message, credentials=credentials,
                                           settings=self._trigger_settings)
        except DeliveryError as error:
            raise FailedPrecondition(
                reason="RETRAIN_TRIGGER_FAILED",
                message=f"the retrain trigger of model '{model_id}' failed: {error}",
                metadata={"model_id": model_id}) from None


def _require_python_model(model: ModelInfo) -> None:
    """A Driftline retrain trigger trains the next version of a Python model: others have no
    code Driftline could train."""
    if not model.python_model_id:
        raise FailedPrecondition(
            reason="NOT_A_PYTHON_MODEL",
            message=f"model '{model.id}' is not a version of a Python model, so Driftline cannot "
                    "train its next version: define it with CreatePythonModel, or use an AWS, "
                    "GCP or Azure trigger to tell your own pipeline",
            metadata={"model_id": model.id})
