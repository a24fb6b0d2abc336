"""Model runs: free-form information (a JSON object) about runs of models, kept in a project,
found by exact information or by containment, and associated with the project's models.

Nothing here knows gRPC. Information arrives as plain Python JSON values (dicts, lists, str,
float or int, bool, None) and is stored canonical: integral numbers as integers (so 1 and 1.0
are one value, as in PostgreSQL's jsonb), no NaN, infinities or NUL characters (jsonb refuses
them; SQLite would keep them, and both databases must agree). The exact lookup (FindModelRun)
goes through a digest of its JSON with sorted keys.

Containment (``ListModelRuns.contains``) means PostgreSQL's ``jsonb @>`` for objects:
``json_contains`` below is its definition in Python. PostgreSQL evaluates it with the GIN index
of the jsonb column. SQLite keeps ``catalog_model_run_terms``, one hashed term per distinct
(path, scalar) leaf and (path, container type) node of each run, where a path steps into array
elements without their position: a run contains a query only if it has every term of the query,
so the rarest of the query's terms drives an ordered index scan, the others are checked in the
same query, and ``json_contains`` decides on the few candidates left (an array's elements must
each be matched by one element of the run's array, which terms alone cannot tell).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from driftline_server.catalog.models import (
    ModelRow,
    ModelRunModelRow,
    ModelRunRow,
    ModelRunTermRow,
    TaskRow,
)
from driftline_server.catalog.domain import visible_project, visible_row
from driftline_server.catalog.rules import check_request_id
from driftline_server.platform import paging
from driftline_server.platform.clock import as_utc, new_id, utcnow
from driftline_server.platform.database import (
    Database,
    bulk_insert,
    is_sqlite,
    is_unique_violation,
)
from driftline_server.platform.errors import InvalidArgument, NotFound
from driftline_server.platform.roles import Caller, ProjectRole

MAX_INFO_BYTES = 1024 * 1024  # canonical JSON, UTF-8
MAX_INFO_DEPTH = 32  # the top-level object is depth 1
MAX_MODEL_NAME = 200
MAX_BATCH = 1000
UPDATABLE = ("model_name", "info")

# Integral doubles up to 2^53 are integers exactly; beyond, a double stands for many integers
# and is kept as the double it is.
_EXACT_INTEGERS = 2.0**53
# SQLite: at most this many of a query's terms are counted to find the rarest, and at most
# this many are checked in SQL (the exact check covers the rest).
_COUNTED_TERMS = 32
_SQL_TERMS = 8
_COUNT_CAP = 2_000


# -- the information, canonical ---------------------------------------------------------------


def canonical(value, field: str, reason_prefix: str = "MODEL_RUN_INFO",
              max_bytes: int = MAX_INFO_BYTES):
    """``value`` (a JSON object from the request) checked and canonical: INVALID_ARGUMENT naming
    ``field`` when it is not an object, nests deeper than MAX_INFO_DEPTH, has a NaN or infinite
    number or a NUL character, or is larger than ``max_bytes`` as canonical JSON."""
    if not isinstance(value, dict):
        raise InvalidArgument.for_field(
            field, f"must be a JSON object, not {_json_type(value)}", f"{reason_prefix}_NOT_AN_OBJECT")
    result = _canonical(value, 1, field, reason_prefix)
    size = len(canonical_json(result).encode())
    if size > max_bytes:
        limit = (f"{max_bytes // 2**20} MiB" if max_bytes % 2**20 == 0
                 else f"{max_bytes // 1024} KiB")
        raise InvalidArgument.for_field(
            field, f"is {size} bytes as JSON; at most {max_bytes} ({limit}) are allowed: keep "
            "large artifacts elsewhere and store their location", f"{reason_prefix}_TOO_LARGE")
    return result


def _canonical(value, depth: int, path: str, reason_prefix: str):
    if isinstance(value, (dict, list)) and depth > MAX_INFO_DEPTH:
        raise InvalidArgument.for_field(
            path, f"nests deeper than {MAX_INFO_DEPTH} levels of objects and arrays",
            f"{reason_prefix}_TOO_DEEP")
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidArgument.for_field(
                    path, "object keys must be strings", f"{reason_prefix}_INVALID_VALUE")
            if "\x00" in key:
                raise InvalidArgument.for_field(
                    path, "a key contains a NUL character (\\u0000), which is not allowed",
                    f"{reason_prefix}_INVALID_VALUE")
            result[key] = _canonical(item, depth + 1, f"{path}.{key}", reason_prefix)
        return result
    if isinstance(value, list):
        return [_canonical(item, depth + 1, f"{path}[{index}]", reason_prefix)
                for index, item in enumerate(value)]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidArgument.for_field(
                path, f"{value} is not a JSON number: NaN and infinities are not allowed",
                f"{reason_prefix}_INVALID_VALUE")
        return canonical_number(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidArgument.for_field(
                path, "contains a NUL character (\\u0000), which is not allowed",
                f"{reason_prefix}_INVALID_VALUE")
        return value
    raise InvalidArgument.for_field(
        path, f"{type(value).__name__} is not a JSON value", f"{reason_prefix}_INVALID_VALUE")


def canonical_number(number: int | float) -> int | float:
    """Integral numbers as integers (within 2^53, where doubles are exact), others as floats."""
    if isinstance(number, float):
        return int(number) if number.is_integer() and abs(number) <= _EXACT_INTEGERS else number
    return number if abs(number) <= _EXACT_INTEGERS else float(number)  # as a double carries it


def canonical_json(value) -> str:
    """One text per value: sorted keys, no blanks, characters as they are."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def info_digest(info: dict) -> str:
    return hashlib.sha256(canonical_json(info).encode()).hexdigest()


