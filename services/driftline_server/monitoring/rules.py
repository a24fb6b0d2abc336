"""Detection event rules and the delivery of events to their actions. Nothing here knows gRPC.

A rule belongs to a task and matches the task's detection events of one type and target (and
metric, model name, severity: see ``matches``). Its actions run in order for every event it
matches. The match is made in the transaction that records the events: each (event, rule,
action) gets a PENDING delivery row there, so no event is lost between its recording and its
delivery. After the commit, one "deliver_actions" job per (event, rule) delivers them (its
request id is derived from the pair, so it is submitted once); the job records every attempt,
and a delivery whose job vanished is submitted again by ``recover``. Delivery is therefore at
least once.

Secrets in actions (webhook URLs, HMAC secrets, header values, MQTT connection strings) are
sealed with the server's secret key; users and logs only ever see them masked. An update that
sends a secret back as it was shown keeps the stored one.

Authorization: creating, changing and deleting rules needs PROJECT_USER on the task's project,
reading PROJECT_VIEW; another company's rules, events and tasks are NOT_FOUND.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from driftline_server.catalog.remote import CatalogTasks, TaskInfo
from driftline_server.jobs.remote import JobsClient
from driftline_server.monitoring.actions import (
    DeliverySettings,
    redact_action,
    secret_fields,
    validate_action,
)
from driftline_server.monitoring.models import DeliveryRow, DetectionEventRow, RuleRow
from driftline_server.monitoring.vocabulary import (
    DELIVERY_JOB,
    MODEL_TARGETS,
    RETRAIN_ACTION,
    DeliveryState,
)
from driftline_server.platform import paging
from driftline_server.platform.clock import new_id, utcnow
from driftline_server.platform.crypto import SecretBox
from driftline_server.platform.database import Database, is_unique_violation
from driftline_server.platform.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    not_found,
    require,
)
from driftline_server.platform.logging import get_logger
from driftline_server.monitoring.access import visible_task
from driftline_server.platform.roles import Caller, ProjectRole
from driftline_server.platform.validation import MAX_REQUEST_ID, check_text, require_id

_log = get_logger("driftline.monitoring.rules")

MAX_ACTIONS = 20
UPDATABLE = ("name", "model_name", "severity", "detection_event_type", "monitoring_target",
             "monitoring_metric", "actions")


@dataclass
class RuleSpec:
    """A rule as a request gives it (enum names without prefix, "" for unset)."""

    name: str = ""
    model_name: str = ""
    severity: str = ""
    event_type: str = ""
    target: str = ""
    metric: str = ""
    actions: list[dict] = field(default_factory=list)


def matches(rule: RuleRow, event: DetectionEventRow) -> bool:
    """Whether a detection event is one the rule acts on."""
    return (rule.event_type == event.event_type and rule.target == event.target
            and rule.metric == event.metric
            and (not rule.model_name or rule.model_name == event.model_name)
            and (not rule.severity or rule.severity == event.severity))


def _delivery_request_id(event_id: str, rule_id: str) -> str:
    return "deliver-" + hashlib.sha256(f"{event_id}:{rule_id}".encode()).hexdigest()[:40]


class Rules:
    def __init__(self, database: Database, catalog: CatalogTasks, jobs: JobsClient,
                 box: SecretBox, delivery_settings: DeliverySettings):
        self._db = database
        self._catalog = catalog
        self._jobs = jobs
        self._box = box
        self._delivery_settings = delivery_settings

    # -- access ------------------------------------------------------------------------------

    async def _task(self, caller: Caller, task_id: str, needed: ProjectRole,
                    action: str) -> TaskInfo:
        return await visible_task(self._catalog, caller, task_id, needed, action)

    async def _rule(self, caller: Caller, rule_id: str, needed: ProjectRole,
                    action: str) -> RuleRow:
        require_id(rule_id, "rule_id")
        async with self._db.reading() as session:
            rule = await session.get(RuleRow, rule_id)
        if rule is None or not caller.sees_company(rule.company_id):
            raise not_found("detection event rule", rule_id)
        caller.require_project_role(rule.project_id, rule.company_id, needed, action)
        return rule

    # -- checking ----------------------------------------------------------------------------

    def _check(self, spec: RuleSpec, stored_actions: list[dict] | None = None) -> list[dict]:
        """The rule's problems as one INVALID_ARGUMENT; returns its actions with the secrets
        that were sent back masked replaced by the stored ones."""
        violations: list[FieldViolation] = []
        spec.name = check_text(violations, "name", spec.name, 200)
        spec.model_name = check_text(violations, "model_name", spec.model_name, 256,
                                     required=False)
        if not spec.event_type:
            violations.append(FieldViolation(
                "detection_event_type", "required: WARNING_ON, WARNING_OFF, DRIFT_ON or "
                                        "DRIFT_OFF"))
        if not spec.target:
            violations.append(FieldViolation("monitoring_target", "required: the target whose "
                                                                  "events the rule acts on"))
        if spec.severity and spec.event_type and spec.event_type != "DRIFT_ON":
            violations.append(FieldViolation(
                "severity", "only DRIFT_ON events have a severity: leave it unset (any) for "
                            f"{spec.event_type} rules"))
        if spec.target in MODEL_TARGETS and not spec.model_name:
            violations.append(FieldViolation(
                "model_name", f"required: {spec.target} events concern a model; name it"))
        if not spec.actions:
            violations.append(FieldViolation("actions", "at least one action is required"))
        if len(spec.actions) > MAX_ACTIONS:
            violations.append(FieldViolation("actions", f"at most {MAX_ACTIONS} actions"))
        actions = [self._kept_secrets(action, (stored_actions or [])[index:index + 1])
                   for index, action in enumerate(spec.actions)]
        for index, action in enumerate(actions):
            if action.get("type") == RETRAIN_ACTION:
                if not spec.model_name:
                    violations.append(FieldViolation(
                        f"actions[{index}]", "RETRAIN needs the rule's model_name: the model "
                                             "to retrain"))
                continue
            for key, problem in validate_action(action, settings=self._delivery_settings):
                violations.append(FieldViolation(f"actions[{index}].{key}", problem))
        require(violations, "DETECTION_EVENT_RULE_INVALID")
        return actions

    @staticmethod
    def _kept_secrets(action: dict, stored: list[dict]) -> dict:
        """``action`` with each secret that equals the stored action's masked one replaced by
        the stored secret (a rule read, changed and sent back keeps its secrets)."""
        if not stored or stored[0].get("type") != action.get("type") \
                or action.get("type") == RETRAIN_ACTION:
            return action
        previous, shown = stored[0], redact_action(stored[0])
        kept = dict(action)
        for key in secret_fields(action["type"]):
            if key not in action or key not in previous:
                continue
            if isinstance(action[key], dict) and isinstance(previous[key], dict):
                kept[key] = {name: previous[key][name]
                             if name in previous[key] and value == shown[key].get(name) else value
                             for name, value in action[key].items()}
            elif action[key] == shown.get(key):
                kept[key] = previous[key]
        return kept

    def _seal(self, row: RuleRow, actions: list[dict]) -> None:
        row.actions_sealed = self._box.seal({"actions": actions})
        row.actions_shown = [redact_action(a) if a.get("type") != RETRAIN_ACTION else dict(a)
                             for a in actions]

    def _opened(self, row: RuleRow) -> list[dict]:
        try:
            return self._box.open(row.actions_sealed)["actions"]
        except RuntimeError as error:  # the server's secret key changed
            raise FailedPrecondition(
                reason="RULE_SECRETS_UNREADABLE",
                message=f"detection event rule '{row.id}': {error}; set its actions again",
                metadata={"rule_id": row.id}) from None

    # -- rules -------------------------------------------------------------------------------

    async def create(self, caller: Caller, task_id: str, spec: RuleSpec,
                     request_id: str) -> RuleRow:
        if len(request_id) > MAX_REQUEST_ID:
            raise InvalidArgument.for_field("request_id", f"at most {MAX_REQUEST_ID} characters")
        task = await self._task(caller, task_id, ProjectRole.USER, "CreateDetectionEventRule")
        actions = self._check(spec)
        if request_id:
            existing = await self._by_request_id(task_id, request_id)
            if existing is not None:
                return existing
        now = utcnow()
        row = RuleRow(id=new_id(), company_id=task.company_id, project_id=task.project_id,
                      task_id=task.id, name=spec.name, model_name=spec.model_name,
                      severity=spec.severity, event_type=spec.event_type, target=spec.target,
                      metric=spec.metric, actions_shown=[], actions_sealed="",
                      request_id=request_id or None, creator_id=caller.user_id,
                      create_time=now, update_time=now)
        self._seal(row, actions)
        try:
            async with self._db.transaction() as session:
                session.add(row)
        except IntegrityError as error:
            if not (request_id and is_unique_violation(error)):
                raise
            return await self._by_request_id(task_id, request_id)  # a concurrent retry won
        _log.info("rule_created", rule_id=row.id, task_id=task_id,
                  actions=[a.get("type") for a in actions])
        return row

    async def _by_request_id(self, task_id: str, request_id: str) -> RuleRow | None:
        async with self._db.reading() as session:
            return (await session.exec(select(RuleRow).where(
                RuleRow.task_id == task_id, RuleRow.request_id == request_id))).first()

    async def get(self, caller: Caller, rule_id: str) -> RuleRow:
        return await self._rule(caller, rule_id, ProjectRole.VIEW, "GetDetectionEventRule")

    async def list(self, caller: Caller, task_id: str, page_size: int,
                   page_token: str) -> tuple[list[RuleRow], str]:
        await self._task(caller, task_id, ProjectRole.VIEW, "ListDetectionEventRules")
        page = paging.parse(page_size, page_token, paging.fingerprint("rules", task_id))
        statement = select(RuleRow).where(RuleRow.task_id == task_id)
        async with self._db.reading() as session:
            rows = list((await session.exec(paging.by_time_and_id(
                statement, page, RuleRow.create_time, RuleRow.id))).all())
        return paging.time_and_id_page(page, rows)

    async def update(self, caller: Caller, rule_id: str, spec: RuleSpec,
                     paths: list[str]) -> RuleRow:
        if not paths:
            raise InvalidArgument.for_field(
                "update_mask", f"name the fields to change: {', '.join(UPDATABLE)}",
                "UPDATE_MASK_REQUIRED")
        unknown = [p for p in paths if p not in UPDATABLE]
        if unknown:
            raise InvalidArgument.for_field(
                "update_mask", f"cannot change {', '.join(unknown)}; the fields that can "
                               f"change: {', '.join(UPDATABLE)}", "UPDATE_MASK_INVALID")
        rule = await self._rule(caller, rule_id, ProjectRole.USER, "UpdateDetectionEventRule")
        stored_actions = self._opened(rule)
        merged = RuleSpec(
            name=spec.name if "name" in paths else rule.name,
            model_name=spec.model_name if "model_name" in paths else rule.model_name,
            severity=spec.severity if "severity" in paths else rule.severity,
            event_type=spec.event_type if "detection_event_type" in paths else rule.event_type,
            target=spec.target if "monitoring_target" in paths else rule.target,
            metric=spec.metric if "monitoring_metric" in paths else rule.metric,
            actions=spec.actions if "actions" in paths else stored_actions)
        actions = self._check(merged, stored_actions)
        async with self._db.transaction() as session:
            row = await session.get(RuleRow, rule_id, with_for_update=True)
            if row is None:
                raise not_found("detection event rule", rule_id)
            row.name, row.model_name, row.severity = merged.name, merged.model_name, \
                merged.severity
            row.event_type, row.target, row.metric = merged.event_type, merged.target, \
                merged.metric
            self._seal(row, actions)
            row.update_time = utcnow()
            session.add(row)
        _log.info("rule_updated", rule_id=rule_id, fields=paths)
        return row

    async def delete(self, caller: Caller, rule_id: str) -> None:
        await self._rule(caller, rule_id, ProjectRole.USER, "DeleteDetectionEventRule")
        async with self._db.transaction() as session:
            row = await session.get(RuleRow, rule_id)
            if row is not None:
                await session.delete(row)
        _log.info("rule_deleted", rule_id=rule_id)

    # -- deliveries --------------------------------------------------------------------------

    async def deliveries(self, caller: Caller, event_id: str, rule_id: str, page_size: int,
                         page_token: str) -> tuple[list[DeliveryRow], str]:
        if bool(event_id) == bool(rule_id):
            raise InvalidArgument.for_field("event_id", "name exactly one of event_id and "
                                                        "rule_id", "DELIVERY_SCOPE_REQUIRED")
        if rule_id:
            await self._rule(caller, rule_id, ProjectRole.VIEW, "ListActionDeliveries")
            where = DeliveryRow.rule_id == rule_id
        else:
            require_id(event_id, "event_id")
            async with self._db.reading() as session:
                event = (await session.exec(select(DetectionEventRow).where(
                    DetectionEventRow.id == event_id))).first()
            if event is None or not caller.sees_company(event.company_id):
                raise not_found("detection event", event_id)
            caller.require_project_role(event.project_id, event.company_id, ProjectRole.VIEW,
                                        "ListActionDeliveries")
            where = DeliveryRow.event_id == event_id
        page = paging.parse(page_size, page_token,
                            paging.fingerprint("deliveries", event_id, rule_id))
        offset = int(page.after[0]) if page.after else 0  # deliveries are never removed
        statement = select(DeliveryRow).where(where).order_by(
            DeliveryRow.create_time, DeliveryRow.event_id, DeliveryRow.rule_id,
            DeliveryRow.action_index).offset(offset).limit(page.size + 1)
        async with self._db.reading() as session:
            rows = list((await session.exec(statement)).all())
        return rows[: page.size], paging.next_token(page, rows, lambda _: [offset + page.size])

    async def plan_deliveries(self, session, events: list[DetectionEventRow]
                              ) -> list[tuple[str, str]]:
        """In the transaction that records ``events``: a PENDING delivery row for each action
        of each rule an event matches; returns the (event, rule) pairs to deliver."""
        if not events:
            return []
        rules = (await session.exec(select(RuleRow).where(
            RuleRow.task_id == events[0].task_id))).all()
        pairs = []
        for event in events:
            for rule in rules:
                if not matches(rule, event):
                    continue
                for index, action in enumerate(rule.actions_shown):
                    session.add(DeliveryRow(
                        event_id=event.id, rule_id=rule.id, action_index=index,
                        company_id=rule.company_id, project_id=rule.project_id,
                        task_id=rule.task_id, action_type=action.get("type", ""),
                        state=DeliveryState.PENDING.value, create_time=event.create_time))
                pairs.append((event.id, rule.id))
        return pairs

    async def submit_deliveries(self, pairs: list[tuple[str, str]], company_id: str,
                                project_id: str, task_id: str, round_id: str = "") -> None:
        """Start the delivery job of each (event, rule); once per pair and ``round_id``,
        whoever asks."""
        for event_id, rule_id in pairs:
            job_id = await self._jobs.submit(
                DELIVERY_JOB, {"event_id": event_id, "rule_id": rule_id},
                company_id=company_id, project_id=project_id, task_id=task_id,
                request_id=_delivery_request_id(event_id, rule_id) + round_id, max_attempts=5)
            async with self._db.transaction() as session:
                rows = (await session.exec(select(DeliveryRow).where(
                    DeliveryRow.event_id == event_id, DeliveryRow.rule_id == rule_id))).all()
                for row in rows:
                    row.job_id = job_id
                    session.add(row)
            _log.info("delivery_submitted", event_id=event_id, rule_id=rule_id, job_id=job_id)

    async def recover(self) -> None:
        """Submit the deliveries that have no job (the server stopped between recording the
        event and submitting), and again those whose job ended without finishing them."""
        async with self._db.reading() as session:
            pending = (await session.exec(select(DeliveryRow).where(
                DeliveryRow.state == DeliveryState.PENDING.value))).all()
        seen: dict[tuple[str, str], DeliveryRow] = {}
        for row in pending:
            seen.setdefault((row.event_id, row.rule_id), row)
        for (event_id, rule_id), row in seen.items():
            round_id = ""
            if row.job_id:
                outcome = await self._jobs.outcome(row.job_id)
                if outcome is not None and not outcome.finished:
                    continue
                # The same request id would answer with the job that ended: a new round.
                round_id = f"-{int(utcnow().timestamp())}"
            await self.submit_deliveries([(event_id, rule_id)], row.company_id, row.project_id,
                                         row.task_id, round_id)

    # -- the delivery job (internal) ---------------------------------------------------------

    async def delivery_plan(self, event_id: str, rule_id: str
                            ) -> tuple[DetectionEventRow, RuleRow, list[dict], list[DeliveryRow]]:
        """The event, the rule, its actions with secrets in clear and their deliveries."""
        require_id(event_id, "event_id")
        require_id(rule_id, "rule_id")
        async with self._db.reading() as session:
            event = (await session.exec(select(DetectionEventRow).where(
                DetectionEventRow.id == event_id))).first()
            rule = await session.get(RuleRow, rule_id)
            deliveries = list((await session.exec(select(DeliveryRow).where(
                DeliveryRow.event_id == event_id, DeliveryRow.rule_id == rule_id).order_by(
                DeliveryRow.action_index))).all())
        if event is None:
            raise not_found("detection event", event_id)
        if rule is None:
            raise not_found("detection event rule", rule_id)
        return event, rule, self._opened(rule), deliveries

    async def record_delivery(self, event_id: str, rule_id: str, action_index: int,
                              state: str, attempts: int, last_error: str,
                              outcome: str) -> DeliveryRow:
        require_id(event_id, "event_id")
        require_id(rule_id, "rule_id")
        async with self._db.transaction() as session:
            row = await session.get(DeliveryRow, (event_id, rule_id, action_index),
                                    with_for_update=True)
            if row is None:
                raise not_found("action delivery", f"{event_id}/{rule_id}/{action_index}")
            if row.state != DeliveryState.DELIVERED:  # a late attempt never undoes a delivery
                row.state = state
                row.attempts = max(row.attempts, attempts)
                row.last_error = last_error[:2000]
                row.outcome = outcome[:500]
                row.last_attempt_time = utcnow()
                session.add(row)
        _log.info("delivery_recorded", event_id=event_id, rule_id=rule_id,
                  action_index=action_index, state=state, attempts=attempts)
        return row
