"""Task reports of ``driftline.Client``: RAG evaluation and topic modelling.

Both are computed by a job over a task's stored samples in a time range: ``compute_...``
returns the job's id, to wait for with ``wait_job_completion``. A RAG evaluation scores each
sample (context relevance, answer relevance, groundedness, correctness against the target
answer, length, refusal) and summarises the scores; ``export_rag_evaluation_report`` writes the
per-sample table and the summary as CSV or Parquet, and an HTML page with the distributions. A
topic modelling report finds the topics of a text task's inputs and gives every sample its
topic. Times take epoch seconds or datetimes (naive ones are UTC).
"""

from __future__ import annotations

import html
import math
import os
import uuid

import pyarrow as pa

from driftline import display
from driftline._data import _timestamp
from driftline._pagination import Pager
from driftline._transport import Transport
from driftline.arrow_stream import read_arrow_stream
from driftline.conversions import monitoring as conversions
from driftline.enums import TaskReportState
from driftline.monitoring.v1 import (
    monitoring_service_pb2 as pb,
    monitoring_service_pb2_grpc,
)
from driftline.types.monitoring import (
    RagEvaluationReport,
    RagMetricSummary,
    TopicModelingReport,
    TopicModelingReportDetails,
)

__all__ = ["ReportMethods", "TopicModelingReportDetails"]

_FORMATS = ("csv", "parquet")


