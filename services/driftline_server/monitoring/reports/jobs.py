"""The task reports' jobs:

- "compute_rag_evaluation_report" streams a RAG task's samples in the report's range twice from
  the Data service: first to count the terms of the corpus (BM25's document frequencies), then
  to score every sample (rag.py) and, when asked, to have an LLM judge score it (judge.py);
- "compute_topic_modeling_report" streams a text task's samples twice: first into a uniform
  reservoir the topics are fitted on (topics.py), then to assign every sample its topic.

Both write the per-sample table as Parquet next to its final name and rename it whole, then
have MonitoringService store the report COMPLETE (FinishTaskReport); memory stays bounded by a
batch of samples, the reservoir and the summaries, whatever the number of samples. A re-run
(a retried attempt) computes the same report: the scores and the reservoir are deterministic,
and a report no longer PENDING is left as it is. A cancelled job, or a last attempt that fails,
leaves the report FAILED with why.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import grpc
import numpy as np
import pyarrow as pa

from driftline_server.data.remote import stream_samples
from driftline_server.jobs.registry import job_handler
from driftline_server.jobs.worker import JobContext, JobFailure, run_deciding
from driftline_server.monitoring.reports.samples import RagSample
from driftline_server.monitoring.vocabulary import RAG_EVALUATION_JOB, TOPIC_MODELING_JOB

_JUDGE_THREADS = 4  # LLM calls in flight at once: the provider's latency, not our CPU, bounds it
_JUDGE_ATTEMPTS = 4
_JUDGE_STEP = 16  # samples judged between two looks at a cancellation
_PROGRESS_SECONDS = 2.0


def _monitoring(context: JobContext):
    from driftline.monitoring.v1 import monitoring_service_pb2_grpc

    return monitoring_service_pb2_grpc.MonitoringServiceStub(context.channel("monitoring"))


def _finish(context: JobContext, report_id: str, failure: str = "", sample_count: int = 0,
            **result):
    """FinishTaskReport: COMPLETE with ``result`` (rag_evaluation= or topic_modeling=), or
    FAILED with ``failure``."""
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb, reports_pb2

    state = (reports_pb2.TASK_REPORT_STATE_FAILED if failure
             else reports_pb2.TASK_REPORT_STATE_COMPLETE)
    return context.call(_monitoring(context).FinishTaskReport, pb.FinishTaskReportRequest(
        report_id=report_id, state=state, failure_message=failure[:2000],
        sample_count=sample_count, **result), timeout=60).info


def _fail_report(arguments: dict, context: JobContext, message: str) -> None:
    """Best effort: the report ends FAILED with ``message``."""
    try:
        _finish(context, arguments["report_id"], failure=message)
    except grpc.RpcError:
        pass


def _refuse(context: JobContext, arguments: dict, reason: str, message: str) -> None:
    """The report cannot be computed from these samples: FAILED for good, no retry."""
    _finish(context, arguments["report_id"], failure=message)
    raise JobFailure(reason, message, {"report_id": arguments["report_id"]})


def _require_samples(context: JobContext, arguments: dict, count: int) -> None:
    if count == 0:
        _refuse(context, arguments, "NO_SAMPLES",
                f"the task has no samples in [{arguments['from_time']}, {arguments['to_time']}):"
                " upload data in that range, or ask for a range that holds samples")


def _pending(context: JobContext, arguments: dict, get_method: str, request) -> bool:
    """Whether the report still waits for this job (a re-run finds it decided)."""
    from driftline.monitoring.v1 import reports_pb2

    report = context.call(getattr(_monitoring(context), get_method), request, timeout=30).report
    if report.info.state == reports_pb2.TASK_REPORT_STATE_FAILED:
        raise JobFailure("TASK_REPORT_FAILED", report.info.failure_message,
                         {"report_id": arguments["report_id"]})
    return report.info.state == reports_pb2.TASK_REPORT_STATE_PENDING


def _passes(context: JobContext, arguments: dict, columns: list[str]):
    """A function that streams the report's samples once more, in ``columns`` only: each call
    is one pass."""
    def one_pass() -> Iterator[pa.RecordBatch]:
        return stream_samples(context, arguments["task_id"], columns, arguments["from_time"],
                              arguments["to_time"])
    return one_pass


def _texts(batch: pa.RecordBatch, name: str) -> list[str]:
    return ["" if value is None else str(value) for value in batch.column(name).to_pylist()]


def _seconds(batch: pa.RecordBatch, name: str) -> np.ndarray:
    times = batch.column(name)
    if pa.types.is_timestamp(times.type):
        micros = times.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64())
        return micros.to_numpy(zero_copy_only=False).astype(np.float64) / 1e6
    return times.to_numpy(zero_copy_only=False).astype(np.float64)


class _Progress:
    """Progress reported at most every few seconds (each report asks about a cancellation)."""

    def __init__(self, context: JobContext, start: float, end: float, total: int, what: str):
        self._context, self._start, self._end = context, start, end
        self._total, self._what = max(total, 1), what
        self._last = 0.0

    def advance(self, done: int) -> None:
        now = time.monotonic()
        if now - self._last >= _PROGRESS_SECONDS:
            self._last = now
            self._context.report_progress(
                self._start + (self._end - self._start) * min(done / self._total, 1.0),
                f"{self._what} {done} of {self._total} samples")


class _SampleTable:
    """The per-sample table, written as Parquet beside its final name and renamed whole."""

    def __init__(self, arguments: dict, schema: pa.Schema):
        import pyarrow.parquet as pq

        from driftline_server.data.storage import BatchStorage

        self._storage = BatchStorage(arguments["storage"])
        self._path = arguments["samples_path"]
        self._partial = self._storage.partial(self._path)
        self._sink = self._storage.open_output(self._partial)
        self._writer = pq.ParquetWriter(self._sink, schema, compression="zstd")
        self.schema = schema

    def write(self, columns: dict) -> None:
        self._writer.write_table(pa.table(columns, schema=self.schema))

    def close(self) -> None:
        self._writer.close()
        self._sink.close()
        self._storage.move(self._partial, self._path)


# -- RAG evaluation --------------------------------------------------------------------------


def _rag_samples(batch: pa.RecordBatch, arguments: dict) -> list[RagSample]:
    separator = arguments["separator"]
    ids = _texts(batch, arguments["id_column"])
    questions = _texts(batch, arguments["user_input_column"])
    answers = _texts(batch, arguments["answer_column"])
    # The first pass reads no target: term statistics are of inputs, contexts and outputs.
    target_column = arguments["target_column"]
    targets = (batch.column(target_column).to_pylist()
               if target_column and target_column in batch.schema.names
               else [None] * batch.num_rows)
    retrieved = [_texts(batch, name) for name in arguments["context_columns"]]
    samples = []
    for row in range(batch.num_rows):
        contexts = []
        for column in retrieved:
            text = column[row]
            parts = text.split(separator) if separator else [text]
            contexts += [part.strip() for part in parts if part.strip()]
        target = targets[row]
        samples.append(RagSample(ids[row], questions[row], tuple(contexts), answers[row],
                                 None if target is None or not str(target).strip()
                                 else str(target)))
    return samples


@job_handler(RAG_EVALUATION_JOB)
def compute_rag_evaluation_report_job(arguments: dict, context: JobContext) -> dict:
    """Compute and store one RAG evaluation report (see the module's docstring)."""
    return run_deciding(arguments, context, _rag_evaluation, _fail_report,
                        "the RAG evaluation job")


def _rag_evaluation(arguments: dict, context: JobContext) -> dict:
    from driftline.monitoring.v1 import monitoring_service_pb2 as pb, reports_pb2
    from driftline_server.monitoring.reports import rag

    report_id = arguments["report_id"]
    outcome = {"report_id": report_id}
    if not _pending(context, arguments, "GetRagEvaluationReport",
                    pb.GetRagEvaluationReportRequest(report_id=report_id)):
        return outcome
    texts = [arguments["id_column"], arguments["user_input_column"],
             *arguments["context_columns"], arguments["answer_column"]]
    counting_pass = _passes(context, arguments, texts)
    scoring_pass = _passes(context, arguments, [*texts, arguments["time_column"]] + (
        [arguments["target_column"]] if arguments["target_column"] else []))
    language = arguments["language"]

    def count_terms() -> tuple[rag.TermStatistics, int]:
        statistics, count = rag.TermStatistics(language), 0
        for batch in counting_pass():
            statistics.add(_rag_samples(batch, arguments))
            count += batch.num_rows
            context.check_cancelled()
        return statistics, count

    context.report_progress(0.0, "counting the terms of the samples")
    statistics, sample_total = context.retrying(count_terms)
    _require_samples(context, arguments, sample_total)
    judge = _judge(context, arguments)
    threshold = float(arguments["threshold"])

    def score() -> tuple[int, rag.RagSummary, rag.RagSummary | None]:
        scorer = rag.RagScorer(statistics)
        if judge is not None:
            judge.restart()
        summary = rag.RagSummary(threshold)
        judged = rag.RagSummary(threshold, scores=list(_JudgeRun.descriptions)) if judge else None
        table = None
        done = 0
        progress = _Progress(context, 0.1, 0.95, sample_total, "scored")
        for batch in scoring_pass():
            samples = _rag_samples(batch, arguments)
            scores = scorer.score(samples)
            summary.add(scores)
            columns = {"sample_id": [s.sample_id for s in samples],
                       "timestamp": pa.array(_seconds(batch, arguments["time_column"]))}
            columns.update({name: scores[name] for name in scores})
            if judge is not None:
                verdicts = judge.score(samples)
                judged.add(verdicts)
                columns.update(verdicts)
            if table is None:
                table = _SampleTable(arguments, pa.table(columns).schema)
            table.write(columns)
            done += len(samples)
            progress.advance(done)
        if table is not None:
            table.close()
        return done, summary, judged

    context.report_progress(0.1, f"scoring {sample_total} samples")
    try:
        done, summary, judged = context.retrying(score)
    except JudgeUnusable as problem:
        _refuse(context, arguments, "LLM_JUDGE_UNUSABLE", str(problem))
    finally:
        if judge is not None:
            judge.close()
    report = reports_pb2.RagEvaluationReport(
        metrics=[_metric_to_proto(m, rag.METRIC_DESCRIPTIONS) for m in summary.metrics()])
    if judge is not None:
        report.judge.CopyFrom(judge.record_proto())
        report.judge_metrics.extend(_metric_to_proto(m, judge.descriptions)
                                    for m in judged.metrics())
    context.report_progress(0.97, "storing the report")
    _finish(context, report_id, sample_count=done, rag_evaluation=report)
    return dict(outcome, sample_count=done)


def _metric_to_proto(metric, descriptions: dict):
    from driftline.monitoring.v1 import reports_pb2

    return reports_pb2.RagMetricSummary(
        metric=metric.name, description=descriptions.get(metric.name, ""), count=metric.count,
        mean=metric.mean, minimum=metric.minimum, maximum=metric.maximum,
        quantiles=[reports_pb2.Quantile(level=level, value=value)
                   for level, value in sorted(metric.quantiles.items())],
        share_below_threshold=metric.share_below_threshold,
        histogram_edges=list(metric.histogram_edges),
        histogram_counts=list(metric.histogram_counts))


class JudgeUnusable(Exception):
    """The LLM judge answers no sample: the report cannot have its scores."""


class _JudgeRun:
    """The LLM judge of one report: samples scored a few at a time; a sample the judge could
    not score after its retries is counted, its judge scores left empty (NaN)."""

    descriptions = {
        "judge_context_relevance": "the LLM judge's score of how relevant the contexts are to "
                                   "the user input",
        "judge_answer_relevance": "the LLM judge's score of how well the output answers the "
                                  "user input",
        "judge_groundedness": "the LLM judge's score of how much of the output the contexts "
                              "support",
        "judge_answer_correctness": "the LLM judge's score of the output against the target "
                                    "answer",
    }

    def __init__(self, context: JobContext, judge, credentials_id: str):
        self._context = context
        self._judge = judge
        self._credentials_id = credentials_id
        self.judged = 0
        self.failed = 0
        self._last_error = ""
        self._pool = ThreadPoolExecutor(_JUDGE_THREADS, thread_name_prefix="rag-judge")

    def restart(self) -> None:
        """A new pass over the samples (a cut stream is read again): the counts start over."""
        self.judged = self.failed = 0

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _one(self, sample: RagSample):
        from driftline_server.monitoring.reports.judge import JudgeError

        try:
            return self._judge.evaluate(sample)  # retries what may pass (judge.py)
        except JudgeError as error:
            self._last_error = str(error)
            return None

    def score(self, samples: list[RagSample]) -> dict[str, np.ndarray]:
        """The judge's scores of a batch (NaN where it could not score), a few samples at a
        time so that a cancellation is seen between them. JudgeUnusable when it scored none of
        the first samples it was sent: its credentials or model are wrong, not a sample."""
        verdicts = []
        for start in range(0, len(samples), _JUDGE_STEP):
            verdicts += self._pool.map(self._one, samples[start:start + _JUDGE_STEP])
            self._context.check_cancelled()
            if self.judged == 0 and not any(verdicts) and len(verdicts) >= _JUDGE_STEP:
                raise JudgeUnusable(f"the LLM judge scored none of the first {len(verdicts)} "
                                    f"samples; the last error: {self._last_error}")
        scores = {name: np.full(len(samples), np.nan) for name in self.descriptions}
        for index, verdict in enumerate(verdicts):
            if verdict is None:
                self.failed += 1
                continue
            self.judged += 1
            scores["judge_context_relevance"][index] = verdict.context_relevance
            scores["judge_answer_relevance"][index] = verdict.answer_relevance
            scores["judge_groundedness"][index] = verdict.groundedness
            if verdict.answer_correctness is not None:
                scores["judge_answer_correctness"][index] = verdict.answer_correctness
        return scores

    def record_proto(self):
        from driftline.monitoring.v1 import reports_pb2

        record = self._judge.record()
        return reports_pb2.LlmJudge(
            credentials_id=self._credentials_id, model=record.get("model", ""),
            provider=record.get("provider", ""), model_version=record.get("model_version") or "",
            system_prompt=record["prompt_templates"]["system"],
            user_prompt_template=record["prompt_templates"]["user"],
            temperature=float(record.get("temperature", 0.0)),
            endpoint_host=record.get("endpoint_host", ""), judged_sample_count=self.judged,
            failed_sample_count=self.failed)


def _judge(context: JobContext, arguments: dict) -> _JudgeRun | None:
    """The report's LLM judge, with the project's credentials resolved by Identity."""
    from driftline_server.identity.remote import resolve_integration_credentials
    from driftline_server.monitoring.reports.judge import LlmJudge

    asked = arguments.get("judge") or {}
    if not asked:
        return None
    try:
        credentials = context.retrying(lambda: resolve_integration_credentials(
            context.channel("identity"), context.metadata, asked["credentials_id"],
            context.project_id))
    except grpc.RpcError as error:
        if error.code() not in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION):
            raise
        _refuse(context, arguments, "LLM_CREDENTIALS_NOT_FOUND",
                f"the LLM judge's integration credentials {asked['credentials_id']!r} could not "
                f"be resolved: {error.details()}")
    try:
        judge = LlmJudge.from_credentials(credentials, asked["model"],
                                          max_attempts=_JUDGE_ATTEMPTS)
    except ValueError as problem:
        _refuse(context, arguments, "LLM_CREDENTIALS_INVALID", str(problem))
    return _JudgeRun(context, judge, asked["credentials_id"])


