"""The client's show_* tables, all in one place: how a table is laid out, how a value becomes a
cell, and which columns each result type shows.

A show_* method is ``show(self.get_x(...), X_COLUMNS)``: the columns of a result type are
defined once, below, in its service's section.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta, timezone

# A column: its header, and how to read its value from a result.
Column = tuple[str, Callable[[object], object]]


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Columns as wide as their widest cell, a dashed rule under the headers.

    >>> print(format_table(["ID", "Name"], [["p1", "churn"]]))
    ID  Name
    --  -----
    p1  churn
    """
    text_rows = [["" if value is None else str(value) for value in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text_rows:
        widths = [max(w, len(text)) for w, text in zip(widths, row)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in text_rows]
    return "\n".join(lines)


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    print(format_table(headers, rows))


def cell(value: object) -> str:
    """A value as a table cell: times in UTC to the second, enums by name, None as nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):  # results' times are UTC: shown without the offset
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, enum.Enum):
        return value.name
    return str(value)


def show(items: Iterable[object], columns: Sequence[Column]) -> None:
    """Print results as a table of ``columns``.

    >>> show([project], PROJECT_COLUMNS)
    """
    print_table([header for header, _ in columns],
                [[cell(read(item)) for _, read in columns] for item in items])


def time_cell(stamp) -> str:
    """A google.protobuf.Timestamp as a table cell (UTC, to the second); "" when unset."""
    return stamp.ToDatetime().isoformat(sep=" ", timespec="seconds") if stamp.seconds else ""


# -- Identity -----------------------------------------------------------------------------------

COMPANY_USER_COLUMNS: list[Column] = [
    ("ID", lambda user: user.user_id),
    ("Username", lambda user: user.username),
    ("Name", lambda user: user.name),
    ("Surname", lambda user: user.surname),
    ("Email", lambda user: user.email),
    ("Role", lambda user: user.company_role),
]

USER_PROJECT_COLUMNS: list[Column] = [
    ("Project ID", lambda project: project.project_id),
    ("Name", lambda project: project.name),
    ("Role", lambda project: project.role),
]

API_KEY_COLUMNS: list[Column] = [
    ("ID", lambda key: key.api_key_id),
    ("Prefix", lambda key: key.prefix),
    ("Name", lambda key: key.name),
    ("Created", lambda key: key.creation_datetime),
    ("Expires", lambda key: key.expiration_datetime or "never"),
]


# -- Catalog ------------------------------------------------------------------------------------
PROJECT_COLUMNS: list[Column] = [
    ("Project ID", lambda p: p.project_id),
    ("Name", lambda p: p.name),
    ("Storage policy", lambda p: p.default_storage_policy),
    ("Created", lambda p: p.creation_datetime),
]
TASK_COLUMNS: list[Column] = [
    ("Task ID", lambda t: t.task_id),
    ("Name", lambda t: t.name),
    ("Type", lambda t: t.task_type),
    ("Data", lambda t: t.data_structure),
    ("Created", lambda t: t.creation_datetime),
]
MODEL_COLUMNS: list[Column] = [
    ("Model ID", lambda m: m.model_id),
    ("Task ID", lambda m: m.task_id),
    ("Name", lambda m: m.name),
    ("Version", lambda m: m.version),
    ("Metric", lambda m: m.metric_name),
    ("Created", lambda m: m.creation_datetime),
]
COLUMN_INFO_COLUMNS: list[Column] = [
    ("Column name", lambda c: c.name),
    ("Role", lambda c: c.role),
    ("Type", lambda c: c.data_type),
    ("Nullable", lambda c: c.is_nullable),
]
KPI_COLUMNS: list[Column] = [
    ("KPI ID", lambda k: k.kpi_id),
    ("Project ID", lambda k: k.project_id),
    ("Name", lambda k: k.name),
    ("Created", lambda k: k.creation_datetime),
]

# -- Catalog: experiments, model runs, model sessions, Python models ----------------------------
def _first_60(text: str | None) -> str:
    text = text or ""
    return text if len(text) <= 60 else text[:57] + "..."


def _compact_json(value: object) -> str:
    """A JSON object as one line, keys sorted, cut at 60 characters."""
    return _first_60(json.dumps(value, sort_keys=True, separators=(",", ":"),
                                ensure_ascii=False))


def _whole_seconds(total: timedelta | None) -> str:
    return "" if total is None else str(total - timedelta(microseconds=total.microseconds))


def _iteration_seconds(iteration) -> str:
    if iteration.end_datetime is None or iteration.start_datetime is None:
        return ""
    return f"{(iteration.end_datetime - iteration.start_datetime).total_seconds():.1f}"


def _failure_and_error(version) -> str:
    failure = cell(version.failure)
    return (failure + ": " if failure else "") + version.error[:80]


EXPERIMENT_COLUMNS: list[Column] = [
    ("Experiment ID", lambda e: e.experiment_id), ("Name", lambda e: e.name),
    ("Description", lambda e: _first_60(e.description)),
    ("Created", lambda e: e.creation_datetime)]
EXPERIMENT_MODEL_COLUMNS: list[Column] = [
    ("Model ID", lambda m: m.experiment_model_id), ("Hash", lambda m: m.hash),
    ("Name", lambda m: m.name), ("Step", lambda m: m.step),
    ("Created", lambda m: m.creation_datetime)]
ITERATION_COLUMNS: list[Column] = [
    ("Epoch", lambda i: i.epoch), ("Phase", lambda i: i.phase),
    ("Started", lambda i: i.start_datetime), ("Ended", lambda i: i.end_datetime),
    ("Seconds", _iteration_seconds)]
METRIC_POINT_COLUMNS: list[Column] = [
    ("Name", lambda p: p.name), ("Phase", lambda p: p.phase), ("Epoch", lambda p: p.epoch),
    ("Step", lambda p: p.step), ("Value", lambda p: f"{p.value:.6g}"),
    ("Time", lambda p: p.time)]
MODULE_COLUMNS: list[Column] = [
    ("Name", lambda m: m.name), ("Type", lambda m: m.type),
    ("Arguments", lambda m: _compact_json(m.arguments)), ("Hash", lambda m: m.hash)]
MODEL_RUN_COLUMNS: list[Column] = [
    ("Run ID", lambda r: r.model_run_id), ("Model name", lambda r: r.model_name),
    ("Models", lambda r: len(r.model_ids)), ("Info", lambda r: _compact_json(r.model_run_info)),
    ("Created", lambda r: r.creation_datetime)]
MODEL_SESSION_COLUMNS: list[Column] = [
    ("Session ID", lambda s: s.model_session_id), ("Name", lambda s: s.name),
    ("Category", lambda s: s.category), ("State", lambda s: s.state),
    ("Dataset", lambda s: s.dataset_id), ("Models", lambda s: s.model_count),
    ("Total", lambda s: _whole_seconds(s.total_time)),
    ("Created", lambda s: s.creation_datetime)]
BUILT_MODEL_COLUMNS: list[Column] = [
    ("Model ID", lambda m: m.built_model_id), ("Name", lambda m: m.name),
    ("Type", lambda m: m.type), ("Session ID", lambda m: m.model_session_id),
    ("State", lambda m: m.state), ("Dataset", lambda m: m.dataset_id),
    ("Binary key", lambda m: m.model_binary_key),
    ("Created", lambda m: m.creation_datetime)]
PYTHON_MODEL_COLUMNS: list[Column] = [
    ("ID", lambda m: m.python_model_id), ("Name", lambda m: m.name),
    ("Train", lambda m: m.train_function_name), ("Predict", lambda m: m.predict_function_name),
    ("Inputs", lambda m: ", ".join(cell(given.kind) for given in m.training_inputs)),
    ("Requirements", lambda m: ", ".join(m.package_requirements)),
    ("Definition", lambda m: m.definition_version),
    ("Latest version", lambda m: m.latest_version_id)]
PYTHON_MODEL_VERSION_COLUMNS: list[Column] = [
    ("Model ID", lambda v: v.model_id), ("Version", lambda v: v.version),
    ("Status", lambda v: v.status), ("Samples", lambda v: v.training_sample_count),
    ("Weighted", lambda v: "yes" if v.sample_weighted else ""),
    ("Suggestion", lambda v: v.suggestion_id), ("Error", _failure_and_error)]


# -- Data ---------------------------------------------------------------------------------------


# -- Jobs ---------------------------------------------------------------------------------------

JOB_COLUMNS: list[Column] = [
    ("ID", lambda job: job.job_id),
    ("Group", lambda job: job.job_group),
    ("Status", lambda job: job.status),
    ("Progress", lambda job: f"{job.progress.fraction:.0%}"),
    ("Project", lambda job: job.project_name or job.project_id),
    ("Task", lambda job: job.task_name or job.task_id),
    ("Attempt", lambda job: job.attempt),
    ("Created", lambda job: job.creation_datetime),
]


# -- Monitoring ---------------------------------------------------------------------------------


def _model_cell(result) -> str:
    """A model as its name and version tag ("gbm v1"); "" for none."""
    return f"{result.model_name or ''} {result.model_version or ''}".strip()


MONITORING_STATUS_COLUMNS: list[Column] = [
    ("Model", _model_cell),
    ("Target", lambda s: s.monitoring_target),
    ("Metric", lambda s: s.monitoring_metric),
    ("Feature", lambda s: s.specification),
    ("Status", lambda s: s.status),
    ("Since", lambda s: s.status_start_datetime),
]

DETECTION_EVENT_COLUMNS: list[Column] = [
    ("Seq", lambda e: e.sequence),
    ("Type", lambda e: e.event_type),
    ("Target", lambda e: e.monitoring_target),
    ("Feature", lambda e: e.specification),
    ("Severity", lambda e: e.severity_type),
    ("Model", _model_cell),
    ("Sample", lambda e: e.sample_customer_id),
    ("Recorded", lambda e: e.insert_datetime),
]

SUGGESTION_COLUMNS: list[Column] = [
    ("Suggestion Id", lambda s: s.suggestion_id),
    ("Type", lambda s: s.suggestion_type),
    ("Samples", lambda s: s.sample_count),
    ("Executed", lambda s: s.executed),
    ("Timestamp", lambda s: s.creation_datetime),
]

TOPIC_COLUMNS: list[Column] = [
    ("Topic", lambda topic: topic.topic_id),
    ("Share", lambda topic: f"{topic.share:.1%}"),
    ("Label", lambda topic: topic.label),
    ("Terms", lambda topic: ", ".join(term.term for term in topic.terms[:8])),
]
