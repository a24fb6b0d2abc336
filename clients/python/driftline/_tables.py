"""Aligned plain-text tables for the client's show_* methods."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


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


def time_cell(stamp) -> str:
    """A google.protobuf.Timestamp as a table cell (UTC, to the second); "" when unset."""
    return stamp.ToDatetime().isoformat(sep=" ", timespec="seconds") if stamp.seconds else ""
