"""The samples the reports read: one RAG exchange, as the task's data holds it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RagSample:
    """One exchange of a RAG task: what the user asked, what was retrieved, what was answered.

    ``contexts`` are the retrieved passages, already split by the task's separator; ``target``
    is the expected answer where the task's target data holds one.
    """

    sample_id: str
    user_input: str
    contexts: tuple[str, ...]
    output: str
    target: str | None = None