# -- topic modelling -------------------------------------------------------------------------


@job_handler(TOPIC_MODELING_JOB)
def compute_topic_modeling_report_job(arguments: dict, context: JobContext) -> dict:
    """Compute and store one topic modelling report (see the module's docstring)."""
    return run_deciding(arguments, context, _topic_modeling, _fail_report,
                        "the topic modelling job")


def _joined_texts(batch: pa.RecordBatch, names: list[str]) -> list[str]:
    columns = [_texts(batch, name) for name in names]
    return ["\n".join(parts) for parts in zip(*columns, strict=True)]


def _topic_modeling(arguments: dict, context: JobContext) -> dict:
    from google.protobuf import timestamp_pb2

    from driftline.monitoring.v1 import monitoring_service_pb2 as pb, reports_pb2
    from driftline_server.monitoring.reports import topics

    report_id = arguments["report_id"]
    outcome = {"report_id": report_id}
    if not _pending(context, arguments, "GetTopicModelingReport",
                    pb.GetTopicModelingReportRequest(report_id=report_id)):
        return outcome
    texts = list(arguments["text_columns"])
    sampling_pass = _passes(context, arguments, texts)
    assigning_pass = _passes(context, arguments,
                             [arguments["id_column"], arguments["time_column"], *texts])
    language = arguments["language"]

    def sample() -> topics.TextReservoir:
        reservoir = topics.TextReservoir(seed=0)
        for batch in sampling_pass():
            reservoir.add(_joined_texts(batch, texts))
            context.check_cancelled()
        return reservoir

    context.report_progress(0.0, "drawing the samples the topics are fitted on")
    reservoir = context.retrying(sample)
    _require_samples(context, arguments, reservoir.seen)
    context.report_progress(0.1, f"fitting topics on {len(reservoir.texts)} of "
                                 f"{reservoir.seen} samples")
    try:
        model = topics.fit_topics(reservoir.texts, language,
                                  min_topics=int(arguments["min_topics"]),
                                  max_topics=int(arguments["max_topics"]), seed=0)
    except ValueError as problem:
        _refuse(context, arguments, "TOPICS_NOT_FOUND", f"no topics could be found: {problem}")
    start, end = (_iso_seconds(arguments["from_time"]), _iso_seconds(arguments["to_time"]))

    def assign() -> tuple[int, topics.TopicShares]:
        shares = topics.TopicShares(len(model.topics), start, end)
        labels = [topic.label for topic in model.topics]
        schema = pa.schema([("sample_id", pa.string()), ("timestamp", pa.float64()),
                            ("topic_id", pa.int32()), ("topic_label", pa.string()),
                            ("confidence", pa.float32())])
        table = _SampleTable(arguments, schema)
        done = 0
        progress = _Progress(context, 0.4, 0.95, reservoir.seen, "assigned")
        for batch in assigning_pass():
            topic_ids, confidences = model.assign(_joined_texts(batch, texts))
            seconds = _seconds(batch, arguments["time_column"])
            shares.add(topic_ids, seconds)
            table.write({"sample_id": _texts(batch, arguments["id_column"]),
                         "timestamp": seconds, "topic_id": topic_ids,
                         "topic_label": [labels[t] if t >= 0 else "" for t in topic_ids],
                         "confidence": confidences})
            done += batch.num_rows
            progress.advance(done)
        table.close()
        return done, shares

    context.report_progress(0.4, f"assigning {reservoir.seen} samples their topic")
    done, shares = context.retrying(assign)

    def stamp(seconds: float) -> timestamp_pb2.Timestamp:
        value = timestamp_pb2.Timestamp()
        value.FromMicroseconds(round(seconds * 1e6))
        return value

    found = shares.shares()
    report = reports_pb2.TopicModelingReport(
        language=language, coherence=model.coherence, text_columns=texts,
        candidates=[reports_pb2.TopicCountCandidate(topic_count=k, coherence=c)
                    for k, c in model.candidates],
        unassigned_sample_count=found.unassigned.count, fitted_sample_count=len(reservoir.texts))
    for topic, share in zip(model.topics, found.topics, strict=True):
        report.topics.append(reports_pb2.Topic(
            topic_id=topic.topic_id, label=topic.label,
            terms=[reports_pb2.TopicTerm(term=term, weight=weight) for term, weight in topic.terms],
            sample_count=share.count, share=share.share,
            shares_over_time=[reports_pb2.TopicPeriodShare(
                from_time=stamp(period.start), to_time=stamp(period.end),
                sample_count=period.count, share=period.share) for period in share.buckets]))
    context.report_progress(0.97, "storing the report")
    _finish(context, report_id, sample_count=done, topic_modeling=report)
    return dict(outcome, sample_count=done, topic_count=len(model.topics))


def _iso_seconds(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text).timestamp()