class ReportMethods:
    """Mixed into ``driftline.Client``; expects ``self._transport`` and ``self._monitoring``."""

    _transport: Transport
    _monitoring: monitoring_service_pb2_grpc.MonitoringServiceStub

    def _every(self, method, request, convert) -> list:
        """Every page of a listing of reports, in its order, converted."""
        return list(Pager(self._transport.call, method, request, "reports", convert))

    # -- RAG evaluation ----------------------------------------------------------------------

    def compute_rag_evaluation_report(
        self, task_id: str, report_name: str, from_timestamp, to_timestamp, *,
        model_id: str | None = None, threshold: float | None = None,
        judge_credentials_id: str | None = None, judge_model: str | None = None,
        request_id: str | None = None,
    ) -> str:
        """Start evaluating a RAG task's answers in [from_timestamp, to_timestamp); returns the
        job's id (at least PROJECT_USER). Scores are computed locally and deterministically;
        with ``judge_credentials_id`` (the project's LLM provider credentials) and
        ``judge_model``, an LLM judge scores every sample too, and the report records its
        prompts, model and version. ``model_id`` names the model whose answers to evaluate when
        the schema holds several; scores below ``threshold`` (default 0.5) count as low.

        Example:
            >>> job_id = client.compute_rag_evaluation_report(task_id, "November", t0, t1)
            >>> client.wait_job_completion(job_id)
            >>> client.get_rag_evaluation_reports(task_id)[0].status
            <TaskReportState.COMPLETE: 2>
        """
        request = pb.ComputeRagEvaluationReportRequest(
            task_id=task_id, report_name=report_name, from_time=_timestamp(from_timestamp),
            to_time=_timestamp(to_timestamp), model_id=model_id or "",
            threshold=threshold or 0.0, request_id=request_id or uuid.uuid4().hex)
        if judge_credentials_id or judge_model:
            request.judge.credentials_id = judge_credentials_id or ""
            request.judge.model = judge_model or ""
        return self._transport.call(self._monitoring.ComputeRagEvaluationReport, request,
                                    idempotent=True).job_id

    def get_rag_evaluation_reports(self, task_id: str) -> list[RagEvaluationReport]:
        """The task's RAG evaluation reports, newest first (the SDK's TaskRagEvalReportItem:
        id, name, status, creation_datetime, from_datetime, to_datetime), with the summaries of
        the COMPLETE ones (at least PROJECT_VIEW).

        Example:
            >>> [(r.id, r.name) for r in client.get_rag_evaluation_reports(task_id)]
            [('9a0c...', 'November')]
        """
        return self._every(self._monitoring.ListRagEvaluationReports,
                           pb.ListRagEvaluationReportsRequest(task_id=task_id),
                           conversions.rag_evaluation_report_from_proto)

    def get_rag_evaluation_report(self, report_id: str) -> RagEvaluationReport:
        """One RAG evaluation report with its metrics' summaries (at least PROJECT_VIEW).

        Example:
            >>> report = client.get_rag_evaluation_report(report_id)
            >>> {m.metric: round(m.mean, 2) for m in report.metrics}["groundedness"]
            0.81
        """
        return conversions.rag_evaluation_report_from_proto(self._transport.call(
            self._monitoring.GetRagEvaluationReport,
            pb.GetRagEvaluationReportRequest(report_id=report_id), idempotent=True).report)

    def read_task_report_samples(self, report_id: str) -> pa.Table:
        """A COMPLETE report's per-sample table: a RAG evaluation's scores of every sample, or a
        topic modelling's topic of every sample (at least PROJECT_VIEW).

        Example:
            >>> scores = client.read_task_report_samples(report_id)
            >>> scores.column("groundedness")[0].as_py()
            1.0
        """
        responses = self._transport.stream(
            self._monitoring.ReadTaskReportSamples,
            pb.ReadTaskReportSamplesRequest(report_id=report_id))
        return read_arrow_stream(response.arrow_ipc for response in responses)

    def export_rag_evaluation_report(self, report_id: str, folder: str, file_name: str,
                                     *, file_format: str | None = None) -> dict[str, str]:
        """Write a COMPLETE RAG evaluation report into ``folder``: the per-sample table as
        ``<file_name>.csv`` (or ``.parquet``), the summary as ``<file_name>_summary.csv``, and
        ``<file_name>.html``, a self-contained page with each metric's distribution. The format
        comes from ``file_format`` or the extension of ``file_name`` (CSV by default). Returns
        the paths written by what they hold (at least PROJECT_VIEW).

        Example:
            >>> paths = client.export_rag_evaluation_report(report_id, "out", "november.parquet")
            >>> sorted(paths)
            ['html', 'samples', 'summary']
        """
        stem, extension = os.path.splitext(file_name)
        chosen = (file_format or extension.lstrip(".") or "csv").lower()
        if chosen not in _FORMATS:
            raise ValueError(f"file_format is {chosen!r}: choose one of {', '.join(_FORMATS)}")
        if not stem:
            raise ValueError("file_name is empty: name the files to write, e.g. 'report.csv'")
        report = self.get_rag_evaluation_report(report_id)
        if report.status != TaskReportState.COMPLETE:
            status = getattr(report.status, "name", report.status)
            raise ValueError(f"report {report_id!r} is {status}: only a COMPLETE report is "
                             "exported (wait for its job)")
        samples = self.read_task_report_samples(report_id)
        summary = _summary_table(report)
        os.makedirs(folder, exist_ok=True)
        paths = {"samples": os.path.join(folder, f"{stem}.{chosen}"),
                 "summary": os.path.join(folder, f"{stem}_summary.{chosen}"),
                 "html": os.path.join(folder, f"{stem}.html")}
        for key, table in (("samples", samples), ("summary", summary)):
            if chosen == "csv":
                import pyarrow.csv as pacsv

                pacsv.write_csv(table, paths[key])
            else:
                import pyarrow.parquet as pq

                pq.write_table(table, paths[key])
        with open(paths["html"], "w", encoding="utf-8") as page:
            page.write(_rag_html(report))
        return paths

    # -- topic modelling ---------------------------------------------------------------------

    def compute_topic_modeling_report(
        self, task_id: str, report_name: str, from_timestamp, to_timestamp, *,
        min_topics: int | None = None, max_topics: int | None = None,
        request_id: str | None = None,
    ) -> str:
        """Start finding the topics of a text task's samples in [from_timestamp,
        to_timestamp); returns the job's id (at least PROJECT_USER). The number of topics is
        chosen by coherence between ``min_topics`` and ``max_topics`` (default 2 to 10).

        Example:
            >>> client.wait_job_completion(
            ...     client.compute_topic_modeling_report(task_id, "week 48", t0, t1))
        """
        request = pb.ComputeTopicModelingReportRequest(
            task_id=task_id, report_name=report_name, from_time=_timestamp(from_timestamp),
            to_time=_timestamp(to_timestamp), min_topics=min_topics or 0,
            max_topics=max_topics or 0, request_id=request_id or uuid.uuid4().hex)
        return self._transport.call(self._monitoring.ComputeTopicModelingReport, request,
                                    idempotent=True).job_id

    def get_topic_modeling_reports(self, task_id: str) -> list[TopicModelingReport]:
        """The task's topic modelling reports, newest first (the SDK's
        TaskTopicModelingReportItem: id, name, status, creation_datetime, from_datetime,
        to_datetime), with their topics' labels and shares but not their terms (at least
        PROJECT_VIEW).

        Example:
            >>> [(r.name, len(r.topics)) for r in client.get_topic_modeling_reports(task_id)]
            [('week 48', 2)]
        """
        return self._every(self._monitoring.ListTopicModelingReports,
                           pb.ListTopicModelingReportsRequest(task_id=task_id),
                           conversions.topic_modeling_report_from_proto)

    def get_topic_modeling_report(self, report_id: str) -> TopicModelingReportDetails:
        """A topic modelling report (``report``): its topics, and the sample ids with their
        topics (``samples``, an Arrow table) once it is COMPLETE; ``topics``, ``sample_ids``
        and ``sample_topics`` read them as the SDK's TaskTopicModelingReportDetails does (at
        least PROJECT_VIEW).

        Example:
            >>> details = client.get_topic_modeling_report(report_id)
            >>> [t.label for t in details.topics]
            ['refund · invoice · charge', 'goal · match · league']
            >>> dict(zip(details.sample_ids, details.sample_topics))["s-1"]
            0
            >>> details.samples.column_names[:3]
            ['sample_id', 'timestamp', 'topic_id']
        """
        report = conversions.topic_modeling_report_from_proto(self._transport.call(
            self._monitoring.GetTopicModelingReport,
            pb.GetTopicModelingReportRequest(report_id=report_id), idempotent=True).report)
        if report.status == TaskReportState.COMPLETE:
            samples = self.read_task_report_samples(report_id)
        else:
            samples = pa.table({"sample_id": pa.array([], pa.string()),
                                "topic_id": pa.array([], pa.int32())})
        return TopicModelingReportDetails(report=report, samples=samples)

    def show_topics(self, report_id: str) -> None:
        """Print a topic modelling report's topics as a table: id, share, label and top terms,
        then how many samples had no known term.

        Example:
            >>> client.show_topics(report_id)
            Topic  Share  Label  Terms
        """
        report = self.get_topic_modeling_report(report_id).report
        display.show(report.topics, display.TOPIC_COLUMNS)
        if report.unassigned_sample_count:
            print(f"{report.unassigned_sample_count} samples with no known term")