def _json_type(value) -> str:
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


# -- containment ------------------------------------------------------------------------------


def _scalar_equal(a, b) -> bool:
    # JSON types must agree: Python's True == 1 must not make a boolean equal a number.
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if a is None or b is None:
        return a is None and b is None
    return type(a) is type(b) and a == b


def json_contains(value, query) -> bool:
    """Whether ``value`` contains ``query`` as PostgreSQL's ``jsonb @>`` decides for non-scalar
    top levels: an object contains an object whose every key it has, with a value that contains
    the query's; an array contains an array whose every element is contained by one of its
    elements (containers only by containers of the same kind); scalars must be equal and of the
    same JSON type (1 and 1.0 equal; 1, "1" and true all different)."""
    if isinstance(query, dict):
        if not isinstance(value, dict):
            return False
        for key, wanted in query.items():
            if key not in value or not json_contains(value[key], wanted):
                return False
        return True
    if isinstance(query, list):
        if not isinstance(value, list):
            return False
        for wanted in query:
            if isinstance(wanted, (dict, list)):
                if not any(json_contains(item, wanted) for item in value):
                    return False
            elif not any(not isinstance(item, (dict, list)) and _scalar_equal(item, wanted)
                         for item in value):
                return False
        return True
    if isinstance(value, (dict, list)):
        return False
    return _scalar_equal(value, query)


def _nodes(value, path: str, found: list[str]) -> None:
    """Append "<path>=<token>" for every node below ``value``: a path is its steps, each an
    object key as a JSON string or ``[]`` for any element of an array (so it reads back one
    way), and a token is a scalar's canonical JSON, or ``{}`` / ``[]`` for a container."""
    if isinstance(value, dict):
        items = ((path + _json_string(key), item) for key, item in value.items())
    else:
        step = path + "[]"
        items = ((step, item) for item in value)
    for step, item in items:
        if isinstance(item, dict):
            found.append(step + "={}")
            _nodes(item, step, found)
        elif isinstance(item, list):
            found.append(step + "=[]")
            _nodes(item, step, found)
        else:
            found.append(step + "=" + _scalar_token(item))


_json_string = json.JSONEncoder(ensure_ascii=False).encode


