"""What a detection event looks like once it leaves Driftline.

Every channel builds on the pieces here, so that the summary line, the list of facts, the
explanation and the JSON document are each written once: chat messages and e-mails show the
summary and the facts, machines (webhooks, MQTT, EventBridge, Pub/Sub, Event Grid) receive the
JSON document.
"""

from __future__ import annotations

import json
import math
import numbers
import string
from collections.abc import Mapping
from datetime import date, datetime

# The fields of a detection event as the monitoring service hands it to actions.
EVENT_FIELDS = (
    "event_id", "task_id", "task_name", "model_id", "model_name", "model_version", "event_type",
    "monitoring_target", "monitoring_metric", "feature", "severity", "sample_id", "sample_time",
    "insert_time", "explanation", "rule_id", "rule_name",
)
# What an MQTT payload template may name: the event's fields, and its summary line.
TEMPLATE_FIELDS = frozenset(EVENT_FIELDS) | {"summary"}
# Chat messages list the columns that drifted most; the JSON document keeps them all.
EXPLAINED_COLUMNS_SHOWN = 10


def _text(event: Mapping, key: str) -> str:
    """An event field as one line of text: names typed by users must not break a subject."""
    value = event.get(key)
    if value is None:
        return ""
    return " ".join(str(value).split())


def _model(event: Mapping) -> str:
    name, version = _text(event, "model_name"), _text(event, "model_version")
    if not name:
        return ""
    if not version:
        return name
    return f"{name} v{version}" if version[0].isdigit() else f"{name} {version}"


def summary_line(event: Mapping) -> str:
    """One line that says what happened, e.g.
    ``DRIFT_ON · INPUT FEATURE · feature age · model churn v2 · severity HIGH · task Churn``."""
    target = " ".join(filter(None, (_text(event, "monitoring_target"),
                                    _text(event, "monitoring_metric"))))
    feature, model = _text(event, "feature"), _model(event)
    severity = _text(event, "severity")
    task = _text(event, "task_name") or _text(event, "task_id")
    parts = [
        _text(event, "event_type") or "DETECTION_EVENT",
        target,
        f"feature {feature}" if feature else "",
        f"model {model}" if model else "",
        f"severity {severity}" if severity else "",
        f"task {task}" if task else "",
    ]
    return " · ".join(part for part in parts if part)


def _named(name: str, identifier: str) -> str:
    if name and identifier and name != identifier:
        return f"{name} ({identifier})"
    return name or identifier


def event_facts(event: Mapping) -> list[tuple[str, str]]:
    """(label, value) pairs of the event's details, the empty ones left out."""
    sample = " at ".join(filter(None, (_text(event, "sample_id"), _text(event, "sample_time"))))
    facts = [
        ("Event", _text(event, "event_type")),
        ("Severity", _text(event, "severity")),
        ("Task", _named(_text(event, "task_name"), _text(event, "task_id"))),
        ("Model", _named(_model(event), _text(event, "model_id"))),
        ("Target", _text(event, "monitoring_target")),
        ("Metric", _text(event, "monitoring_metric")),
        ("Feature", _text(event, "feature")),
        ("Sample", sample),
        ("Detected at", _text(event, "insert_time")),
        ("Rule", _named(_text(event, "rule_name"), _text(event, "rule_id"))),
        ("Event id", _text(event, "event_id")),
    ]
    return [(label, value) for label, value in facts if value]


def _number(value: object) -> str:
    """A statistic for people: 4 significant digits, "n/a" when there is none."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return "n/a" if value in (None, "") else str(value)
    return f"{value:.4g}" if math.isfinite(value) else "n/a"


def explanation_lines(event: Mapping, limit: int = EXPLAINED_COLUMNS_SHOWN) -> list[str]:
    """One line per explained column, e.g. ``age: ks statistic 0.31, p-value 1.2e-05, effect
    size 0.41``; a last line says how many more there are."""
    explanation = event.get("explanation") or []
    lines = []
    for column in explanation[:limit]:
        if not isinstance(column, Mapping):
            continue
        statistic = " ".join(filter(None, (_text(column, "test"), "statistic")))
        lines.append(
            f"{_text(column, 'column') or '?'}: {statistic} {_number(column.get('statistic'))}, "
            f"p-value {_number(column.get('p_value'))}, "
            f"effect size {_number(column.get('effect_size'))}"
        )
    if len(explanation) > limit:
        lines.append(f"… and {len(explanation) - limit} more column(s)")
    return lines


def _json_safe(value: object) -> object:
    """Plain JSON values: NaN and infinities (a test that could not run) become null, numbers
    of any kind (numpy's too) plain ints and floats, times ISO 8601, anything else its text."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def event_document(event: Mapping) -> dict:
    """The event as machines receive it: all its fields, plus its ``summary`` line."""
    document = _json_safe(event)
    document["summary"] = summary_line(event)
    return document


def encode_json(value: object) -> bytes:
    """Compact JSON with sorted keys: the same document always gives the same bytes (which the
    webhook signature covers)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def event_json(event: Mapping) -> bytes:
    """The JSON body every machine-facing channel sends."""
    return encode_json(event_document(event))


def template_problems(template: str) -> list[str]:
    """What is wrong with a payload template: unknown fields, anything beyond a plain
    ``{field}`` (attribute or index access would reach inside Python objects; a format spec
    could fail on the text values), bad brace syntax."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        return [f"is not a valid template ({error}); write literal braces as {{{{ and }}}}"]
    problems = []
    for _, field_name, format_spec, conversion in parsed:
        if field_name is None:
            continue
        if not field_name.isidentifier() or format_spec or conversion:
            problems.append(
                f"placeholder {{{field_name}}} must be a plain field name, e.g. {{task_name}}"
            )
        elif field_name not in TEMPLATE_FIELDS:
            problems.append(
                f"unknown field {{{field_name}}}; known: {', '.join(sorted(TEMPLATE_FIELDS))}"
            )
    return problems


def _template_value(value: object) -> str:
    """Text as it is, nothing as nothing, anything else (lists, numbers) as JSON."""
    plain = _json_safe(value)
    if plain is None:
        return ""
    return plain if isinstance(plain, str) else encode_json(plain).decode("utf-8")


def render_template(template: str, event: Mapping) -> str:
    """The template with each ``{field}`` replaced by the event's value (lists and numbers as
    JSON). Raises ValueError for templates that template_problems rejects."""
    problems = template_problems(template)
    if problems:
        raise ValueError("; ".join(problems))
    values = {name: _template_value(event.get(name)) for name in EVENT_FIELDS}
    values["summary"] = summary_line(event)
    return template.format_map(values)