def _summary_table(report: RagEvaluationReport) -> pa.Table:
    rows = [(metric, "local") for metric in report.metrics] + [
        (metric, "judge") for metric in report.judge_metrics]
    levels = sorted({q.level for metric, _ in rows for q in metric.quantiles})
    columns = {
        "metric": [m.metric for m, _ in rows], "scorer": [s for _, s in rows],
        "count": [m.count for m, _ in rows], "mean": [m.mean for m, _ in rows],
        "minimum": [m.minimum for m, _ in rows], "maximum": [m.maximum for m, _ in rows],
    }
    for level in levels:
        columns[f"p{round(level * 100)}"] = [
            next((q.value for q in m.quantiles if q.level == level), math.nan) for m, _ in rows]
    columns["share_below_threshold"] = [m.share_below_threshold for m, _ in rows]
    columns["description"] = [m.description for m, _ in rows]
    return pa.table(columns)


def _histogram_svg(metric: RagMetricSummary) -> str:
    """An SVG bar chart of the metric's histogram (no script, no external resource)."""
    counts, edges = list(metric.histogram_counts), list(metric.histogram_edges)
    if not counts or len(edges) != len(counts) + 1:
        return "<p>no values</p>"
    width, height, bar = 420, 140, 400 / len(counts)
    tallest = max(counts) or 1
    bars = []
    for index, count in enumerate(counts):
        top = height - 20 - (height - 30) * count / tallest
        bars.append(
            f'<rect x="{10 + index * bar:.1f}" y="{top:.1f}" width="{bar - 1:.1f}" '
            f'height="{height - 20 - top:.1f}" fill="#4c78a8"><title>'
            f'[{edges[index]:.3g}, {edges[index + 1]:.3g}): {count}</title></rect>')
    labels = (f'<text x="10" y="{height - 5}" font-size="10">{edges[0]:.3g}</text>'
              f'<text x="{width - 10}" y="{height - 5}" font-size="10" text-anchor="end">'
              f'{edges[-1]:.3g}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img">{"".join(bars)}{labels}</svg>')


def _rag_html(report: RagEvaluationReport) -> str:
    sections = []
    for title, metrics in (("Scores", report.metrics), ("LLM judge", report.judge_metrics)):
        if not metrics:
            continue
        sections.append(f"<h2>{title}</h2>")
        for metric in metrics:
            quantiles = ", ".join(f"p{round(q.level * 100)} {q.value:.3f}"
                                  for q in metric.quantiles)
            below = ("" if math.isnan(metric.share_below_threshold) else
                     f"; below {report.threshold:g}: {metric.share_below_threshold:.1%}")
            sections.append(
                f"<section><h3>{html.escape(metric.metric)}</h3>"
                f"<p>{html.escape(metric.description)}</p>"
                f"<p>{metric.count} samples; mean {metric.mean:.3f}; {quantiles}{below}</p>"
                f"{_histogram_svg(metric)}</section>")
    judge = ""
    if report.judge is not None and report.judge.model:
        judge = (f"<h2>Judge</h2><p>{html.escape(report.judge.provider or '')} "
                 f"{html.escape(report.judge.model)} (version "
                 f"{html.escape(report.judge.model_version or '')}), temperature "
                 f"{report.judge.temperature:g}</p><pre>"
                 f"{html.escape(report.judge.system_prompt or '')}\n\n"
                 f"{html.escape(report.judge.user_prompt_template or '')}</pre>")
    start, end = (f"{moment:%Y-%m-%d %H:%M}" if moment else "?"
                  for moment in (report.from_datetime, report.to_datetime))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
            f"{html.escape(report.name)}</title><style>body{{font-family:sans-serif;"
            f"max-width:900px;margin:2em auto}}section{{margin-bottom:1.5em}}</style></head>"
            f"<body><h1>RAG evaluation: {html.escape(report.name)}</h1>"
            f"<p>Task {html.escape(report.task_id)}, {report.sample_count} samples from "
            f"{start} to {end} UTC.</p>"
            f"{''.join(sections)}{judge}</body></html>")