def _scalar_token(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _json_string(value)
    return repr(value)  # a canonical int or float, as json.dumps writes it


def _hashes(project_id: str, nodes) -> list[int]:
    project = hashlib.blake2b(project_id.encode() + b"\x00", digest_size=8)
    found = []
    for node in nodes:
        digest = project.copy()
        digest.update(node.encode())
        found.append(int.from_bytes(digest.digest(), "big", signed=True))
    return found


def terms(project_id: str, info: dict) -> set[int]:
    """The distinct terms of a (canonical) object in a project, as signed 64-bit hashes: a run
    contains a query only if the run's terms include every term of the query."""
    nodes: list[str] = []
    _nodes(info, "", nodes)
    return set(_hashes(project_id, set(nodes)))


def query_terms(project_id: str, query: dict) -> list[int]:
    """The query's distinct terms, the likely rarest first: scalar leaves before containers
    (every run may have a "params" object), deeper paths before shallower ones."""
    nodes: list[str] = []
    _nodes(query, "", nodes)
    ordered = sorted(set(nodes), key=lambda node: (node.endswith(("={}", "=[]")), -len(node),
                                                   node))
    return list(dict.fromkeys(_hashes(project_id, ordered)))


# -- the runs ---------------------------------------------------------------------------------


@dataclass
class ModelRunView:
    """A run as answered: its row and the ids of its models, oldest association first."""

    row: ModelRunRow
    model_ids: list[str]


def _model_name(model_name: str, field: str) -> str:
    """The label stripped; INVALID_ARGUMENT naming ``field`` when it is too long."""
    model_name = (model_name or "").strip()
    if len(model_name) > MAX_MODEL_NAME:
        raise InvalidArgument.for_field(
            field, f"has {len(model_name)} characters; at most {MAX_MODEL_NAME} are allowed",
            "MODEL_NAME_TOO_LONG")
    return model_name


def _draft(info, model_name: str, path: str) -> tuple[dict, str]:
    """(canonical info, model name) of a run to create; INVALID_ARGUMENT naming ``path``."""
    model_name = _model_name(model_name, f"{path}.model_name")
    if info is None:
        raise InvalidArgument.for_field(
            f"{path}.info", "is required: give a JSON object ({} for none)",
            "MODEL_RUN_INFO_REQUIRED")
    return canonical(info, f"{path}.info"), model_name


def _association_missing(run_id: str, model_id: str) -> NotFound:
    return NotFound(
        reason="MODEL_RUN_ASSOCIATION_NOT_FOUND",
        message=f"model run '{run_id}' is not associated with model '{model_id}': see the run's "
        "model_ids",
        metadata={"model_run_id": run_id, "model_id": model_id},
    )


class ModelRuns:
    """Create, find, list, update and delete model runs, and associate them with models."""

    def __init__(self, database: Database):
        self._db = database
        self._sqlite = is_sqlite(database.url)

    # -- access --------------------------------------------------------------------------------

    _project = staticmethod(visible_project)

    async def _run(self, session, caller: Caller, run_id: str, needed: ProjectRole,
                   action: str) -> ModelRunRow:
        return await visible_row(session, caller, ModelRunRow, run_id, "model run", needed,
                                 action)

    @staticmethod
    async def _model_of_project(session, model_id: str, project_id: str) -> ModelRow:
        """A model of ``project_id``; NOT_FOUND for any other (another project's or company's)."""
        model = await session.get(ModelRow, model_id) if model_id else None
        task = await session.get(TaskRow, model.task_id) if model is not None else None
        if task is None or task.project_id != project_id:
            raise NotFound(
                reason="MODEL_NOT_FOUND",
                message=f"model '{model_id}' is not a model of project '{project_id}' that you "
                "can see: runs are only associated with the models of their own project",
                metadata={"id": model_id, "project_id": project_id},
            )
        return model

    @staticmethod
    async def _model_ids(session, run_ids: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {run_id: [] for run_id in run_ids}
        if run_ids:
            rows = await session.exec(
                select(ModelRunModelRow.run_id, ModelRunModelRow.model_id)
                .where(ModelRunModelRow.run_id.in_(run_ids))
                .order_by(ModelRunModelRow.create_time, ModelRunModelRow.model_id))
            for run_id, model_id in rows.all():
                found[run_id].append(model_id)
        return found

    async def _view(self, session, run: ModelRunRow) -> ModelRunView:
        return ModelRunView(run, (await self._model_ids(session, [run.id]))[run.id])

    async def _replace_terms(self, session, run: ModelRunRow) -> None:
        if not self._sqlite:
            return  # PostgreSQL: the GIN index of the jsonb column
        table = ModelRunTermRow.__table__
        await session.execute(sa.delete(table).where(table.c.run_id == run.id))
        await self._insert_terms(session, [run])

    @staticmethod
    async def _insert_terms(session, runs: list[ModelRunRow]) -> None:
        """The runs' terms, at the driver's speed (runs have ~20 terms each). Times are written
        by the column type's own bind processor, exactly as SQLAlchemy writes them elsewhere."""
        table = ModelRunTermRow.__table__
        connection = await session.connection()
        time_type = table.c.create_time.type.dialect_impl(connection.dialect)
        stored_time = time_type.bind_processor(connection.dialect) or (lambda moment: moment)
        rows = [(term, stored, run.id) for run in runs
                for stored in (stored_time(run.create_time),)
                for term in terms(run.project_id, run.info)]
        if rows:
            await bulk_insert(session, table.name, ["term", "create_time", "run_id"], rows)

    # -- create and read -----------------------------------------------------------------------

    async def create(self, caller: Caller, project_id: str, info, model_name: str = "",
                     request_id: str = "") -> ModelRunView:
        check_request_id(request_id)
        draft = _draft(info, model_name, "model_run")
        return (await self._create(caller, project_id, [draft], [request_id or None],
                                   "CreateModelRun"))[0]

    async def batch_create(self, caller: Caller, project_id: str, runs: list[tuple],
                           request_id: str = "") -> list[ModelRunView]:
        """``runs``: (info, model_name) of each run, at most MAX_BATCH; all are created, in
        this order, or none."""
        check_request_id(request_id)
        if not runs or len(runs) > MAX_BATCH:
            raise InvalidArgument.for_field(
                "model_runs", f"give 1 to {MAX_BATCH} runs, not {len(runs)}: send more in "
                "several requests", "MODEL_RUN_BATCH_SIZE")
        drafts = [_draft(info, model_name, f"model_runs[{index}]")
                  for index, (info, model_name) in enumerate(runs)]
        # Each run of the batch keeps its own request id, derived from the batch's.
        request_ids = [
            "batch-" + hashlib.sha256(f"{request_id}\n{index}".encode()).hexdigest()[:40]
            if request_id else None
            for index in range(len(drafts))
        ]
        return await self._create(caller, project_id, drafts, request_ids,
                                  "BatchCreateModelRuns")

    async def _create(self, caller: Caller, project_id: str, drafts: list[tuple[dict, str]],
                      request_ids: list[str | None], action: str) -> list[ModelRunView]:
        try:
            async with self._db.transaction() as session:
                await self._project(session, caller, project_id, ProjectRole.USER, action)
                replayed = await self._replayed(session, project_id, request_ids)
                if replayed is not None:
                    return replayed
                # Distinct times keep a batch's runs in their order when listed.
                start = utcnow()
                values = [
                    {"id": new_id(), "project_id": project_id, "model_name": model_name,
                     "info": info, "info_digest": info_digest(info),
                     "creator_id": caller.user_id[:64], "request_id": request_ids[index],
                     "create_time": start + timedelta(microseconds=index),
                     "update_time": start + timedelta(microseconds=index)}
                    for index, (info, model_name) in enumerate(drafts)
                ]
                await session.execute(sa.insert(ModelRunRow.__table__), values)
                # (ModelRunRow(...) validates each field again: ten times slower in batches.)
                runs = [ModelRunRow.model_construct(**value) for value in values]
                if self._sqlite:
                    await self._insert_terms(session, runs)
            return [ModelRunView(run, []) for run in runs]
        except IntegrityError as error:  # the same request id, at the same time
            if not (request_ids[0] and is_unique_violation(error)):
                raise
        async with self._db.reading() as session:
            replayed = await self._replayed(session, project_id, request_ids)
            if replayed is None:
                raise RuntimeError("a concurrent create with this request id vanished")
            return replayed

    async def _replayed(self, session, project_id: str,
                        request_ids: list[str | None]) -> list[ModelRunView] | None:
        """The runs an earlier create with the same request id made (AIP-155), if any."""
        if not request_ids[0]:
            return None
        rows = (await session.exec(select(ModelRunRow).where(
            ModelRunRow.project_id == project_id,
            ModelRunRow.request_id.in_(request_ids)))).all()
        if not rows:
            return None
        by_request = {row.request_id: row for row in rows}
        runs = [by_request[request_id] for request_id in request_ids if request_id in by_request]
        model_ids = await self._model_ids(session, [run.id for run in runs])
        return [ModelRunView(run, model_ids[run.id]) for run in runs]

    async def get(self, caller: Caller, run_id: str) -> ModelRunView:
        async with self._db.reading() as session:
            run = await self._run(session, caller, run_id, ProjectRole.VIEW, "GetModelRun")
            return await self._view(session, run)

    async def find(self, caller: Caller, project_id: str, info, model_name: str = "") -> ModelRunView:
        """The oldest run of the project whose information is exactly ``info``, with the same
        model name ("" for none); NOT_FOUND when there is none."""
        model_name = _model_name(model_name, "model_name")
        if info is None:
            raise InvalidArgument.for_field("info", "is required: give a JSON object",
                                            "MODEL_RUN_INFO_REQUIRED")
        info = canonical(info, "info")
        async with self._db.reading() as session:
            await self._project(session, caller, project_id, ProjectRole.VIEW, "FindModelRun")
            run = (await session.exec(
                select(ModelRunRow)
                .where(ModelRunRow.project_id == project_id,
                       ModelRunRow.info_digest == info_digest(info),
                       ModelRunRow.model_name == model_name)
                .order_by(ModelRunRow.create_time, ModelRunRow.id).limit(1))).first()
            if run is None:
                raise NotFound(
                    reason="MODEL_RUN_NOT_FOUND",
                    message="the project has no run with exactly this information"
                    + (f" and model name '{model_name}'" if model_name else " and no model name"),
                    metadata={"project_id": project_id, "model_name": model_name},
                )
            return await self._view(session, run)

    async def list(
        self, caller: Caller, project_id: str, page_size: int, page_token: str,
        model_name: str = "", model_id: str = "", contains: dict | None = None,
    ) -> tuple[list[ModelRunView], str]:
        """The project's runs, oldest first, with this model name (any when ""), associated with
        this model (any when ""), whose information contains ``contains`` (any when None)."""
        model_name = _model_name(model_name, "model_name")
        query = canonical(contains, "contains", "CONTAINS") if contains is not None else {}
        page = paging.parse(page_size, page_token, paging.fingerprint(
            "model_runs", project_id, model_name, model_id, canonical_json(query)))
        async with self._db.reading() as session:
            await self._project(session, caller, project_id, ProjectRole.VIEW, "ListModelRuns")
            if model_id:
                await self._model_of_project(session, model_id, project_id)
            # Plain rows, not ORM objects: a page of 1000 loads ten times faster.
            statement = sa.select(*ModelRunRow.__table__.columns).where(
                ModelRunRow.project_id == project_id)
            if model_name:
                statement = statement.where(ModelRunRow.model_name == model_name)
            if model_id:
                statement = statement.where(sa.exists().where(
                    ModelRunModelRow.run_id == ModelRunRow.id,
                    ModelRunModelRow.model_id == model_id))
            if not query:
                rows = list((await session.exec(paging.by_time_and_id(
                    statement, page, ModelRunRow.create_time, ModelRunRow.id))).all())
            elif self._sqlite:
                rows = await self._contained_sqlite(session, statement, page, project_id, query)
            else:
                wanted = sa.cast(sa.literal(canonical_json(query), sa.Text()), JSONB())
                statement = statement.where(ModelRunRow.info.op("@>", is_comparison=True)(wanted))
                rows = list((await session.exec(paging.by_time_and_id(
                    statement, page, ModelRunRow.create_time, ModelRunRow.id))).all())
            rows, token = paging.time_and_id_page(page, rows)
            model_ids = await self._model_ids(session, [row.id for row in rows])
        return [ModelRunView(row, model_ids[row.id]) for row in rows], token

    async def _contained_sqlite(self, session, statement, page: paging.Page, project_id: str,
                                query: dict) -> list[ModelRunRow]:
        """Up to page.size + 1 rows of ``statement`` that contain ``query``, after the page's
        key: candidates in listing order from the term index, checked exactly."""
        table = ModelRunTermRow.__table__
        counted = query_terms(project_id, query)[:_COUNTED_TERMS]
        # How many runs have each term (up to the cap), in one statement.
        capped = [
            sa.select(sa.func.count()).select_from(
                sa.select(sa.literal(1)).where(table.c.term == term).limit(_COUNT_CAP)
                .subquery()).scalar_subquery()
            for term in counted
        ]
        numbers = (await session.execute(sa.select(*capped))).one()
        if 0 in numbers:
            return []  # no run has one of the terms: none contains the query
        # The rarest first; among the capped, the most specific.
        counts = sorted(zip(numbers, range(len(counted)), counted))
        driver = table.alias("driver")
        statement = statement.join(driver, driver.c.run_id == ModelRunRow.id).where(
            driver.c.term == counts[0][2])
        for _, _, term in counts[1:_SQL_TERMS]:
            other = table.alias()
            statement = statement.where(sa.exists().where(
                other.c.term == term, other.c.create_time == driver.c.create_time,
                other.c.run_id == driver.c.run_id))
        found: list[ModelRunRow] = []
        after = page.after
        # Candidates are mostly matches: ask for a few more than needed, more each time not.
        chunk = page.size + 1 + 8
        while True:
            rows = list((await session.exec(paging.by_time_and_id(
                statement, paging.Page(chunk - 1, after, page.query),
                driver.c.create_time, driver.c.run_id))).all())
            for row in rows:
                if json_contains(row.info, query):
                    found.append(row)
                    if len(found) > page.size:
                        return found
            if len(rows) < chunk:
                return found
            after = [as_utc(rows[-1].create_time).isoformat(), rows[-1].id]
            chunk = min(2 * chunk, 2000)

    # -- change --------------------------------------------------------------------------------

    async def update(self, caller: Caller, run_id: str, changes: dict) -> ModelRunView:
        """``changes``: new values of UPDATABLE fields (info replaced whole)."""
        model_name = info = None
        if "model_name" in changes:
            model_name = _model_name(changes["model_name"], "model_run.model_name")
        if "info" in changes:
            if changes["info"] is None:
                raise InvalidArgument.for_field(
                    "model_run.info", "is required when updated: give a JSON object ({} for none)",
                    "MODEL_RUN_INFO_REQUIRED")
            info = canonical(changes["info"], "model_run.info")
        async with self._db.transaction() as session:
            run = await self._run(session, caller, run_id, ProjectRole.USER, "UpdateModelRun")
            if model_name is not None:
                run.model_name = model_name
            if info is not None:
                run.info = info
                run.info_digest = info_digest(info)
                await self._replace_terms(session, run)
            run.update_time = utcnow()
            session.add(run)
            await session.flush()
            return await self._view(session, run)

    async def delete(self, caller: Caller, run_id: str) -> None:
        """The run, its associations and its terms, in one transaction."""
        async with self._db.transaction() as session:
            run = await self._run(session, caller, run_id, ProjectRole.USER, "DeleteModelRun")
            for table in (ModelRunModelRow.__table__, ModelRunTermRow.__table__):
                await session.execute(sa.delete(table).where(table.c.run_id == run.id))
            await session.delete(run)

    async def associate(self, caller: Caller, run_id: str, model_id: str) -> ModelRunView:
        """Associates the run with a model of its project; nothing changes when they already
        are."""
        try:
            async with self._db.transaction() as session:
                run = await self._run(session, caller, run_id, ProjectRole.USER,
                                      "AssociateModelRun")
                await self._model_of_project(session, model_id, run.project_id)
                if await session.get(ModelRunModelRow, (run.id, model_id)) is None:
                    now = utcnow()
                    session.add(ModelRunModelRow(run_id=run.id, model_id=model_id,
                                                 create_time=now))
                    run.update_time = now
                    session.add(run)
                    await session.flush()
                return await self._view(session, run)
        except IntegrityError as error:  # the same association made at the same time
            if not is_unique_violation(error):
                raise
        return await self.get(caller, run_id)

    async def unassociate(self, caller: Caller, run_id: str, model_id: str) -> ModelRunView:
        async with self._db.transaction() as session:
            run = await self._run(session, caller, run_id, ProjectRole.USER,
                                  "UnassociateModelRun")
            association = await session.get(ModelRunModelRow, (run.id, model_id)) if model_id else None
            if association is None:
                raise _association_missing(run_id, model_id)
            await session.delete(association)
            run.update_time = utcnow()
            session.add(run)
            await session.flush()
            return await self._view(session, run)
