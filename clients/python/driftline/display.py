"""The client's show_* tables, all in one place: how a table is laid out, how a value becomes a
cell, and which columns each result type shows.

A show_* method is ``show(self.get_x(...), X_COLUMNS)``: the columns of a result type are
defined once, below, in its service's section.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

# A column: its header, and how to read its value from a result.
Column = tuple[str, Callable[[object], object]]


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Columns as wide as their widest cell, a dashed rule under the headers.

    >>> print(format_table(["ID", "Name"], [["p1", "churn"]]))
    ID  Name
    --  -----
    p1  churn
    """
    text_rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text_rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row)]
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
    if isinstance(value, datetime):
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


# -- Catalog ------------------------------------------------------------------------------------


# -- Catalog: experiments, model runs, model sessions, Python models ----------------------------


# -- Data ---------------------------------------------------------------------------------------


# -- Jobs ---------------------------------------------------------------------------------------


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
